package com.dsqlcdc.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.sql.CdcEventsTable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
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
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;
import software.amazon.awssdk.services.redshiftdata.model.RedshiftDataException;
import software.amazon.awssdk.services.redshiftdata.model.ResourceNotFoundException;
import software.amazon.awssdk.services.redshiftdata.model.SqlParameter;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.redshiftdata.model.SubStatementData;
import software.amazon.awssdk.services.redshiftdata.model.ValidationException;
import software.amazon.awssdk.services.s3.S3Client;

/** Drives {@link FakeRedshiftDataApi} with the real SDK client, as the project's code will. */
class FakeRedshiftDataApiTest {

    private static final String WORKGROUP = "cdc-wg";
    private static final String DATABASE = "dev";

    private static final String BUCKET = "cdc-staging";
    private static final String COPY_ROLE = "arn:aws:iam::123456789012:role/cdc-redshift-copy";
    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeRedshiftDataApi fake;
    private RedshiftDataClient client;
    private FakeS3 s3;

    @BeforeEach
    void start() {
        fake = FakeRedshiftDataApi.start();
        client = client(fastRetries(4));
        s3 = FakeS3.start().createBucket(BUCKET);
        fake.copySource(s3).copyRoles(COPY_ROLE);
    }

    @AfterEach
    void stop() {
        client.close();
        fake.close();
        s3.close();
    }

    // ---- statement lifecycle -------------------------------------------------------------------------

    @Test
    void executeThenDescribeHonoursTheLatencyAndLandsAtFinish() throws Exception {
        fake.statementLatency(Duration.ofMillis(300));
        List<ExecutedStatement> listened = Collections.synchronizedList(new ArrayList<>());
        fake.onLanded(listened::add);
        Instant before = Instant.now();

        ExecuteStatementResponse submitted = client.executeStatement(r -> r.workgroupName(WORKGROUP)
                .database(DATABASE)
                .secretArn("arn:aws:secretsmanager:us-east-1:123456789012:secret:admin")
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
        assertThat(done.duration())
                .isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
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
    void describeWithWaitTimeSecondsAnswersWhenTheStatementFinishes() {
        fake.statementLatency(Duration.ofMillis(400));
        String id = execute("INSERT INTO t VALUES (1)");
        Instant before = Instant.now();

        DescribeStatementResponse done = client.describeStatement(r -> r.id(id).waitTimeSeconds(5));

        assertThat(done.status()).isEqualTo(StatusString.FINISHED);
        assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(3));
        assertThat(fake.describeWaits()).containsExactly(5);
    }

    @Test
    void describeWithWaitTimeSecondsAnswersTheRunningStatusWhenTheWaitEnds() {
        fake.outcomes(s -> Outcome.stuck());
        String id = execute("INSERT INTO t VALUES (1)");
        Instant before = Instant.now();

        DescribeStatementResponse running =
                client.describeStatement(r -> r.id(id).waitTimeSeconds(1));

        assertThat(running.status()).isEqualTo(StatusString.STARTED);
        assertThat(Duration.between(before, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(990));
        assertThatThrownBy(() -> client.describeStatement(r -> r.id(id).waitTimeSeconds(31)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("WaitTimeSeconds must be a whole number from 0 to 30");
    }

    @Test
    void getStatementResultPagesThroughTheRows() {
        fake.resultPageSize(2)
                .results(
                        s -> s.sql().contains("FROM pg_user"),
                        List.of(List.of("a", "1"), List.of("b", "2"), List.of("c", "3")));
        String id = execute("SELECT usename, usesysid FROM pg_user");
        awaitTerminal(id);

        GetStatementResultResponse first = client.getStatementResult(r -> r.id(id));
        GetStatementResultResponse second =
                client.getStatementResult(r -> r.id(id).nextToken(first.nextToken()));

        assertThat(first.records()).hasSize(2);
        assertThat(first.records().get(0).get(0).stringValue()).isEqualTo("a");
        assertThat(first.totalNumRows()).isEqualTo(3L);
        assertThat(first.columnMetadata()).extracting(c -> c.name()).containsExactly("col1", "col2");
        assertThat(second.records())
                .singleElement()
                .satisfies(r -> assertThat(r.get(1).stringValue()).isEqualTo("3"));
        assertThat(second.nextToken()).isNull();
        String insert = execute("INSERT INTO t VALUES (1)");
        awaitTerminal(insert);
        assertThatThrownBy(() -> client.getStatementResult(r -> r.id(insert)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Query does not have result");
    }

    @Test
    void unknownIdsAreResourceNotFound() {
        assertThatThrownBy(() -> client.describeStatement(r -> r.id("00000000-0000-0000-0000-000000000000")))
                .isInstanceOf(ResourceNotFoundException.class)
                .satisfies(e -> assertThat(((ResourceNotFoundException) e).resourceId())
                        .isEqualTo("00000000-0000-0000-0000-000000000000"));
        assertThatThrownBy(() -> client.cancelStatement(r -> r.id("nope")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    // ---- batches -------------------------------------------------------------------------------------

    @Test
    void batchesReportSubStatements() {
        List<String> sqls = List.of("DELETE FROM t", "INSERT INTO t VALUES (1)", "SELECT COUNT(*) FROM t");
        String id = client.batchExecuteStatement(
                        r -> r.workgroupName(WORKGROUP).database(DATABASE).sqls(sqls))
                .id();

        DescribeStatementResponse done = awaitTerminal(id);
        assertThat(done.status()).isEqualTo(StatusString.FINISHED);
        assertThat(done.subStatements())
                .extracting(SubStatementData::id)
                .containsExactly(id + ":1", id + ":2", id + ":3");
        assertThat(done.subStatements())
                .extracting(SubStatementData::queryString)
                .containsExactlyElementsOf(sqls);
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
        String id = client.batchExecuteStatement(r -> r.workgroupName(WORKGROUP)
                        .database(DATABASE)
                        .sqls("DELETE FROM t", "INSERT INTO t VALUES (1)", "INSERT INTO u VALUES (2)"))
                .id();

        DescribeStatementResponse done = awaitTerminal(id);
        assertThat(done.status()).isEqualTo(StatusString.FAILED);
        assertThat(done.error()).isEqualTo("ERROR: duplicate key");
        assertThat(done.subStatements())
                .extracting(s -> s.statusAsString())
                .containsExactly("FINISHED", "FAILED", "ABORTED");
        assertThat(done.subStatements().get(1).error()).isEqualTo("ERROR: duplicate key");
        assertThat(fake.landed()).isEmpty();
    }

    @Test
    void batchesAreValidated() throws Exception {
        assertThatThrownBy(() -> client.batchExecuteStatement(r -> r.workgroupName(WORKGROUP)
                        .database(DATABASE)
                        .sqls(IntStream.range(0, 41)
                                .mapToObj(i -> "SELECT " + i)
                                .toList())))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("41 statements");

        // The SDK has no Parameters member on BatchExecuteStatement; send it by hand.
        HttpResponse<String> response = rawCall(
                "BatchExecuteStatement",
                "{\"WorkgroupName\":\"cdc-wg\",\"Database\":\"dev\",\"Sqls\":[\"SELECT :a\"],\"Parameters\":[{\"name\":\"a\",\"value\":\"1\"}]}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body())
                .contains("\"__type\":\"ValidationException\"")
                .contains("Parameters");
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
        assertThatThrownBy(() -> client.executeStatement(base(sql)
                        .parameters(param("a", "x".repeat(60_000)), param("b", "y".repeat(40_000)))
                        .build()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("parameter values");
    }

    @Test
    void atMostTwoHundredParameters() {
        List<SqlParameter> params =
                IntStream.range(0, 201).mapToObj(i -> param("p" + i, "v")).toList();
        String sql = "SELECT " + IntStream.range(0, 201).mapToObj(i -> ":p" + i).collect(Collectors.joining(", "));
        assertThatThrownBy(() ->
                        client.executeStatement(base(sql).parameters(params).build()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("at most 200 parameters");

        List<SqlParameter> fits = params.subList(0, 200);
        String sqlFits =
                "SELECT " + IntStream.range(0, 200).mapToObj(i -> ":p" + i).collect(Collectors.joining(", "));
        client.executeStatement(base(sqlFits).parameters(fits).build());
        assertThat(fake.statements())
                .singleElement()
                .satisfies(s -> assertThat(s.parameters()).hasSize(200));
    }

    @Test
    void parameterValuesMustBeNonEmpty() {
        assertThatThrownBy(() -> client.executeStatement(
                        base("SELECT :a").parameters(param("a", "")).build()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("non-empty string value");
        assertThatThrownBy(() -> client.executeStatement(base("SELECT :a")
                        .parameters(SqlParameter.builder().name("a").build())
                        .build()))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void everyParameterMustBeUsedAndEveryPlaceholderBound() {
        assertThatThrownBy(() -> client.executeStatement(base("SELECT :a")
                        .parameters(param("a", "1"), param("unused", "2"))
                        .build()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("parameter unused is not used");
        assertThatThrownBy(() -> client.executeStatement(
                        base("SELECT :a, :b").parameters(param("a", "1")).build()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(":b");
        assertThatThrownBy(() -> execute("SELECT :a"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(":a");
        // Casts, quoted literals and quoted identifiers are not placeholders.
        client.executeStatement(base("SELECT :a::bigint, '12:30:00', 'it''s :not_me', \"col:x\", arr[1:2] FROM t")
                .parameters(param("a", "1"))
                .build());
        assertThat(fake.statements()).hasSize(1);
    }

    @Test
    void placeholdersAreFoundOutsideQuotes() {
        assertThat(FakeRedshiftDataApi.placeholders("SELECT :a, ':b', \":c\", x::int, :d_1, :a"))
                .containsExactly("a", "d_1");
        assertThat(FakeRedshiftDataApi.isQuery("/* hi */ WITH x AS (SELECT 1) SELECT * FROM x"))
                .isTrue();
        assertThat(FakeRedshiftDataApi.isQuery("INSERT INTO t SELECT 1")).isFalse();
    }

    @Test
    void whereTheSqlRunsIsValidated() {
        assertThatThrownBy(
                        () -> client.executeStatement(r -> r.database(DATABASE).sql("SELECT 1")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("exactly one of WorkgroupName and ClusterIdentifier");
        assertThatThrownBy(() -> client.executeStatement(r -> r.database(DATABASE)
                        .workgroupName(WORKGROUP)
                        .clusterIdentifier("c")
                        .sql("SELECT 1")))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() ->
                        client.executeStatement(r -> r.workgroupName(WORKGROUP).sql("SELECT 1")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Database");
        assertThatThrownBy(() -> client.executeStatement(
                        r -> r.workgroupName(WORKGROUP).database(DATABASE).sql(" ")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Sql");
        // A provisioned cluster works too.
        String id = client.executeStatement(r -> r.clusterIdentifier("c1")
                        .dbUser("admin")
                        .database(DATABASE)
                        .sql("SELECT 1"))
                .id();
        DescribeStatementResponse done = awaitTerminal(id);
        assertThat(done.clusterIdentifier()).isEqualTo("c1");
        assertThat(done.dbUser()).isEqualTo("admin");
        assertThat(fake.statements())
                .singleElement()
                .satisfies(s -> assertThat(s.workgroupName()).isNull());
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
            assertThatThrownBy(() ->
                            threeAttempts.executeStatement(base("SELECT 1").build()))
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
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        fake.clock(clock).executeRateLimit(2);
        try (RedshiftDataClient noRetries = client(AwsRetryStrategy.doNotRetry())) {
            noRetries.executeStatement(base("SELECT 1").build());
            clock.advance(Duration.ofMillis(600));
            noRetries.executeStatement(base("SELECT 2").build());
            clock.advance(Duration.ofMillis(300));
            assertThatThrownBy(() -> noRetries.executeStatement(base("SELECT 3").build()))
                    .isInstanceOf(RedshiftDataException.class)
                    .satisfies(e -> assertThat(((RedshiftDataException) e)
                                    .awsErrorDetails()
                                    .errorCode())
                            .isEqualTo("ThrottlingException"));
            assertThatThrownBy(() -> noRetries.batchExecuteStatement(
                            r -> r.workgroupName(WORKGROUP).database(DATABASE).sqls("SELECT 4")))
                    .isInstanceOf(RedshiftDataException.class);
            clock.advance(Duration.ofMillis(150)); // the first call has left the window
            noRetries.executeStatement(base("SELECT 5").build());
        }
        assertThat(fake.statements())
                .extracting(ExecutedStatement::sql)
                .containsExactly("SELECT 1", "SELECT 2", "SELECT 5");
        assertThat(fake.calls("ExecuteStatement")).isEqualTo(4);
        assertThat(fake.calls("BatchExecuteStatement")).isEqualTo(1);
    }

    @Test
    void theSdkRetriesThroughTheExecuteRateLimit() {
        fake.clock(new SteppingClock(Instant.parse("2026-01-01T00:00:00Z"), Duration.ofMillis(150)))
                .executeRateLimit(2);
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
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        fake.clock(clock).describeRateLimit(3);
        String id = execute("SELECT 1");
        try (RedshiftDataClient noRetries = client(AwsRetryStrategy.doNotRetry())) {
            for (int i = 0; i < 3; i++) {
                noRetries.describeStatement(r -> r.id(id));
            }
            assertThatThrownBy(() -> noRetries.describeStatement(r -> r.id(id)))
                    .isInstanceOf(RedshiftDataException.class)
                    .satisfies(e -> assertThat(((RedshiftDataException) e)
                                    .awsErrorDetails()
                                    .errorCode())
                            .isEqualTo("ThrottlingException"));
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
        assertThat(fake.statements())
                .singleElement()
                .satisfies(s -> assertThat(s.id()).isEqualTo(id));
        assertThat(fake.landed()).hasSize(1);

        ExecuteStatementRequest reused = base("INSERT INTO t VALUES (2)")
                .clientToken(fake.statements().get(0).clientToken())
                .build();
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

    // ---- COPY ---------------------------------------------------------------------------------------

    @Test
    void aCopyOfAnObjectPutWithTheS3ClientLandsItsLines() throws Exception {
        ObjectNode withoutTxId = row(2);
        withoutTxId.remove("tx_id");
        List<String> lines = List.of(
                row(1).toString(),
                withoutTxId.toString(),
                row(3).put("is_delete", true).putNull("row_image").toString());
        String key = "staging/2026/01/15/12/shardId-000000000000/a.jsonl.gz";
        try (S3Client s3Client = S3Client.builder()
                .endpointOverride(s3.endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(SigV4Verifier.credentialsProvider())
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            s3Client.putObject(
                    r -> r.bucket(BUCKET)
                            .key(key)
                            .contentType("application/x-ndjson")
                            .contentEncoding("gzip"),
                    RequestBody.fromBytes(gzip(String.join("\n", lines) + "\n")));
        }

        String id = execute(copySql(key, COPY_ROLE));

        DescribeStatementResponse done = awaitTerminal(id);
        assertThat(done.status()).isEqualTo(StatusString.FINISHED);
        assertThat(fake.copiedLines(id)).containsExactlyElementsOf(lines);
        assertThat(fake.landedCopyLines()).containsExactlyElementsOf(lines);
        assertThat(fake.copiedLines(execute("SELECT 1"))).isEmpty();
        assertThat(fake.signatureProblems()).isEmpty();
        assertThat(s3.signatureProblems()).isEmpty();
    }

    @Test
    void copyReadsEveryObjectUnderThePrefixAsRedshiftDoes() throws Exception {
        s3.seedObject(BUCKET, "staging/b-1", gzip(row(1) + "\n"), null);
        s3.seedObject(BUCKET, "staging/b-10", gzip(row(10) + "\n"), null);
        s3.seedObject(BUCKET, "staging/c-1", gzip(row(99) + "\n"), null);

        String id = execute(copySql("staging/b-1", COPY_ROLE));

        assertThat(awaitTerminal(id).status()).isEqualTo(StatusString.FINISHED);
        assertThat(fake.copiedLines(id)).containsExactly(row(1).toString(), row(10).toString());
    }

    @Test
    void copyNamingARoleNotOnTheNamespaceFails() throws Exception {
        seed("staging/a.jsonl.gz", row(1));
        String other = "arn:aws:iam::123456789012:role/someone-else";

        DescribeStatementResponse done = awaitTerminal(execute(copySql("staging/a.jsonl.gz", other)));

        assertThat(done.status()).isEqualTo(StatusString.FAILED);
        assertThat(done.error())
                .startsWith("ERROR: User arn:aws:redshift:us-east-1:123456789012:dbuser:cdc-wg/")
                .endsWith("is not authorized to assume IAM Role " + other);
        assertThat(fake.landed()).isEmpty();
        assertThat(fake.landedCopyLines()).isEmpty();
    }

    @Test
    void copyOfAMissingObjectFails() {
        DescribeStatementResponse done = awaitTerminal(execute(copySql("staging/missing.jsonl.gz", COPY_ROLE)));

        assertThat(done.status()).isEqualTo(StatusString.FAILED);
        assertThat(done.error()).isEqualTo("ERROR: The specified S3 prefix 'staging/missing.jsonl.gz' does not exist");
        String otherBucket = "COPY \"cdc\".\"cdc_events\" (" + COLUMNS + ") FROM 's3://no-such-bucket/a' IAM_ROLE '"
                + COPY_ROLE + "' FORMAT JSON 'auto' GZIP";
        assertThat(awaitTerminal(execute(otherBucket)).error()).contains("The specified bucket does not exist");
    }

    @Test
    void copyOfAnObjectThatIsNotGzipFails() {
        s3.seedObject(BUCKET, "staging/plain.jsonl", (row(1) + "\n").getBytes(StandardCharsets.UTF_8), null);

        DescribeStatementResponse done = awaitTerminal(execute(copySql("staging/plain.jsonl", COPY_ROLE)));

        assertThat(done.status()).isEqualTo(StatusString.FAILED);
        assertThat(done.error())
                .startsWith(
                        "ERROR: Load into table 'cdc_events' failed. Check 'sys_load_error_detail' system table for details.")
                .contains("s3://cdc-staging/staging/plain.jsonl: gzip: Not in GZIP format");
    }

    @Test
    void aLineWithAnUnknownKeyFailsTheWholeCopy() throws Exception {
        seed("staging/a.jsonl.gz", row(1), row(2).put("extra", "x"), row(3));

        String id = execute(copySql("staging/a.jsonl.gz", COPY_ROLE));
        DescribeStatementResponse done = awaitTerminal(id);

        assertThat(done.status()).isEqualTo(StatusString.FAILED);
        assertThat(done.error())
                .startsWith("ERROR: Load into table 'cdc_events' failed.")
                .contains("line 2: unknown key \"extra\"");
        assertThat(fake.copiedLines(id)).isEmpty();
        assertThat(fake.landed()).isEmpty();
    }

    @Test
    void everyLineIsCheckedAgainstTheTable() throws Exception {
        Map<String, UnaryOperator<ObjectNode>> broken = new LinkedHashMap<>();
        broken.put("missing key \"event_id\"", r -> {
            r.remove("event_id");
            return r;
        });
        broken.put("\"commit_ts_ns\" is BIGINT, got a string", r -> r.put("commit_ts_ns", "1705318200000000000"));
        broken.put("\"commit_ts_ns\" is BIGINT, got a number", r -> r.put("commit_ts_ns", 1.5));
        broken.put("\"is_delete\" is BOOLEAN, got a string", r -> r.put("is_delete", "false"));
        broken.put(
                "Invalid timestamp format or value for \"commit_ts\"",
                r -> r.put("commit_ts", "2024-01-15T12:30:00.000125Z"));
        broken.put(
                "Invalid timestamp format or value for \"commit_ts\" (want",
                r -> r.put("commit_ts", "2024-02-30 12:30:00"));
        broken.put("null in NOT NULL column \"source_table\"", r -> r.putNull("source_table"));
        broken.put("String length exceeds DDL length: \"op\" is VARCHAR(16)", r -> r.put("op", "x".repeat(17)));
        broken.put(
                "String length exceeds DDL length: \"event_id\" is CHAR(64)", r -> r.put("event_id", "é".repeat(33)));
        broken.put("\"row_image\" must be a JSON object", r -> r.put("row_image", "{\"id\":1}"));
        broken.put("not a JSON object", r -> null);
        int n = 0;
        for (Map.Entry<String, UnaryOperator<ObjectNode>> c : broken.entrySet()) {
            String key = "staging/broken-" + n++;
            ObjectNode bad = c.getValue().apply(row(2));
            String line = bad == null ? "[1, 2]" : bad.toString();
            s3.seedObject(BUCKET, key, gzip(row(1) + "\n" + line + "\n"), null);
            DescribeStatementResponse done = awaitTerminal(execute(copySql(key, COPY_ROLE)));
            assertThat(done.status()).as(c.getKey()).isEqualTo(StatusString.FAILED);
            assertThat(done.error()).as(c.getKey()).contains("line 2: " + c.getKey());
        }
        // Nullable columns may be null, blank lines and CRLF endings are fine, tx_id may be absent.
        s3.seedObject(
                BUCKET,
                "staging/ok",
                gzip(row(1).putNull("tx_id").putNull("kinesis_shard_id") + "\r\n\n" + row(2) + "\n"),
                null);
        assertThat(awaitTerminal(execute(copySql("staging/ok", COPY_ROLE))).status())
                .isEqualTo(StatusString.FINISHED);
        assertThat(fake.landedCopyLines()).hasSize(2);
    }

    @Test
    void aLineOverTheRecordLimitFails() throws Exception {
        fake.maxSuperStringBytes(16_000_000); // so that only the record limit is in play
        String fits = lineOfBytes(FakeRedshiftDataApi.DEFAULT_MAX_COPY_RECORD_BYTES);
        String tooBig = lineOfBytes(FakeRedshiftDataApi.DEFAULT_MAX_COPY_RECORD_BYTES + 1);
        s3.seedObject(BUCKET, "staging/fits", gzip(fits + "\n"), null);
        s3.seedObject(BUCKET, "staging/too-big", gzip(row(1) + "\n" + tooBig + "\n"), null);

        assertThat(awaitTerminal(execute(copySql("staging/fits", COPY_ROLE))).status())
                .isEqualTo(StatusString.FINISHED);
        DescribeStatementResponse done = awaitTerminal(execute(copySql("staging/too-big", COPY_ROLE)));
        assertThat(done.status()).isEqualTo(StatusString.FAILED);
        assertThat(done.error()).contains("line 2: the JSON object is 4194305 bytes, over the limit of 4194304 bytes");

        fake.maxCopyRecordBytes(500);
        assertThat(awaitTerminal(execute(copySql("staging/fits", COPY_ROLE))).error())
                .contains("line 1:")
                .contains("limit of 500 bytes");
    }

    @Test
    void aSuperStringOverSixtyFiveThousandBytesFailsUnlessLargeStringsAreOn() throws Exception {
        ObjectNode big = row(1);
        ((ObjectNode) big.get("row_image"))
                .putObject("doc")
                .putArray("parts")
                .add("ok")
                .add("é".repeat(32_768)); // 65,536 bytes
        ObjectNode atLimit = row(2);
        ((ObjectNode) atLimit.get("row_image")).put("note", "x".repeat(65_535));
        seed("staging/at-limit", atLimit);
        seed("staging/big", big);

        assertThat(awaitTerminal(execute(copySql("staging/at-limit", COPY_ROLE)))
                        .status())
                .isEqualTo(StatusString.FINISHED);
        DescribeStatementResponse failed = awaitTerminal(execute(copySql("staging/big", COPY_ROLE)));
        assertThat(failed.status()).isEqualTo(StatusString.FAILED);
        assertThat(failed.error())
                .contains("line 1: a string of 65536 bytes at row_image.doc.parts[1] exceeds the limit of 65535 bytes");

        fake.maxSuperStringBytes(1_000_000);
        String id = execute(copySql("staging/big", COPY_ROLE));
        assertThat(awaitTerminal(id).status()).isEqualTo(StatusString.FINISHED);
        assertThat(fake.copiedLines(id)).containsExactly(big.toString());
    }

    @Test
    void theOutcomePolicyAppliesToCopiesThatPassTheirChecks() throws Exception {
        seed("staging/a", row(1));
        fake.outcomes(s -> s.sql().startsWith("COPY") ? Outcome.failed("ERROR: Disk Full") : Outcome.finished());

        DescribeStatementResponse failed = awaitTerminal(execute(copySql("staging/a", COPY_ROLE)));
        assertThat(failed.status()).isEqualTo(StatusString.FAILED);
        assertThat(failed.error()).isEqualTo("ERROR: Disk Full");

        fake.outcomes(s -> Outcome.stuck());
        String stuck = execute(copySql("staging/a", COPY_ROLE));
        assertThat(client.describeStatement(r -> r.id(stuck)).status()).isEqualTo(StatusString.STARTED);
        // The checks come first: a COPY that cannot load fails even under a policy that would hang it.
        DescribeStatementResponse invalid = awaitTerminal(execute(copySql("staging/missing", COPY_ROLE)));
        assertThat(invalid.status()).isEqualTo(StatusString.FAILED);

        fake.outcomes(s -> Outcome.aborted());
        assertThat(awaitTerminal(execute(copySql("staging/a", COPY_ROLE))).status())
                .isEqualTo(StatusString.ABORTED);
        assertThat(fake.landedCopyLines()).isEmpty();
    }

    @Test
    void theCopyGrammarIsChecked() throws Exception {
        seed("staging/a", row(1));
        String from = " FROM 's3://" + BUCKET + "/staging/a' ";
        String role = "IAM_ROLE '" + COPY_ROLE + "' ";
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put(
                "COPY \"cdc\".\"other\" (" + COLUMNS + ")" + from + role + "FORMAT JSON 'auto' GZIP",
                "relation \"cdc.other\" does not exist");
        bad.put(
                "COPY \"cdc\".\"cdc_events\" (\"source_schema\")" + from + role + "FORMAT JSON 'auto' GZIP",
                "missing [source_table");
        bad.put(
                "COPY \"cdc\".\"cdc_events\" (" + COLUMNS + ", \"nope\")" + from + role + "FORMAT JSON 'auto' GZIP",
                "column \"nope\"");
        bad.put("COPY \"cdc\".\"cdc_events\" (" + COLUMNS + ")" + from + role + "FORMAT JSON 'auto'", "needs GZIP");
        bad.put(
                "COPY \"cdc\".\"cdc_events\" (" + COLUMNS + ")" + from + role + "FORMAT JSON 'noshred' GZIP",
                "FORMAT JSON 'auto' only");
        bad.put("COPY \"cdc\".\"cdc_events\" (" + COLUMNS + ")" + from + role + "GZIP", "needs FORMAT JSON 'auto'");
        bad.put("COPY \"cdc\".\"cdc_events\" (" + COLUMNS + ")" + from + "FORMAT JSON 'auto' GZIP", "IAM_ROLE");
        bad.put(
                "COPY \"cdc\".\"cdc_events\" (" + COLUMNS + ")" + from + role + "FORMAT JSON 'auto' GZIP MAXERROR 10",
                "MAXERROR 0 only");
        bad.put(
                "COPY \"cdc\".\"cdc_events\" (" + COLUMNS + ")" + from + role + "FORMAT JSON 'auto' GZIP GZIP",
                "conflicting or redundant");
        bad.put(
                "COPY \"cdc\".\"cdc_events\" (" + COLUMNS + ")" + from + role + "FORMAT JSON 'auto' GZIP MANIFEST",
                "option MANIFEST");
        for (Map.Entry<String, String> c : bad.entrySet()) {
            DescribeStatementResponse done = awaitTerminal(execute(c.getKey()));
            assertThat(done.status()).as(c.getKey()).isEqualTo(StatusString.FAILED);
            assertThat(done.error()).as(c.getKey()).startsWith("ERROR: ").contains(c.getValue());
        }
        // Keywords in any case, options in any order, unquoted names, a trailing semicolon.
        String relaxed = "copy cdc.CDC_EVENTS (" + String.join(", ", CdcEventsTable.INSERT_COLUMNS) + ")\n  from 's3://"
                + BUCKET + "/staging/a'\n  gzip  statupdate off  format as json 'auto'  iam_role '" + COPY_ROLE
                + "' timeformat 'auto' maxerror 0;";
        assertThat(awaitTerminal(execute(relaxed)).status()).isEqualTo(StatusString.FINISHED);
    }

    @Test
    void aBatchFailsAtItsFirstCopyThatCannotLoad() throws Exception {
        seed("staging/a", row(1));
        String id = client.batchExecuteStatement(r -> r.workgroupName(WORKGROUP)
                        .database(DATABASE)
                        .sqls(copySql("staging/a", COPY_ROLE), copySql("staging/missing", COPY_ROLE), "SELECT 1"))
                .id();

        DescribeStatementResponse done = awaitTerminal(id);
        assertThat(done.status()).isEqualTo(StatusString.FAILED);
        assertThat(done.subStatements())
                .extracting(SubStatementData::statusAsString)
                .containsExactly("FINISHED", "FAILED", "ABORTED");
        assertThat(fake.copiedLines(id)).isEmpty();
    }

    @Test
    void aCopyWithoutACopySourceIsAnInternalErrorOfTheTest() throws Exception {
        try (FakeRedshiftDataApi bare = FakeRedshiftDataApi.start();
                RedshiftDataClient bareClient = RedshiftDataClient.builder()
                        .endpointOverride(bare.endpoint())
                        .region(Region.US_EAST_1)
                        .credentialsProvider(SigV4Verifier.credentialsProvider())
                        .httpClient(UrlConnectionHttpClient.create())
                        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                        .build()) {
            bare.copyRoles(COPY_ROLE);
            assertThatThrownBy(() -> bareClient.executeStatement(
                            base(copySql("staging/a", COPY_ROLE)).build()))
                    .isInstanceOf(RedshiftDataException.class)
                    .satisfies(e ->
                            assertThat(((RedshiftDataException) e).statusCode()).isEqualTo(500));
            assertThat(bare.internalErrors()).singleElement().asString().contains("copySource");
        }
    }

    // ---- SUPER strings through JSON_PARSE ------------------------------------------------------------

    @Test
    void jsonParseParametersMustBeJsonWithStringsThatFitSuper() {
        String sql =
                "INSERT INTO \"cdc\".\"cdc_events\" (row_image) SELECT v.r.\"i\" FROM (SELECT JSON_PARSE(:r0) AS r) AS v";
        String fits = "{\"s\":\"public\",\"i\":{\"doc\":\"" + "x".repeat(65_535) + "\"}}";
        String tooLong = "{\"s\":\"public\",\"i\":{\"doc\":\"" + "x".repeat(65_536) + "\"}}";

        assertThat(awaitTerminal(client.executeStatement(
                                        base(sql).parameters(param("r0", fits)).build())
                                .id())
                        .status())
                .isEqualTo(StatusString.FINISHED);
        DescribeStatementResponse failed = awaitTerminal(client.executeStatement(
                        base(sql).parameters(param("r0", tooLong)).build())
                .id());
        assertThat(failed.status()).isEqualTo(StatusString.FAILED);
        assertThat(failed.error())
                .contains("JSON_PARSE(:r0)")
                .contains("a string of 65536 bytes at $.i.doc exceeds the limit of 65535 bytes");
        DescribeStatementResponse notJson = awaitTerminal(client.executeStatement(
                        base(sql).parameters(param("r0", "{\"i\":")).build())
                .id());
        assertThat(notJson.error()).startsWith("ERROR: JSON parsing error in JSON_PARSE(:r0)");
        // A parameter not given to JSON_PARSE is just a string.
        assertThat(awaitTerminal(client.executeStatement(base("SELECT :p")
                                        .parameters(param("p", "x".repeat(70_000)))
                                        .build())
                                .id())
                        .status())
                .isEqualTo(StatusString.FINISHED);

        fake.maxSuperStringBytes(1_000_000);
        assertThat(awaitTerminal(client.executeStatement(base(sql)
                                        .parameters(param("r0", tooLong))
                                        .build())
                                .id())
                        .status())
                .isEqualTo(StatusString.FINISHED);
    }

    private static final String COLUMNS =
            CdcEventsTable.INSERT_COLUMNS.stream().map(c -> "\"" + c + "\"").collect(Collectors.joining(", "));

    /** The COPY the consumer sends (see BulkLoader in the lambda module). */
    private static String copySql(String key, String role) {
        return "COPY \"cdc\".\"cdc_events\" (" + COLUMNS + ")\n"
                + "FROM 's3://" + BUCKET + "/" + key + "'\n"
                + "IAM_ROLE '" + role + "'\n"
                + "FORMAT JSON 'auto'\n"
                + "GZIP\n"
                + "TIMEFORMAT 'auto'\n"
                + "COMPUPDATE OFF\n"
                + "STATUPDATE OFF";
    }

    /** A valid cdc_events line, as the consumer writes it. */
    private static ObjectNode row(int i) {
        ObjectNode row = JSON.createObjectNode();
        row.put("source_schema", "public");
        row.put("source_table", "orders");
        row.put("record_key", "[" + i + "]");
        row.put("commit_ts_ns", 1_705_321_800_000_125_000L + i);
        row.put("commit_ts", "2024-01-15 12:30:00.000125");
        row.put("op", "c");
        row.put("is_delete", false);
        row.put("tx_id", "ffthunp5stx6ffs2vyfqoatmfu");
        row.put("event_id", String.format("%064x", i));
        row.putObject("row_image").put("id", i).put("message", "hello é");
        row.put("kinesis_shard_id", "shardId-000000000000");
        row.put("kinesis_sequence_number", "4959" + String.format("%052d", i));
        return row;
    }

    /** A valid line of exactly {@code bytes} UTF-8 bytes (padding in a row_image string). */
    private static String lineOfBytes(int bytes) {
        ObjectNode row = row(1);
        int base = row.toString().getBytes(StandardCharsets.UTF_8).length + ",\"pad\":\"\"".length();
        ((ObjectNode) row.get("row_image")).put("pad", "p".repeat(bytes - base));
        String line = row.toString();
        assertThat(line.getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
        return line;
    }

    private void seed(String key, ObjectNode... rows) throws Exception {
        StringBuilder text = new StringBuilder();
        for (ObjectNode r : rows) {
            text.append(r).append('\n');
        }
        s3.seedObject(BUCKET, key, gzip(text.toString()), "application/x-ndjson");
    }

    private static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    // ---- signatures ----------------------------------------------------------------------------------

    @Test
    void aBadSignatureIsRejectedAndRecorded() {
        try (RedshiftDataClient wrongKey = RedshiftDataClient.builder()
                .endpointOverride(fake.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(SigV4Verifier.ACCESS_KEY, "not-the-secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build()) {
            assertThatThrownBy(() -> wrongKey.executeStatement(base("SELECT 1").build()))
                    .isInstanceOf(RedshiftDataException.class)
                    .satisfies(e -> {
                        assertThat(((RedshiftDataException) e).statusCode()).isEqualTo(403);
                        assertThat(((RedshiftDataException) e).awsErrorDetails().errorCode())
                                .isEqualTo("InvalidSignatureException");
                    });
        }
        try (RedshiftDataClient wrongRegion = RedshiftDataClient.builder()
                .endpointOverride(fake.endpoint())
                .region(Region.EU_WEST_1)
                .credentialsProvider(SigV4Verifier.credentialsProvider())
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build()) {
            assertThatThrownBy(() -> wrongRegion.describeStatement(r -> r.id("x")))
                    .isInstanceOf(RedshiftDataException.class);
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
        return ExecuteStatementRequest.builder()
                .workgroupName(WORKGROUP)
                .database(DATABASE)
                .sql(sql);
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
            if (Set.of(StatusString.FINISHED, StatusString.FAILED, StatusString.ABORTED)
                    .contains(r.status())) {
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
        SignedRequest signed = AwsV4HttpSigner.create()
                .sign(r -> r.identity(AwsBasicCredentials.create(SigV4Verifier.ACCESS_KEY, SigV4Verifier.SECRET_KEY))
                        .request(request)
                        .payload(ContentStreamProvider.fromByteArray(bytes))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SigV4Verifier.REDSHIFT_DATA)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, SigV4Verifier.DEFAULT_REGION));
        HttpRequest.Builder http = HttpRequest.newBuilder(URI.create(fake.endpoint() + "/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        signed.request().headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(v -> http.header(name, v));
            }
        });
        return HttpClient.newHttpClient().send(http.build(), HttpResponse.BodyHandlers.ofString());
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
