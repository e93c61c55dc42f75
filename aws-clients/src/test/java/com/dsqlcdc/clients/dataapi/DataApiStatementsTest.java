package com.dsqlcdc.clients.dataapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.clients.dataapi.StatementOutcome.Status;
import com.dsqlcdc.contract.retry.Backoff;
import com.dsqlcdc.testing.ExecutedStatement;
import com.dsqlcdc.testing.FakeRedshiftDataApi;
import com.dsqlcdc.testing.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.Field;

/** The shared statement runner against the Data API fake, with the real SDK client. */
class DataApiStatementsTest {

    private static final DataApiTarget TARGET = DataApiTarget.asCaller("wg", "dev");
    private static final Backoff QUICK_POLLS = Backoff.doubling(Duration.ofMillis(2), Duration.ofMillis(20));

    private FakeRedshiftDataApi fake;
    private RedshiftDataClient client;

    @BeforeEach
    void start() {
        fake = FakeRedshiftDataApi.start();
        client = FakeDataApiClients.of(fake);
    }

    @AfterEach
    void stop() {
        client.close();
        fake.close();
    }

    private DataApiStatements runner(DataApiStatements.Settings settings) {
        return new DataApiStatements(client, TARGET, settings);
    }

    private static Instant in(Duration d) {
        return Instant.now().plus(d);
    }

    @Test
    void waitsWithLongPollingUntilFinishedWithAClientTokenPerSubmission() {
        fake.statementLatency(Duration.ofMillis(300));

        StatementOutcome outcome = runner(DataApiStatements.Settings.defaults())
                .run(Statement.of("INSERT INTO t VALUES (:v)", Map.of("v", "1")), in(Duration.ofSeconds(30)));

        assertThat(outcome.status()).isEqualTo(Status.FINISHED);
        assertThat(outcome.finished()).isTrue();
        assertThat(outcome.finishedAt()).isPresent();
        assertThat(outcome.latency()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(fake.describeWaits()).containsExactly(20);
        assertThat(fake.calls("DescribeStatement")).isEqualTo(1);
        ExecutedStatement executed = fake.statements().get(0);
        assertThat(executed.clientToken()).hasSize(36);
        assertThat(executed.parameters()).containsExactly(Map.entry("v", "1"));
        assertThat(fake.signatureProblems()).isEmpty();
    }

    @Test
    void pollsWithTheBackoffWhenLongPollingIsOffOrLessThanASecondIsLeft() {
        fake.statementLatency(Duration.ofMillis(100));

        StatementOutcome off = runner(DataApiStatements.Settings.defaults().polls(QUICK_POLLS, Duration.ZERO))
                .run(Statement.of("INSERT INTO t VALUES (1)", Map.of()), in(Duration.ofSeconds(30)));
        StatementOutcome shortDeadline = runner(DataApiStatements.Settings.defaults()
                        .polls(QUICK_POLLS, DataApiStatements.Settings.DEFAULT_LONG_POLL))
                .run(Statement.of("INSERT INTO t VALUES (2)", Map.of()), in(Duration.ofMillis(900)));

        assertThat(off.status()).isEqualTo(Status.FINISHED);
        assertThat(shortDeadline.status()).isEqualTo(Status.FINISHED);
        assertThat(fake.describeWaits()).isEmpty();
        assertThat(fake.calls("DescribeStatement")).isGreaterThan(2);
    }

    @Test
    void runsABatchThroughBatchExecuteStatement() {
        StatementOutcome outcome = runner(DataApiStatements.Settings.defaults())
                .run(
                        Statement.batch(List.of("CREATE TABLE a (x INT)", "CREATE TABLE b (x INT)")),
                        in(Duration.ofSeconds(30)));

        assertThat(outcome.status()).isEqualTo(Status.FINISHED);
        assertThat(fake.calls("BatchExecuteStatement")).isEqualTo(1);
        assertThat(fake.statements().get(0).sqls()).containsExactly("CREATE TABLE a (x INT)", "CREATE TABLE b (x INT)");
    }

    @Test
    void failedAndAbortedStatementsComeBackWithRedshiftsErrorText() {
        fake.outcomes(s -> s.sql().contains("bad")
                ? Outcome.failed("ERROR: relation \"nope\" does not exist")
                : Outcome.aborted());
        DataApiStatements runner = runner(DataApiStatements.Settings.defaults());

        StatementOutcome failed = runner.run(Statement.of("SELECT * FROM bad", Map.of()), in(Duration.ofSeconds(30)));
        StatementOutcome aborted = runner.run(Statement.of("SELECT 1", Map.of()), in(Duration.ofSeconds(30)));

        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.error()).contains("ERROR: relation \"nope\" does not exist");
        assertThat(aborted.status()).isEqualTo(Status.ABORTED);
        assertThat(aborted.finished()).isFalse();
    }

    @Test
    void aStatementStillRunningAtItsTimeoutIsCancelled() {
        fake.outcomes(s -> Outcome.stuck());

        StatementOutcome outcome = runner(DataApiStatements.Settings.defaults()
                        .polls(QUICK_POLLS, DataApiStatements.Settings.DEFAULT_LONG_POLL)
                        .statementTimeout(Duration.ofMillis(1500)))
                .run(Statement.of("VACUUM", Map.of()), in(Duration.ofSeconds(30)));

        assertThat(outcome.status()).isEqualTo(Status.TIMED_OUT);
        assertThat(outcome.error()).contains("STARTED");
        assertThat(outcome.cancellation()).contains("it was cancelled");
        assertThat(outcome.latency()).isBetween(Duration.ofMillis(1400), Duration.ofSeconds(5));
        assertThat(fake.calls("CancelStatement")).isEqualTo(1);
        assertThat(fake.statusOf(outcome.id().orElseThrow())).isEqualTo("ABORTED");
    }

    @Test
    void aRefusedSubmissionAndAPastDeadlineRunNothing() {
        fake.failNextCalls("ExecuteStatement", 1, 400, "ValidationException", "no such workgroup");
        DataApiStatements runner = runner(DataApiStatements.Settings.defaults());

        StatementOutcome refused = runner.run(Statement.of("SELECT 1", Map.of()), in(Duration.ofSeconds(30)));
        StatementOutcome late =
                runner.run(Statement.of("SELECT 1", Map.of()), Instant.now().minusSeconds(1));

        assertThat(refused.status()).isEqualTo(Status.NOT_SUBMITTED);
        assertThat(refused.cause()).isPresent();
        assertThat(refused.error()).hasValueSatisfying(e -> assertThat(e).contains("no such workgroup"));
        assertThat(late.status()).isEqualTo(Status.NOT_STARTED);
        assertThat(fake.statements()).isEmpty();
    }

    @Test
    void aDescribeThatKeepsFailingLeavesTheOutcomeUnknownAndCancels() {
        fake.statementLatency(Duration.ofSeconds(5));
        fake.failNextCalls("DescribeStatement", 1, 500, "InternalServerException", "boom");

        StatementOutcome outcome = runner(DataApiStatements.Settings.defaults())
                .run(Statement.of("SELECT 1", Map.of()), in(Duration.ofSeconds(30)));

        assertThat(outcome.status()).isEqualTo(Status.POLL_FAILED);
        assertThat(outcome.cancellation()).contains("it was cancelled");
    }

    @Test
    void runAllKeepsToTheConcurrencyBoundAndTheOrder() {
        fake.statementLatency(Duration.ofMillis(200));
        try (DataApiStatements runner =
                runner(DataApiStatements.Settings.defaults().maxConcurrent(3))) {
            List<Statement> statements = java.util.stream.IntStream.range(0, 9)
                    .mapToObj(i -> Statement.of("INSERT INTO t VALUES (" + i + ")", Map.of()))
                    .toList();

            List<StatementOutcome> outcomes = runner.runAll(statements, in(Duration.ofSeconds(30)));

            assertThat(outcomes).extracting(StatementOutcome::statement).containsExactlyElementsOf(statements);
            assertThat(outcomes).allMatch(StatementOutcome::finished);
            assertThat(fake.maxConcurrentRunning()).isEqualTo(3);
        }
    }

    @Test
    void readsEveryPageOfAQuerysResult() {
        fake.resultPageSize(2)
                .results(
                        s -> s.sql().contains("pg_user"),
                        List.of(List.of("alice"), List.of("bob"), List.of("carol"), List.of("dave"), List.of("erin")));
        DataApiStatements runner = runner(DataApiStatements.Settings.defaults());
        StatementOutcome query =
                runner.run(Statement.of("SELECT usename FROM pg_user", Map.of()), in(Duration.ofSeconds(30)));

        List<List<Field>> rows = runner.records(query.id().orElseThrow());

        assertThat(query.resultRows()).isEqualTo(5);
        assertThat(rows)
                .extracting(r -> r.get(0).stringValue())
                .containsExactly("alice", "bob", "carol", "dave", "erin");
        assertThat(fake.calls("GetStatementResult")).isEqualTo(3);
    }
}
