package com.dsqlcdc.infra.stateless;

import com.dsqlcdc.infra.config.ConsumerConfig;
import com.dsqlcdc.infra.stateful.IRedshiftTarget;
import com.dsqlcdc.infra.stateful.StagingBucket;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.IBucket;

/**
 * Properties of {@link CdcConsumer}: CDK types and {@link IRedshiftTarget} only, so another app can run the consumer
 * on its own stream, buckets and warehouse.
 *
 * @param handlerCode       the lambda module's shaded jar ({@code lambda/target/consumer.jar})
 * @param kinesisStream     the stream of CDC records (reading it, and decrypting with its key, are granted)
 * @param warehouse         where the records land (GetCredentials on its workgroup is granted)
 * @param quarantineBucket  where poison records are written (object writes are granted)
 * @param failedBatchBucket the event source mapping's on-failure destination (writes and listing are granted)
 * @param stagingBucket     COPY files, chunked-record pieces and done markers ({@link StagingBucket#grantConsumer});
 *                          its {@code chunks/} must never expire
 * @param logRetention      retention of the function's log group
 * @param tuning            batching, retries, size and load thresholds ({@link Tuning#defaults()})
 */
public record CdcConsumerProps(
        Code handlerCode,
        IStream kinesisStream,
        IRedshiftTarget warehouse,
        IBucket quarantineBucket,
        IBucket failedBatchBucket,
        IBucket stagingBucket,
        RetentionDays logRetention,
        Tuning tuning) {

    public CdcConsumerProps {
        Objects.requireNonNull(handlerCode, "CdcConsumerProps.handlerCode is required");
        Objects.requireNonNull(kinesisStream, "CdcConsumerProps.kinesisStream is required");
        Objects.requireNonNull(warehouse, "CdcConsumerProps.warehouse is required");
        Objects.requireNonNull(quarantineBucket, "CdcConsumerProps.quarantineBucket is required");
        Objects.requireNonNull(failedBatchBucket, "CdcConsumerProps.failedBatchBucket is required");
        Objects.requireNonNull(stagingBucket, "CdcConsumerProps.stagingBucket is required");
        if (new HashSet<>(List.of(quarantineBucket, failedBatchBucket, stagingBucket)).size() < 3) {
            throw new IllegalArgumentException("CdcConsumerProps needs three different buckets: quarantined records,"
                    + " failed batches and staged files are kept for different times and read by different people");
        }
        Objects.requireNonNull(logRetention, "CdcConsumerProps.logRetention is required");
        Objects.requireNonNull(tuning, "CdcConsumerProps.tuning is required");
    }

    /**
     * How the consumer batches, retries and loads. Lambda checks the event source mapping's and the function's ranges
     * at synth; the rest is checked here, as the handler would at its start.
     *
     * @param batchSize               records per invocation, 1-10000
     * @param maxBatchingWindow       how long the mapping may wait to fill a batch, up to 5 minutes
     * @param parallelizationFactor   concurrent batches per shard, 1-10
     * @param retryAttempts           retries of a failing batch (bisected) before it goes to the failed-batch bucket
     * @param maxRecordAge            records older than this go to the failed-batch bucket; null for no limit. Keep it
     *                                below the stream's retention, or records expire unrecorded.
     * @param memoryMb                function memory
     * @param timeout                 function timeout
     * @param maxConcurrentStatements Data API statements in flight per invocation, 1-50
     * @param statementTimeout        the longest wait for one statement: shorter than {@code timeout}, with time left
     *                                to cancel it and report the batch's failures
     * @param bulkMinRows             a batch of at least this many rows loads with one COPY, 1-10000
     * @param bulkMinBytes            so does a batch of at least this many bytes, 1024-6291456
     */
    public record Tuning(
            int batchSize,
            Duration maxBatchingWindow,
            int parallelizationFactor,
            int retryAttempts,
            Duration maxRecordAge,
            int memoryMb,
            Duration timeout,
            int maxConcurrentStatements,
            Duration statementTimeout,
            int bulkMinRows,
            int bulkMinBytes) {

        /** Defaults of this construct, and of the {@code consumer.*} configuration keys that set them. */
        public static final int DEFAULT_BATCH_SIZE = 2000;

        public static final int DEFAULT_MAX_BATCHING_WINDOW_SECONDS = 5;
        public static final int DEFAULT_PARALLELIZATION_FACTOR = 2;
        public static final int DEFAULT_RETRY_ATTEMPTS = 10;
        public static final int DEFAULT_MEMORY_MB = 1024;
        public static final int DEFAULT_TIMEOUT_SECONDS = 300;
        public static final int DEFAULT_MAX_CONCURRENT_STATEMENTS = 8;
        public static final int DEFAULT_BULK_MIN_ROWS = 191;
        public static final int DEFAULT_BULK_MIN_BYTES = 96_000;
        /** What one Lambda invocation can carry at all, 6 MiB. */
        public static final int MAX_BULK_MIN_BYTES = 6_291_456;

        public Tuning {
            Objects.requireNonNull(maxBatchingWindow, "Tuning.maxBatchingWindow is required");
            Objects.requireNonNull(timeout, "Tuning.timeout is required");
            Objects.requireNonNull(statementTimeout, "Tuning.statementTimeout is required");
            within("maxConcurrentStatements", maxConcurrentStatements, 1, 50);
            within("bulkMinRows", bulkMinRows, 1, 10_000);
            within("bulkMinBytes", bulkMinBytes, 1024, MAX_BULK_MIN_BYTES);
            if (statementTimeout.toSeconds().doubleValue()
                    >= timeout.toSeconds().doubleValue()) {
                throw new IllegalArgumentException("Tuning.statementTimeout (" + statementTimeout.toHumanString()
                        + ") must be shorter than the function's timeout (" + timeout.toHumanString() + ")");
            }
        }

        /** @return the defaults, without a maximum record age */
        public static Tuning defaults() {
            return new Tuning(
                    DEFAULT_BATCH_SIZE,
                    Duration.seconds(DEFAULT_MAX_BATCHING_WINDOW_SECONDS),
                    DEFAULT_PARALLELIZATION_FACTOR,
                    DEFAULT_RETRY_ATTEMPTS,
                    null,
                    DEFAULT_MEMORY_MB,
                    Duration.seconds(DEFAULT_TIMEOUT_SECONDS),
                    DEFAULT_MAX_CONCURRENT_STATEMENTS,
                    Duration.seconds(ConsumerConfig.MAX_STATEMENT_TIMEOUT_SECONDS),
                    DEFAULT_BULK_MIN_ROWS,
                    DEFAULT_BULK_MIN_BYTES);
        }

        private static void within(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(
                        "Tuning." + name + " must be from " + min + " to " + max + ", got " + value);
            }
        }
    }
}
