package com.dsqlcdc.sql.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A local HTTP fake of the Amazon Redshift Data API (awsJson1_1: {@code POST /} with {@code
 * X-Amz-Target: RedshiftData.<Operation>}, errors as {@code {"__type": ..., "message": ...}}),
 * for tests that point the real {@code RedshiftDataClient} at it with {@code endpointOverride}.
 *
 * <p>Implements ExecuteStatement, BatchExecuteStatement, DescribeStatement and CancelStatement with
 * the service's member names (checked against the SDK 2.40.2 model), and enforces what the service
 * validates: a non-empty SQL text of at most 100,000 UTF-8 bytes, also counting the parameter
 * values (stricter than AWS documents, on purpose); at most 200 parameters, each a non-empty
 * string; every {@code :name} placeholder (outside quoted literals and identifiers, and not a
 * {@code ::} cast) bound and every parameter used; exactly one of WorkgroupName and
 * ClusterIdentifier; a Database; 1-40 statements and no Parameters in a batch. Each violation is
 * a 400 {@code ValidationException}. Every request's SigV4 signature (service {@code
 * redshift-data}) is verified; a bad one is answered 403 and recorded in {@link
 * #signatureProblems()}.
 *
 * <p>Statements are asynchronous as on the service: the status DescribeStatement reports is
 * computed from the clock when it is called (SUBMITTED for the first quarter of the latency,
 * STARTED until {@link #statementLatency} has passed, then what the {@link Outcome} says). The
 * effects of a FINISHED statement "land" at its finish time; since nothing runs in the
 * background, landing happens on the first thread that observes the fake after that time (any
 * request, or {@link #landed()}), in finish-time order, before it answers.
 *
 * <p>ClientToken is idempotent, as on the service: a repeated ExecuteStatement or
 * BatchExecuteStatement with the same token answers the original statement's Id and runs nothing
 * (the SDK fills in a token and keeps it across its retries). A token reused for a different
 * request is answered with a ValidationException (a choice of this fake).
 *
 * <p>Other operations (GetStatementResult, ListStatements, ...) and sessions (SessionId) are
 * not implemented: they are answered 400 UnknownOperationException / ValidationException. Errors
 * carry their type in the body's {@code __type} only (no {@code x-amzn-ErrorType} header); the SDK
 * reads either.
 *
 * <p>Thread-safe (a pool of threads serves the requests); deterministic apart from the clock:
 * statement ids are name-based UUIDs of a counter.
 */
public final class FakeRedshiftDataApi implements AutoCloseable {

  public static final String TARGET_PREFIX = "RedshiftData.";
  public static final String CONTENT_TYPE = "application/x-amz-json-1.1";
  /** The limit on SQL text, and on SQL text plus parameter values, in UTF-8 bytes. */
  public static final int MAX_SQL_BYTES = 100_000;
  public static final int MAX_PARAMETERS = 200;
  public static final int MAX_BATCH_SQLS = 40;

  private static final Set<String> TERMINAL = Set.of("FINISHED", "FAILED", "ABORTED");

  private final ObjectMapper json = new ObjectMapper();
  private final SigV4Verifier verifier = new SigV4Verifier(SigV4Verifier.REDSHIFT_DATA);
  private final FakeHttpServers.Running http;

  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final List<String> signatureProblems = Collections.synchronizedList(new ArrayList<>());
  private final List<String> internalErrors = Collections.synchronizedList(new ArrayList<>());
  private final List<Consumer<ExecutedStatement>> landingListeners = new CopyOnWriteArrayList<>();
  private final AtomicLong requestIds = new AtomicLong();

  // Everything below is guarded by `this`.
  private Clock clock = Clock.systemUTC();
  private Duration latency = Duration.ZERO;
  private int executeRateLimit = Integer.MAX_VALUE;
  private int describeRateLimit = Integer.MAX_VALUE;
  private int maxActiveStatements = Integer.MAX_VALUE;
  private final Deque<Instant> executeWindow = new ArrayDeque<>();
  private final Deque<Instant> describeWindow = new ArrayDeque<>();
  private Function<ExecutedStatement, Outcome> outcomePolicy = s -> Outcome.finished();
  private final List<ResultRule> resultRules = new ArrayList<>();
  private final Map<String, Deque<Fault>> faults = new HashMap<>();
  private final Map<String, Stmt> statements = new LinkedHashMap<>();
  private final Map<String, Stmt> byClientToken = new HashMap<>();
  private final PriorityQueue<Stmt> awaitingLanding =
      new PriorityQueue<>(Comparator.comparing((Stmt s) -> s.finishAt).thenComparingLong(s -> s.seq));
  private final List<Stmt> unended = new ArrayList<>();
  private final List<ExecutedStatement> landed = new ArrayList<>();
  private int maxConcurrentRunning;
  private long sequence;

  private record Fault(int status, String type, String message, boolean afterApplying) {}

  private record ResultRule(Predicate<ExecutedStatement> match, long rows) {}

  /** An accepted statement and its fate. */
  private static final class Stmt {
    final ExecutedStatement executed;
    final Outcome outcome;
    final boolean batch;
    final long seq;
    final Duration latency;
    final Instant finishAt;
    final String clusterIdentifier;
    final String dbUser;
    Instant cancelledAt;
    boolean landed;

    Stmt(ExecutedStatement executed, Outcome outcome, boolean batch, long seq, Duration latency, String clusterIdentifier, String dbUser) {
      this.executed = executed;
      this.outcome = outcome;
      this.batch = batch;
      this.seq = seq;
      this.latency = latency;
      this.finishAt = executed.submittedAt().plus(latency);
      this.clusterIdentifier = clusterIdentifier;
      this.dbUser = dbUser;
    }

    boolean runsForever() {
      return outcome instanceof Outcome.Stuck || outcome instanceof Outcome.LandsButStaysStarted;
    }

    /** When it stopped running (finished, failed, aborted or cancelled), or null if it never does. */
    Instant endAt() {
      if (cancelledAt != null) {
        return cancelledAt;
      }
      return runsForever() ? null : finishAt;
    }

    String status(Instant now) {
      if (cancelledAt != null) {
        return "ABORTED";
      }
      if (runsForever()) {
        return "STARTED";
      }
      if (now.isBefore(finishAt)) {
        return now.isBefore(executed.submittedAt().plus(latency.dividedBy(4))) ? "SUBMITTED" : "STARTED";
      }
      if (outcome instanceof Outcome.Failed) {
        return "FAILED";
      }
      return outcome instanceof Outcome.Aborted ? "ABORTED" : "FINISHED";
    }
  }

  private record Reply(int status, ObjectNode body) {}

  private FakeRedshiftDataApi() {
    http = FakeHttpServers.start("fake-redshift-data", this::handle);
  }

  /** Starts a fake on 127.0.0.1 at an ephemeral port. */
  public static FakeRedshiftDataApi start() {
    return new FakeRedshiftDataApi();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + http.port());
  }

  @Override
  public void close() {
    http.close();
  }

  // ---- scripting -------------------------------------------------------------------------------

  /** The clock the fake reads (default: the system UTC clock). */
  public synchronized FakeRedshiftDataApi clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock);
    return this;
  }

  /** Time from submission until a statement finishes (or fails, or aborts); default 0. Applies to statements submitted after. */
  public synchronized FakeRedshiftDataApi statementLatency(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative");
    }
    this.latency = d;
    return this;
  }

  /** ExecuteStatement + BatchExecuteStatement calls beyond {@code perSecond} in any sliding second are answered 400 ThrottlingException. */
  public synchronized FakeRedshiftDataApi executeRateLimit(int perSecond) {
    this.executeRateLimit = positive(perSecond);
    return this;
  }

  /** DescribeStatement calls beyond {@code perSecond} in any sliding second are answered 400 ThrottlingException. */
  public synchronized FakeRedshiftDataApi describeRateLimit(int perSecond) {
    this.describeRateLimit = positive(perSecond);
    return this;
  }

  /**
   * At most {@code n} statements running at once: a submission beyond that is answered 400
   * ActiveStatementsExceededException, as the service does (its quota is ~500 per workgroup).
   * Default unlimited.
   */
  public synchronized FakeRedshiftDataApi maxActiveStatements(int n) {
    this.maxActiveStatements = positive(n);
    return this;
  }

  /** Decides each accepted statement's fate when it is submitted (default: always {@link Outcome#finished()}). */
  public synchronized FakeRedshiftDataApi outcomes(Function<ExecutedStatement, Outcome> policy) {
    this.outcomePolicy = Objects.requireNonNull(policy);
    return this;
  }

  /**
   * The next {@code count} calls of {@code operation} (e.g. "ExecuteStatement") are answered with
   * this error, without doing anything. Throttling-like errors (400 ThrottlingException) and 5xx
   * are retried by the SDK.
   */
  public void failNextCalls(String operation, int count, int httpStatus, String errorType, String message) {
    addFaults(operation, count, new Fault(httpStatus, errorType, message, false));
  }

  /**
   * The next {@code count} calls of {@code operation} are performed, then answered with this error:
   * the response is lost, the statement runs anyway. (The SDK's retry of an ExecuteStatement
   * then comes back with the same ClientToken and gets the same Id.)
   */
  public void failNextCallsAfterApplying(String operation, int count, int httpStatus, String errorType, String message) {
    addFaults(operation, count, new Fault(httpStatus, errorType, message, true));
  }

  private synchronized void addFaults(String operation, int count, Fault fault) {
    Deque<Fault> queue = faults.computeIfAbsent(operation, k -> new ArrayDeque<>());
    for (int i = 0; i < count; i++) {
      queue.add(fault);
    }
  }

  /**
   * DescribeStatement of a matching FINISHED statement reports HasResultSet=true and
   * ResultRows={@code rows}. By default a statement reports HasResultSet=false and ResultRows=-1,
   * or, when it is a query (starts with SELECT or WITH), HasResultSet=true and ResultRows=0. The
   * latest registered rule that matches wins. For a batch the rows are reported on its last
   * sub-statement.
   */
  public synchronized FakeRedshiftDataApi resultRows(Predicate<ExecutedStatement> match, long rows) {
    resultRules.add(new ResultRule(Objects.requireNonNull(match), rows));
    return this;
  }

  /**
   * Called exactly once per statement whose effects land (see {@link Outcome}), in landing order,
   * on the thread that observes the landing, while the fake's lock is held: the listener may call
   * the fake's methods but must not wait for other threads that do.
   */
  public void onLanded(Consumer<ExecutedStatement> listener) {
    landingListeners.add(Objects.requireNonNull(listener));
  }

  // ---- observation -----------------------------------------------------------------------------

  /** Every accepted statement, in submission order (a batch is one, with several SQL texts). */
  public synchronized List<ExecutedStatement> statements() {
    return statements.values().stream().map(s -> s.executed).toList();
  }

  /** Statements whose effects have landed, in landing order; lands first any whose finish time has passed. */
  public synchronized List<ExecutedStatement> landed() {
    settle(clock.instant());
    return List.copyOf(landed);
  }

  /** The status DescribeStatement would report for {@code id} now, or null for an unknown id. */
  public synchronized String statusOf(String id) {
    Stmt s = statements.get(id);
    return s == null ? null : s.status(clock.instant());
  }

  public List<String> signatureProblems() {
    synchronized (signatureProblems) {
      return List.copyOf(signatureProblems);
    }
  }

  /** Failures of the fake itself (answered 500 InternalServerException), e.g. an outcome policy that threw. */
  public List<String> internalErrors() {
    synchronized (internalErrors) {
      return List.copyOf(internalErrors);
    }
  }

  /** HTTP calls of {@code operation} received, including rejected ones. */
  public int calls(String operation) {
    AtomicInteger n = calls.get(operation);
    return n == null ? 0 : n.get();
  }

  /** The most statements that were running (submitted, not yet finished, failed, aborted or cancelled) at once. */
  public synchronized int maxConcurrentRunning() {
    return maxConcurrentRunning;
  }

  // ---- HTTP ------------------------------------------------------------------------------------

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      String operation =
          target != null && target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : "Unknown";
      calls.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
      SigV4Verifier.Verification verification = verifier.verify(exchange, body);
      Reply reply;
      if (!verification.ok()) {
        signatureProblems.add(operation + ": " + verification.problem());
        reply = error(403, "InvalidSignatureException", verification.problem());
      } else {
        try {
          reply = process(exchange, operation, body);
        } catch (RuntimeException e) {
          internalErrors.add(operation + ": " + e);
          reply = error(500, "InternalServerException", "the fake failed: " + e);
        }
      }
      byte[] out = json.writeValueAsBytes(reply.body());
      exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      exchange.getResponseHeaders().set("x-amzn-RequestId", new UUID(0xFA4EL, requestIds.incrementAndGet()).toString());
      exchange.sendResponseHeaders(reply.status(), out.length);
      try (OutputStream stream = exchange.getResponseBody()) {
        stream.write(out);
      }
    }
  }

  private Reply process(HttpExchange exchange, String operation, byte[] body) {
    if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getRawPath().equals("/")) {
      return error(404, "UnknownOperationException", "the Data API answers POST / only");
    }
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    if (contentType == null || !contentType.startsWith(CONTENT_TYPE)) {
      return error(400, "SerializationException", "expected Content-Type " + CONTENT_TYPE + ", got " + contentType);
    }
    JsonNode request;
    try {
      request = body.length == 0 ? json.createObjectNode() : json.readTree(body);
    } catch (IOException e) {
      return error(400, "SerializationException", "the body is not JSON: " + e.getMessage());
    }
    if (request == null || !request.isObject()) {
      return error(400, "SerializationException", "the body is not a JSON object");
    }
    synchronized (this) {
      Instant now = clock.instant();
      settle(now);
      Deque<Fault> queue = faults.get(operation);
      Fault fault = queue == null ? null : queue.poll();
      if (fault != null && !fault.afterApplying()) {
        return error(fault.status(), fault.type(), fault.message());
      }
      boolean admitted =
          switch (operation) {
            case "ExecuteStatement", "BatchExecuteStatement" -> admit(executeWindow, executeRateLimit, now);
            case "DescribeStatement" -> admit(describeWindow, describeRateLimit, now);
            default -> true;
          };
      if (!admitted) {
        return error(400, "ThrottlingException", "Rate exceeded");
      }
      Reply reply =
          switch (operation) {
            case "ExecuteStatement" -> executeStatement(request, now);
            case "BatchExecuteStatement" -> batchExecuteStatement(request, now);
            case "DescribeStatement" -> describeStatement(request, now);
            case "CancelStatement" -> cancelStatement(request, now);
            default -> error(400, "UnknownOperationException", "the fake does not implement " + operation);
          };
      if (fault != null) {
        return error(fault.status(), fault.type(), fault.message());
      }
      return reply;
    }
  }

  // ---- operations (called with the lock held) ----------------------------------------------------

  private Reply executeStatement(JsonNode request, Instant now) {
    String problem = validateTarget(request);
    if (problem != null) {
      return validation(problem);
    }
    JsonNode sqlNode = request.get("Sql");
    if (sqlNode == null || !sqlNode.isTextual() || sqlNode.asText().isBlank()) {
      return validation("Sql must be a non-empty string");
    }
    String sql = sqlNode.asText();
    long sqlBytes = utf8Length(sql);
    if (sqlBytes > MAX_SQL_BYTES) {
      return validation("Sql is " + sqlBytes + " bytes; the maximum is " + MAX_SQL_BYTES);
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    JsonNode params = request.get("Parameters");
    if (params != null && !params.isNull()) {
      if (!params.isArray()) {
        return validation("Parameters must be a list");
      }
      if (params.isEmpty()) {
        return validation("Parameters, when present, must have at least 1 member");
      }
      if (params.size() > MAX_PARAMETERS) {
        return validation("at most " + MAX_PARAMETERS + " parameters are allowed, got " + params.size());
      }
      long total = sqlBytes;
      for (JsonNode p : params) {
        JsonNode name = p.get("name");
        JsonNode value = p.get("value");
        if (name == null || !name.isTextual() || name.asText().isEmpty()) {
          return validation("every parameter needs a non-empty name");
        }
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
          return validation("parameter " + name.asText() + " must have a non-empty string value");
        }
        if (parameters.put(name.asText(), value.asText()) != null) {
          return validation("parameter " + name.asText() + " is given more than once");
        }
        total += utf8Length(value.asText());
      }
      if (total > MAX_SQL_BYTES) {
        return validation(
            "Sql plus parameter values is " + total + " bytes; the maximum is " + MAX_SQL_BYTES);
      }
    }
    Set<String> placeholders = placeholders(sql);
    for (String name : placeholders) {
      if (!parameters.containsKey(name)) {
        return validation("the SQL uses :" + name + " but no parameter " + name + " is given");
      }
    }
    for (String name : parameters.keySet()) {
      if (!placeholders.contains(name)) {
        return validation("parameter " + name + " is not used in the SQL");
      }
    }
    return submit(request, List.of(sql), parameters, false, now);
  }

  private Reply batchExecuteStatement(JsonNode request, Instant now) {
    if (request.has("Parameters")) {
      return validation("BatchExecuteStatement does not accept Parameters");
    }
    String problem = validateTarget(request);
    if (problem != null) {
      return validation(problem);
    }
    JsonNode sqlsNode = request.get("Sqls");
    if (sqlsNode == null || !sqlsNode.isArray() || sqlsNode.isEmpty()) {
      return validation("Sqls must be a list of 1 to " + MAX_BATCH_SQLS + " statements");
    }
    if (sqlsNode.size() > MAX_BATCH_SQLS) {
      return validation("Sqls has " + sqlsNode.size() + " statements; the maximum is " + MAX_BATCH_SQLS);
    }
    List<String> sqls = new ArrayList<>();
    for (JsonNode s : sqlsNode) {
      if (!s.isTextual() || s.asText().isBlank()) {
        return validation("every member of Sqls must be a non-empty string");
      }
      long bytes = utf8Length(s.asText());
      if (bytes > MAX_SQL_BYTES) {
        return validation("statement " + (sqls.size() + 1) + " of Sqls is " + bytes + " bytes; the maximum is " + MAX_SQL_BYTES);
      }
      sqls.add(s.asText());
    }
    return submit(request, sqls, Map.of(), true, now);
  }

  /** What both Execute operations require of where the SQL runs. */
  private static String validateTarget(JsonNode request) {
    for (String member : List.of("Database", "WorkgroupName", "ClusterIdentifier", "SecretArn", "DbUser", "ClientToken", "StatementName")) {
      JsonNode n = request.get(member);
      if (n != null && !n.isNull() && !n.isTextual()) {
        return member + " must be a string";
      }
    }
    if (request.hasNonNull("SessionId") || request.hasNonNull("SessionKeepAliveSeconds")) {
      return "sessions (SessionId, SessionKeepAliveSeconds) are not supported by this fake";
    }
    boolean workgroup = !text(request, "WorkgroupName").isEmpty();
    boolean cluster = !text(request, "ClusterIdentifier").isEmpty();
    if (workgroup == cluster) {
      return "exactly one of WorkgroupName and ClusterIdentifier must be given";
    }
    if (text(request, "Database").isEmpty()) {
      return "Database is required";
    }
    String token = text(request, "ClientToken");
    if (token.length() > 64) {
      return "ClientToken must be at most 64 characters";
    }
    return null;
  }

  private Reply submit(JsonNode request, List<String> sqls, Map<String, String> parameters, boolean batch, Instant now) {
    String clientToken = request.hasNonNull("ClientToken") ? request.get("ClientToken").asText() : null;
    String workgroup = request.hasNonNull("WorkgroupName") ? request.get("WorkgroupName").asText() : null;
    String cluster = request.hasNonNull("ClusterIdentifier") ? request.get("ClusterIdentifier").asText() : null;
    String secretArn = request.hasNonNull("SecretArn") ? request.get("SecretArn").asText() : null;
    String dbUser = request.hasNonNull("DbUser") ? request.get("DbUser").asText() : null;
    String database = request.get("Database").asText();
    if (clientToken != null && byClientToken.containsKey(clientToken)) {
      Stmt earlier = byClientToken.get(clientToken);
      ExecutedStatement e = earlier.executed;
      boolean same =
          earlier.batch == batch && e.sqls().equals(sqls) && List.copyOf(e.parameters().entrySet()).equals(List.copyOf(parameters.entrySet()))
              && e.database().equals(database) && Objects.equals(e.workgroupName(), workgroup)
              && Objects.equals(earlier.clusterIdentifier, cluster);
      if (!same) {
        return validation("ClientToken " + clientToken + " was already used for a different request");
      }
      return ok(executeResponse(earlier));
    }
    pruneUnended(now);
    if (unended.size() >= maxActiveStatements) {
      return error(400, "ActiveStatementsExceededException", "Active statements exceeded the allowed quota.");
    }
    long seq = sequence + 1;
    String id = UUID.nameUUIDFromBytes(("fake-redshift-data-statement-" + seq).getBytes(StandardCharsets.UTF_8)).toString();
    ExecutedStatement executed = new ExecutedStatement(id, sqls, parameters, database, workgroup, secretArn, clientToken, now);
    Outcome outcome = Objects.requireNonNull(outcomePolicy.apply(executed), "the outcome policy returned null");
    sequence = seq;
    Stmt s = new Stmt(executed, outcome, batch, seq, latency, cluster, dbUser);
    statements.put(id, s);
    if (clientToken != null) {
      byClientToken.put(clientToken, s);
    }
    maxConcurrentRunning = Math.max(maxConcurrentRunning, unended.size() + 1);
    if (s.endAt() == null || s.endAt().isAfter(now)) {
      unended.add(s);
    }
    if (outcome instanceof Outcome.Finished) {
      awaitingLanding.add(s);
      settle(now); // a zero latency lands at once
    } else if (outcome instanceof Outcome.LandsButStaysStarted) {
      land(s);
    }
    return ok(executeResponse(s));
  }

  private ObjectNode executeResponse(Stmt s) {
    ExecutedStatement e = s.executed;
    ObjectNode out = json.createObjectNode();
    out.put("Id", e.id());
    out.put("CreatedAt", epochSeconds(e.submittedAt()));
    out.put("Database", e.database());
    if (e.workgroupName() != null) {
      out.put("WorkgroupName", e.workgroupName());
    }
    if (s.clusterIdentifier != null) {
      out.put("ClusterIdentifier", s.clusterIdentifier);
    }
    if (e.secretArn() != null) {
      out.put("SecretArn", e.secretArn());
    }
    if (s.dbUser != null) {
      out.put("DbUser", s.dbUser);
    }
    return out;
  }

  private Reply describeStatement(JsonNode request, Instant now) {
    String id = text(request, "Id");
    if (id.isEmpty()) {
      return validation("Id is required");
    }
    Stmt s = statements.get(id);
    if (s == null) {
      return notFound(id);
    }
    ExecutedStatement e = s.executed;
    String status = s.status(now);
    boolean terminal = TERMINAL.contains(status);
    ObjectNode out = executeResponse(s);
    out.remove("CreatedAt");
    out.put("Status", status);
    if (status.equals("FAILED")) {
      out.put("Error", ((Outcome.Failed) s.outcome).error());
    }
    out.put("QueryString", e.sql());
    out.put("CreatedAt", epochSeconds(e.submittedAt()));
    out.put("UpdatedAt", epochSeconds(updatedAt(s, status)));
    out.put("Duration", terminal ? Duration.between(e.submittedAt(), s.endAt()).toNanos() : -1);
    long rows = status.equals("FINISHED") ? resultRowsOf(s) : -1;
    boolean hasResultSet = rows >= 0;
    out.put("HasResultSet", hasResultSet);
    out.put("ResultRows", rows);
    out.put("ResultSize", hasResultSet ? rows * 16 : -1);
    out.put("RedshiftPid", 1_073_800_000L + s.seq);
    out.put("RedshiftQueryId", status.equals("SUBMITTED") ? 0 : 100_000L + s.seq);
    if (!e.parameters().isEmpty()) {
      ArrayNode qp = out.putArray("QueryParameters");
      e.parameters().forEach((name, value) -> qp.addObject().put("name", name).put("value", value));
    }
    if (s.batch) {
      ArrayNode subs = out.putArray("SubStatements");
      int n = e.sqls().size();
      int failing = -1;
      if (s.outcome instanceof Outcome.Failed f) {
        failing = f.subStatementIndex() < 0 || f.subStatementIndex() >= n ? n - 1 : f.subStatementIndex();
      }
      for (int i = 0; i < n; i++) {
        String subStatus =
            switch (status) {
              case "FINISHED" -> "FINISHED";
              case "FAILED" -> i < failing ? "FINISHED" : i == failing ? "FAILED" : "ABORTED";
              case "ABORTED" -> "ABORTED";
              case "STARTED" -> i == 0 ? "STARTED" : "SUBMITTED";
              default -> "SUBMITTED";
            };
        ObjectNode sub = subs.addObject();
        sub.put("Id", e.id() + ":" + (i + 1));
        sub.put("Status", subStatus);
        if (subStatus.equals("FAILED")) {
          sub.put("Error", ((Outcome.Failed) s.outcome).error());
        }
        sub.put("QueryString", e.sqls().get(i));
        sub.put("CreatedAt", epochSeconds(e.submittedAt()));
        sub.put("UpdatedAt", epochSeconds(updatedAt(s, status)));
        sub.put("Duration", TERMINAL.contains(subStatus) ? Duration.between(e.submittedAt(), s.endAt()).toNanos() / n : -1);
        long subRows =
            !subStatus.equals("FINISHED") ? -1 : i == n - 1 ? rows : isQuery(e.sqls().get(i)) ? 0 : -1;
        sub.put("HasResultSet", subRows >= 0);
        sub.put("ResultRows", subRows);
        sub.put("ResultSize", subRows >= 0 ? subRows * 16 : -1);
        sub.put("RedshiftQueryId", subStatus.equals("SUBMITTED") ? 0 : 100_000L * (i + 1) + s.seq);
      }
    }
    return ok(out);
  }

  private Reply cancelStatement(JsonNode request, Instant now) {
    String id = text(request, "Id");
    if (id.isEmpty()) {
      return validation("Id is required");
    }
    Stmt s = statements.get(id);
    if (s == null) {
      return notFound(id);
    }
    String status = s.status(now);
    if (TERMINAL.contains(status)) {
      return validation("Could not cancel a query that is already in " + status + " state.");
    }
    s.cancelledAt = now;
    awaitingLanding.remove(s);
    return ok(json.createObjectNode().put("Status", true));
  }

  // ---- statement bookkeeping ---------------------------------------------------------------------

  /** Lands, in finish order, every FINISHED statement whose finish time is not after {@code now}. */
  private void settle(Instant now) {
    while (!awaitingLanding.isEmpty() && !awaitingLanding.peek().finishAt.isAfter(now)) {
      land(awaitingLanding.poll());
    }
  }

  private void land(Stmt s) {
    if (s.landed) {
      return;
    }
    s.landed = true;
    landed.add(s.executed);
    for (Consumer<ExecutedStatement> listener : landingListeners) {
      listener.accept(s.executed);
    }
  }

  private void pruneUnended(Instant now) {
    unended.removeIf(s -> s.endAt() != null && !s.endAt().isAfter(now));
  }

  private static Instant updatedAt(Stmt s, String status) {
    if (TERMINAL.contains(status)) {
      return s.endAt();
    }
    Instant submitted = s.executed.submittedAt();
    return status.equals("SUBMITTED") || s.runsForever() ? submitted : submitted.plus(s.latency.dividedBy(4));
  }

  /** The ResultRows of a FINISHED statement: a matching rule, else 0 for a query, else -1. */
  private long resultRowsOf(Stmt s) {
    for (int i = resultRules.size() - 1; i >= 0; i--) {
      if (resultRules.get(i).match().test(s.executed)) {
        return resultRules.get(i).rows();
      }
    }
    List<String> sqls = s.executed.sqls();
    return isQuery(sqls.get(sqls.size() - 1)) ? 0 : -1;
  }

  private static boolean admit(Deque<Instant> window, int limit, Instant now) {
    if (limit == Integer.MAX_VALUE) {
      return true;
    }
    Instant cutoff = now.minusSeconds(1);
    while (!window.isEmpty() && !window.peekFirst().isAfter(cutoff)) {
      window.pollFirst();
    }
    if (window.size() >= limit) {
      return false;
    }
    window.addLast(now);
    return true;
  }

  // ---- SQL text ------------------------------------------------------------------------------------

  /**
   * The {@code :name} placeholders of {@code sql}, in order of first use: a colon followed by a
   * letter or underscore, then letters, digits and underscores; not inside a single-quoted
   * literal ({@code ''} escapes a quote) or a double-quoted identifier, and not a {@code ::}
   * cast. Comments are not treated specially.
   */
  static Set<String> placeholders(String sql) {
    Set<String> names = new LinkedHashSet<>();
    int n = sql.length();
    for (int i = 0; i < n; i++) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"') {
        int j = i + 1;
        while (j < n) {
          if (sql.charAt(j) == c) {
            if (j + 1 < n && sql.charAt(j + 1) == c) {
              j += 2;
              continue;
            }
            break;
          }
          j++;
        }
        i = j;
      } else if (c == ':') {
        if (i + 1 < n && sql.charAt(i + 1) == ':') {
          i++;
          continue;
        }
        int j = i + 1;
        if (j < n && (Character.isLetter(sql.charAt(j)) || sql.charAt(j) == '_')) {
          while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            j++;
          }
          names.add(sql.substring(i + 1, j));
          i = j - 1;
        }
      }
    }
    return names;
  }

  /** Whether the statement is a query (its first word, after comments and parentheses, is SELECT or WITH). */
  static boolean isQuery(String sql) {
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c) || c == '(') {
        i++;
      } else if (sql.startsWith("--", i)) {
        int eol = sql.indexOf('\n', i);
        i = eol < 0 ? n : eol + 1;
      } else if (sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else {
        break;
      }
    }
    String rest = sql.substring(i).toUpperCase(Locale.ROOT);
    return rest.matches("(?s)(SELECT|WITH)\\b.*");
  }

  // ---- wire helpers --------------------------------------------------------------------------------

  private static String text(JsonNode request, String member) {
    JsonNode n = request.get(member);
    return n == null || !n.isTextual() ? "" : n.asText();
  }

  private static long utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Epoch seconds with millisecond fraction, as awsJson timestamps are written. */
  private static BigDecimal epochSeconds(Instant t) {
    return BigDecimal.valueOf(t.toEpochMilli(), 3);
  }

  private static int positive(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("must be positive: " + n);
    }
    return n;
  }

  private Reply ok(ObjectNode body) {
    return new Reply(200, body);
  }

  private Reply validation(String message) {
    return error(400, "ValidationException", message);
  }

  private Reply notFound(String id) {
    Reply reply = error(400, "ResourceNotFoundException", "Query does not exist: " + id);
    reply.body().put("ResourceId", id);
    return reply;
  }

  private Reply error(int status, String type, String message) {
    ObjectNode body = json.createObjectNode();
    body.put("__type", type);
    body.put("message", message);
    return new Reply(status, body);
  }
}
