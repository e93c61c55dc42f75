package com.dsqlcdc.infra.stateful;

import java.util.Objects;
import software.amazon.awscdk.RemovalPolicy;

/** Properties of {@link EncryptedBucket}; build with {@link #builder()}. */
public final class EncryptedBucketProps {

    private final String purpose;
    private final int retentionDays;
    private final RemovalPolicy removalPolicy;

    private EncryptedBucketProps(Builder builder) {
        this.purpose = Objects.requireNonNull(builder.purpose, "EncryptedBucketProps.purpose is required");
        this.removalPolicy = Objects.requireNonNull(builder.removalPolicy,
                "EncryptedBucketProps.removalPolicy is required");
        if (builder.retentionDays == null || builder.retentionDays < 1) {
            throw new IllegalArgumentException("EncryptedBucketProps.retentionDays is required and at least 1");
        }
        this.retentionDays = builder.retentionDays;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return what the bucket holds, for the key's description */
    public String getPurpose() {
        return purpose;
    }

    /** @return days an object version is kept */
    public int getRetentionDays() {
        return retentionDays;
    }

    /** @return removal policy of the bucket and its key */
    public RemovalPolicy getRemovalPolicy() {
        return removalPolicy;
    }

    /** Builder of {@link EncryptedBucketProps}. */
    public static final class Builder {
        private String purpose;
        private Integer retentionDays;
        private RemovalPolicy removalPolicy;

        private Builder() {
        }

        /**
         * @param purpose what the bucket holds, e.g. "quarantined CDC records". Required.
         * @return this builder
         */
        public Builder purpose(String purpose) {
            this.purpose = purpose;
            return this;
        }

        /**
         * @param retentionDays objects expire this many days after they are written, and their
         *                      noncurrent versions this many days after they are replaced. Required.
         * @return this builder
         */
        public Builder retentionDays(int retentionDays) {
            this.retentionDays = retentionDays;
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

        /** @return the properties */
        public EncryptedBucketProps build() {
            return new EncryptedBucketProps(this);
        }
    }
}
