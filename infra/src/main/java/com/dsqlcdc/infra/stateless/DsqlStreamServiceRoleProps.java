package com.dsqlcdc.infra.stateless;

import java.util.Objects;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.kms.IKey;

/** Properties of {@link DsqlStreamServiceRole}; build with {@link #builder()}. */
public final class DsqlStreamServiceRoleProps {

    private final String clusterArn;
    private final IStream kinesisStream;
    private final IKey kinesisKey;

    private DsqlStreamServiceRoleProps(Builder builder) {
        this.clusterArn = Objects.requireNonNull(builder.clusterArn, "DsqlStreamServiceRoleProps.clusterArn is required");
        this.kinesisStream = Objects.requireNonNull(builder.kinesisStream,
                "DsqlStreamServiceRoleProps.kinesisStream is required");
        this.kinesisKey = Objects.requireNonNull(builder.kinesisKey, "DsqlStreamServiceRoleProps.kinesisKey is required");
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return ARN of the cluster whose CDC streams may assume the role */
    public String getClusterArn() {
        return clusterArn;
    }

    /** @return the stream the role may write to */
    public IStream getKinesisStream() {
        return kinesisStream;
    }

    /** @return the stream's customer managed key */
    public IKey getKinesisKey() {
        return kinesisKey;
    }

    /** Builder of {@link DsqlStreamServiceRoleProps}. */
    public static final class Builder {
        private String clusterArn;
        private IStream kinesisStream;
        private IKey kinesisKey;

        private Builder() {
        }

        /**
         * @param clusterArn ARN of the DSQL cluster; only its streams may assume the role. Required.
         * @return this builder
         */
        public Builder clusterArn(String clusterArn) {
            this.clusterArn = clusterArn;
            return this;
        }

        /**
         * @param kinesisStream the Kinesis stream DSQL writes to. Required.
         * @return this builder
         */
        public Builder kinesisStream(IStream kinesisStream) {
            this.kinesisStream = kinesisStream;
            return this;
        }

        /**
         * @param kinesisKey the customer managed key that encrypts the stream. Required.
         * @return this builder
         */
        public Builder kinesisKey(IKey kinesisKey) {
            this.kinesisKey = kinesisKey;
            return this;
        }

        /** @return the properties */
        public DsqlStreamServiceRoleProps build() {
            return new DsqlStreamServiceRoleProps(this);
        }
    }
}
