package com.dsqlcdc.infra.stateful;

import com.dsqlcdc.infra.config.WarehouseConfig;
import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.logs.RetentionDays;

/** Properties of {@link Warehouse}; build with {@link #builder()}. */
public final class WarehouseProps {

    private final WarehouseConfig config;
    private final List<String> availabilityZones;
    private final RemovalPolicy removalPolicy;
    private final RetentionDays logRetention;
    private final StagingBucket stagingBucket;

    private WarehouseProps(Builder builder) {
        this.config = Objects.requireNonNull(builder.config, "WarehouseProps.config is required");
        this.availabilityZones = List.copyOf(Objects.requireNonNull(builder.availabilityZones,
                "WarehouseProps.availabilityZones is required"));
        this.removalPolicy = Objects.requireNonNull(builder.removalPolicy, "WarehouseProps.removalPolicy is required");
        this.logRetention = Objects.requireNonNull(builder.logRetention, "WarehouseProps.logRetention is required");
        this.stagingBucket = Objects.requireNonNull(builder.stagingBucket, "WarehouseProps.stagingBucket is required");
        if (availabilityZones.size() != WarehouseConfig.AVAILABILITY_ZONE_COUNT) {
            throw new IllegalArgumentException("WarehouseProps.availabilityZones must hold "
                    + WarehouseConfig.AVAILABILITY_ZONE_COUNT + " zones, got " + availabilityZones.size());
        }
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return base capacity, database name */
    public WarehouseConfig getConfig() {
        return config;
    }

    /** @return the three Availability Zones of the warehouse's subnets (names or tokens) */
    public List<String> getAvailabilityZones() {
        return availabilityZones;
    }

    /** @return removal policy of the namespace (the data) and its key */
    public RemovalPolicy getRemovalPolicy() {
        return removalPolicy;
    }

    /** @return retention of the log group of the admin-secret lookup */
    public RetentionDays getLogRetention() {
        return logRetention;
    }

    /** @return the bucket COPY loads from */
    public StagingBucket getStagingBucket() {
        return stagingBucket;
    }

    /** Builder of {@link WarehouseProps}. */
    public static final class Builder {
        private WarehouseConfig config;
        private List<String> availabilityZones;
        private RemovalPolicy removalPolicy;
        private RetentionDays logRetention;
        private StagingBucket stagingBucket;

        private Builder() {
        }

        /**
         * @param config base capacity and database name. Required.
         * @return this builder
         */
        public Builder config(WarehouseConfig config) {
            this.config = config;
            return this;
        }

        /**
         * @param availabilityZones exactly three Availability Zones (names, or tokens such as
         *                          {@code Fn::Select} of {@code Fn::GetAZs}): Redshift Serverless
         *                          needs subnets in three. They must be among the stack's zones.
         *                          Required.
         * @return this builder
         */
        public Builder availabilityZones(List<String> availabilityZones) {
            this.availabilityZones = availabilityZones;
            return this;
        }

        /**
         * @param removalPolicy what happens to the namespace (and so the data) and its key when
         *                      they leave the stack. Required.
         * @return this builder
         */
        public Builder removalPolicy(RemovalPolicy removalPolicy) {
            this.removalPolicy = removalPolicy;
            return this;
        }

        /**
         * @param logRetention retention of the log group of the admin-secret lookup function. Required.
         * @return this builder
         */
        public Builder logRetention(RetentionDays logRetention) {
            this.logRetention = logRetention;
            return this;
        }

        /**
         * @param stagingBucket the bucket COPY loads from: the namespace's COPY role may read its
         *                      {@code staging/} prefix. Required.
         * @return this builder
         */
        public Builder stagingBucket(StagingBucket stagingBucket) {
            this.stagingBucket = stagingBucket;
            return this;
        }

        /** @return the properties */
        public WarehouseProps build() {
            return new WarehouseProps(this);
        }
    }
}
