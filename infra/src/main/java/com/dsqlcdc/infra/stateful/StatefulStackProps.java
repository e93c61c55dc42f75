package com.dsqlcdc.infra.stateful;

import com.dsqlcdc.infra.config.EnvironmentConfig;
import java.util.Objects;

/** Properties of {@link StatefulStack}; build with {@link #builder()}. */
public final class StatefulStackProps {

    private final EnvironmentConfig config;

    private StatefulStackProps(Builder builder) {
        this.config = Objects.requireNonNull(builder.config, "StatefulStackProps.config is required");
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the environment's validated settings */
    public EnvironmentConfig getConfig() {
        return config;
    }

    /** Builder of {@link StatefulStackProps}. */
    public static final class Builder {
        private EnvironmentConfig config;

        private Builder() {
        }

        /**
         * @param config the environment's validated settings. Required.
         * @return this builder
         */
        public Builder config(EnvironmentConfig config) {
            this.config = config;
            return this;
        }

        /** @return the properties */
        public StatefulStackProps build() {
            return new StatefulStackProps(this);
        }
    }
}
