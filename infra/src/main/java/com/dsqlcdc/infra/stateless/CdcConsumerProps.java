package com.dsqlcdc.infra.stateless;

import com.dsqlcdc.infra.config.ConsumerConfig;
import com.dsqlcdc.infra.stateful.EncryptedBucket;
import com.dsqlcdc.infra.stateful.IWarehouse;
import com.dsqlcdc.infra.stateful.StagingBucket;
import java.nio.file.Path;
import java.util.Objects;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.logs.RetentionDays;

/** Properties of {@link CdcConsumer}; build with {@link #builder()}. */
public final class CdcConsumerProps {

    private final ConsumerConfig config;
    private final Path handlerJar;
    private final IStream kinesisStream;
    private final IWarehouse warehouse;
    private final EncryptedBucket quarantineBucket;
    private final EncryptedBucket failedBatchBucket;
    private final StagingBucket stagingBucket;
    private final RetentionDays logRetention;

    private CdcConsumerProps(Builder builder) {
        this.config = Objects.requireNonNull(builder.config, "CdcConsumerProps.config is required");
        this.handlerJar = Objects.requireNonNull(builder.handlerJar, "CdcConsumerProps.handlerJar is required");
        this.kinesisStream = Objects.requireNonNull(builder.kinesisStream, "CdcConsumerProps.kinesisStream is required");
        this.warehouse = Objects.requireNonNull(builder.warehouse, "CdcConsumerProps.warehouse is required");
        this.quarantineBucket = Objects.requireNonNull(builder.quarantineBucket,
                "CdcConsumerProps.quarantineBucket is required");
        this.failedBatchBucket = Objects.requireNonNull(builder.failedBatchBucket,
                "CdcConsumerProps.failedBatchBucket is required");
        this.stagingBucket = Objects.requireNonNull(builder.stagingBucket, "CdcConsumerProps.stagingBucket is required");
        this.logRetention = Objects.requireNonNull(builder.logRetention, "CdcConsumerProps.logRetention is required");
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return batching, retries, memory, timeout, concurrency */
    public ConsumerConfig getConfig() {
        return config;
    }

    /** @return the shaded consumer jar */
    public Path getHandlerJar() {
        return handlerJar;
    }

    /** @return the Kinesis stream of CDC records */
    public IStream getKinesisStream() {
        return kinesisStream;
    }

    /** @return the warehouse the consumer writes to */
    public IWarehouse getWarehouse() {
        return warehouse;
    }

    /** @return where poison records go */
    public EncryptedBucket getQuarantineBucket() {
        return quarantineBucket;
    }

    /** @return where failed batches go */
    public EncryptedBucket getFailedBatchBucket() {
        return failedBatchBucket;
    }

    /** @return where COPY files and chunked-record pieces go */
    public StagingBucket getStagingBucket() {
        return stagingBucket;
    }

    /** @return retention of the function's log group */
    public RetentionDays getLogRetention() {
        return logRetention;
    }

    /** Builder of {@link CdcConsumerProps}. */
    public static final class Builder {
        private ConsumerConfig config;
        private Path handlerJar;
        private IStream kinesisStream;
        private IWarehouse warehouse;
        private EncryptedBucket quarantineBucket;
        private EncryptedBucket failedBatchBucket;
        private StagingBucket stagingBucket;
        private RetentionDays logRetention;

        private Builder() {
        }

        /**
         * @param config the consumer's settings. Required.
         * @return this builder
         */
        public Builder config(ConsumerConfig config) {
            this.config = config;
            return this;
        }

        /**
         * @param handlerJar the shaded consumer jar ({@code lambda/target/consumer.jar}). Required.
         * @return this builder
         */
        public Builder handlerJar(Path handlerJar) {
            this.handlerJar = handlerJar;
            return this;
        }

        /**
         * @param kinesisStream the stream to consume (read and its key's decrypt are granted). Required.
         * @return this builder
         */
        public Builder kinesisStream(IStream kinesisStream) {
            this.kinesisStream = kinesisStream;
            return this;
        }

        /**
         * @param warehouse the warehouse to write to (GetCredentials on its workgroup is granted). Required.
         * @return this builder
         */
        public Builder warehouse(IWarehouse warehouse) {
            this.warehouse = warehouse;
            return this;
        }

        /**
         * @param quarantineBucket where poison records are written (object writes are granted). Required.
         * @return this builder
         */
        public Builder quarantineBucket(EncryptedBucket quarantineBucket) {
            this.quarantineBucket = quarantineBucket;
            return this;
        }

        /**
         * @param failedBatchBucket the mapping's on-failure destination. Required.
         * @return this builder
         */
        public Builder failedBatchBucket(EncryptedBucket failedBatchBucket) {
            this.failedBatchBucket = failedBatchBucket;
            return this;
        }

        /**
         * @param stagingBucket where COPY files, chunked-record pieces and done markers are written
         *                      (the consumer's grants on its prefixes are added). Required.
         * @return this builder
         */
        public Builder stagingBucket(StagingBucket stagingBucket) {
            this.stagingBucket = stagingBucket;
            return this;
        }

        /**
         * @param logRetention retention of the function's log group. Required.
         * @return this builder
         */
        public Builder logRetention(RetentionDays logRetention) {
            this.logRetention = logRetention;
            return this;
        }

        /** @return the properties */
        public CdcConsumerProps build() {
            return new CdcConsumerProps(this);
        }
    }
}
