package com.dsqlcdc.clients.dataapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.clients.dataapi.StatementOutcome.Status;
import com.dsqlcdc.testing.ExecutedStatement;
import com.dsqlcdc.testing.FakeRedshiftDataApi;
import com.dsqlcdc.testing.FakeS3;
import com.dsqlcdc.testing.ManualClock;
import com.dsqlcdc.testing.SigV4Verifier;
import com.dsqlcdc.testing.pg.RedshiftOnPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;

/**
 * The statement runner's sessions, the rows of each statement of a batch and {@link
 * DataApiStatements#result}, against the Data API fake running the SQL on PostgreSQL: what the
 * loader's warehouse is built on.
 */
class DataApiStatementsSessionTest {

    private static final DataApiTarget TARGET = DataApiTarget.asCaller("wg", "dev");

    private static EmbeddedPostgres postgres;
    private static RedshiftOnPostgres redshift;
    private static FakeS3 s3;

    private FakeRedshiftDataApi fake;
    private RedshiftDataClient client;
    private DataApiStatements statements;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        s3 = FakeS3.start();
        redshift = new RedshiftOnPostgres(postgres, s3::read);
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        s3.close();
        postgres.close();
    }

    @BeforeEach
    void start() {
        fake = FakeRedshiftDataApi.start().postgres(redshift);
        client = RedshiftDataClient.builder()
                .endpointOverride(fake.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(SigV4Verifier.credentialsProvider())
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        statements = new DataApiStatements(client, TARGET, DataApiStatements.Settings.defaults());
        try (RedshiftOnPostgres.Session admin = redshift.openSession()) {
            admin.execute("DROP TABLE IF EXISTS items");
            admin.execute("CREATE TABLE items (id BIGINT, label VARCHAR(20), active BOOLEAN)");
        }
    }

    @AfterEach
    void stop() {
        statements.close();
        client.close();
        fake.close();
        assertThat(fake.signatureProblems()).isEmpty();
        assertThat(fake.internalErrors()).isEmpty();
    }

    private static Instant soon() {
        return Instant.now().plusSeconds(30);
    }

    @Test
    void aSessionIsOpenedByItsFirstStatementAndNamedAloneByTheNext() {
        DataApiStatements.Session session = statements.openSession(Duration.ofMinutes(5));
        assertThat(session.id()).isEmpty();

        StatementOutcome created = session.run(
                Statement.batch(List.of("CREATE TEMP TABLE scratch AS SELECT id FROM items WHERE FALSE")), soon());
        StatementOutcome filled =
                session.run(Statement.of("INSERT INTO scratch VALUES (1), (2), (3)", Map.of()), soon());
        StatementOutcome counted = session.run(Statement.of("SELECT COUNT(*) AS n FROM scratch", Map.of()), soon());

        assertThat(List.of(created, filled, counted))
                .allSatisfy(o -> assertThat(o.status()).isEqualTo(Status.FINISHED));
        assertThat(filled.resultRows()).isEqualTo(3);
        assertThat(statements.result(counted.id().orElseThrow()).records()).containsExactly(Map.of("n", "3"));
        assertThat(session.id()).isPresent();
        List<ExecutedStatement> sent = fake.statements();
        assertThat(sent)
                .extracting(ExecutedStatement::sessionId)
                .containsOnly(session.id().get());
        assertThat(fake.sessionIds()).containsExactly(session.id().get());
    }

    @Test
    void twoSessionsHaveTheirOwnTemporaryTables() {
        DataApiStatements.Session a = statements.openSession(Duration.ofMinutes(5));
        DataApiStatements.Session b = statements.openSession(Duration.ofMinutes(5));
        a.run(Statement.of("CREATE TEMP TABLE scratch AS SELECT 1 AS n", Map.of()), soon());

        StatementOutcome fromB = b.run(Statement.of("SELECT n FROM scratch", Map.of()), soon());

        assertThat(fromB.status()).isEqualTo(Status.FAILED);
        assertThat(fromB.error()).hasValueSatisfying(e -> assertThat(e).contains("\"scratch\" does not exist"));
        assertThat(fake.sessionIds()).hasSize(2);
    }

    @Test
    void aBatchReportsTheRowsOfEachOfItsStatementsInOrder() {
        List<String> sqls = new ArrayList<>();
        List<Long> expected = new ArrayList<>();
        long even = 0;
        for (int i = 1; i <= 12; i++) {
            StringBuilder values = new StringBuilder();
            for (int r = 0; r < i; r++) {
                values.append(r == 0 ? "" : ", ")
                        .append("(")
                        .append(i * 100 + r)
                        .append(", 'x', TRUE)");
                even += (i * 100 + r) % 2 == 0 ? 1 : 0;
            }
            sqls.add("INSERT INTO items VALUES " + values);
            expected.add((long) i);
        }
        sqls.add("UPDATE items SET active = FALSE WHERE id % 2 = 0");
        expected.add(even);

        StatementOutcome outcome = statements.run(Statement.batch(sqls), soon());

        assertThat(outcome.status()).isEqualTo(Status.FINISHED);
        assertThat(outcome.subStatementRows())
                .as("in statement order, :10 after :9")
                .containsExactlyElementsOf(expected);
    }

    @Test
    void aFailedBatchHasNoRowsAndPostgresqlsErrorAndChangesNothing() {
        StatementOutcome outcome = statements.run(
                Statement.batch(List.of("INSERT INTO items VALUES (1, 'a', TRUE)", "INSERT INTO nowhere VALUES (1)")),
                soon());

        assertThat(outcome.status()).isEqualTo(Status.FAILED);
        assertThat(outcome.error()).hasValueSatisfying(e -> assertThat(e).contains("\"nowhere\" does not exist"));
        assertThat(outcome.subStatementRows()).isEmpty();
        StatementOutcome count = statements.run(Statement.of("SELECT COUNT(*) AS n FROM items", Map.of()), soon());
        assertThat(statements.result(count.id().orElseThrow()).records()).containsExactly(Map.of("n", "0"));
    }

    @Test
    void resultGivesColumnNamesAndEveryRowAcrossPages() {
        fake.resultPageSize(3);
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            values.append(i == 0 ? "" : ", ").append("(").append(i).append(", ");
            values.append(i == 4 ? "NULL" : "'item " + i + "'")
                    .append(", ")
                    .append(i % 2 == 0)
                    .append(")");
        }
        statements.run(Statement.of("INSERT INTO items VALUES " + values, Map.of()), soon());

        StatementOutcome query = statements.run(
                Statement.of(
                        "SELECT id, label, active FROM items WHERE id >= CAST(:from AS BIGINT) ORDER BY id",
                        Map.of("from", "2")),
                soon());
        DataApiStatements.Result result = statements.result(query.id().orElseThrow());

        assertThat(query.resultRows()).isEqualTo(8);
        assertThat(result.columns()).containsExactly("id", "label", "active");
        assertThat(result.rows()).hasSize(8);
        List<Map<String, String>> records = result.records();
        Map<String, String> four = new LinkedHashMap<>();
        four.put("id", "4");
        four.put("label", null);
        four.put("active", "true");
        assertThat(records.get(2)).isEqualTo(four);
        assertThat(records.get(0)).isEqualTo(Map.of("id", "2", "label", "item 2", "active", "true"));
        assertThat(fake.calls("GetStatementResult")).isEqualTo(3);
    }

    @Test
    void aSessionClosedForIdlenessRefusesTheNextStatementWhichIsNotSubmitted() {
        ManualClock clock = new ManualClock(Instant.now());
        fake.clock(clock);
        DataApiStatements.Session session = statements.openSession(Duration.ofSeconds(60));
        Instant deadline = clock.instant().plus(Duration.ofDays(1));
        assertThat(session.run(Statement.of("CREATE TEMP TABLE scratch AS SELECT 1 AS n", Map.of()), deadline)
                        .status())
                .isEqualTo(Status.FINISHED);
        clock.advance(Duration.ofSeconds(61));

        StatementOutcome late = session.run(Statement.of("SELECT n FROM scratch", Map.of()), deadline);

        assertThat(late.status()).isEqualTo(Status.NOT_SUBMITTED);
        assertThat(late.error()).hasValueSatisfying(e -> assertThat(e).contains("is closed"));
        assertThat(fake.sessionStatus(session.id().orElseThrow())).isEqualTo("CLOSED");
    }
}
