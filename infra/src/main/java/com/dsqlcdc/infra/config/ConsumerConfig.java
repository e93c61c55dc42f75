package com.dsqlcdc.infra.config;

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
 */
public record ConsumerConfig(int batchSize, int maxBatchingWindowSeconds, int parallelizationFactor,
                             int retryAttempts, int maxRecordAgeSeconds, int memoryMb, int timeoutSeconds,
                             int maxConcurrentStatements, int failedBatchRetentionDays,
                             int quarantineRetentionDays) {

    /** Large enough to amortise the Data API's per-statement cost, small enough for one 6 MB invocation of typical rows. */
    public static final int DEFAULT_BATCH_SIZE = 500;
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

    public ConsumerConfig {
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
