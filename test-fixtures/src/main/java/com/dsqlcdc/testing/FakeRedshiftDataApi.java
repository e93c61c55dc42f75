package com.dsqlcdc.testing;

import static com.dsqlcdc.testing.AwsJsonServer.error;
import static com.dsqlcdc.testing.AwsJsonServer.ok;

import com.dsqlcdc.sql.CdcEventsTable;
import com.dsqlcdc.testing.AwsJsonServer.Reply;
import com.dsqlcdc.testing.cost.Billing;
import com.dsqlcdc.testing.cost.SerialQueue;
import com.dsqlcdc.testing.cost.SqlKind;
import com.dsqlcdc.testing.cost.WarehouseCostModel;
import com.dsqlcdc.testing.pg.RedshiftOnPostgres;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A local HTTP fake of the Amazon Redshift Data API (awsJson1_1: {@code POST /} with {@code
 * X-Amz-Target: RedshiftData.<Operation>}, errors as {@code {"__type": ..., "message": ...}}),
 * for tests that point the real {@code RedshiftDataClient} at it with {@code endpointOverride}.
 *
 * <p>Implements ExecuteStatement, BatchExecuteStatement, DescribeStatement, CancelStatement and
 * GetStatementResult with the service's member names (checked against the SDK 2.59.1 model), and
 * enforces what the service
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
 * <p>COPY and SUPER: an ExecuteStatement (or a batch member) whose first word is COPY is checked
 * when it is accepted, as Redshift would when it runs it: the grammar the consumer uses, a role
 * attached to the namespace ({@link #copyRoles}), the objects under the S3 prefix (read directly
 * from the {@link FakeS3} given to {@link #copySource}), gzip, and every JSON line against the
 * table {@code cdc.cdc_events} (see {@link #copiedLines} for the details). Parameters passed
 * through {@code JSON_PARSE(:name)} must be JSON whose strings fit {@link #maxSuperStringBytes}.
 * A statement that fails these checks is FAILED (its Error names the line and the problem), and the
 * {@link #outcomes} policy is not consulted; one that passes gets its fate from the policy as any
 * other statement.
 *
 * <p>DescribeStatement honours long polling: with {@code WaitTimeSeconds} (0-30) it answers once
 * the statement has a final status, or after that many seconds of real time ({@link
 * #describeWaits} records them); a scripted error ({@link #failNextCalls}) is answered at once. GetStatementResult answers a FINISHED single statement's rows
 * ({@link #results}, {@link #resultRows}), {@link #resultPageSize} a page with a {@code NextToken}.
 *
 * <p>Sessions, as on the service: an Execute call with {@code SessionKeepAliveSeconds} (1-86,400)
 * and a workgroup (or cluster) opens one and answers its {@code SessionId}; later calls name the
 * session with {@code SessionId} and give neither workgroup, cluster, database, secret nor DbUser
 * (a ValidationException otherwise), and may change the keep-alive. A session runs one statement at
 * a time: a statement sent while its session is BUSY is refused with a ValidationException (the
 * service does not queue; its exact wording is unconfirmed, the type is the one the API declares for
 * bad requests). A session idle for its keep-alive after its last statement ended, or open for 24
 * hours, is CLOSED: its temporary tables go, and a statement naming it is refused. Unknown session
 * ids are ResourceNotFoundException. At most {@link #maxActiveSessions} are open at once
 * (ActiveSessionsExceededException).
 *
 * <p>The PostgreSQL backend ({@link #postgres}): the statements run for real on {@link
 * RedshiftOnPostgres} (the project's Redshift SQL on PostgreSQL 16, with its documented
 * translation): a batch in one transaction, rolled back whole when a statement fails, which is then
 * FAILED with PostgreSQL's error text; a session is one database connection (its temporary tables
 * live as long as it), a statement outside a session gets a connection of its own. Parameters are
 * bound as quoted literals. The SQL runs when the statement is accepted, so its effects are visible
 * at once while DescribeStatement reports the status the latency (or the cost model) gives it;
 * a CancelStatement of a statement that already ran is answered {@code Status: false}, as the
 * service answers a cancel that lost the race with the commit. DescribeStatement reports each
 * statement's ResultRows (a query's rows, or the rows a DML statement or COPY changed), for a
 * batch per SubStatement; GetStatementResult answers a query's rows (a batch's with the
 * {@code <id>:<n>} sub-statement id) with typed fields (longValue for integers, booleanValue,
 * doubleValue, isNull, stringValue otherwise) and ColumnMetadata (name, label, type name), {@link
 * #resultPageSize} rows a page. COPY ... MANIFEST reads the manifest and its objects from the
 * object store the {@link RedshiftOnPostgres} was built with (e.g. {@link FakeS3#read}); the COPY's
 * IAM_ROLE must still be one of {@link #copyRoles}. The COPY checks of the paragraph above apply
 * without the backend only.
 *
 * <p>The cost model ({@link #costModel}): each statement's duration is what {@link
 * WarehouseCostModel} charges for its SQL and the rows it touched (with the backend, the rows
 * PostgreSQL reports): its fixed part, then its proportional part in its turn for the warehouse's
 * capacity; a transaction that wrote then waits for its turn in the warehouse-wide commit queue;
 * the Data API quotas of the model apply. {@link #billed} is what Redshift
 * Serverless would bill for the activity so far.
 *
 * <p>Other operations (ListStatements, ListSessions, ...) are not implemented: they are answered
 * 400 UnknownOperationException. Errors carry their type in the body's {@code __type} only (no
 * {@code x-amzn-ErrorType} header); the SDK reads either.
 *
 * <p>Thread-safe (a pool of threads serves the requests); deterministic apart from the clock:
 * statement ids are name-based UUIDs of a counter.
 */
public final class FakeRedshiftDataApi implements AutoCloseable {

    public static final String TARGET_PREFIX = "RedshiftData.";
    public static final String CONTENT_TYPE = AwsJsonServer.CONTENT_TYPE;
    /** The limit on SQL text, and on SQL text plus parameter values, in UTF-8 bytes. */
    public static final int MAX_SQL_BYTES = 100_000;

    public static final int MAX_PARAMETERS = 200;
    public static final int MAX_BATCH_SQLS = 40;
    /** The account in the ARNs the fake writes into its messages. */
    public static final String ACCOUNT = "123456789012";
    /** Redshift's limit on one JSON object (one line) in a COPY from JSON: 4 MB. */
    public static final int DEFAULT_MAX_COPY_RECORD_BYTES = 4_194_304;
    /**
     * Redshift's limit on one string inside a SUPER value, in UTF-8 bytes, unless the database
     * parameter {@code enable_large_strings_opt_in} is on (then 16,000,000).
     */
    public static final int DEFAULT_MAX_SUPER_STRING_BYTES = 65_535;

    /** The most seconds a session is kept alive, and the longest a session stays open at all. */
    public static final int MAX_SESSION_SECONDS = 86_400;

    private static final Set<String> TERMINAL = Set.of("FINISHED", "FAILED", "ABORTED");

    private final ObjectMapper json = new ObjectMapper();
    private final AwsJsonServer server;

    private final List<Consumer<ExecutedStatement>> landingListeners = new CopyOnWriteArrayList<>();

    // Everything below is guarded by `this`.
    private Clock clock = Clock.systemUTC();
    private Duration latency = Duration.ZERO;
    private int executeRateLimit = Integer.MAX_VALUE;
    private int describeRateLimit = Integer.MAX_VALUE;
    private int maxActiveStatements = Integer.MAX_VALUE;
    private int getResultRateLimit = Integer.MAX_VALUE;
    private int maxActiveSessions = Integer.MAX_VALUE;
    private final Deque<Instant> executeWindow = new ArrayDeque<>();
    private final Deque<Instant> describeWindow = new ArrayDeque<>();
    private final Deque<Instant> getResultWindow = new ArrayDeque<>();
    private final Map<String, FakeSession> sessions = new LinkedHashMap<>();
    private long sessionSequence;
    private RedshiftOnPostgres postgres;
    private WarehouseCostModel costModel;
    private final SerialQueue commitQueue = new SerialQueue();
    private final SerialQueue capacity = new SerialQueue();
    private final List<Billing.Interval> busy = new ArrayList<>();
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
    private FakeS3 copySource;
    private final Set<String> copyRoles = new LinkedHashSet<>();
    private int maxCopyRecordBytes = DEFAULT_MAX_COPY_RECORD_BYTES;
    private int maxSuperStringBytes = DEFAULT_MAX_SUPER_STRING_BYTES;
    private int resultPageSize = 1000;
    private final List<Integer> describeWaits = new ArrayList<>();

    private record Fault(int status, String type, String message, boolean afterApplying) {}

    /** {@code records} null: {@code rows} rows of one column holding 1 (as {@code SELECT 1 ...} gives). */
    private record ResultRule(Predicate<ExecutedStatement> match, long rows, List<List<String>> records) {}

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
        /** The JSON lines its COPY sub-statements read when it was accepted, in order; empty if none (or if it failed its checks). */
        final List<String> copyLines;
        /** The session it runs in, or null. */
        final FakeSession session;
        /** The SessionId the request named (null when it opened its session or ran outside one). */
        final String requestedSessionId;
        /** With the PostgreSQL backend, each statement's result once it ran successfully; else null. */
        final List<RedshiftOnPostgres.Result> results;
        /** With the cost model, each statement's modelled duration; else null. */
        final List<Duration> subDurations;

        Instant cancelledAt;
        boolean landed;

        Stmt(
                ExecutedStatement executed,
                Outcome outcome,
                boolean batch,
                long seq,
                Duration latency,
                String clusterIdentifier,
                String dbUser,
                List<String> copyLines,
                FakeSession session,
                String requestedSessionId,
                List<RedshiftOnPostgres.Result> results,
                List<Duration> subDurations) {
            this.copyLines = copyLines;
            this.session = session;
            this.requestedSessionId = requestedSessionId;
            this.results = results;
            this.subDurations = subDurations;
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

    /** A Data API session: one statement at a time, open until idle for its keep-alive (or 24 hours). */
    private static final class FakeSession {
        final String id;
        final String workgroup;
        final String cluster;
        final String database;
        final String secretArn;
        final String dbUser;
        final Instant createdAt;
        int keepAliveSeconds;
        Stmt current;
        Instant closedAt;
        RedshiftOnPostgres.Session pg;

        FakeSession(
                String id,
                String workgroup,
                String cluster,
                String database,
                String secretArn,
                String dbUser,
                Instant createdAt,
                int keepAliveSeconds) {
            this.id = id;
            this.workgroup = workgroup;
            this.cluster = cluster;
            this.database = database;
            this.secretArn = secretArn;
            this.dbUser = dbUser;
            this.createdAt = createdAt;
            this.keepAliveSeconds = keepAliveSeconds;
        }

        /** When it closes unless another statement runs in it first. */
        Instant closesAt() {
            Instant forced = createdAt.plusSeconds(MAX_SESSION_SECONDS);
            Instant end = current == null ? createdAt : current.endAt();
            if (end == null) {
                return forced;
            }
            Instant idle = end.plusSeconds(keepAliveSeconds);
            return idle.isBefore(forced) ? idle : forced;
        }

        String status(Instant now) {
            if (closedAt != null) {
                return "CLOSED";
            }
            return current != null && !TERMINAL.contains(current.status(now)) ? "BUSY" : "AVAILABLE";
        }
    }

    private FakeRedshiftDataApi() {
        server = new AwsJsonServer(
                "fake-redshift-data",
                SigV4Verifier.REDSHIFT_DATA,
                TARGET_PREFIX,
                403,
                "InternalServerException",
                0xFA4EL,
                this::process);
    }

    /** Starts a fake on 127.0.0.1 at an ephemeral port. */
    public static FakeRedshiftDataApi start() {
        return new FakeRedshiftDataApi();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** Stops the server and closes every session's database connection. */
    @Override
    public void close() {
        server.close();
        synchronized (this) {
            for (FakeSession session : sessions.values()) {
                if (session.pg != null) {
                    session.pg.close();
                    session.pg = null;
                }
            }
        }
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

    /** GetStatementResult calls beyond {@code perSecond} in any sliding second are answered 400 ThrottlingException. */
    public synchronized FakeRedshiftDataApi getResultRateLimit(int perSecond) {
        this.getResultRateLimit = positive(perSecond);
        return this;
    }

    /**
     * At most {@code n} sessions open at once: a call that would open one more is answered 400
     * ActiveSessionsExceededException. Default unlimited.
     */
    public synchronized FakeRedshiftDataApi maxActiveSessions(int n) {
        this.maxActiveSessions = positive(n);
        return this;
    }

    /**
     * Runs every statement for real on {@code redshift} (see the class comment). COPY reads the
     * objects from the object store {@code redshift} was built with; give it the same {@link FakeS3}
     * as {@link #copySource} ({@code new RedshiftOnPostgres(postgres, s3::read)}) so that the cost
     * model can size each COPY.
     */
    public synchronized FakeRedshiftDataApi postgres(RedshiftOnPostgres redshift) {
        this.postgres = Objects.requireNonNull(redshift);
        return this;
    }

    /**
     * Charges {@code model}'s costs from now on: each statement takes the time the model gives its
     * SQL and work (instead of {@link #statementLatency}), a transaction that wrote waits for the
     * warehouse-wide commit queue, and the model's quotas apply (ExecuteStatement,
     * DescribeStatement, GetStatementResult per second; active statements; open sessions).
     */
    public synchronized FakeRedshiftDataApi costModel(WarehouseCostModel model) {
        this.costModel = Objects.requireNonNull(model);
        this.executeRateLimit = model.executePerSecond();
        this.describeRateLimit = model.describePerSecond();
        this.getResultRateLimit = model.getResultPerSecond();
        this.maxActiveStatements = model.activeStatements();
        this.maxActiveSessions = model.activeSessions();
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
    public void failNextCallsAfterApplying(
            String operation, int count, int httpStatus, String errorType, String message) {
        addFaults(operation, count, new Fault(httpStatus, errorType, message, true));
    }

    private synchronized void addFaults(String operation, int count, Fault fault) {
        Deque<Fault> queue = faults.computeIfAbsent(operation, k -> new ArrayDeque<>());
        for (int i = 0; i < count; i++) {
            queue.add(fault);
        }
    }

    /**
     * The S3 fake a COPY reads from. Read directly, without HTTP, when the COPY is accepted (as if
     * Redshift ran it at once): what the objects hold later does not change what the COPY loaded.
     */
    public synchronized FakeRedshiftDataApi copySource(FakeS3 s3) {
        this.copySource = Objects.requireNonNull(s3);
        return this;
    }

    /**
     * The IAM roles attached to the namespace (replacing any set before; default none). A COPY whose
     * IAM_ROLE is not one of them FAILS as on Redshift, with "User arn:aws:redshift:…:dbuser:… is not
     * authorized to assume IAM Role …". Whether the role may read the bucket is not modelled.
     */
    public synchronized FakeRedshiftDataApi copyRoles(String... roleArns) {
        copyRoles.clear();
        copyRoles.addAll(List.of(roleArns));
        return this;
    }

    /** The largest JSON line (bytes, without its newline) a COPY accepts; default {@link #DEFAULT_MAX_COPY_RECORD_BYTES}. */
    public synchronized FakeRedshiftDataApi maxCopyRecordBytes(int bytes) {
        this.maxCopyRecordBytes = positive(bytes);
        return this;
    }

    /**
     * The longest string (UTF-8 bytes) allowed anywhere inside a SUPER value: a COPY's
     * {@code row_image}, or a parameter passed through {@code JSON_PARSE(:name)}. Default {@link
     * #DEFAULT_MAX_SUPER_STRING_BYTES}; 16,000,000 models a workgroup with {@code
     * enable_large_strings_opt_in}.
     */
    public synchronized FakeRedshiftDataApi maxSuperStringBytes(int bytes) {
        this.maxSuperStringBytes = positive(bytes);
        return this;
    }

    /**
     * DescribeStatement of a matching FINISHED statement reports HasResultSet=true and
     * ResultRows={@code rows}. By default a statement reports HasResultSet=false and ResultRows=-1,
     * or, when it is a query (starts with SELECT or WITH), HasResultSet=true and ResultRows=0. The
     * latest registered rule that matches wins. For a batch the rows are reported on its last
     * sub-statement.
     */
    public synchronized FakeRedshiftDataApi resultRows(Predicate<ExecutedStatement> match, long rows) {
        resultRules.add(new ResultRule(Objects.requireNonNull(match), rows, null));
        return this;
    }

    /**
     * Like {@link #resultRows}, with the rows themselves: GetStatementResult of a matching FINISHED
     * statement answers them (each value a {@code stringValue}, columns {@code col1}, {@code col2},
     * ...), {@link #resultPageSize} rows a page.
     */
    public synchronized FakeRedshiftDataApi results(Predicate<ExecutedStatement> match, List<List<String>> records) {
        resultRules.add(new ResultRule(Objects.requireNonNull(match), records.size(), List.copyOf(records)));
        return this;
    }

    /** Rows per GetStatementResult page (the service pages by size; default 1000). */
    public synchronized FakeRedshiftDataApi resultPageSize(int rows) {
        this.resultPageSize = positive(rows);
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
        return server.signatureProblems();
    }

    /** Failures of the fake itself (answered 500 InternalServerException), e.g. an outcome policy that threw. */
    public List<String> internalErrors() {
        return server.internalErrors();
    }

    /** The WaitTimeSeconds of every DescribeStatement that asked for long polling, in order. */
    public synchronized List<Integer> describeWaits() {
        return List.copyOf(describeWaits);
    }

    /** HTTP calls of {@code operation} received, including rejected ones. */
    public int calls(String operation) {
        return server.calls(operation);
    }

    /**
     * The JSON lines (without newlines) a COPY loaded: empty unless the statement has landed, and
     * empty for a statement without COPY. For a batch, the lines of all its COPYs in order. The
     * lines were read from S3 when the statement was accepted.
     *
     * <p>What a COPY is checked for when it is accepted (any problem FAILS the whole COPY, nothing
     * loads: MAXERROR 0):
     *
     * <ul>
     *   <li>The grammar: {@code COPY "cdc"."cdc_events" (<the 12 columns of
     *       CdcEventsTable.INSERT_COLUMNS, any order>) FROM 's3://<bucket>/<prefix>'} followed by the
     *       options {@code IAM_ROLE '<arn>'}, {@code FORMAT [AS] JSON 'auto'} and {@code GZIP}
     *       (required), {@code TIMEFORMAT [AS] 'auto'}, {@code COMPUPDATE}/{@code STATUPDATE}
     *       {@code ON|OFF} and {@code MAXERROR 0} (optional), in any order, keywords in any case.
     *       Anything else is a syntax error.
     *   <li>The role is attached ({@link #copyRoles}).
     *   <li>As on Redshift, the S3 path is a prefix: every object whose key starts with it is loaded,
     *       in key order. None → "The specified S3 prefix '…' does not exist".
     *   <li>Each object gunzips and is UTF-8. Each non-blank line is at most {@link
     *       #maxCopyRecordBytes} and is one JSON object without duplicate keys, whose keys are
     *       columns of the list (stricter than Redshift, which ignores unknown keys and loads NULL
     *       for missing ones: here every column but {@code tx_id} must be present). Types follow
     *       the DDL in {@code sql/cdc_events.sql}: strings within their VARCHAR/CHAR byte length,
     *       {@code commit_ts_ns} an integer in BIGINT range, {@code commit_ts} a string
     *       {@code YYYY-MM-DD HH:MI:SS[.ffffff]}, {@code is_delete} a boolean, {@code row_image} an
     *       object (or null) whose strings fit {@link #maxSuperStringBytes}; null only where the
     *       column is nullable.
     * </ul>
     *
     * @throws IllegalArgumentException for an unknown statement id
     */
    public synchronized List<String> copiedLines(String statementId) {
        settle(clock.instant());
        Stmt s = statements.get(statementId);
        if (s == null) {
            throw new IllegalArgumentException("no statement " + statementId);
        }
        return s.landed ? s.copyLines : List.of();
    }

    /** The lines of every landed COPY, in landing order (see {@link #copiedLines}). */
    public synchronized List<String> landedCopyLines() {
        settle(clock.instant());
        List<String> out = new ArrayList<>();
        for (ExecutedStatement e : landed) {
            out.addAll(statements.get(e.id()).copyLines);
        }
        return List.copyOf(out);
    }

    /** The most statements that were running (submitted, not yet finished, failed, aborted or cancelled) at once. */
    public synchronized int maxConcurrentRunning() {
        return maxConcurrentRunning;
    }

    /** The status of a session as ListSessions reports it (AVAILABLE, BUSY, CLOSED), or null for an unknown id. */
    public synchronized String sessionStatus(String sessionId) {
        Instant now = clock.instant();
        settle(now);
        expireSessions(now);
        FakeSession session = sessions.get(sessionId);
        return session == null ? null : session.status(now);
    }

    /** The ids of every session opened, in order. */
    public synchronized List<String> sessionIds() {
        return List.copyOf(sessions.keySet());
    }

    /** Commits the cost model placed in the warehouse's commit queue. */
    public synchronized long commits() {
        return commitQueue.uses();
    }

    /** When the warehouse was running statements or commits under the cost model, in epoch nanoseconds. */
    public synchronized List<Billing.Interval> busyIntervals() {
        return List.copyOf(busy);
    }

    /** What Redshift Serverless bills for the activity so far under the cost model (zero without one). */
    public synchronized Duration billed() {
        return costModel == null ? Duration.ZERO : costModel.billed(busy);
    }

    // ---- HTTP ------------------------------------------------------------------------------------

    private Reply process(HttpExchange exchange, String operation, byte[] body) {
        if (!exchange.getRequestMethod().equals("POST")
                || !exchange.getRequestURI().getRawPath().equals("/")) {
            return error(404, "UnknownOperationException", "the Data API answers POST / only");
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.startsWith(CONTENT_TYPE)) {
            return error(
                    400, "SerializationException", "expected Content-Type " + CONTENT_TYPE + ", got " + contentType);
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
        if (operation.equals("DescribeStatement") && request.has("WaitTimeSeconds")) {
            JsonNode wait = request.get("WaitTimeSeconds");
            if (!wait.isIntegralNumber() || wait.asInt() < 0 || wait.asInt() > 30) {
                return validation("WaitTimeSeconds must be a whole number from 0 to 30, got " + wait);
            }
            if (!faultPending(operation)) {
                longPoll(text(request, "Id"), Duration.ofSeconds(wait.asInt()));
            }
        }
        synchronized (this) {
            Instant now = clock.instant();
            settle(now);
            expireSessions(now);
            Deque<Fault> queue = faults.get(operation);
            Fault fault = queue == null ? null : queue.poll();
            if (fault != null && !fault.afterApplying()) {
                return error(fault.status(), fault.type(), fault.message());
            }
            boolean admitted = switch (operation) {
                case "ExecuteStatement", "BatchExecuteStatement" -> admit(executeWindow, executeRateLimit, now);
                case "DescribeStatement" -> admit(describeWindow, describeRateLimit, now);
                case "GetStatementResult" -> admit(getResultWindow, getResultRateLimit, now);
                default -> true;
            };
            if (!admitted) {
                return error(400, "ThrottlingException", "Rate exceeded");
            }
            Reply reply = switch (operation) {
                case "ExecuteStatement" -> executeStatement(request, now);
                case "BatchExecuteStatement" -> batchExecuteStatement(request, now);
                case "DescribeStatement" -> describeStatement(request, now);
                case "CancelStatement" -> cancelStatement(request, now);
                case "GetStatementResult" -> getStatementResult(request, now);
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
                return validation("Sql plus parameter values is " + total + " bytes; the maximum is " + MAX_SQL_BYTES);
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
                return validation("statement " + (sqls.size() + 1) + " of Sqls is " + bytes + " bytes; the maximum is "
                        + MAX_SQL_BYTES);
            }
            sqls.add(s.asText());
        }
        return submit(request, sqls, Map.of(), true, now);
    }

    /** What both Execute operations require of where the SQL runs (a workgroup or cluster, or a session). */
    private static String validateTarget(JsonNode request) {
        for (String member : List.of(
                "Database",
                "WorkgroupName",
                "ClusterIdentifier",
                "SecretArn",
                "DbUser",
                "ClientToken",
                "StatementName",
                "SessionId")) {
            JsonNode n = request.get(member);
            if (n != null && !n.isNull() && !n.isTextual()) {
                return member + " must be a string";
            }
        }
        String token = text(request, "ClientToken");
        if (token.length() > 64) {
            return "ClientToken must be at most 64 characters";
        }
        JsonNode keepAlive = request.get("SessionKeepAliveSeconds");
        if (keepAlive != null && !keepAlive.isNull()) {
            if (!keepAlive.isIntegralNumber() || keepAlive.asLong() < 0 || keepAlive.asLong() > MAX_SESSION_SECONDS) {
                return "SessionKeepAliveSeconds must be a whole number of seconds from 0 to " + MAX_SESSION_SECONDS
                        + ", got " + keepAlive;
            }
        }
        if (request.hasNonNull("SessionId")) {
            if (text(request, "SessionId").isBlank()) {
                return "SessionId must not be empty";
            }
            for (String member : List.of("WorkgroupName", "ClusterIdentifier", "Database", "SecretArn", "DbUser")) {
                if (request.hasNonNull(member)) {
                    return "a statement in a session (SessionId) runs where and as whom the session does: " + member
                            + " must not be given with SessionId";
                }
            }
            return null;
        }
        boolean workgroup = !text(request, "WorkgroupName").isEmpty();
        boolean cluster = !text(request, "ClusterIdentifier").isEmpty();
        if (workgroup == cluster) {
            return "exactly one of WorkgroupName and ClusterIdentifier must be given";
        }
        if (text(request, "Database").isEmpty()) {
            return "Database is required";
        }
        return null;
    }

    private Reply submit(
            JsonNode request, List<String> sqls, Map<String, String> parameters, boolean batch, Instant now) {
        String clientToken =
                request.hasNonNull("ClientToken") ? request.get("ClientToken").asText() : null;
        String requestedSession =
                request.hasNonNull("SessionId") ? request.get("SessionId").asText() : null;
        FakeSession session = null;
        if (requestedSession != null) {
            session = sessions.get(requestedSession);
            if (session == null) {
                Reply reply = error(400, "ResourceNotFoundException", "Session does not exist: " + requestedSession);
                reply.body().put("ResourceId", requestedSession);
                return reply;
            }
        }
        String workgroup = session != null
                ? session.workgroup
                : request.hasNonNull("WorkgroupName")
                        ? request.get("WorkgroupName").asText()
                        : null;
        String cluster = session != null
                ? session.cluster
                : request.hasNonNull("ClusterIdentifier")
                        ? request.get("ClusterIdentifier").asText()
                        : null;
        String secretArn = session != null
                ? session.secretArn
                : request.hasNonNull("SecretArn") ? request.get("SecretArn").asText() : null;
        String dbUser = session != null
                ? session.dbUser
                : request.hasNonNull("DbUser") ? request.get("DbUser").asText() : null;
        String database =
                session != null ? session.database : request.get("Database").asText();
        int keepAlive = request.hasNonNull("SessionKeepAliveSeconds")
                ? request.get("SessionKeepAliveSeconds").asInt()
                : -1;
        if (clientToken != null && byClientToken.containsKey(clientToken)) {
            Stmt earlier = byClientToken.get(clientToken);
            ExecutedStatement e = earlier.executed;
            boolean same = earlier.batch == batch
                    && e.sqls().equals(sqls)
                    && List.copyOf(e.parameters().entrySet()).equals(List.copyOf(parameters.entrySet()))
                    && e.database().equals(database)
                    && Objects.equals(e.workgroupName(), workgroup)
                    && Objects.equals(earlier.clusterIdentifier, cluster)
                    && Objects.equals(earlier.requestedSessionId, requestedSession);
            if (!same) {
                return validation("ClientToken " + clientToken + " was already used for a different request");
            }
            return ok(executeResponse(earlier));
        }
        if (session != null) {
            if (session.closedAt != null) {
                return validation("Session " + session.id + " is closed (idle for its keep-alive of "
                        + session.keepAliveSeconds + " s, or open for 24 hours): open a new one");
            }
            if (session.current != null && !TERMINAL.contains(session.current.status(now))) {
                return validation("Session " + session.id + " is busy running statement "
                        + session.current.executed.id()
                        + ": a session runs one statement at a time, and the Data API does not queue them");
            }
        }
        pruneUnended(now);
        if (unended.size() >= maxActiveStatements) {
            return error(400, "ActiveStatementsExceededException", "Active statements exceeded the allowed quota.");
        }
        boolean opens = session == null && keepAlive > 0;
        if (opens && openSessions() >= maxActiveSessions) {
            return error(400, "ActiveSessionsExceededException", "Active sessions exceeded the allowed quota.");
        }
        long seq = sequence + 1;
        String id = UUID.nameUUIDFromBytes(("fake-redshift-data-statement-" + seq).getBytes(StandardCharsets.UTF_8))
                .toString();
        if (opens) {
            sessionSequence++;
            session = new FakeSession(
                    UUID.nameUUIDFromBytes(
                                    ("fake-redshift-data-session-" + sessionSequence).getBytes(StandardCharsets.UTF_8))
                            .toString(),
                    workgroup,
                    cluster,
                    database,
                    secretArn,
                    dbUser,
                    now,
                    keepAlive);
            sessions.put(session.id, session);
        } else if (session != null && keepAlive >= 0) {
            session.keepAliveSeconds = keepAlive;
        }
        ExecutedStatement executed = new ExecutedStatement(
                id,
                sqls,
                parameters,
                database,
                workgroup,
                secretArn,
                clientToken,
                now,
                session == null ? null : session.id);
        String dbUserArn = "arn:aws:redshift:" + SigV4Verifier.DEFAULT_REGION + ":" + ACCOUNT + ":dbuser:"
                + (workgroup != null ? workgroup : cluster) + "/"
                + (dbUser != null ? dbUser : "IAMR:fake-data-api-caller");
        List<String> copyLines = new ArrayList<>();
        Outcome outcome = null;
        for (int i = 0; i < sqls.size() && outcome == null; i++) {
            String error = checkStatement(sqls.get(i), parameters, dbUserArn, copyLines);
            if (error != null) {
                outcome = batch ? Outcome.failedAt(i, error) : Outcome.failed(error);
                copyLines.clear();
            }
        }
        if (outcome == null) {
            outcome = Objects.requireNonNull(outcomePolicy.apply(executed), "the outcome policy returned null");
        }
        List<RedshiftOnPostgres.Result> results = null;
        if (postgres != null
                && (outcome instanceof Outcome.Finished || outcome instanceof Outcome.LandsButStaysStarted)) {
            List<String> bound = sqls.stream().map(sql -> bind(sql, parameters)).toList();
            try {
                results = List.copyOf(runOnPostgres(session, bound));
            } catch (RedshiftOnPostgres.SqlFailure e) {
                String error = String.valueOf(e.getMessage()).strip();
                outcome = batch ? Outcome.failedAt(e.index(), error) : Outcome.failed(error);
            }
        }
        Duration statementLatency = latency;
        List<Duration> subDurations = null;
        if (costModel != null
                && !(outcome instanceof Outcome.Stuck)
                && !(outcome instanceof Outcome.LandsButStaysStarted)) {
            subDurations = new ArrayList<>();
            statementLatency = charge(sqls, results, outcome, now, subDurations, executed);
        }
        sequence = seq;
        Stmt s = new Stmt(
                executed,
                outcome,
                batch,
                seq,
                statementLatency,
                cluster,
                dbUser,
                List.copyOf(copyLines),
                session,
                requestedSession,
                results,
                subDurations == null ? null : List.copyOf(subDurations));
        statements.put(id, s);
        if (session != null) {
            session.current = s;
        }
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

    private long openSessions() {
        return sessions.values().stream().filter(x -> x.closedAt == null).count();
    }

    /** Closes every session whose keep-alive (or 24 hours) ran out by {@code now}; its temporary tables go. */
    private void expireSessions(Instant now) {
        for (FakeSession session : sessions.values()) {
            if (session.closedAt == null && !session.closesAt().isAfter(now)) {
                session.closedAt = session.closesAt();
                if (session.pg != null) {
                    session.pg.close();
                    session.pg = null;
                }
            }
        }
    }

    /**
     * Runs the statements on PostgreSQL: in the session's connection (opened with its first
     * statement), or in a connection of their own outside a session.
     */
    private List<RedshiftOnPostgres.Result> runOnPostgres(FakeSession session, List<String> sqls) {
        if (session == null) {
            try (RedshiftOnPostgres.Session once = postgres.openSession()) {
                return once.batch(sqls);
            }
        }
        if (session.pg == null) {
            session.pg = postgres.openSession();
        }
        return session.pg.batch(sqls);
    }

    /**
     * What the cost model charges: each statement that ran its fixed part, then its proportional part
     * in its turn for the warehouse's capacity, one after another, then (when the transaction wrote
     * and did not fail) a commit in the warehouse-wide queue.
     *
     * @return the whole statement's duration, from submission
     */
    private Duration charge(
            List<String> sqls,
            List<RedshiftOnPostgres.Result> results,
            Outcome outcome,
            Instant now,
            List<Duration> subDurations,
            ExecutedStatement executed) {
        int ran = sqls.size();
        boolean commits = outcome instanceof Outcome.Finished;
        if (outcome instanceof Outcome.Failed failed) {
            ran = failed.subStatementIndex() < 0 ? sqls.size() : Math.min(sqls.size(), failed.subStatementIndex() + 1);
        }
        long start = epochNanos(now);
        long t = start;
        boolean writes = false;
        capacity.forgetBefore(start);
        for (int i = 0; i < sqls.size(); i++) {
            if (i >= ran) {
                subDurations.add(Duration.ZERO);
                continue;
            }
            SqlKind kind = SqlKind.of(sqls.get(i));
            WarehouseCostModel.Work work = workOf(kind, sqls.get(i), i, sqls.size(), results, executed);
            long begun = t;
            t += costModel.fixed(kind).toNanos();
            long proportional = costModel.proportional(kind, work).toNanos();
            if (proportional > 0) {
                t = capacity.reserve(t, proportional);
            }
            subDurations.add(Duration.ofNanos(t - begun));
            writes |= kind.writes();
        }
        long end = t;
        if (commits && writes) {
            commitQueue.forgetBefore(start);
            end = commitQueue.reserve(end, costModel.commit().toNanos());
        }
        busy.add(new Billing.Interval(start, end));
        return Duration.ofNanos(end - start);
    }

    /** The work the cost model charges statement {@code index}: rows from PostgreSQL (or a result rule), a COPY's files and bytes. */
    private WarehouseCostModel.Work workOf(
            SqlKind kind,
            String sql,
            int index,
            int count,
            List<RedshiftOnPostgres.Result> results,
            ExecutedStatement executed) {
        long rows = 0;
        if (results != null && index < results.size()) {
            RedshiftOnPostgres.Result r = results.get(index);
            rows = r.isQuery() ? r.rows().size() : Math.max(0, r.updateCount());
        } else if (index == count - 1) {
            rows = Math.max(0, ruleRows(executed));
        }
        if (kind == SqlKind.COPY) {
            long[] filesAndBytes = copySize(sql);
            return WarehouseCostModel.Work.copy((int) filesAndBytes[0], filesAndBytes[1], rows);
        }
        return kind == SqlKind.MERGE ? WarehouseCostModel.Work.merge(rows, 0) : WarehouseCostModel.Work.rows(rows);
    }

    private static final Pattern COPY_FROM = Pattern.compile("(?is)\\bFROM\\s+'(s3://[^']+)'");

    /** Files and uncompressed bytes a COPY reads from {@link #copySource}: its manifest's entries, or the objects under its prefix. */
    private long[] copySize(String sql) {
        Matcher from = COPY_FROM.matcher(sql);
        if (copySource == null || !from.find()) {
            return new long[] {0, 0};
        }
        String url = from.group(1);
        List<byte[]> objects = new ArrayList<>();
        if (Pattern.compile("(?i)\\bMANIFEST\\b").matcher(sql).find()) {
            Optional<byte[]> manifest = copySource.read(url);
            if (manifest.isPresent()) {
                try {
                    for (JsonNode entry : json.readTree(manifest.get()).path("entries")) {
                        copySource.read(entry.path("url").asText()).ifPresent(objects::add);
                    }
                } catch (IOException e) {
                    return new long[] {0, 0};
                }
            }
        } else {
            Matcher m = S3_URL.matcher(url);
            if (m.matches() && copySource.hasBucket(m.group(1))) {
                copySource.objects(m.group(1)).forEach((key, object) -> {
                    if (key.startsWith(m.group(2))) {
                        objects.add(object.body());
                    }
                });
            }
        }
        long bytes = 0;
        for (byte[] object : objects) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(object))) {
                bytes += in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException e) {
                bytes += object.length;
            }
        }
        return new long[] {objects.size(), bytes};
    }

    private static long epochNanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
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
        if (s.session != null) {
            out.put("SessionId", s.session.id);
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
        out.put(
                "Duration",
                terminal ? Duration.between(e.submittedAt(), s.endAt()).toNanos() : -1);
        long rows = status.equals("FINISHED") ? resultRowsOf(s) : -1;
        boolean hasResultSet = s.results != null
                ? status.equals("FINISHED")
                        && s.results.get(s.results.size() - 1).isQuery()
                : rows >= 0;
        out.put("HasResultSet", hasResultSet);
        out.put("ResultRows", rows);
        out.put("ResultSize", hasResultSet ? rows * 16 : -1);
        out.put("RedshiftPid", 1_073_800_000L + s.seq);
        out.put("RedshiftQueryId", status.equals("SUBMITTED") ? 0 : 100_000L + s.seq);
        if (!e.parameters().isEmpty()) {
            ArrayNode qp = out.putArray("QueryParameters");
            e.parameters()
                    .forEach((name, value) -> qp.addObject().put("name", name).put("value", value));
        }
        if (s.batch) {
            ArrayNode subs = out.putArray("SubStatements");
            int n = e.sqls().size();
            int failing = -1;
            if (s.outcome instanceof Outcome.Failed f) {
                failing = f.subStatementIndex() < 0 || f.subStatementIndex() >= n ? n - 1 : f.subStatementIndex();
            }
            for (int i = 0; i < n; i++) {
                String subStatus = switch (status) {
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
                sub.put(
                        "Duration",
                        !TERMINAL.contains(subStatus)
                                ? -1
                                : s.subDurations != null
                                        ? s.subDurations.get(i).toNanos()
                                        : Duration.between(e.submittedAt(), s.endAt())
                                                        .toNanos()
                                                / n);
                long subRows;
                boolean subHasResultSet;
                if (s.results != null) {
                    RedshiftOnPostgres.Result r = s.results.get(i);
                    subRows = !subStatus.equals("FINISHED")
                            ? -1
                            : r.isQuery() ? r.rows().size() : r.updateCount();
                    subHasResultSet = subStatus.equals("FINISHED") && r.isQuery();
                } else {
                    subRows = !subStatus.equals("FINISHED")
                            ? -1
                            : i == n - 1 ? rows : isQuery(e.sqls().get(i)) ? 0 : -1;
                    subHasResultSet = subRows >= 0;
                }
                sub.put("HasResultSet", subHasResultSet);
                sub.put("ResultRows", subRows);
                sub.put("ResultSize", subRows >= 0 ? subRows * 16 : -1);
                sub.put("RedshiftQueryId", subStatus.equals("SUBMITTED") ? 0 : 100_000L * (i + 1) + s.seq);
            }
        }
        return ok(out);
    }

    /**
     * Long polling: returns once statement {@code id} has a final status, or after {@code wait} (real
     * time), whichever comes first, without holding the lock meanwhile. An unknown id returns at once.
     */
    /** A scripted error is answered at once, without waiting. */
    private synchronized boolean faultPending(String operation) {
        Deque<Fault> queue = faults.get(operation);
        return queue != null && !queue.isEmpty();
    }

    private void longPoll(String id, Duration wait) {
        synchronized (this) {
            describeWaits.add((int) wait.toSeconds());
        }
        long until = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < until) {
            synchronized (this) {
                Stmt s = statements.get(id);
                if (s == null || TERMINAL.contains(s.status(clock.instant()))) {
                    return;
                }
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Reply getStatementResult(JsonNode request, Instant now) {
        String id = text(request, "Id");
        if (id.isEmpty()) {
            return validation("Id is required");
        }
        String baseId = id;
        int sub = -1;
        int colon = id.lastIndexOf(':');
        if (colon > 0) {
            baseId = id.substring(0, colon);
            try {
                sub = Integer.parseInt(id.substring(colon + 1)) - 1;
            } catch (NumberFormatException e) {
                return notFound(id);
            }
        }
        Stmt s = statements.get(baseId);
        if (s == null
                || (colon > 0
                        && (!s.batch || sub < 0 || sub >= s.executed.sqls().size()))) {
            return notFound(id);
        }
        if (s.results != null) {
            return postgresResult(s, id, sub, request, now);
        }
        if (s.batch) {
            return validation("this fake answers GetStatementResult for single statements only, not batch " + id);
        }
        String status = s.status(now);
        long rows = status.equals("FINISHED") ? resultRowsOf(s) : -1;
        if (rows < 0) {
            return validation("Query does not have result. Please check query status with DescribeStatement.");
        }
        List<List<String>> records = recordsOf(s, rows);
        int from = 0;
        String token = text(request, "NextToken");
        if (!token.isEmpty()) {
            try {
                from = Integer.parseInt(token);
            } catch (NumberFormatException e) {
                return validation("NextToken " + token + " is not one this fake gave");
            }
        }
        int to = Math.min(records.size(), from + resultPageSize);
        ObjectNode out = json.createObjectNode();
        ArrayNode page = out.putArray("Records");
        for (List<String> record : records.subList(Math.min(from, records.size()), to)) {
            ArrayNode fields = page.addArray();
            record.forEach(value -> fields.addObject().put("stringValue", value));
        }
        ArrayNode columns = out.putArray("ColumnMetadata");
        int width = records.isEmpty() ? 1 : records.get(0).size();
        for (int c = 1; c <= width; c++) {
            columns.addObject().put("name", "col" + c).put("typeName", "varchar");
        }
        out.put("TotalNumRows", records.size());
        if (to < records.size()) {
            out.put("NextToken", Integer.toString(to));
        }
        return ok(out);
    }

    /** GetStatementResult of a statement that ran on PostgreSQL: its rows, typed, a page at a time. */
    private Reply postgresResult(Stmt s, String id, int sub, JsonNode request, Instant now) {
        int index = s.batch ? sub : 0;
        String status = s.status(now);
        if (index < 0 || !status.equals("FINISHED") || !s.results.get(index).isQuery()) {
            return validation("Query does not have result. Please check query status with DescribeStatement.");
        }
        RedshiftOnPostgres.Result result = s.results.get(index);
        int from = 0;
        String token = text(request, "NextToken");
        if (!token.isEmpty()) {
            try {
                from = Integer.parseInt(token);
            } catch (NumberFormatException e) {
                return validation("NextToken " + token + " is not one this fake gave");
            }
        }
        List<List<String>> rows = result.rows();
        int to = Math.min(rows.size(), from + resultPageSize);
        ObjectNode out = json.createObjectNode();
        ArrayNode page = out.putArray("Records");
        for (List<String> row : rows.subList(Math.min(from, rows.size()), to)) {
            ArrayNode fields = page.addArray();
            for (int c = 0; c < row.size(); c++) {
                putField(fields.addObject(), result.columnTypes().get(c), row.get(c));
            }
        }
        ArrayNode columns = out.putArray("ColumnMetadata");
        for (int c = 0; c < result.columns().size(); c++) {
            columns.addObject()
                    .put("name", result.columns().get(c))
                    .put("label", result.columns().get(c))
                    .put("typeName", redshiftTypeName(result.columnTypes().get(c)));
        }
        out.put("TotalNumRows", rows.size());
        if (to < rows.size()) {
            out.put("NextToken", Integer.toString(to));
        }
        return ok(out);
    }

    /** A field as the Data API types it: integers as longValue, booleans, floating point as doubleValue, the rest as text. */
    private static void putField(ObjectNode field, String postgresType, String value) {
        if (value == null) {
            field.put("isNull", true);
            return;
        }
        switch (postgresType) {
            case "int2", "int4", "int8" -> field.put("longValue", Long.parseLong(value));
            case "bool" -> field.put("booleanValue", value.equals("t") || value.equals("true"));
            case "float4", "float8" -> {
                double d = Double.parseDouble(value);
                if (Double.isFinite(d)) {
                    field.put("doubleValue", d);
                } else {
                    field.put("stringValue", value);
                }
            }
            default -> field.put("stringValue", value);
        }
    }

    /** Redshift's name of a PostgreSQL type: SUPER for the JSONB the translation uses, VARCHAR for text. */
    private static String redshiftTypeName(String postgresType) {
        return switch (postgresType) {
            case "jsonb" -> "super";
            case "text" -> "varchar";
            default -> postgresType;
        };
    }

    private List<List<String>> recordsOf(Stmt s, long rows) {
        for (int i = resultRules.size() - 1; i >= 0; i--) {
            ResultRule rule = resultRules.get(i);
            if (rule.match().test(s.executed)) {
                if (rule.records() != null) {
                    return rule.records();
                }
                break;
            }
        }
        List<List<String>> ones = new ArrayList<>();
        for (long r = 0; r < rows; r++) {
            ones.add(List.of("1"));
        }
        return ones;
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
        if (s.results != null) {
            // It already ran on PostgreSQL (and committed): the cancel lost the race, as one can on the service.
            return ok(json.createObjectNode().put("Status", false));
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

    /**
     * The ResultRows of a FINISHED statement (of a batch: of its last statement): with the
     * PostgreSQL backend a query's rows or the rows a statement changed; else a matching rule, else
     * 0 for a query, else -1.
     */
    private long resultRowsOf(Stmt s) {
        if (s.results != null) {
            RedshiftOnPostgres.Result last = s.results.get(s.results.size() - 1);
            return last.isQuery() ? last.rows().size() : last.updateCount();
        }
        long rule = ruleRows(s.executed);
        if (rule >= 0) {
            return rule;
        }
        List<String> sqls = s.executed.sqls();
        return isQuery(sqls.get(sqls.size() - 1)) ? 0 : -1;
    }

    /** The rows of the latest result rule matching {@code executed}, or -1 when none does. */
    private long ruleRows(ExecutedStatement executed) {
        for (int i = resultRules.size() - 1; i >= 0; i--) {
            if (resultRules.get(i).match().test(executed)) {
                return resultRules.get(i).rows();
            }
        }
        return -1;
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

    // ---- COPY and SUPER checks ---------------------------------------------------------------------

    private static final String LOAD_FAILED = "ERROR: Load into table '" + CdcEventsTable.TABLE
            + "' failed. Check 'sys_load_error_detail' system table for details.";
    private static final String IDENTIFIER = "(?:\"(?:[^\"]|\"\")*\"|[A-Za-z_][A-Za-z0-9_$]*)";
    private static final Pattern COPY_HEAD = Pattern.compile("(?is)\\s*COPY\\s+(" + IDENTIFIER + ")\\s*\\.\\s*("
            + IDENTIFIER + ")\\s*\\(([^)]*)\\)\\s*FROM\\s+'([^']*)'(.*)");
    private static final Pattern S3_URL = Pattern.compile("(?s)s3://([^/]+)/(.*)");
    private static final Pattern JSON_PARSE_PARAMETER =
            Pattern.compile("(?i)\\bJSON_PARSE\\s*\\(\\s*:([A-Za-z_][A-Za-z0-9_]*)\\s*\\)");
    private static final Pattern TIMESTAMP =
            Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})[ T](\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,6}))?");
    /** Keys a COPY line may leave out (the others are required: stricter than Redshift, on purpose). */
    private static final Set<String> OPTIONAL_COPY_KEYS = Set.of(CdcEventsTable.TX_ID);

    private static final ObjectReader STRICT_JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** The columns of cdc.cdc_events, read from its DDL so that the checks follow the schema. */
    private static final Map<String, Column> COLUMNS = columnsFromDdl();

    /** A column as the DDL declares it: type name (VARCHAR, CHAR, BIGINT, ...), length in bytes (0 if none), NOT NULL. */
    private record Column(String name, String type, int length, boolean notNull) {}

    /** A statement the engine rejects, with the text DescribeStatement reports as Error. */
    private static final class SqlError extends Exception {
        SqlError(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * What Redshift would reject when running {@code sql}: too-long SUPER strings or bad JSON given
     * to JSON_PARSE(:param), and everything a COPY is checked for (see {@link #copiedLines}). Adds a
     * valid COPY's lines to {@code copyLines}. Returns the error, or null when the statement may run.
     */
    private String checkStatement(
            String sql, Map<String, String> parameters, String dbUserArn, List<String> copyLines) {
        try {
            checkJsonParseParameters(sql, parameters);
            if (firstWord(sql).equals("COPY")) {
                if (postgres != null) {
                    checkCopyRole(sql, dbUserArn);
                } else {
                    copyLines.addAll(checkCopy(sql, dbUserArn));
                }
            }
            return null;
        } catch (SqlError e) {
            return e.getMessage();
        }
    }

    /** Parameters passed through JSON_PARSE become SUPER: they must be JSON, and each string in them must fit. */
    private void checkJsonParseParameters(String sql, Map<String, String> parameters) throws SqlError {
        if (parameters.isEmpty()) {
            return;
        }
        Matcher m = JSON_PARSE_PARAMETER.matcher(sql);
        Set<String> checked = new HashSet<>();
        while (m.find()) {
            String name = m.group(1);
            String value = parameters.get(name);
            if (value == null || !checked.add(name)) {
                continue;
            }
            JsonNode parsed;
            try {
                parsed = STRICT_JSON.readValue(value);
            } catch (IOException e) {
                throw new SqlError(
                        "ERROR: JSON parsing error in JSON_PARSE(:" + name + "): " + firstLine(e.getMessage()));
            }
            if (parsed == null) {
                throw new SqlError("ERROR: JSON parsing error in JSON_PARSE(:" + name + "): no JSON value");
            }
            String problem = superStringProblem(parsed, "$", maxSuperStringBytes);
            if (problem != null) {
                throw new SqlError("ERROR: JSON_PARSE(:" + name + "): " + problem);
            }
        }
    }

    private static final Pattern IAM_ROLE = Pattern.compile("(?i)\\bIAM_ROLE\\s+'([^']*)'");

    /** With the PostgreSQL backend, a COPY (which PostgreSQL then runs) must still name an attached role. */
    private void checkCopyRole(String sql, String dbUserArn) throws SqlError {
        Matcher role = IAM_ROLE.matcher(sql);
        if (!role.find()) {
            throw new SqlError("ERROR: Missing credentials: this fake's COPY needs IAM_ROLE '<role arn>'");
        }
        if (!copyRoles.contains(role.group(1))) {
            throw new SqlError("ERROR: User " + dbUserArn + " is not authorized to assume IAM Role " + role.group(1));
        }
    }

    /** Checks a COPY as Redshift would run it; returns the lines it loads. */
    private List<String> checkCopy(String sql, String dbUserArn) throws SqlError {
        Matcher head = COPY_HEAD.matcher(sql);
        if (!head.matches()) {
            throw new SqlError(
                    "ERROR: syntax error: this fake accepts COPY <schema>.<table> (<columns>) FROM 's3://<bucket>/<prefix>' <options>; got: "
                            + abbreviate(sql, 200));
        }
        String schema = identifier(head.group(1));
        String table = identifier(head.group(2));
        if (!schema.equals(CdcEventsTable.SCHEMA) || !table.equals(CdcEventsTable.TABLE)) {
            throw new SqlError("ERROR: relation \"" + schema + "." + table + "\" does not exist");
        }
        List<String> columns = new ArrayList<>();
        for (String part : head.group(3).split(",", -1)) {
            String name = part.trim();
            if (!name.matches(IDENTIFIER)) {
                throw new SqlError("ERROR: syntax error at or near \"" + name + "\" in the column list");
            }
            name = identifier(name);
            if (!COLUMNS.containsKey(name)) {
                throw new SqlError("ERROR: column \"" + name + "\" of relation \"" + table + "\" does not exist");
            }
            if (columns.contains(name)) {
                throw new SqlError("ERROR: column \"" + name + "\" specified more than once");
            }
            columns.add(name);
        }
        if (!Set.copyOf(columns).equals(Set.copyOf(CdcEventsTable.INSERT_COLUMNS))) {
            List<String> missing = new ArrayList<>(CdcEventsTable.INSERT_COLUMNS);
            missing.removeAll(columns);
            throw new SqlError("ERROR: this fake expects the COPY column list to be " + CdcEventsTable.INSERT_COLUMNS
                    + " (any order); missing " + missing
                    + (columns.contains("ingested_at") ? ", and ingested_at takes its default" : ""));
        }
        Map<String, String> options = new CopyOptions(head.group(5)).parse();
        String role = options.get("IAM_ROLE");
        if (role == null) {
            throw new SqlError("ERROR: Missing credentials: this fake's COPY needs IAM_ROLE '<role arn>'");
        }
        String format = options.get("JSON");
        if (format == null) {
            throw new SqlError(
                    "ERROR: this fake's COPY needs FORMAT JSON 'auto' (the default format is pipe-delimited text)");
        }
        if (!format.equalsIgnoreCase("auto")) {
            throw new SqlError("ERROR: this fake supports FORMAT JSON 'auto' only, got '" + format + "'");
        }
        if (!options.containsKey("GZIP")) {
            throw new SqlError("ERROR: this fake's COPY needs GZIP (the objects are gzip-compressed)");
        }
        String timeFormat = options.get("TIMEFORMAT");
        if (timeFormat != null && !timeFormat.equalsIgnoreCase("auto")) {
            throw new SqlError("ERROR: this fake supports TIMEFORMAT 'auto' only, got '" + timeFormat + "'");
        }
        Matcher url = S3_URL.matcher(head.group(4));
        if (!url.matches()) {
            throw new SqlError("ERROR: Invalid S3 path '" + head.group(4) + "': expected s3://<bucket>/<prefix>");
        }
        if (!copyRoles.contains(role)) {
            throw new SqlError("ERROR: User " + dbUserArn + " is not authorized to assume IAM Role " + role);
        }
        if (copySource == null) {
            throw new IllegalStateException("a COPY was submitted but no FakeS3 was given to copySource(...)");
        }
        String bucket = url.group(1);
        String prefix = url.group(2);
        if (!copySource.hasBucket(bucket)) {
            throw new SqlError(
                    "ERROR: S3ServiceException:The specified bucket does not exist,Status 404,Error NoSuchBucket");
        }
        List<StoredObject> objects = new ArrayList<>();
        copySource.objects(bucket).forEach((key, object) -> {
            if (key.startsWith(prefix)) {
                objects.add(object);
            }
        });
        if (objects.isEmpty()) {
            throw new SqlError("ERROR: The specified S3 prefix '" + prefix + "' does not exist");
        }
        Map<String, Column> listed = new LinkedHashMap<>();
        columns.forEach(name -> listed.put(name, COLUMNS.get(name)));
        List<String> lines = new ArrayList<>();
        for (StoredObject object : objects) {
            lines.addAll(loadObject("s3://" + bucket + "/" + object.key(), object.body(), listed));
        }
        return lines;
    }

    /** The JSON lines of one gzip object, each checked against {@code columns}. */
    private List<String> loadObject(String url, byte[] body, Map<String, Column> columns) throws SqlError {
        byte[] raw;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            raw = in.readAllBytes();
        } catch (IOException e) {
            throw new SqlError(LOAD_FAILED + " (" + url + ": gzip: " + e.getMessage() + ")");
        }
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int number = 1; start < raw.length; number++) {
            int end = start;
            while (end < raw.length && raw[end] != '\n') {
                end++;
            }
            int stop = end > start && raw[end - 1] == '\r' ? end - 1 : end;
            String problem = null;
            String text = null;
            if (stop - start > maxCopyRecordBytes) {
                problem = "the JSON object is " + (stop - start) + " bytes, over the limit of " + maxCopyRecordBytes
                        + " bytes for one record";
            } else {
                try {
                    text = StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(raw, start, stop - start))
                            .toString();
                } catch (CharacterCodingException e) {
                    problem = "invalid UTF-8";
                }
            }
            if (problem == null && !text.isBlank()) {
                problem = checkLine(text, columns);
                if (problem == null) {
                    lines.add(text);
                }
            }
            if (problem != null) {
                throw new SqlError(LOAD_FAILED + " (" + url + ", line " + number + ": " + problem + ")");
            }
            start = end + 1;
        }
        return lines;
    }

    /** What is wrong with one COPY line, or null. */
    private String checkLine(String text, Map<String, Column> columns) {
        JsonNode row;
        try {
            row = STRICT_JSON.readValue(text);
        } catch (IOException e) {
            return "invalid JSON: " + firstLine(e.getMessage());
        }
        if (row == null || !row.isObject()) {
            return "not a JSON object";
        }
        for (Map.Entry<String, JsonNode> field : row.properties()) {
            Column column = columns.get(field.getKey());
            if (column == null) {
                return "unknown key \"" + field.getKey()
                        + "\" (not in the COPY's column list; Redshift would silently drop it)";
            }
            String problem = checkValue(column, field.getValue());
            if (problem != null) {
                return problem;
            }
        }
        for (String name : columns.keySet()) {
            if (!row.has(name) && !OPTIONAL_COPY_KEYS.contains(name)) {
                return "missing key \"" + name + "\"";
            }
        }
        return null;
    }

    private String checkValue(Column column, JsonNode value) {
        String name = "\"" + column.name() + "\"";
        if (value.isNull()) {
            return column.notNull() ? "null in NOT NULL column " + name : null;
        }
        switch (column.type()) {
            case "VARCHAR", "CHAR" -> {
                if (!value.isTextual()) {
                    return name + " is " + column.type() + ", got " + kind(value);
                }
                long bytes = utf8Length(value.textValue());
                if (column.length() > 0 && bytes > column.length()) {
                    return "String length exceeds DDL length: " + name + " is " + column.type() + "(" + column.length()
                            + "), the value is " + bytes + " bytes";
                }
                return null;
            }
            case "BIGINT" -> {
                return value.isIntegralNumber() && value.canConvertToLong()
                        ? null
                        : name + " is BIGINT, got " + kind(value) + " " + abbreviate(value.toString(), 40);
            }
            case "BOOLEAN" -> {
                return value.isBoolean() ? null : name + " is BOOLEAN, got " + kind(value);
            }
            case "TIMESTAMP" -> {
                return value.isTextual() && validTimestamp(value.textValue())
                        ? null
                        : "Invalid timestamp format or value for " + name + " (want YYYY-MM-DD HH:MI:SS[.ffffff]): "
                                + abbreviate(value.toString(), 40);
            }
            case "SUPER" -> {
                if (column.name().equals(CdcEventsTable.ROW_IMAGE) && !value.isObject()) {
                    return name + " must be a JSON object (the row image) or null, got " + kind(value);
                }
                return superStringProblem(value, column.name(), maxSuperStringBytes);
            }
            default ->
                throw new IllegalStateException(
                        "the fake does not know the column type " + column.type() + " of " + name);
        }
    }

    /** The first string inside {@code node} longer than {@code limit} UTF-8 bytes, described, or null. */
    private static String superStringProblem(JsonNode node, String path, int limit) {
        if (node.isTextual()) {
            long bytes = utf8Length(node.textValue());
            return bytes <= limit
                    ? null
                    : "a string of " + bytes + " bytes at " + path + " exceeds the limit of " + limit
                            + " bytes for one string in SUPER (raised only by enable_large_strings_opt_in)";
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String problem = superStringProblem(node.get(i), path + "[" + i + "]", limit);
                if (problem != null) {
                    return problem;
                }
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String key = field.getKey();
                String child = key.matches("[A-Za-z_][A-Za-z0-9_]*")
                        ? path + "." + key
                        : path + "[\"" + key.replace("\"", "\\\"") + "\"]";
                String problem = superStringProblem(field.getValue(), child, limit);
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    private static boolean validTimestamp(String text) {
        Matcher m = TIMESTAMP.matcher(text);
        if (!m.matches()) {
            return false;
        }
        try {
            LocalDateTime.of(
                    Integer.parseInt(m.group(1)),
                    Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(4)),
                    Integer.parseInt(m.group(5)),
                    Integer.parseInt(m.group(6)));
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    /** An identifier as Redshift resolves it: quoted ones as written, unquoted ones folded to lower case. */
    private static String identifier(String token) {
        return token.startsWith("\"")
                ? token.substring(1, token.length() - 1).replace("\"\"", "\"")
                : token.toLowerCase(Locale.ROOT);
    }

    private static String kind(JsonNode value) {
        return value.isTextual()
                ? "a string"
                : value.isNumber()
                        ? "a number"
                        : value.isBoolean()
                                ? "a boolean"
                                : value.isArray() ? "an array" : value.isObject() ? "an object" : "null";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int eol = message.indexOf('\n');
        return eol < 0 ? message : message.substring(0, eol);
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }

    /**
     * Reads the columns of {@code "cdc"."cdc_events"} from {@code sql/cdc_events.sql} on the
     * classpath: one {@code "name" TYPE[(n)] [NOT NULL]} per line between {@code CREATE TABLE} and
     * the closing parenthesis.
     */
    private static Map<String, Column> columnsFromDdl() {
        String ddl;
        try (InputStream in = FakeRedshiftDataApi.class.getResourceAsStream(CdcEventsTable.DDL_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        CdcEventsTable.DDL_RESOURCE + " is not on the classpath (the sql module's jar)");
            }
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int start = ddl.indexOf("CREATE TABLE IF NOT EXISTS " + CdcEventsTable.qualifiedName() + " (");
        if (start < 0) {
            throw new IllegalStateException(
                    "no CREATE TABLE of " + CdcEventsTable.qualifiedName() + " in " + CdcEventsTable.DDL_RESOURCE);
        }
        Pattern column = Pattern.compile("\\s*\"([a-z_0-9]+)\"\\s+([A-Z]+)(?:\\((\\d+)\\))?(.*)");
        Map<String, Column> columns = new LinkedHashMap<>();
        for (String line : ddl.substring(start).split("\n")) {
            if (line.startsWith(")")) {
                break;
            }
            Matcher m = column.matcher(line);
            if (m.matches()) {
                columns.put(
                        m.group(1),
                        new Column(
                                m.group(1),
                                m.group(2),
                                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)),
                                m.group(4).contains("NOT NULL")));
            }
        }
        if (!columns.keySet().containsAll(CdcEventsTable.INSERT_COLUMNS)) {
            throw new IllegalStateException("could not read every column of " + CdcEventsTable.qualifiedName()
                    + " from its DDL, got " + columns.keySet());
        }
        return Collections.unmodifiableMap(columns);
    }

    /**
     * The options after {@code FROM '...'}: IAM_ROLE, FORMAT [AS] JSON (or JSON), GZIP, TIMEFORMAT,
     * COMPUPDATE, STATUPDATE, MAXERROR 0, each at most once, in any order, an optional final ';'.
     * Keyed IAM_ROLE, JSON, GZIP, TIMEFORMAT, COMPUPDATE, STATUPDATE, MAXERROR.
     */
    private static final class CopyOptions {
        private final List<String> tokens = new ArrayList<>();
        private int at;

        CopyOptions(String text) throws SqlError {
            int i = 0;
            int n = text.length();
            while (i < n) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (text.startsWith("--", i)) {
                    int eol = text.indexOf('\n', i);
                    i = eol < 0 ? n : eol + 1;
                } else if (c == '\'') {
                    StringBuilder literal = new StringBuilder("'");
                    int j = i + 1;
                    while (true) {
                        if (j >= n) {
                            throw new SqlError("ERROR: unterminated quoted string at or near \""
                                    + abbreviate(text.substring(i), 40) + "\"");
                        }
                        if (text.charAt(j) == '\'') {
                            if (j + 1 < n && text.charAt(j + 1) == '\'') {
                                literal.append('\'');
                                j += 2;
                                continue;
                            }
                            break;
                        }
                        literal.append(text.charAt(j++));
                    }
                    tokens.add(literal.toString());
                    i = j + 1;
                } else if (Character.isLetterOrDigit(c) || c == '_') {
                    int j = i;
                    while (j < n && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) {
                        j++;
                    }
                    tokens.add(text.substring(i, j).toUpperCase(Locale.ROOT));
                    i = j;
                } else if (c == ';') {
                    tokens.add(";");
                    i++;
                } else {
                    throw new SqlError("ERROR: syntax error at or near \"" + c + "\"");
                }
            }
        }

        Map<String, String> parse() throws SqlError {
            Map<String, String> options = new LinkedHashMap<>();
            while (at < tokens.size()) {
                String word = tokens.get(at++);
                String key = word;
                String value = "";
                switch (word) {
                    case ";" -> {
                        if (at < tokens.size()) {
                            throw new SqlError("ERROR: syntax error at or near \"" + display(tokens.get(at)) + "\"");
                        }
                        return options;
                    }
                    case "IAM_ROLE" -> value = literal(word);
                    case "FORMAT", "JSON" -> {
                        if (word.equals("FORMAT")) {
                            skip("AS");
                            String format = next(word);
                            if (!format.equals("JSON")) {
                                throw new SqlError(
                                        "ERROR: this fake supports FORMAT JSON only, got FORMAT " + display(format));
                            }
                        } else {
                            skip("AS");
                        }
                        key = "JSON";
                        value = literal("FORMAT JSON");
                    }
                    case "GZIP" -> {}
                    case "TIMEFORMAT" -> {
                        skip("AS");
                        value = literal(word);
                    }
                    case "COMPUPDATE", "STATUPDATE" -> {
                        if (at < tokens.size()
                                && List.of("ON", "OFF", "TRUE", "FALSE").contains(tokens.get(at))) {
                            value = tokens.get(at++);
                        }
                    }
                    case "MAXERROR" -> {
                        skip("AS");
                        value = next(word);
                        if (!value.equals("0")) {
                            throw new SqlError(
                                    "ERROR: this fake supports MAXERROR 0 only (a COPY loads every line or none), got "
                                            + display(value));
                        }
                    }
                    default ->
                        throw new SqlError(
                                word.startsWith("'")
                                        ? "ERROR: syntax error at or near \"" + display(word) + "\""
                                        : "ERROR: this fake does not support the COPY option " + word
                                                + " (it knows IAM_ROLE, FORMAT JSON, GZIP, TIMEFORMAT, COMPUPDATE, STATUPDATE, MAXERROR 0)");
                }
                if (options.put(key, value) != null) {
                    throw new SqlError("ERROR: conflicting or redundant options: " + word + " is given twice");
                }
            }
            return options;
        }

        private void skip(String word) {
            if (at < tokens.size() && tokens.get(at).equals(word)) {
                at++;
            }
        }

        private String next(String after) throws SqlError {
            if (at >= tokens.size()) {
                throw new SqlError("ERROR: syntax error at end of input (after " + after + ")");
            }
            return tokens.get(at++);
        }

        /** The next token, which must be a quoted string; its text. */
        private String literal(String after) throws SqlError {
            String token = next(after);
            if (!token.startsWith("'")) {
                throw new SqlError("ERROR: syntax error at or near \"" + display(token) + "\" (" + after
                        + " takes a quoted string)");
            }
            return token.substring(1);
        }

        private static String display(String token) {
            return token.startsWith("'") ? token + "'" : token;
        }
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

    /**
     * {@code sql} with each {@code :name} placeholder (as {@link #placeholders} finds them) replaced
     * by its value as a quoted literal: how the PostgreSQL backend runs a statement with parameters
     * (the Data API passes values as untyped strings, which the SQL casts).
     */
    static String bind(String sql, Map<String, String> parameters) {
        if (parameters.isEmpty()) {
            return sql;
        }
        StringBuilder out = new StringBuilder(sql.length() + 64);
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
                out.append(sql, i, Math.min(n, j + 1));
                i = j;
            } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
                out.append("::");
                i++;
            } else if (c == ':' && i + 1 < n && (Character.isLetter(sql.charAt(i + 1)) || sql.charAt(i + 1) == '_')) {
                int j = i + 1;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
                    j++;
                }
                String value = parameters.get(sql.substring(i + 1, j));
                out.append('\'').append(value.replace("'", "''")).append('\'');
                i = j - 1;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Whether the statement is a query (its first word, after comments and parentheses, is SELECT or WITH). */
    static boolean isQuery(String sql) {
        String first = firstWord(sql);
        return first.equals("SELECT") || first.equals("WITH");
    }

    /** The statement's first word (letters, digits, underscores), upper-cased, after whitespace, comments and parentheses. */
    static String firstWord(String sql) {
        return SqlKind.firstWord(sql);
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

    private Reply validation(String message) {
        return error(400, "ValidationException", message);
    }

    private Reply notFound(String id) {
        Reply reply = error(400, "ResourceNotFoundException", "Query does not exist: " + id);
        reply.body().put("ResourceId", id);
        return reply;
    }
}
