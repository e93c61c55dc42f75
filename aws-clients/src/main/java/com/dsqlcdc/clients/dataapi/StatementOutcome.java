package com.dsqlcdc.clients.dataapi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * What became of one statement. It took effect only when {@link #status} is {@link
 * Status#FINISHED}: a statement is never taken as done on anything else.
 *
 * @param statement    the statement
 * @param id           the Data API's id, if ExecuteStatement answered
 * @param status       the final word
 * @param error        Redshift's error text (FAILED, ABORTED), the last status seen (TIMED_OUT), or
 *                     what went wrong otherwise
 * @param cause        the SDK's exception, when a call failed
 * @param cancellation what happened to a statement given up on (cancelled, or may still complete)
 * @param resultRows   DescribeStatement's ResultRows of a FINISHED statement (-1 when it gave none)
 * @param subStatementRows ResultRows of each statement of a FINISHED batch, in order (-1 where it gave
 *                     none); empty for a single statement
 * @param latency      from ExecuteStatement to the final word
 * @param finishedAt   when FINISHED was seen
 */
public record StatementOutcome(
        Statement statement,
        Optional<String> id,
        Status status,
        Optional<String> error,
        Optional<SdkException> cause,
        Optional<String> cancellation,
        long resultRows,
        List<Long> subStatementRows,
        Duration latency,
        Optional<Instant> finishedAt) {

    /** How it ended. */
    public enum Status {
        /** Redshift said FINISHED: it took effect. */
        FINISHED,
        /** Redshift said FAILED: {@link #error} is its error text. */
        FAILED,
        /** Redshift said ABORTED (cancelled before it finished): it did not take effect. */
        ABORTED,
        /** ExecuteStatement (or BatchExecuteStatement) was refused, after the SDK's retries: it did not run. */
        NOT_SUBMITTED,
        /** The deadline came before it started: it was not submitted. */
        NOT_STARTED,
        /** DescribeStatement failed, after the SDK's retries: its outcome is unknown; it was cancelled. */
        POLL_FAILED,
        /** Still running at the deadline: it was cancelled (see {@link #cancellation}). */
        TIMED_OUT,
        /** The waiting thread was interrupted: it was cancelled. */
        INTERRUPTED
    }

    /** @return whether Redshift said FINISHED */
    public boolean finished() {
        return status == Status.FINISHED;
    }
}
