package com.dsqlcdc.infra.config;

import java.util.Objects;

/**
 * The consumer Lambda and its Kinesis event source mapping. Ranges are Lambda's own limits, except
 * where noted (no unbounded retries).
 *
 * @param batchSize                at most this many records per invocation, 1-10000
 * @param maxBatchingWindowSeconds how long the mapping may wait to fill a batch, 0-300 s
 * @param parallelizationFactor    concurrent batches per shard, 1-10
 * @param retryAttempts            retries of a failed batch before it goes to the failed-batch
 *                                 bucket, 0-10000 (never -1, infinite: a poison batch would block
 *                                 its shard until its records expire)
 * @param maxRecordAgeSeconds      records older than this go to the failed-batch bucket unprocessed:
 *                                 -1 (no limit) or 60-604800 s
 * @param memoryMb                 function memory, 256-10240 MB
 * @param timeoutSeconds           function timeout, 30-900 s
 * @param maxConcurrentStatements  Data API statements in flight per invocation, 1-50
 * @param failedBatchRetentionDays how long failed batches are kept, 1-3650 days
 * @param quarantineRetentionDays  how long quarantined (poison) records are kept, 1-3650 days
 * @param bulk                     when a batch loads with one COPY from the staging bucket instead of
 *                                 INSERT statements, and how long its staged files are kept
 * @param chunks                   how chunked (oversized) records' pieces and markers are kept and watched
 */
public record ConsumerConfig(int batchSize, int maxBatchingWindowSeconds, int parallelizationFactor,
                             int retryAttempts, int maxRecordAgeSeconds, int memoryMb, int timeoutSeconds,
                             int maxConcurrentStatements, int failedBatchRetentionDays,
                             int quarantineRetentionDays, Bulk bulk, Chunks chunks) {

    /** One COPY per batch whatever its size: 2,000 rows sustain 3.6x a shard's read rate (docs/benchmarks.md) and fit a 6 MB invocation of 1 KB rows (at most 2,833). */
    public static final int DEFAULT_BATCH_SIZE = 2000;
    /** Fills batches under light load without adding noticeable lag. */
    public static final int DEFAULT_MAX_BATCHING_WINDOW_SECONDS = 5;
    /** Two batches per shard: keeps up with bursts while staying far below the Data API quotas. */
    public static final int DEFAULT_PARALLELIZATION_FACTOR = 2;
    /** Ten retries (with bisection) isolate a poison record; then the batch goes to the failed-batch bucket. */
    public static final int DEFAULT_RETRY_ATTEMPTS = 10;
    /** Java with the AWS SDK: 1 GB gives a full vCPU share for decoding and a fast SnapStart restore. */
    public static final int DEFAULT_MEMORY_MB = 1024;
    /** Five minutes: room for a full batch of statements and their polling. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 300;
    /** Statements in flight per invocation; the account's ExecuteStatement quota (~30/s) is shared. */
    public static final int DEFAULT_MAX_CONCURRENT_STATEMENTS = 8;
    /** One year of failed batches and quarantined records, to investigate and replay. */
    public static final int DEFAULT_RETENTION_DAYS = 365;
    /** The longest maximum record age Lambda accepts (7 days). */
    public static final int MAX_RECORD_AGE_SECONDS = 604_800;
    /**
     * How much earlier than the Kinesis stream's retention a record is handed to the failed-batch
     * bucket by default: a record that expires from the stream before that is lost without trace.
     */
    public static final int RECORD_AGE_MARGIN_SECONDS = 3600;

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

    // ---- bulk load and chunked records: every default in one place ----

    /**
     * Rows at which a batch loads with one COPY. Provisional: to be retuned after the INSERT vs COPY
     * benchmark.
     */
    public static final int DEFAULT_BULK_MIN_ROWS = 191;
    /**
     * Bytes (of the batch's rows as JSON lines) at which a batch loads with one COPY. Provisional:
     * to be retuned after the INSERT vs COPY benchmark.
     */
    public static final int DEFAULT_BULK_MIN_BYTES = 96_000;
    /** Largest {@code bulk.minBytes}: 6 MiB, what one Lambda invocation can carry at all. */
    public static final int MAX_BULK_MIN_BYTES = 6_291_456;
    /** A staged file is needed only until its COPY finished; a week leaves time to investigate a failed one. */
    public static final int DEFAULT_STAGING_RETENTION_DAYS = 7;
    /**
     * Five weeks: more than the Kinesis retention most environments use, so a re-delivered piece
     * still finds its set's marker. A stream kept longer raises the default to match (see
     * {@link Chunks#defaultDoneMarkerRetentionDays}).
     */
    public static final int DEFAULT_DONE_MARKER_RETENTION_DAYS = 35;
    /** A quarter of an hour between sweeps of {@code chunks/}. */
    public static final int DEFAULT_SWEEP_INTERVAL_MINUTES = 15;
    /**
     * An hour: DSQL writes the pieces of one record together, so a set still incomplete an hour
     * later has a piece that is lost or stuck behind a failing batch, and deserves a look.
     */
    public static final int DEFAULT_INCOMPLETE_AGE_MINUTES = 60;

    /**
     * When a batch goes through S3 staging and one {@code COPY} instead of INSERT statements.
     *
     * @param minRows              a batch at or over either threshold loads with one COPY: rows, 1-10000
     * @param minBytes             a batch at or over either threshold loads with one COPY: bytes of its
     *                             rows as JSON lines, 1024-6291456
     * @param stagingRetentionDays staged files ({@code staging/}) expire after this many days, 1-365
     */
    public record Bulk(int minRows, int minBytes, int stagingRetentionDays) {

        public Bulk {
            check("bulk.minRows", minRows, 1, 10_000);
            check("bulk.minBytes", minBytes, 1024, MAX_BULK_MIN_BYTES);
            check("bulk.stagingRetentionDays", stagingRetentionDays, 1, 365);
        }

        /** @return the defaults */
        public static Bulk defaults() {
            return new Bulk(DEFAULT_BULK_MIN_ROWS, DEFAULT_BULK_MIN_BYTES, DEFAULT_STAGING_RETENTION_DAYS);
        }
    }

    /**
     * How the pieces of chunked (oversized) records are kept and watched. Pieces ({@code chunks/})
     * never expire: an incomplete set is kept until it is complete or someone looks at it.
     *
     * @param doneMarkerRetentionDays markers of assembled sets ({@code chunk-done/}) expire after this
     *                                many days, 1-3650, and more than the Kinesis retention in days
     *                                (checked by {@link EnvironmentConfig})
     * @param sweepIntervalMinutes    minutes between two sweeps of {@code chunks/}, 5-1440
     * @param incompleteAgeMinutes    a set still incomplete this many minutes after its first piece was
     *                                stored counts in the sweep's {@code IncompleteChunkSets}, 5-10080
     */
    public record Chunks(int doneMarkerRetentionDays, int sweepIntervalMinutes, int incompleteAgeMinutes) {

        public Chunks {
            check("chunks.doneMarkerRetentionDays", doneMarkerRetentionDays, 1, 3650);
            check("chunks.sweepIntervalMinutes", sweepIntervalMinutes, 5, 1440);
            check("chunks.incompleteAgeMinutes", incompleteAgeMinutes, 5, 10_080);
        }

        /** @return the defaults */
        public static Chunks defaults() {
            return new Chunks(DEFAULT_DONE_MARKER_RETENTION_DAYS, DEFAULT_SWEEP_INTERVAL_MINUTES,
                    DEFAULT_INCOMPLETE_AGE_MINUTES);
        }

        /**
         * @param kinesisRetentionHours the Kinesis stream's retention
         * @return the shortest marker retention that outlives every re-delivery: the stream's retention
         *         in days, rounded up, plus one
         */
        public static int minDoneMarkerRetentionDays(int kinesisRetentionHours) {
            return (kinesisRetentionHours + 23) / 24 + 1;
        }

        /**
         * @param kinesisRetentionHours the Kinesis stream's retention
         * @return the default marker retention: {@value #DEFAULT_DONE_MARKER_RETENTION_DAYS} days, or
         *         {@link #minDoneMarkerRetentionDays} when the stream keeps records longer than that
         */
        public static int defaultDoneMarkerRetentionDays(int kinesisRetentionHours) {
            return Math.max(DEFAULT_DONE_MARKER_RETENTION_DAYS, minDoneMarkerRetentionDays(kinesisRetentionHours));
        }
    }

    public ConsumerConfig {
        Objects.requireNonNull(bulk, "bulk");
        Objects.requireNonNull(chunks, "chunks");
        check("batchSize", batchSize, 1, 10_000);
        check("maxBatchingWindowSeconds", maxBatchingWindowSeconds, 0, 300);
        check("parallelizationFactor", parallelizationFactor, 1, 10);
        check("retryAttempts", retryAttempts, 0, 10_000);
        if (maxRecordAgeSeconds != UNLIMITED_RECORD_AGE) {
            check("maxRecordAgeSeconds", maxRecordAgeSeconds, 60, MAX_RECORD_AGE_SECONDS);
        }
        check("memoryMb", memoryMb, 256, 10_240);
        check("timeoutSeconds", timeoutSeconds, 30, 900);
        check("maxConcurrentStatements", maxConcurrentStatements, 1, 50);
        check("failedBatchRetentionDays", failedBatchRetentionDays, 1, 3650);
        check("quarantineRetentionDays", quarantineRetentionDays, 1, 3650);
    }

    private static void check(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " out of range: " + value);
        }
    }

    /**
     * @return how long the consumer waits for one Data API statement: 120 s, or less when the
     *         function timeout leaves less than that plus a 20 s margin (at least 10 s, as the
     *         smallest timeout is 30 s)
     */
    public int statementTimeoutSeconds() {
        return Math.min(MAX_STATEMENT_TIMEOUT_SECONDS, timeoutSeconds - STATEMENT_TIMEOUT_MARGIN_SECONDS);
    }

    /**
     * @param kinesisRetentionHours the Kinesis stream's retention
     * @return the default maximum record age: one hour less than the stream keeps records (so a
     *         record the mapping cannot deliver reaches the failed-batch bucket before the stream
     *         drops it), at most 7 days
     */
    public static int defaultMaxRecordAgeSeconds(int kinesisRetentionHours) {
        return (int) Math.min(MAX_RECORD_AGE_SECONDS, kinesisRetentionHours * 3600L - RECORD_AGE_MARGIN_SECONDS);
    }

    /** @return whether records expire from the mapping after {@link #maxRecordAgeSeconds} */
    public boolean hasMaxRecordAge() {
        return maxRecordAgeSeconds != UNLIMITED_RECORD_AGE;
    }
}
