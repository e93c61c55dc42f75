package com.dsqlcdc.infra.stateful;

import java.util.Objects;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.s3.IBucket;

/** Properties of {@link StagingBucket}; build with {@link #builder()}. */
public final class StagingBucketProps {

    private final int stagingRetentionDays;
    private final int doneMarkerRetentionDays;
    private final RemovalPolicy removalPolicy;
    private final IBucket accessLogs;

    private StagingBucketProps(Builder builder) {
        this.removalPolicy = Objects.requireNonNull(builder.removalPolicy,
                "StagingBucketProps.removalPolicy is required");
        if (builder.stagingRetentionDays == null || builder.stagingRetentionDays < 1) {
            throw new IllegalArgumentException("StagingBucketProps.stagingRetentionDays is required and at least 1");
        }
        if (builder.doneMarkerRetentionDays == null || builder.doneMarkerRetentionDays < 1) {
            throw new IllegalArgumentException(
                    "StagingBucketProps.doneMarkerRetentionDays is required and at least 1");
        }
        this.stagingRetentionDays = builder.stagingRetentionDays;
        this.doneMarkerRetentionDays = builder.doneMarkerRetentionDays;
        this.accessLogs = Objects.requireNonNull(builder.accessLogs, "StagingBucketProps.accessLogs is required");
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return days a COPY file (and any replaced or deleted object version) is kept */
    public int getStagingRetentionDays() {
        return stagingRetentionDays;
    }

    /** @return days a chunk set's done marker is kept */
    public int getDoneMarkerRetentionDays() {
        return doneMarkerRetentionDays;
    }

    /** @return removal policy of the bucket and its key */
    public IBucket getAccessLogs() {
        return accessLogs;
    }

    /** @return removal policy of the bucket and its key */
    public RemovalPolicy getRemovalPolicy() {
        return removalPolicy;
    }

    /** Builder of {@link StagingBucketProps}. */
    public static final class Builder {
        private Integer stagingRetentionDays;
        private Integer doneMarkerRetentionDays;
        private RemovalPolicy removalPolicy;

        private IBucket accessLogs;

        private Builder() {
        }

        /**
         * @param days COPY files under {@code staging/} expire this many days after they are written;
         *             replaced and deleted object versions anywhere this many days after. Required.
         * @return this builder
         */
        public Builder stagingRetentionDays(int days) {
            this.stagingRetentionDays = days;
            return this;
        }

        /**
         * @param days markers under {@code chunk-done/} expire this many days after they are written.
         *             Keep them longer than the Kinesis stream keeps records. Required.
         * @return this builder
         */
        public Builder doneMarkerRetentionDays(int days) {
            this.doneMarkerRetentionDays = days;
            return this;
        }

        /**
         * @param removalPolicy RETAIN keeps the bucket and its key when they leave the stack;
         *                      DESTROY deletes them, emptying the bucket first. Required.
         * @return this builder
         */
        public Builder removalPolicy(RemovalPolicy removalPolicy) {
            this.removalPolicy = removalPolicy;
            return this;
        }

        /** @param accessLogs where the bucket's server access logs go. Required. @return this builder */
        public Builder accessLogs(IBucket accessLogs) {
            this.accessLogs = accessLogs;
            return this;
        }

        /** @return the properties */
        public StagingBucketProps build() {
            return new StagingBucketProps(this);
        }
    }
}
