package com.dsqlcdc.infra.stateless;

import com.dsqlcdc.contract.env.ConsumerEnvironment;
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
 * Properties of {@link CdcConsumer}: CDK types only, so another app can run the consumer on its own
 * stream and buckets. The consumer never talks to Redshift: what it stages, a loader
 * ({@link CdcLoader}) loads.
 *
 * @param handlerCode         the lambda module's shaded jar ({@code lambda/target/consumer.jar})
 * @param kinesisStream       the stream of CDC records (reading it, and decrypting with its key through
 *                            Kinesis, are granted)
 * @param maxSuperStringBytes the longest string the loader's warehouse takes inside a SUPER value
 *                            ({@code IRedshiftTarget#getMaxSuperStringBytes}): a record with a longer one
 *                            is quarantined instead of staged, so it cannot fail the loader's COPY
 * @param quarantineBucket    where poison records are written (object writes are granted)
 * @param failedBatchBucket   the event source mapping's on-failure destination (writes and listing are granted)
 * @param stagingBucket       staged batches, chunked-record pieces and done markers
 *                            ({@link StagingBucket#grantConsumer}); its {@code staged/} and {@code chunks/}
 *                            must never expire
 * @param logRetention        retention of the function's log group
 * @param tuning              batching, retries and size ({@link Tuning#defaults()})
 */
public record CdcConsumerProps(
        Code handlerCode,
        IStream kinesisStream,
        int maxSuperStringBytes,
        IBucket quarantineBucket,
        IBucket failedBatchBucket,
        IBucket stagingBucket,
        RetentionDays logRetention,
        Tuning tuning) {

    public CdcConsumerProps {
        Objects.requireNonNull(handlerCode, "CdcConsumerProps.handlerCode is required");
        Objects.requireNonNull(kinesisStream, "CdcConsumerProps.kinesisStream is required");
        if (maxSuperStringBytes < ConsumerEnvironment.SUPER_STRING_BYTES
                || maxSuperStringBytes > ConsumerEnvironment.LARGE_SUPER_STRING_BYTES) {
            throw new IllegalArgumentException("CdcConsumerProps.maxSuperStringBytes must be from "
                    + ConsumerEnvironment.SUPER_STRING_BYTES + " to " + ConsumerEnvironment.LARGE_SUPER_STRING_BYTES
                    + " (Redshift's limits without and with large strings), got " + maxSuperStringBytes);
        }
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
     * How the consumer batches and retries. Lambda checks the event source mapping's and the
     * function's ranges at synth.
     *
     * @param batchSize             records per invocation, 1-10000
     * @param maxBatchingWindow     how long the mapping may wait to fill a batch, up to 5 minutes
     * @param parallelizationFactor concurrent batches per shard, 1-10
     * @param retryAttempts         retries of a failing batch (bisected) before it goes to the failed-batch bucket
     * @param maxRecordAge          records older than this go to the failed-batch bucket; null for no limit. Keep it
     *                              below the stream's retention, or records expire unrecorded.
     * @param memoryMb              function memory
     * @param timeout               function timeout
     */
    public record Tuning(
            int batchSize,
            Duration maxBatchingWindow,
            int parallelizationFactor,
            int retryAttempts,
            Duration maxRecordAge,
            int memoryMb,
            Duration timeout) {

        /** Defaults of this construct, and of the {@code consumer.*} configuration keys that set them. */
        public static final int DEFAULT_BATCH_SIZE = 2000;

        public static final int DEFAULT_MAX_BATCHING_WINDOW_SECONDS = 5;
        public static final int DEFAULT_PARALLELIZATION_FACTOR = 2;
        public static final int DEFAULT_RETRY_ATTEMPTS = 10;
        public static final int DEFAULT_MEMORY_MB = 1024;
        public static final int DEFAULT_TIMEOUT_SECONDS = 300;

        public Tuning {
            Objects.requireNonNull(maxBatchingWindow, "Tuning.maxBatchingWindow is required");
            Objects.requireNonNull(timeout, "Tuning.timeout is required");
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
                    Duration.seconds(DEFAULT_TIMEOUT_SECONDS));
        }
    }
}
