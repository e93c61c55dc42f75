package com.dsqlcdc.infra.stateful;

import com.dsqlcdc.infra.config.ClusterConfig;
import java.util.Objects;
import software.amazon.awscdk.RemovalPolicy;

/** Properties of {@link DsqlCluster}; build with {@link #builder()}. */
public final class DsqlClusterProps {

    private final ClusterConfig config;
    private final RemovalPolicy removalPolicy;

    private DsqlClusterProps(Builder builder) {
        this.config = Objects.requireNonNull(builder.config, "DsqlClusterProps.config is required");
        this.removalPolicy = Objects.requireNonNull(builder.removalPolicy, "DsqlClusterProps.removalPolicy is required");
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return create-or-existing, identifier, deletion protection and key choice */
    public ClusterConfig getConfig() {
        return config;
    }

    /** @return removal policy of a created cluster and of a key created for it */
    public RemovalPolicy getRemovalPolicy() {
        return removalPolicy;
    }

    /** Builder of {@link DsqlClusterProps}. */
    public static final class Builder {
        private ClusterConfig config;
        private RemovalPolicy removalPolicy;

        private Builder() {
        }

        /**
         * @param config whether to create the cluster or use an existing one, and its key. Required.
         * @return this builder
         */
        public Builder config(ClusterConfig config) {
            this.config = config;
            return this;
        }

        /**
         * @param removalPolicy what happens to a created cluster (and a created key) when it leaves
         *                      the stack; ignored for an existing cluster. Required.
         * @return this builder
         */
        public Builder removalPolicy(RemovalPolicy removalPolicy) {
            this.removalPolicy = removalPolicy;
            return this;
        }

        /** @return the properties */
        public DsqlClusterProps build() {
            return new DsqlClusterProps(this);
        }
    }
}
