package com.dsqlcdc.infra.stateless;

import com.dsqlcdc.infra.config.ConsumerConfig;
import com.dsqlcdc.infra.stateful.StagingBucket;
import java.nio.file.Path;
import java.util.Objects;
import software.amazon.awscdk.services.logs.RetentionDays;

/** Properties of {@link ChunkSweep}; build with {@link #builder()}. */
public final class ChunkSweepProps {

    private final ConsumerConfig.Chunks config;
    private final Path handlerJar;
    private final StagingBucket stagingBucket;
    private final RetentionDays logRetention;

    private ChunkSweepProps(Builder builder) {
        this.config = Objects.requireNonNull(builder.config, "ChunkSweepProps.config is required");
        this.handlerJar = Objects.requireNonNull(builder.handlerJar, "ChunkSweepProps.handlerJar is required");
        this.stagingBucket = Objects.requireNonNull(builder.stagingBucket, "ChunkSweepProps.stagingBucket is required");
        this.logRetention = Objects.requireNonNull(builder.logRetention, "ChunkSweepProps.logRetention is required");
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return sweep interval and the age at which a set counts as incomplete */
    public ConsumerConfig.Chunks getConfig() {
        return config;
    }

    /** @return the shaded consumer jar (the sweep handler ships in it) */
    public Path getHandlerJar() {
        return handlerJar;
    }

    /** @return the bucket whose {@code chunks/} is swept */
    public StagingBucket getStagingBucket() {
        return stagingBucket;
    }

    /** @return retention of the function's log group */
    public RetentionDays getLogRetention() {
        return logRetention;
    }

    /** Builder of {@link ChunkSweepProps}. */
    public static final class Builder {
        private ConsumerConfig.Chunks config;
        private Path handlerJar;
        private StagingBucket stagingBucket;
        private RetentionDays logRetention;

        private Builder() {
        }

        /**
         * @param config the consumer's chunk settings (interval, incomplete age). Required.
         * @return this builder
         */
        public Builder config(ConsumerConfig.Chunks config) {
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
         * @param stagingBucket the bucket to sweep (list, read pieces and decrypt are granted). Required.
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
        public ChunkSweepProps build() {
            return new ChunkSweepProps(this);
        }
    }
}
