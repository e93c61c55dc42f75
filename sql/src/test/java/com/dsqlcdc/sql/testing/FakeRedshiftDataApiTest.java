package com.dsqlcdc.sql.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.ActiveStatementsExceededException;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.RedshiftDataException;
import software.amazon.awssdk.services.redshiftdata.model.ResourceNotFoundException;
import software.amazon.awssdk.services.redshiftdata.model.SqlParameter;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.redshiftdata.model.SubStatementData;
import software.amazon.awssdk.services.redshiftdata.model.ValidationException;

/** Drives {@link FakeRedshiftDataApi} with the real SDK client, as the project's code will. */
class FakeRedshiftDataApiTest {

  private static final String WORKGROUP = "cdc-wg";
  private static final String DATABASE = "dev";

  private FakeRedshiftDataApi fake;
  private RedshiftDataClient client;

  @BeforeEach
  void start() {
    fake = FakeRedshiftDataApi.start();
    client = client(fastRetries(4));
  }

  @AfterEach
  void stop() {
    client.close();
    fake.close();
  }

  // ---- statement lifecycle -------------------------------------------------------------------------

  @Test
  void executeThenDescribeHonoursTheLatencyAndLandsAtFinish() throws Exception {
    fake.statementLatency(Duration.ofMillis(300));
    List<ExecutedStatement> listened = Collections.synchronizedList(new ArrayList<>());
    fake.onLanded(listened::add);
    Instant before = Instant.now();

    ExecuteStatementResponse submitted =
        client.executeStatement(
            r -> r.workgroupName(WORKGROUP).database(DATABASE).secretArn("arn:aws:secretsmanager:us-east-1:123456789012:secret:admin")
                .sql("INSERT INTO t (id, v) VALUES (CAST(:id AS BIGINT), :v)")
                .parameters(param("v", "hello"), param("id", "42")));

    assertThat(submitted.id()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(submitted.workgroupName()).isEqualTo(WORKGROUP);
    assertThat(submitted.database()).isEqualTo(DATABASE);
    assertThat(submitted.createdAt()).isBetween(before.minusSeconds(1), Instant.now());
    DescribeStatementResponse early = client.describeStatement(r -> r.id(submitted.id()));
    assertThat(early.status()).isIn(StatusString.SUBMITTED, StatusString.STARTED);
    assertThat(early.hasResultSet()).isFalse();
    assertThat(fake.landed()).isEmpty();

    DescribeStatementResponse done = awaitTerminal(submitted.id());
    assertThat(Duration.between(before, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(done.status()).isEqualTo(StatusString.FINISHED);
    assertThat(done.queryString()).isEqualTo("INSERT INTO t (id, v) VALUES (CAST(:id AS BIGINT), :v)");
    assertThat(done.queryParameters()).containsExactly(param("v", "hello"), param("id", "42"));
    assertThat(done.hasResultSet()).isFalse();
    assertThat(done.resultRows()).isEqualTo(-1L);
    assertThat(done.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
    assertThat(done.updatedAt()).isAfterOrEqualTo(done.createdAt());

    ExecutedStatement executed = fake.statements().get(0);
    assertThat(executed.id()).isEqualTo(submitted.id());
    assertThat(executed.parameters()).containsExactly(Map.entry("v", "hello"), Map.entry("id", "42"));
    assertThat(executed.workgroupName()).isEqualTo(WORKGROUP);
    assertThat(executed.secretArn()).endsWith(":secret:admin");
    assertThat(executed.clientToken()).isNotBlank(); // the SDK fills one in
    assertThat(fake.landed()).containsExactly(executed);
    assertThat(listened).containsExactly(executed);
    assertThat(fake.signatureProblems()).isEmpty();
    assertThat(fake.internalErrors()).isEmpty();
  }

  @Test
  void failedStatementsReportTheirErrorAndNothingLands() {
    fake.outcomes(s -> s.sql().contains("missing_table")
        ? Outcome.failed("ERROR: relation \"missing_table\" does not exist")
        : Outcome.finished());
    List<ExecutedStatement> listened = Collections.synchronizedList(new ArrayList<>());
    fake.onLanded(listened::add);

    String bad = execute("SELECT * FROM missing_table");
    String good = execute("SELECT 1");

    DescribeStatementResponse failed = awaitTerminal(bad);
    assertThat(failed.status()).isEqualTo(StatusString.FAILED);
    assertThat(failed.error()).isEqualTo("ERROR: relation \"missing_table\" does not exist");
    assertThat(awaitTerminal(good).status()).isEqualTo(StatusString.FINISHED);
    assertThat(fake.landed()).extracting(ExecutedStatement::id).containsExactly(good);
    assertThat(listened).extracting(ExecutedStatement::id).containsExactly(good);
  }

  @Test
  void abortedAndCancelledStatementsLandNothing() {
    fake.outcomes(s -> s.sql().contains("abort") ? Outcome.aborted() : Outcome.stuck());

    String aborted = execute("DELETE FROM t WHERE 'abort' = 'abort'");
    assertThat(awaitTerminal(aborted).status()).isEqualTo(StatusString.ABORTED);

    String stuck = execute("VACUUM t");
    assertThat(client.describeStatement(r -> r.id(stuck)).status()).isEqualTo(StatusString.STARTED);
    assertThat(client.cancelStatement(r -> r.id(stuck)).status()).isTrue();
    assertThat(client.describeStatement(r -> r.id(stuck)).status()).isEqualTo(StatusString.ABORTED);
    assertThatThrownBy(() -> client.cancelStatement(r -> r.id(stuck)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("already in ABORTED state");
    assertThatThrownBy(() -> client.cancelStatement(r -> r.id(aborted))).isInstanceOf(ValidationException.class);

    assertThat(fake.landed()).isEmpty();
    assertThat(fake.statements()).hasSize(2);
  }

  @Test
  void cancellingARunningStatementPreventsItsLanding() throws Exception {
    fake.statementLatency(Duration.ofMillis(200));
    String id = execute("UPDATE t SET v = 1");
    assertThat(client.cancelStatement(r -> r.id(id)).status()).isTrue();
    Thread.sleep(250);
    assertThat(client.describeStatement(r -> r.id(id)).status()).isEqualTo(StatusString.ABORTED);
    assertThat(fake.landed()).isEmpty();
  }

  @Test
  void aStatementCanLandButStayStartedForever() {
    List<ExecutedStatement> listened = Collections.synchronizedList(new ArrayList<>());
    fake.onLanded(listened::add);
    fake.outcomes(s -> Outcome.landsButStaysStarted());

    String id = execute("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE");

    assertThat(listened).extracting(ExecutedStatement::id).containsExactly(id);
    assertThat(client.describeStatement(r -> r.id(id)).status()).isEqualTo(StatusString.STARTED);
    assertThat(fake.landed()).extracting(ExecutedStatement::id).containsExactly(id);
    assertThat(listened).hasSize(1);
    assertThat(fake.statusOf(id)).isEqualTo("STARTED");
  }

  @Test
  void landingFollowsFinishTimeAndHappensOnce() throws Exception {
    List<String> listened = Collections.synchronizedList(new ArrayList<>());
    fake.onLanded(s -> listened.add(s.sql()));
    fake.statementLatency(Duration.ofMillis(150));
    execute("SELECT 'slow'");
    fake.statementLatency(Duration.ZERO);
    execute("SELECT 'fast'");
    Thread.sleep(200);

    assertThat(fake.landed()).extracting(ExecutedStatement::sql).containsExactly("SELECT 'fast'", "SELECT 'slow'");
    assertThat(fake.landed()).hasSize(2);
    assertThat(listened).containsExactly("SELECT 'fast'", "SELECT 'slow'");
  }

  @Test
  void resultRowsAreReportedForQueriesAndMatchingStatements() {
    fake.resultRows(s -> s.sql().contains("FROM cdc_events"), 42);

    DescribeStatementResponse counted = awaitTerminal(execute("SELECT * FROM cdc_events"));
    assertThat(counted.hasResultSet()).isTrue();
    assertThat(counted.resultRows()).isEqualTo(42L);

    DescribeStatementResponse query = awaitTerminal(execute("  -- a comment\n(SELECT 1)"));
    assertThat(query.hasResultSet()).isTrue();
    assertThat(query.resultRows()).isZero();

    DescribeStatementResponse insert = awaitTerminal(execute("INSERT INTO t VALUES (1)"));
    assertThat(insert.hasResultSet()).isFalse();
    assertThat(insert.resultRows()).isEqualTo(-1L);
  }

  @Test
  void unknownIdsAreResourceNotFound() {
    assertThatThrownBy(() -> client.describeStatement(r -> r.id("00000000-0000-0000-0000-000000000000")))
        .isInstanceOf(ResourceNotFoundException.class)
        .satisfies(e -> assertThat(((ResourceNotFoundException) e).resourceId()).isEqualTo("00000000-0000-0000-0000-000000000000"));
    assertThatThrownBy(() -> client.cancelStatement(r -> r.id("nope"))).isInstanceOf(ResourceNotFoundException.class);
  }

  // ---- batches -------------------------------------------------------------------------------------

  @Test
  void batchesReportSubStatements() {
    List<String> sqls = List.of("DELETE FROM t", "INSERT INTO t VALUES (1)", "SELECT COUNT(*) FROM t");
    String id = client.batchExecuteStatement(r -> r.workgroupName(WORKGROUP).database(DATABASE).sqls(sqls)).id();

    DescribeStatementResponse done = awaitTerminal(id);
    assertThat(done.status()).isEqualTo(StatusString.FINISHED);
    assertThat(done.subStatements()).extracting(SubStatementData::id).containsExactly(id + ":1", id + ":2", id + ":3");
    assertThat(done.subStatements()).extracting(SubStatementData::queryString).containsExactlyElementsOf(sqls);
    assertThat(done.subStatements()).extracting(s -> s.statusAsString()).containsOnly("FINISHED");
    assertThat(done.subStatements().get(2).hasResultSet()).isTrue();
    assertThat(done.subStatements().get(1).hasResultSet()).isFalse();
    assertThat(fake.statements()).singleElement().satisfies(s -> {
      assertThat(s.sqls()).isEqualTo(sqls);
      assertThat(s.parameters()).isEmpty();
    });
    assertThat(fake.landed()).extracting(ExecutedStatement::id).containsExactly(id);
  }

  @Test
  void aFailedBatchReportsWhichStatementFailed() {
    fake.outcomes(s -> Outcome.failedAt(1, "ERROR: duplicate key"));
    String id = client.batchExecuteStatement(
        r -> r.workgroupName(WORKGROUP).database(DATABASE).sqls("DELETE FROM t", "INSERT INTO t VALUES (1)", "INSERT INTO u VALUES (2)")).id();

    DescribeStatementResponse done = awaitTerminal(id);
    assertThat(done.status()).isEqualTo(StatusString.FAILED);
    assertThat(done.error()).isEqualTo("ERROR: duplicate key");
    assertThat(done.subStatements()).extracting(s -> s.statusAsString()).containsExactly("FINISHED", "FAILED", "ABORTED");
    assertThat(done.subStatements().get(1).error()).isEqualTo("ERROR: duplicate key");
    assertThat(fake.landed()).isEmpty();
  }

  @Test
  void batchesAreValidated() throws Exception {
    assertThatThrownBy(() -> client.batchExecuteStatement(
            r -> r.workgroupName(WORKGROUP).database(DATABASE).sqls(IntStream.range(0, 41).mapToObj(i -> "SELECT " + i).toList())))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("41 statements");

    // The SDK has no Parameters member on BatchExecuteStatement; send it by hand.
    HttpResponse<String> response = rawCall(
        "BatchExecuteStatement",
        "{\"WorkgroupName\":\"cdc-wg\",\"Database\":\"dev\",\"Sqls\":[\"SELECT :a\"],\"Parameters\":[{\"name\":\"a\",\"value\":\"1\"}]}");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("\"__type\":\"ValidationException\"").contains("Parameters");
    assertThat(fake.statements()).isEmpty();
    assertThat(fake.signatureProblems()).isEmpty();
  }

  // ---- validation --------------------------------------------------------------------------------

  @Test
  void sqlOverOneHundredThousandBytesIsRejected() {
    String justFits = "SELECT '" + "x".repeat(FakeRedshiftDataApi.MAX_SQL_BYTES - 10) + "'";
    assertThat(justFits.getBytes(StandardCharsets.UTF_8)).hasSize(FakeRedshiftDataApi.MAX_SQL_BYTES - 1);
    execute(justFits);

    String tooLong = "SELECT '" + "é".repeat(50_000) + "'"; // 100,009 bytes, 50,009 characters
    assertThatThrownBy(() -> execute(tooLong))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("100009 bytes");
    assertThat(fake.statements()).hasSize(1);
  }

  @Test
  void sqlPlusParameterValuesMayNotExceedOneHundredThousandBytes() {
    String sql = "SELECT :a, :b";
    assertThatThrownBy(() -> client.executeStatement(base(sql).parameters(param("a", "x".repeat(60_000)), param("b", "y".repeat(40_000))).build()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("parameter values");
  }

  @Test
  void atMostTwoHundredParameters() {
    List<SqlParameter> params = IntStream.range(0, 201).mapToObj(i -> param("p" + i, "v")).toList();
    String sql = "SELECT " + IntStream.range(0, 201).mapToObj(i -> ":p" + i).collect(Collectors.joining(", "));
    assertThatThrownBy(() -> client.executeStatement(base(sql).parameters(params).build()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("at most 200 parameters");

    List<SqlParameter> fits = params.subList(0, 200);
    String sqlFits = "SELECT " + IntStream.range(0, 200).mapToObj(i -> ":p" + i).collect(Collectors.joining(", "));
    client.executeStatement(base(sqlFits).parameters(fits).build());
    assertThat(fake.statements()).singleElement().satisfies(s -> assertThat(s.parameters()).hasSize(200));
  }

  @Test
  void parameterValuesMustBeNonEmpty() {
    assertThatThrownBy(() -> client.executeStatement(base("SELECT :a").parameters(param("a", "")).build()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("non-empty string value");
    assertThatThrownBy(() -> client.executeStatement(base("SELECT :a").parameters(SqlParameter.builder().name("a").build()).build()))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void everyParameterMustBeUsedAndEveryPlaceholderBound() {
    assertThatThrownBy(() -> client.executeStatement(base("SELECT :a").parameters(param("a", "1"), param("unused", "2")).build()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("parameter unused is not used");
    assertThatThrownBy(() -> client.executeStatement(base("SELECT :a, :b").parameters(param("a", "1")).build()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining(":b");
    assertThatThrownBy(() -> execute("SELECT :a"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining(":a");
    // Casts, quoted literals and quoted identifiers are not placeholders.
    client.executeStatement(
        base("SELECT :a::bigint, '12:30:00', 'it''s :not_me', \"col:x\", arr[1:2] FROM t").parameters(param("a", "1")).build());
    assertThat(fake.statements()).hasSize(1);
  }

  @Test
  void placeholdersAreFoundOutsideQuotes() {
    assertThat(FakeRedshiftDataApi.placeholders("SELECT :a, ':b', \":c\", x::int, :d_1, :a")).containsExactly("a", "d_1");
    assertThat(FakeRedshiftDataApi.isQuery("/* hi */ WITH x AS (SELECT 1) SELECT * FROM x")).isTrue();
    assertThat(FakeRedshiftDataApi.isQuery("INSERT INTO t SELECT 1")).isFalse();
  }

  @Test
  void whereTheSqlRunsIsValidated() {
    assertThatThrownBy(() -> client.executeStatement(r -> r.database(DATABASE).sql("SELECT 1")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("exactly one of WorkgroupName and ClusterIdentifier");
    assertThatThrownBy(() -> client.executeStatement(r -> r.database(DATABASE).workgroupName(WORKGROUP).clusterIdentifier("c").sql("SELECT 1")))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> client.executeStatement(r -> r.workgroupName(WORKGROUP).sql("SELECT 1")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("Database");
    assertThatThrownBy(() -> client.executeStatement(r -> r.workgroupName(WORKGROUP).database(DATABASE).sql(" ")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("Sql");
    // A provisioned cluster works too.
    String id = client.executeStatement(r -> r.clusterIdentifier("c1").dbUser("admin").database(DATABASE).sql("SELECT 1")).id();
    DescribeStatementResponse done = awaitTerminal(id);
    assertThat(done.clusterIdentifier()).isEqualTo("c1");
    assertThat(done.dbUser()).isEqualTo("admin");
    assertThat(fake.statements()).singleElement().satisfies(s -> assertThat(s.workgroupName()).isNull());
  }

  // ---- faults, throttling, idempotency ---------------------------------------------------------------

  @Test
  void throttlingIsRetriedByTheSdkThenSucceeds() {
    fake.failNextCalls("ExecuteStatement", 2, 400, "ThrottlingException", "Rate exceeded");
    fake.failNextCalls("DescribeStatement", 1, 500, "InternalServerException", "boom");

    String id = execute("SELECT 1");
    assertThat(awaitTerminal(id).status()).isEqualTo(StatusString.FINISHED);

    assertThat(fake.calls("ExecuteStatement")).isEqualTo(3);
    assertThat(fake.calls("DescribeStatement")).isGreaterThanOrEqualTo(2);
    assertThat(fake.statements()).hasSize(1);
  }

  @Test
  void throttlingSurfacesWhenRetriesAreExhausted() {
    fake.failNextCalls("ExecuteStatement", 10, 400, "ThrottlingException", "Rate exceeded");
    try (RedshiftDataClient threeAttempts = client(fastRetries(3))) {
      assertThatThrownBy(() -> threeAttempts.executeStatement(base("SELECT 1").build()))
          .isInstanceOf(RedshiftDataException.class)
          .satisfies(e -> {
            RedshiftDataException r = (RedshiftDataException) e;
            assertThat(r.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
            assertThat(r.awsErrorDetails().errorMessage()).isEqualTo("Rate exceeded");
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.isThrottlingException()).isTrue();
          });
    }
    assertThat(fake.calls("ExecuteStatement")).isEqualTo(3);
    assertThat(fake.statements()).isEmpty();
  }

  @Test
  void executeRateLimitIsASlidingOneSecondWindow() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    fake.clock(clock).executeRateLimit(2);
    try (RedshiftDataClient noRetries = client(AwsRetryStrategy.doNotRetry())) {
      noRetries.executeStatement(base("SELECT 1").build());
      clock.advance(Duration.ofMillis(600));
      noRetries.executeStatement(base("SELECT 2").build());
      clock.advance(Duration.ofMillis(300));
      assertThatThrownBy(() -> noRetries.executeStatement(base("SELECT 3").build()))
          .isInstanceOf(RedshiftDataException.class)
          .satisfies(e -> assertThat(((RedshiftDataException) e).awsErrorDetails().errorCode()).isEqualTo("ThrottlingException"));
      assertThatThrownBy(() -> noRetries.batchExecuteStatement(r -> r.workgroupName(WORKGROUP).database(DATABASE).sqls("SELECT 4")))
          .isInstanceOf(RedshiftDataException.class);
      clock.advance(Duration.ofMillis(150)); // the first call has left the window
      noRetries.executeStatement(base("SELECT 5").build());
    }
    assertThat(fake.statements()).extracting(ExecutedStatement::sql).containsExactly("SELECT 1", "SELECT 2", "SELECT 5");
    assertThat(fake.calls("ExecuteStatement")).isEqualTo(4);
    assertThat(fake.calls("BatchExecuteStatement")).isEqualTo(1);
  }

  @Test
  void theSdkRetriesThroughTheExecuteRateLimit() {
    fake.clock(new SteppingClock(Instant.parse("2026-01-01T00:00:00Z"), Duration.ofMillis(150))).executeRateLimit(2);
    try (RedshiftDataClient patient = client(fastRetries(20))) {
      for (int i = 0; i < 4; i++) {
        patient.executeStatement(base("SELECT " + i).build());
      }
    }
    assertThat(fake.statements()).hasSize(4);
    assertThat(fake.calls("ExecuteStatement")).isGreaterThan(4);
  }

  @Test
  void describeRateLimitThrottlesDescribeStatement() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    fake.clock(clock).describeRateLimit(3);
    String id = execute("SELECT 1");
    try (RedshiftDataClient noRetries = client(AwsRetryStrategy.doNotRetry())) {
      for (int i = 0; i < 3; i++) {
        noRetries.describeStatement(r -> r.id(id));
      }
      assertThatThrownBy(() -> noRetries.describeStatement(r -> r.id(id)))
          .isInstanceOf(RedshiftDataException.class)
          .satisfies(e -> assertThat(((RedshiftDataException) e).awsErrorDetails().errorCode()).isEqualTo("ThrottlingException"));
      execute("SELECT 2"); // the execute limit is separate
      clock.advance(Duration.ofSeconds(1));
      assertThat(noRetries.describeStatement(r -> r.id(id)).status()).isEqualTo(StatusString.FINISHED);
    }
    assertThat(fake.calls("DescribeStatement")).isEqualTo(5);
  }

  @Test
  void aLostResponseIsRetriedWithTheSameClientTokenAndRunsOnce() {
    fake.failNextCallsAfterApplying("ExecuteStatement", 1, 500, "InternalServerException", "response lost");

    String id = execute("INSERT INTO t VALUES (1)");

    assertThat(fake.calls("ExecuteStatement")).isEqualTo(2);
    assertThat(fake.statements()).singleElement().satisfies(s -> assertThat(s.id()).isEqualTo(id));
    assertThat(fake.landed()).hasSize(1);

    ExecuteStatementRequest reused = base("INSERT INTO t VALUES (2)").clientToken(fake.statements().get(0).clientToken()).build();
    assertThatThrownBy(() -> client.executeStatement(reused))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("ClientToken");
  }

  @Test
  void activeStatementsQuota() {
    fake.outcomes(s -> Outcome.stuck()).maxActiveStatements(2);
    execute("SELECT 1");
    String second = execute("SELECT 2");
    assertThatThrownBy(() -> execute("SELECT 3")).isInstanceOf(ActiveStatementsExceededException.class);
    client.cancelStatement(r -> r.id(second));
    execute("SELECT 4");
    assertThat(fake.maxConcurrentRunning()).isEqualTo(2);
  }

  @Test
  void concurrentClientsAreServedAndTheirOverlapMeasured() throws Exception {
    fake.statementLatency(Duration.ofMillis(400));
    int n = 8;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<String>> ids = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        ids.add(pool.submit(() -> {
          go.await();
          return execute("INSERT INTO t VALUES (" + k + ")");
        }));
      }
      go.countDown();
      Set<String> distinct = new HashSet<>();
      for (Future<String> f : ids) {
        distinct.add(f.get(10, TimeUnit.SECONDS));
      }
      assertThat(distinct).hasSize(n);
      for (String id : distinct) {
        awaitTerminal(id);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(fake.statements()).hasSize(n);
    assertThat(fake.landed()).hasSize(n);
    assertThat(fake.maxConcurrentRunning()).isGreaterThan(1).isLessThanOrEqualTo(n);
    assertThat(fake.signatureProblems()).isEmpty();
  }

  @Test
  void statementsSubmittedOneAfterAnotherDoNotOverlap() {
    for (int i = 0; i < 3; i++) {
      awaitTerminal(execute("SELECT " + i));
    }
    assertThat(fake.maxConcurrentRunning()).isEqualTo(1);
  }

  // ---- signatures ----------------------------------------------------------------------------------

  @Test
  void aBadSignatureIsRejectedAndRecorded() {
    try (RedshiftDataClient wrongKey = RedshiftDataClient.builder()
        .endpointOverride(fake.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(SigV4Verifier.ACCESS_KEY, "not-the-secret")))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build()) {
      assertThatThrownBy(() -> wrongKey.executeStatement(base("SELECT 1").build()))
          .isInstanceOf(RedshiftDataException.class)
          .satisfies(e -> {
            assertThat(((RedshiftDataException) e).statusCode()).isEqualTo(403);
            assertThat(((RedshiftDataException) e).awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
          });
    }
    try (RedshiftDataClient wrongRegion = RedshiftDataClient.builder()
        .endpointOverride(fake.endpoint())
        .region(Region.EU_WEST_1)
        .credentialsProvider(SigV4Verifier.credentialsProvider())
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build()) {
      assertThatThrownBy(() -> wrongRegion.describeStatement(r -> r.id("x"))).isInstanceOf(RedshiftDataException.class);
    }
    assertThat(fake.signatureProblems()).hasSize(2);
    assertThat(fake.signatureProblems().get(0)).startsWith("ExecuteStatement: signature does not match");
    assertThat(fake.signatureProblems().get(1)).contains("signed for region eu-west-1");
    assertThat(fake.statements()).isEmpty();
  }

  // ---- helpers -------------------------------------------------------------------------------------

  private RedshiftDataClient client(RetryStrategy retryStrategy) {
    return RedshiftDataClient.builder()
        .endpointOverride(fake.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(SigV4Verifier.credentialsProvider())
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(o -> o.retryStrategy(retryStrategy))
        .build();
  }

  /** The SDK's standard retries with millisecond backoffs, so tests stay fast. */
  static RetryStrategy fastRetries(int maxAttempts) {
    BackoffStrategy quick = BackoffStrategy.exponentialDelay(Duration.ofMillis(5), Duration.ofMillis(50));
    return AwsRetryStrategy.standardRetryStrategy().toBuilder()
        .maxAttempts(maxAttempts)
        .backoffStrategy(quick)
        .throttlingBackoffStrategy(quick)
        .circuitBreakerEnabled(false)
        .build();
  }

  private static ExecuteStatementRequest.Builder base(String sql) {
    return ExecuteStatementRequest.builder().workgroupName(WORKGROUP).database(DATABASE).sql(sql);
  }

  private String execute(String sql) {
    return client.executeStatement(base(sql).build()).id();
  }

  private static SqlParameter param(String name, String value) {
    return SqlParameter.builder().name(name).value(value).build();
  }

  private DescribeStatementResponse awaitTerminal(String id) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      DescribeStatementResponse r = client.describeStatement(b -> b.id(id));
      if (Set.of(StatusString.FINISHED, StatusString.FAILED, StatusString.ABORTED).contains(r.status())) {
        return r;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("statement " + id + " still " + r.status());
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** A hand-made awsJson call, signed with the SDK signer, for what the SDK model cannot express. */
  private HttpResponse<String> rawCall(String operation, String body) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    SdkHttpFullRequest request = SdkHttpFullRequest.builder()
        .uri(fake.endpoint())
        .encodedPath("/")
        .method(SdkHttpMethod.POST)
        .putHeader("Content-Type", FakeRedshiftDataApi.CONTENT_TYPE)
        .putHeader("X-Amz-Target", FakeRedshiftDataApi.TARGET_PREFIX + operation)
        .build();
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(AwsBasicCredentials.create(SigV4Verifier.ACCESS_KEY, SigV4Verifier.SECRET_KEY))
        .request(request)
        .payload(ContentStreamProvider.fromByteArray(bytes))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SigV4Verifier.REDSHIFT_DATA)
        .putProperty(AwsV4HttpSigner.REGION_NAME, SigV4Verifier.DEFAULT_REGION));
    HttpRequest.Builder http = HttpRequest.newBuilder(URI.create(fake.endpoint() + "/")).POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
    signed.request().headers().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
        values.forEach(v -> http.header(name, v));
      }
    });
    return HttpClient.newHttpClient().send(http.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  /** A clock that moves {@code step} forward every time it is read. */
  static final class SteppingClock extends Clock {
    private final Duration step;
    private Instant now;

    SteppingClock(Instant start, Duration step) {
      this.now = start;
      this.step = step;
    }

    @Override
    public synchronized Instant instant() {
      now = now.plus(step);
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }
}
