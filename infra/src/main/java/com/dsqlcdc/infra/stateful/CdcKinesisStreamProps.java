package com.dsqlcdc.infra.stateful;

import com.dsqlcdc.infra.config.KinesisConfig;
import java.util.Objects;
import software.amazon.awscdk.RemovalPolicy;

/** Properties of {@link CdcKinesisStream}; build with {@link #builder()}. */
public final class CdcKinesisStreamProps {

    private final KinesisConfig config;
    private final RemovalPolicy removalPolicy;

    private CdcKinesisStreamProps(Builder builder) {
        this.config = Objects.requireNonNull(builder.config, "CdcKinesisStreamProps.config is required");
        this.removalPolicy = Objects.requireNonNull(builder.removalPolicy,
                "CdcKinesisStreamProps.removalPolicy is required");
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return retention and encryption key choice */
    public KinesisConfig getConfig() {
        return config;
    }

    /** @return removal policy of the stream and of a key created for it */
    public RemovalPolicy getRemovalPolicy() {
        return removalPolicy;
    }

    /** Builder of {@link CdcKinesisStreamProps}. */
    public static final class Builder {
        private KinesisConfig config;
        private RemovalPolicy removalPolicy;

        private Builder() {
        }

        /**
         * @param config retention hours and the encryption key (created or imported). Required.
         * @return this builder
         */
        public Builder config(KinesisConfig config) {
            this.config = config;
            return this;
        }

        /**
         * @param removalPolicy what happens to the stream (and a created key) when it leaves the
         *                      stack: RETAIN keeps the data, DESTROY deletes it. Required.
         * @return this builder
         */
        public Builder removalPolicy(RemovalPolicy removalPolicy) {
            this.removalPolicy = removalPolicy;
            return this;
        }

        /** @return the properties */
        public CdcKinesisStreamProps build() {
            return new CdcKinesisStreamProps(this);
        }
    }
}
