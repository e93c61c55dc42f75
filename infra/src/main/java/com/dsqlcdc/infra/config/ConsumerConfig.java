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
 * @param failedBatchRetentionDays how long failed batches are kept
 * @param quarantineRetentionDays  how long quarantined (poison) records are kept
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
        int failedBatchRetentionDays,
        int quarantineRetentionDays,
        Chunks chunks) {

    /** {@code maxRecordAgeSeconds} value meaning "no limit". */
    public static final int UNLIMITED_RECORD_AGE = -1;

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
        Objects.requireNonNull(chunks, "chunks");
    }

    /** @return whether records expire from the mapping after {@link #maxRecordAgeSeconds} */
    public boolean hasMaxRecordAge() {
        return maxRecordAgeSeconds != UNLIMITED_RECORD_AGE;
    }
}
