package com.dsqlcdc.infra.config;

import java.util.List;
import java.util.Objects;

/**
 * Validated settings of an environment's alarms ({@code alarms} in its configuration). Every alarm
 * notifies the environment's SNS topic; these are the thresholds that are a matter of taste, and who
 * is told by email. Every value has a default, so {@code alarms} may be left out.
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
 * @param commitToLandedLagSeconds    the consumer's {@code CommitToLandedLag} above this alarms: a
 *                                    change took that long from its DSQL commit to Redshift
 * @param streamHealthIntervalMinutes how often the stream health check calls GetStream
 */
public record AlarmsConfig(List<String> emails, int behindSourceLagSeconds, int iteratorAgeSeconds,
                           long incomingBytesPerSecond, int commitToLandedLagSeconds,
                           int streamHealthIntervalMinutes) {

    /** One minute: what the aws-facts suggest for DSQL publishing lag. */
    public static final int DEFAULT_BEHIND_SOURCE_LAG_SECONDS = 60;
    /**
     * Five minutes: a healthy consumer reads within seconds (5 s batching window, COPY in under a
     * second); minutes mean it is failing and retrying, or cannot keep up.
     */
    public static final int DEFAULT_ITERATOR_AGE_SECONDS = 300;
    /**
     * 3 MiB/s: three quarters of the 4 MiB/s an on-demand stream accepts before it has scaled up
     * (it scales to twice its previous peak, so a new, sudden peak is what throttles).
     */
    public static final long DEFAULT_INCOMING_BYTES_PER_SECOND = 3L * 1024 * 1024;
    /** Five minutes from DSQL commit to Redshift: the lag users of the warehouse would notice. */
    public static final int DEFAULT_COMMIT_TO_LANDED_LAG_SECONDS = 300;
    /** Five minutes between GetStream calls (the health check is a few hundred ms of Lambda each). */
    public static final int DEFAULT_STREAM_HEALTH_INTERVAL_MINUTES = 5;

    public AlarmsConfig {
        emails = List.copyOf(Objects.requireNonNull(emails, "emails"));
    }

    /** @return every setting at its default, and no email */
    public static AlarmsConfig defaults() {
        return new AlarmsConfig(List.of(), DEFAULT_BEHIND_SOURCE_LAG_SECONDS, DEFAULT_ITERATOR_AGE_SECONDS,
                DEFAULT_INCOMING_BYTES_PER_SECOND, DEFAULT_COMMIT_TO_LANDED_LAG_SECONDS,
                DEFAULT_STREAM_HEALTH_INTERVAL_MINUTES);
    }
}
