package com.dsqlcdc.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.testing.cost.WarehouseCostModel;
import com.dsqlcdc.testing.pg.RedshiftOnPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.ActiveSessionsExceededException;
import software.amazon.awssdk.services.redshiftdata.model.ColumnMetadata;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.Field;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;
import software.amazon.awssdk.services.redshiftdata.model.RedshiftDataException;
import software.amazon.awssdk.services.redshiftdata.model.ResourceNotFoundException;
import software.amazon.awssdk.services.redshiftdata.model.SqlParameter;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.redshiftdata.model.SubStatementData;
import software.amazon.awssdk.services.redshiftdata.model.ValidationException;

/**
 * The Data API fake's sessions, its PostgreSQL backend and its cost model, driven by the real SDK
 * client: what the loader relies on (temporary tables across calls, a batch as one transaction,
 * per-statement row counts, typed results) and what the service charges.
 */
class FakeRedshiftDataApiPostgresTest {

    private static final String WORKGROUP = "cdc-wg";
    private static final String DATABASE = "dev";
    private static final String BUCKET = "cdc-staging";
    private static final String COPY_ROLE = "arn:aws:iam::123456789012:role/cdc-redshift-copy";
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    private static EmbeddedPostgres postgres;
    private static FakeS3 s3;
    private static RedshiftOnPostgres redshift;

    private FakeRedshiftDataApi fake;
    private RedshiftDataClient client;
    private ManualClock clock;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        s3 = FakeS3.start().createBucket(BUCKET);
        redshift = new RedshiftOnPostgres(postgres, s3::read);
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        s3.close();
        postgres.close();
    }

    @BeforeEach
    void start() {
        clock = new ManualClock(T0);
        fake = FakeRedshiftDataApi.start()
                .clock(clock)
                .postgres(redshift)
                .copySource(s3)
                .copyRoles(COPY_ROLE);
        client = RedshiftDataClient.builder()
                .endpointOverride(fake.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(SigV4Verifier.credentialsProvider())
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        try (RedshiftOnPostgres.Session admin = redshift.openSession()) {
            admin.execute("DROP TABLE IF EXISTS t");
            admin.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, name VARCHAR(20), ok BOOLEAN, score FLOAT8)");
        }
    }

    @AfterEach
    void stop() {
        client.close();
        fake.close();
        assertThat(fake.signatureProblems()).isEmpty();
        assertThat(fake.internalErrors()).isEmpty();
    }

    private ExecuteStatementResponse open(String sql, int keepAliveSeconds) {
        return client.executeStatement(r -> r.workgroupName(WORKGROUP)
                .database(DATABASE)
                .sessionKeepAliveSeconds(keepAliveSeconds)
                .sql(sql));
    }

    private String inSession(String sessionId, String sql) {
        return client.executeStatement(r -> r.sessionId(sessionId).sql(sql)).id();
    }

    private DescribeStatementResponse describe(String id) {
        return client.describeStatement(r -> r.id(id));
    }

    // ---- sessions ---------------------------------------------------------------------------------

    @Test
    void aSessionKeepsItsTemporaryTablesFromOneCallToTheNext() {
        ExecuteStatementResponse first = open("CREATE TEMP TABLE scratch AS SELECT 41 AS n", 60);
        assertThat(first.sessionId()).matches("[0-9a-f-]{36}");
        assertThat(describe(first.id()).sessionId()).isEqualTo(first.sessionId());

        String update = inSession(first.sessionId(), "UPDATE scratch SET n = n + 1");
        assertThat(describe(update).resultRows()).isEqualTo(1);
        String read = inSession(first.sessionId(), "SELECT n FROM scratch");

        assertThat(client.getStatementResult(r -> r.id(read)).records())
                .containsExactly(List.of(Field.builder().longValue(42L).build()));
        assertThat(fake.statements()).extracting(ExecutedStatement::sessionId).containsOnly(first.sessionId());
        assertThat(fake.statements().get(1).workgroupName())
                .as("a statement in a session runs where the session does")
                .isEqualTo(WORKGROUP);
    }

    @Test
    void outsideASessionEveryStatementHasAConnectionOfItsOwn() {
        client.executeStatement(
                r -> r.workgroupName(WORKGROUP).database(DATABASE).sql("CREATE TEMP TABLE scratch AS SELECT 1 AS n"));
        String read = client.executeStatement(
                        r -> r.workgroupName(WORKGROUP).database(DATABASE).sql("SELECT n FROM scratch"))
                .id();

        DescribeStatementResponse failed = describe(read);
        assertThat(failed.status()).isEqualTo(StatusString.FAILED);
        assertThat(failed.error()).contains("relation \"scratch\" does not exist");
    }

    @Test
    void aSessionRunsOneStatementAtATimeAndRefusesASecondWhileBusy() {
        fake.statementLatency(Duration.ofSeconds(10));
        ExecuteStatementResponse first = open("SELECT 1", 60);
        assertThat(fake.sessionStatus(first.sessionId())).isEqualTo("BUSY");

        assertThatThrownBy(() -> inSession(first.sessionId(), "SELECT 2"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("is busy running statement " + first.id());

        clock.advance(Duration.ofSeconds(10));
        assertThat(fake.sessionStatus(first.sessionId())).isEqualTo("AVAILABLE");
        assertThat(describe(inSession(first.sessionId(), "SELECT 2")).status()).isNotNull();
    }

    @Test
    void anIdleSessionClosesAfterItsKeepAliveAndItsTemporaryTablesGo() {
        ExecuteStatementResponse first = open("CREATE TEMP TABLE scratch AS SELECT 1 AS n", 30);
        clock.advance(Duration.ofSeconds(29));
        inSession(first.sessionId(), "SELECT n FROM scratch"); // the keep-alive counts from here
        clock.advance(Duration.ofSeconds(29));
        assertThat(fake.sessionStatus(first.sessionId())).isEqualTo("AVAILABLE");

        clock.advance(Duration.ofSeconds(1));
        assertThat(fake.sessionStatus(first.sessionId())).isEqualTo("CLOSED");
        assertThatThrownBy(() -> inSession(first.sessionId(), "SELECT n FROM scratch"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("is closed");
        assertThat(temporaryTablesNamed("scratch"))
                .as("the closed session's connection took its temporary table with it")
                .isZero();
    }

    @Test
    void theKeepAliveCanBeChangedByALaterStatement() {
        ExecuteStatementResponse first = open("SELECT 1", 10);
        client.executeStatement(
                r -> r.sessionId(first.sessionId()).sessionKeepAliveSeconds(600).sql("SELECT 2"));
        clock.advance(Duration.ofSeconds(300));
        assertThat(fake.sessionStatus(first.sessionId())).isEqualTo("AVAILABLE");
    }

    @Test
    void aStatementInASessionNamesTheSessionAlone() {
        ExecuteStatementResponse first = open("SELECT 1", 60);
        assertThatThrownBy(() -> client.executeStatement(r ->
                        r.sessionId(first.sessionId()).workgroupName(WORKGROUP).sql("SELECT 2")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("WorkgroupName must not be given with SessionId");
        assertThatThrownBy(() -> client.executeStatement(
                        r -> r.sessionId(first.sessionId()).database(DATABASE).sql("SELECT 2")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Database");
        assertThatThrownBy(() -> inSession("00000000-0000-0000-0000-000000000000", "SELECT 1"))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> open("SELECT 1", 86_401))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("SessionKeepAliveSeconds");
    }

    @Test
    void aRetryOfTheCallThatOpenedASessionAnswersTheSameSession() {
        ExecuteStatementResponse first = client.executeStatement(r -> r.workgroupName(WORKGROUP)
                .database(DATABASE)
                .sessionKeepAliveSeconds(60)
                .clientToken("token-1")
                .sql("SELECT 1"));
        ExecuteStatementResponse again = client.executeStatement(r -> r.workgroupName(WORKGROUP)
                .database(DATABASE)
                .sessionKeepAliveSeconds(60)
                .clientToken("token-1")
                .sql("SELECT 1"));

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.sessionId()).isEqualTo(first.sessionId());
        assertThat(fake.sessionIds()).containsExactly(first.sessionId());
    }

    @Test
    void theOpenSessionsQuotaRefusesOneMore() {
        fake.maxActiveSessions(1);
        open("SELECT 1", 60);
        assertThatThrownBy(() -> open("SELECT 1", 60)).isInstanceOf(ActiveSessionsExceededException.class);
    }

    @Test
    void batchesRunInSessionsToo() {
        ExecuteStatementResponse first = open("CREATE TEMP TABLE scratch (n INT)", 60);
        String batch = client.batchExecuteStatement(r -> r.sessionId(first.sessionId())
                        .sqls("INSERT INTO scratch VALUES (1), (2)", "SELECT n FROM scratch ORDER BY n"))
                .id();
        assertThat(describe(batch).sessionId()).isEqualTo(first.sessionId());
        assertThat(client.getStatementResult(r -> r.id(batch + ":2")).records()).hasSize(2);
    }

    // ---- PostgreSQL backend -------------------------------------------------------------------------

    @Test
    void aBatchIsOneTransactionAndReportsEachStatementsRows() {
        String batch = client.batchExecuteStatement(r -> r.workgroupName(WORKGROUP)
                        .database(DATABASE)
                        .sqls(
                                "INSERT INTO t (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')",
                                "UPDATE t SET ok = TRUE WHERE id > 1",
                                "SELECT id, name FROM t ORDER BY id"))
                .id();

        DescribeStatementResponse done = describe(batch);
        assertThat(done.status()).isEqualTo(StatusString.FINISHED);
        assertThat(done.subStatements())
                .extracting(SubStatementData::resultRows)
                .containsExactly(3L, 2L, 3L);
        assertThat(done.subStatements())
                .extracting(SubStatementData::hasResultSet)
                .containsExactly(false, false, true);
        assertThat(done.resultRows()).isEqualTo(3L);
        assertThat(client.getStatementResult(r -> r.id(batch + ":3")).totalNumRows())
                .isEqualTo(3L);
        assertThatThrownBy(() -> client.getStatementResult(r -> r.id(batch + ":1")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("does not have result");
        assertThatThrownBy(() -> client.getStatementResult(r -> r.id(batch + ":4")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void aFailingStatementRollsTheWholeBatchBackWithPostgresqlsError() {
        String batch = client.batchExecuteStatement(r -> r.workgroupName(WORKGROUP)
                        .database(DATABASE)
                        .sqls(
                                "INSERT INTO t (id) VALUES (1)",
                                "INSERT INTO t (id) VALUES (1)",
                                "INSERT INTO t (id) VALUES (2)"))
                .id();

        DescribeStatementResponse failed = describe(batch);
        assertThat(failed.status()).isEqualTo(StatusString.FAILED);
        assertThat(failed.error()).contains("duplicate key value violates unique constraint");
        assertThat(failed.subStatements())
                .extracting(SubStatementData::statusAsString)
                .containsExactly("FINISHED", "FAILED", "ABORTED");
        try (RedshiftOnPostgres.Session s = redshift.openSession()) {
            assertThat(s.execute("SELECT COUNT(*) FROM t").rows().get(0).get(0))
                    .as("rolled back")
                    .isEqualTo("0");
        }
        assertThat(fake.landed()).isEmpty();
    }

    @Test
    void getStatementResultGivesTypedFieldsWithColumnMetadataPageByPage() {
        try (RedshiftOnPostgres.Session admin = redshift.openSession()) {
            admin.execute("INSERT INTO t (id, name, ok, score) VALUES (1, 'one', TRUE, 1.5), (2, NULL, FALSE, 2),"
                    + " (3, 'three', NULL, NULL)");
        }
        fake.resultPageSize(2);
        String id = client.executeStatement(r -> r.workgroupName(WORKGROUP)
                        .database(DATABASE)
                        .sql("SELECT id, name, ok, score, CAST('{\"a\":1}' AS SUPER) AS doc FROM t ORDER BY id"))
                .id();

        GetStatementResultResponse page1 = client.getStatementResult(r -> r.id(id));
        assertThat(page1.columnMetadata())
                .extracting(ColumnMetadata::name, ColumnMetadata::typeName)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("id", "int8"),
                        org.assertj.core.groups.Tuple.tuple("name", "varchar"),
                        org.assertj.core.groups.Tuple.tuple("ok", "bool"),
                        org.assertj.core.groups.Tuple.tuple("score", "float8"),
                        org.assertj.core.groups.Tuple.tuple("doc", "super"));
        assertThat(page1.records().get(0))
                .containsExactly(
                        Field.builder().longValue(1L).build(),
                        Field.builder().stringValue("one").build(),
                        Field.builder().booleanValue(true).build(),
                        Field.builder().doubleValue(1.5).build(),
                        Field.builder().stringValue("{\"a\": 1}").build());
        assertThat(page1.records().get(1).get(1).isNull()).isTrue();
        assertThat(page1.totalNumRows()).isEqualTo(3L);
        assertThat(page1.nextToken()).isNotNull();
        GetStatementResultResponse page2 =
                client.getStatementResult(r -> r.id(id).nextToken(page1.nextToken()));
        assertThat(page2.records()).hasSize(1);
        assertThat(page2.nextToken()).isNull();
    }

    @Test
    void parametersAreBoundAsLiterals() {
        String id = client.executeStatement(r -> r.workgroupName(WORKGROUP)
                        .database(DATABASE)
                        .sql("INSERT INTO t (id, name) VALUES (CAST(:id AS BIGINT), :name)")
                        .parameters(
                                SqlParameter.builder().name("id").value("7").build(),
                                SqlParameter.builder()
                                        .name("name")
                                        .value("O'Brien ::x")
                                        .build()))
                .id();
        assertThat(describe(id).status()).isEqualTo(StatusString.FINISHED);
        try (RedshiftOnPostgres.Session s = redshift.openSession()) {
            assertThat(s.execute("SELECT name FROM t WHERE id = 7").rows()).containsExactly(List.of("O'Brien ::x"));
        }
    }

    @Test
    void aCopyReadsItsManifestAndObjectsFromS3AndAMissingMandatoryObjectFailsIt() throws IOException {
        s3.seedObject(
                BUCKET, "staged/a.jsonl.gz", gzip("{\"id\":1,\"name\":\"x\"}\n{\"id\":2,\"name\":\"y\"}\n"), null);
        s3.seedObject(
                BUCKET,
                "manifests/ok.json",
                ("{\"entries\":[{\"url\":\"s3://" + BUCKET + "/staged/a.jsonl.gz\",\"mandatory\":true}]}")
                        .getBytes(StandardCharsets.UTF_8),
                null);
        s3.seedObject(
                BUCKET,
                "manifests/missing.json",
                ("{\"entries\":[{\"url\":\"s3://" + BUCKET + "/staged/a.jsonl.gz\",\"mandatory\":true},"
                                + "{\"url\":\"s3://" + BUCKET + "/staged/gone.jsonl.gz\",\"mandatory\":true}]}")
                        .getBytes(StandardCharsets.UTF_8),
                null);

        String ok = client.executeStatement(
                        r -> r.workgroupName(WORKGROUP).database(DATABASE).sql(copy("manifests/ok.json", COPY_ROLE)))
                .id();
        assertThat(describe(ok).resultRows()).isEqualTo(2L);

        DescribeStatementResponse missing = describe(client.executeStatement(r ->
                        r.workgroupName(WORKGROUP).database(DATABASE).sql(copy("manifests/missing.json", COPY_ROLE)))
                .id());
        assertThat(missing.status()).isEqualTo(StatusString.FAILED);
        assertThat(missing.error()).contains("gone.jsonl.gz");

        DescribeStatementResponse wrongRole = describe(client.executeStatement(r -> r.workgroupName(WORKGROUP)
                        .database(DATABASE)
                        .sql(copy("manifests/ok.json", "arn:aws:iam::123456789012:role/other")))
                .id());
        assertThat(wrongRole.status()).isEqualTo(StatusString.FAILED);
        assertThat(wrongRole.error()).contains("is not authorized to assume IAM Role");
        try (RedshiftOnPostgres.Session s = redshift.openSession()) {
            assertThat(s.execute("SELECT COUNT(*) FROM t").rows().get(0).get(0)).isEqualTo("2");
        }
    }

    @Test
    void scriptedOutcomesStillDecideAndAFailedOneRunsNothing() {
        fake.outcomes(s -> s.sql().contains("'scripted'") ? Outcome.failed("ERROR: scripted") : Outcome.finished());
        DescribeStatementResponse failed = describe(client.executeStatement(r -> r.workgroupName(WORKGROUP)
                        .database(DATABASE)
                        .sql("INSERT INTO t (id, name) VALUES (1, 'scripted')"))
                .id());
        assertThat(failed.error()).isEqualTo("ERROR: scripted");
        try (RedshiftOnPostgres.Session s = redshift.openSession()) {
            assertThat(s.execute("SELECT COUNT(*) FROM t").rows().get(0).get(0)).isEqualTo("0");
        }
    }

    @Test
    void aStatementThatAlreadyRanCannotBeCancelled() {
        fake.statementLatency(Duration.ofSeconds(5));
        String id = client.executeStatement(
                        r -> r.workgroupName(WORKGROUP).database(DATABASE).sql("INSERT INTO t (id) VALUES (1)"))
                .id();
        assertThat(client.cancelStatement(r -> r.id(id)).status()).isFalse();
        clock.advance(Duration.ofSeconds(5));
        assertThat(describe(id).status()).isEqualTo(StatusString.FINISHED);
    }

    @Test
    void getStatementResultHasAQuota() {
        fake.getResultRateLimit(2);
        String id = client.executeStatement(
                        r -> r.workgroupName(WORKGROUP).database(DATABASE).sql("SELECT 1 AS one"))
                .id();
        client.getStatementResult(r -> r.id(id));
        client.getStatementResult(r -> r.id(id));
        assertThatThrownBy(() -> client.getStatementResult(r -> r.id(id)))
                .isInstanceOfSatisfying(
                        RedshiftDataException.class,
                        e -> assertThat(e.isThrottlingException()).isTrue());
        clock.advance(Duration.ofSeconds(1));
        assertThat(client.getStatementResult(r -> r.id(id)).records()).hasSize(1);
    }

    // ---- cost model ------------------------------------------------------------------------------------

    @Test
    void underTheCostModelACopyTakesSecondsAndCommitsQueueAcrossSessions() throws IOException {
        WarehouseCostModel model = WarehouseCostModel.central();
        fake.costModel(model);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            lines.append("{\"id\":")
                    .append(i)
                    .append(",\"name\":\"")
                    .append("n".repeat(10))
                    .append("\"}\n");
        }
        s3.seedObject(BUCKET, "staged/big.jsonl.gz", gzip(lines.toString()), null);
        s3.seedObject(
                BUCKET,
                "manifests/big.json",
                ("{\"entries\":[{\"url\":\"s3://" + BUCKET + "/staged/big.jsonl.gz\",\"mandatory\":true}]}")
                        .getBytes(StandardCharsets.UTF_8),
                null);

        String copy = client.executeStatement(
                        r -> r.workgroupName(WORKGROUP).database(DATABASE).sql(copy("manifests/big.json", COPY_ROLE)))
                .id();
        // Two other sessions write at once: their commits queue behind the COPY's and each other's.
        String a = open("INSERT INTO t (id) VALUES (100001)", 60).id();
        String b = open("INSERT INTO t (id) VALUES (100002)", 60).id();
        String read = open("SELECT COUNT(*) FROM t", 60).id();

        long bytes = lines.toString().getBytes(StandardCharsets.UTF_8).length;
        Duration copyRuns =
                model.execution(com.dsqlcdc.testing.cost.SqlKind.COPY, WarehouseCostModel.Work.copy(1, bytes, 1000));
        Duration insertRuns = model.execution(com.dsqlcdc.testing.cost.SqlKind.DML, WarehouseCostModel.Work.rows(1));
        assertThat(copyRuns).isGreaterThanOrEqualTo(model.copyFixed());

        clock.advance(insertRuns.plus(model.commit()));
        assertThat(describe(a).status()).isEqualTo(StatusString.FINISHED);
        assertThat(describe(b).status())
                .as("the second insert's commit waits for the first's")
                .isNotEqualTo(StatusString.FINISHED);
        assertThat(describe(read).status()).as("a read does not commit").isEqualTo(StatusString.FINISHED);
        clock.advance(model.commit());
        assertThat(describe(b).status()).isEqualTo(StatusString.FINISHED);
        assertThat(describe(copy).status()).isNotEqualTo(StatusString.FINISHED);

        clock.set(T0.plus(copyRuns).plus(model.commit()));
        DescribeStatementResponse copied = describe(copy);
        assertThat(copied.status()).isEqualTo(StatusString.FINISHED);
        assertThat(copied.resultRows()).isEqualTo(1000L);
        assertThat(fake.commits()).isEqualTo(3);
        assertThat(fake.billed())
                .as("a burst shorter than a minute is billed a minute")
                .isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void theCostModelsQuotasApply() {
        fake.costModel(WarehouseCostModel.central());
        for (int i = 0; i < WarehouseCostModel.EXECUTE_PER_SECOND; i++) {
            client.executeStatement(
                    r -> r.workgroupName(WORKGROUP).database(DATABASE).sql("SELECT 1"));
        }
        assertThatThrownBy(() -> client.executeStatement(
                        r -> r.workgroupName(WORKGROUP).database(DATABASE).sql("SELECT 1")))
                .isInstanceOfSatisfying(
                        RedshiftDataException.class,
                        e -> assertThat(e.isThrottlingException()).isTrue());
    }

    /** Temporary tables of that name in any session, waiting up to 5 s for closed connections to end. */
    private static long temporaryTablesNamed(String name) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        try (RedshiftOnPostgres.Session s = redshift.openSession()) {
            while (true) {
                long n = Long.parseLong(s.execute(
                                "SELECT COUNT(*) FROM pg_class WHERE relname = '" + name + "' AND relpersistence = 't'")
                        .rows()
                        .get(0)
                        .get(0));
                if (n == 0 || System.nanoTime() > deadline) {
                    return n;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return n;
                }
            }
        }
    }

    private static String copy(String manifestKey, String role) {
        return "COPY t (id, name)\nFROM 's3://" + BUCKET + "/" + manifestKey + "'\nIAM_ROLE '" + role
                + "'\nMANIFEST FORMAT JSON 'auto' GZIP TIMEFORMAT 'auto' COMPUPDATE OFF STATUPDATE OFF";
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
