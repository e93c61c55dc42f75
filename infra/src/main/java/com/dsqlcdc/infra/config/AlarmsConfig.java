package com.dsqlcdc.infra.config;

import java.util.List;
import java.util.Objects;

/**
 * Validated settings of an environment's alarms ({@code alarms} in its configuration). Every alarm
 * notifies the environment's SNS topic; these are the thresholds that are a matter of taste, and who
 * is told by email. Ranges and defaults: {@link EnvironmentSchema#ALARMS}.
 *
 * @param emails                      addresses subscribed to the alarm topic by email (each must
 *                                    confirm the subscription from the mail SNS sends); may be empty
 * @param behindSourceLagSeconds      DSQL {@code BehindSourceLag} above this alarms: DSQL is that
 *                                    far behind publishing committed changes to Kinesis
 * @param iteratorAgeSeconds          Kinesis {@code GetRecords.IteratorAgeMilliseconds} and the
 *                                    consumer's Lambda {@code IteratorAge} above this alarm: the
 *                                    consumer is that far behind the stream
 * @param incomingBytesPerSecond      Kinesis {@code IncomingBytes} above this rate (averaged over a
 *                                    minute) alarms: writes approach what the stream takes
 * @param stagedObjectAgeSeconds      the loader's {@code OldestStagedObjectAgeSeconds} above this
 *                                    alarms (or no figure at all: a loader that does not run): the
 *                                    current-state tables are that stale
 * @param commitToLandedLagSeconds    the loader's {@code CommitToMergedLag} above this alarms: a
 *                                    change took that long from its DSQL commit to its current-state
 *                                    table
 * @param streamHealthIntervalMinutes how often the stream health check calls GetStream
 */
public record AlarmsConfig(
        List<String> emails,
        int behindSourceLagSeconds,
        int iteratorAgeSeconds,
        long incomingBytesPerSecond,
        int stagedObjectAgeSeconds,
        int commitToLandedLagSeconds,
        int streamHealthIntervalMinutes) {

    public AlarmsConfig {
        emails = List.copyOf(Objects.requireNonNull(emails, "emails"));
    }
}
