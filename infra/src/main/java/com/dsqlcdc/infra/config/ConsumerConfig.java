package com.dsqlcdc.infra.config;

import java.util.Objects;

/**
 * The consumer Lambda and its Kinesis event source mapping. Ranges (Lambda's own limits, except
 * where noted: no unbounded retries) and defaults: {@link EnvironmentSchema#CONSUMER}.
 *
 * @param batchSize                at most this many records per invocation
 * @param maxBatchingWindowSeconds how long the mapping may wait to fill a batch
 * @param parallelizationFactor    concurrent batches per shard
 * @param retryAttempts            retries of a failed batch before it goes to the failed-batch
 *                                 bucket (never -1, infinite: a poison batch would block its shard
 *                                 until its records expire)
 * @param maxRecordAgeSeconds      records older than this go to the failed-batch bucket unprocessed,
 *                                 or {@value #UNLIMITED_RECORD_AGE} for no limit
 * @param memoryMb                 function memory
 * @param timeoutSeconds           function timeout
 * @param maxConcurrentStatements  Data API statements in flight per invocation
 * @param failedBatchRetentionDays how long failed batches are kept
 * @param quarantineRetentionDays  how long quarantined (poison) records are kept
 * @param bulk                     when a batch loads with one COPY from the staging bucket instead of
 *                                 INSERT statements, and how long its staged files are kept
 * @param chunks                   how chunked (oversized) records' pieces and markers are kept and watched
 */
public record ConsumerConfig(
        int batchSize,
        int maxBatchingWindowSeconds,
        int parallelizationFactor,
        int retryAttempts,
        int maxRecordAgeSeconds,
        int memoryMb,
        int timeoutSeconds,
        int maxConcurrentStatements,
        int failedBatchRetentionDays,
        int quarantineRetentionDays,
        Bulk bulk,
        Chunks chunks) {

    /** {@code maxRecordAgeSeconds} value meaning "no limit". */
    public static final int UNLIMITED_RECORD_AGE = -1;
    /** Upper bound of one Data API statement's wait: the consumer's default. */
    public static final int MAX_STATEMENT_TIMEOUT_SECONDS = 120;
    /**
     * Left between the longest statement wait and the function timeout: time to cancel the
     * statement, quarantine what must be, and answer with the batch item failures before Lambda
     * stops the invocation.
     */
    public static final int STATEMENT_TIMEOUT_MARGIN_SECONDS = 20;

    /**
     * When a batch goes through S3 staging and one {@code COPY} instead of INSERT statements.
     *
     * @param minRows              a batch at or over either threshold loads with one COPY: rows
     * @param minBytes             a batch at or over either threshold loads with one COPY: bytes of its
     *                             rows as JSON lines
     * @param stagingRetentionDays staged files ({@code staging/}) expire after this many days
     */
    public record Bulk(int minRows, int minBytes, int stagingRetentionDays) {}

    /**
     * How the pieces of chunked (oversized) records are kept and watched. Pieces ({@code chunks/})
     * never expire: an incomplete set is kept until it is complete or someone looks at it.
     *
     * @param doneMarkerRetentionDays markers of assembled sets ({@code chunk-done/}) expire after this
     *                                many days, more than the Kinesis retention in days (checked by
     *                                {@link EnvironmentConfig})
     * @param sweepIntervalMinutes    minutes between two sweeps of {@code chunks/}
     * @param incompleteAgeMinutes    a set still incomplete this many minutes after its first piece was
     *                                stored counts in the sweep's {@code IncompleteChunkSets}
     */
    public record Chunks(int doneMarkerRetentionDays, int sweepIntervalMinutes, int incompleteAgeMinutes) {

        /**
         * @param kinesisRetentionHours the Kinesis stream's retention
         * @return the shortest marker retention that outlives every re-delivery: the stream's retention
         *         in days, rounded up, plus one
         */
        public static int minDoneMarkerRetentionDays(int kinesisRetentionHours) {
            return (kinesisRetentionHours + 23) / 24 + 1;
        }
    }

    public ConsumerConfig {
        Objects.requireNonNull(bulk, "bulk");
        Objects.requireNonNull(chunks, "chunks");
    }

    /**
     * @return how long the consumer waits for one Data API statement: 120 s, or less when the
     *         function timeout leaves less than that plus a 20 s margin (at least 10 s, as the
     *         smallest timeout is 30 s)
     */
    public int statementTimeoutSeconds() {
        return Math.min(MAX_STATEMENT_TIMEOUT_SECONDS, timeoutSeconds - STATEMENT_TIMEOUT_MARGIN_SECONDS);
    }

    /** @return whether records expire from the mapping after {@link #maxRecordAgeSeconds} */
    public boolean hasMaxRecordAge() {
        return maxRecordAgeSeconds != UNLIMITED_RECORD_AGE;
    }
}
