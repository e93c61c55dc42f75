package com.dsqlcdc.consumer.write;

import com.dsqlcdc.clients.dataapi.StatementOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What became of one statement. {@code landed} is true only when DescribeStatement said FINISHED:
 * anything else (FAILED, ABORTED, an API error after retries, a poll that ran out of time) leaves
 * its records unacknowledged.
 *
 * @param statement   the statement
 * @param statementId the Data API id, if ExecuteStatement answered
 * @param landed      whether Redshift said FINISHED
 * @param failure     why not, when not landed
 * @param latency     from ExecuteStatement to the final status
 * @param finishedAt  when FINISHED was seen (landed only)
 */
public record StatementResult(
        PlannedStatement statement,
        Optional<String> statementId,
        boolean landed,
        Optional<String> failure,
        Duration latency,
        Optional<Instant> finishedAt) {

    /**
     * @param statement the planned statement
     * @param outcome   what the Data API said of it
     * @return its result: landed only when FINISHED
     */
    public static StatementResult of(PlannedStatement statement, StatementOutcome outcome) {
        String id = outcome.id().orElse(null);
        String error = outcome.error().orElse("");
        return switch (outcome.status()) {
            case FINISHED ->
                landed(statement, id, outcome.latency(), outcome.finishedAt().orElseThrow());
            case FAILED, ABORTED ->
                failed(statement, id, outcome.status() + (error.isEmpty() ? "" : ": " + error), outcome.latency());
            case NOT_SUBMITTED -> failed(statement, id, "ExecuteStatement failed: " + error, outcome.latency());
            case POLL_FAILED -> failed(statement, id, "DescribeStatement failed: " + error, outcome.latency());
            case TIMED_OUT, INTERRUPTED, NOT_STARTED ->
                failed(
                        statement,
                        id,
                        "not finished after "
                                + outcome.latency().toMillis() + " ms (" + error + "); "
                                + outcome.cancellation().orElse("it was not submitted") + "; its records are retried",
                        outcome.latency());
        };
    }

    static StatementResult landed(PlannedStatement statement, String id, Duration latency, Instant finishedAt) {
        return new StatementResult(
                statement, Optional.of(id), true, Optional.empty(), latency, Optional.of(finishedAt));
    }

    static StatementResult failed(PlannedStatement statement, String id, String failure, Duration latency) {
        return new StatementResult(
                statement, Optional.ofNullable(id), false, Optional.of(failure), latency, Optional.empty());
    }
}
