package com.dsqlcdc.infra.stateful;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.s3.IBucket;

/**
 * Properties of {@link EncryptedBucket}; build with {@link #builder()}. Objects expire either all
 * after one retention ({@link Builder#retentionDays}) or per key prefix
 * ({@link Builder#expireUnder}, with {@link Builder#noncurrentVersionRetentionDays}), never both.
 */
public final class EncryptedBucketProps {

    private final String purpose;
    private final Integer retentionDays;
    private final Map<String, Integer> prefixRetentionDays;
    private final int noncurrentVersionRetentionDays;
    private final RemovalPolicy removalPolicy;
    private final Map<String, String> requestMetrics;
    private final IBucket accessLogs;

    private EncryptedBucketProps(Builder builder) {
        this.purpose = Objects.requireNonNull(builder.purpose, "EncryptedBucketProps.purpose is required");
        this.removalPolicy = Objects.requireNonNull(builder.removalPolicy,
                "EncryptedBucketProps.removalPolicy is required");
        this.prefixRetentionDays = Collections.unmodifiableMap(new LinkedHashMap<>(builder.prefixRetentionDays));
        this.requestMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(builder.requestMetrics));
        if (builder.retentionDays == null == prefixRetentionDays.isEmpty()) {
            throw new IllegalArgumentException("EncryptedBucketProps needs either retentionDays or expireUnder"
                    + " prefixes, not both");
        }
        if (builder.retentionDays != null) {
            if (builder.retentionDays < 1) {
                throw new IllegalArgumentException("EncryptedBucketProps.retentionDays must be at least 1");
            }
            if (builder.noncurrentVersionRetentionDays != null) {
                throw new IllegalArgumentException("EncryptedBucketProps.noncurrentVersionRetentionDays goes with"
                        + " expireUnder; retentionDays applies to noncurrent versions too");
            }
            this.retentionDays = builder.retentionDays;
            this.noncurrentVersionRetentionDays = builder.retentionDays;
        } else {
            if (builder.noncurrentVersionRetentionDays == null || builder.noncurrentVersionRetentionDays < 1) {
                throw new IllegalArgumentException("EncryptedBucketProps.noncurrentVersionRetentionDays is required"
                        + " with expireUnder and at least 1");
            }
            this.retentionDays = null;
            this.noncurrentVersionRetentionDays = builder.noncurrentVersionRetentionDays;
        }
        this.accessLogs = Objects.requireNonNull(builder.accessLogs, "EncryptedBucketProps.accessLogs is required");
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return what the bucket holds, for the key's description */
    public String getPurpose() {
        return purpose;
    }

    /**
     * @return days every object version is kept (current and noncurrent), or null when objects
     *         expire per prefix instead
     */
    public Integer getRetentionDays() {
        return retentionDays;
    }

    /**
     * @return prefix to days after which its objects expire, in the order given; empty when
     *         {@link #getRetentionDays()} applies to the whole bucket
     */
    public Map<String, Integer> getPrefixRetentionDays() {
        return prefixRetentionDays;
    }

    /** @return days an object version is kept once it is replaced, deleted or expired */
    public int getNoncurrentVersionRetentionDays() {
        return noncurrentVersionRetentionDays;
    }

    /** @return S3 request-metrics filters: filter id to key prefix, in the order given; may be empty */
    public Map<String, String> getRequestMetrics() {
        return requestMetrics;
    }

    /** @return the bucket that receives this bucket's server access logs */
    public IBucket getAccessLogs() {
        return accessLogs;
    }

    /** @return removal policy of the bucket and its key */
    public RemovalPolicy getRemovalPolicy() {
        return removalPolicy;
    }

    /** Builder of {@link EncryptedBucketProps}. */
    public static final class Builder {
        private String purpose;
        private Integer retentionDays;
        private final Map<String, Integer> prefixRetentionDays = new LinkedHashMap<>();
        private Integer noncurrentVersionRetentionDays;
        private RemovalPolicy removalPolicy;
        private final Map<String, String> requestMetrics = new LinkedHashMap<>();
        private IBucket accessLogs;

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
         * @param retentionDays every object expires this many days after it is written, and its
         *                      noncurrent versions this many days after they are replaced. Required
         *                      unless {@link #expireUnder} is used.
         * @return this builder
         */
        public Builder retentionDays(int retentionDays) {
            this.retentionDays = retentionDays;
            return this;
        }

        /**
         * Objects under {@code prefix} expire {@code days} after they are written; objects under no
         * configured prefix never do. Call once per prefix, instead of {@link #retentionDays}.
         *
         * @param prefix a key prefix ending in {@code /}, not overlapping another configured one
         * @param days   at least 1
         * @return this builder
         */
        public Builder expireUnder(String prefix, int days) {
            Objects.requireNonNull(prefix, "prefix");
            if (prefix.length() < 2 || !prefix.endsWith("/") || days < 1) {
                throw new IllegalArgumentException("expireUnder needs a prefix ending in / and at least 1 day, got "
                        + prefix + " " + days);
            }
            for (String other : prefixRetentionDays.keySet()) {
                if (other.startsWith(prefix) || prefix.startsWith(other)) {
                    throw new IllegalArgumentException("expireUnder prefixes overlap: " + other + ", " + prefix);
                }
            }
            prefixRetentionDays.put(prefix, days);
            return this;
        }

        /**
         * @param days object versions that were replaced, deleted or expired are removed this many days
         *             later. Required with {@link #expireUnder}, not allowed with {@link #retentionDays}.
         * @return this builder
         */
        public Builder noncurrentVersionRetentionDays(int days) {
            this.noncurrentVersionRetentionDays = days;
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

        /**
         * Publishes S3 request metrics (AWS/S3 {@code PutRequests} and the rest, per minute, with the
         * {@code FilterId} dimension) for the objects under {@code prefix}. Optional, repeatable.
         *
         * @param filterId the filter's id, the metrics' {@code FilterId}
         * @param prefix   the key prefix counted
         * @return this builder
         */
        public Builder requestMetrics(String filterId, String prefix) {
            requestMetrics.put(Objects.requireNonNull(filterId, "filterId"), Objects.requireNonNull(prefix, "prefix"));
            return this;
        }

        /**
         * @param accessLogs where S3 delivers this bucket's server access logs (under a prefix named
         *                   after the bucket's construct path). Required.
         * @return this builder
         */
        public Builder accessLogs(IBucket accessLogs) {
            this.accessLogs = accessLogs;
            return this;
        }

        /** @return the properties */
        public EncryptedBucketProps build() {
            return new EncryptedBucketProps(this);
        }
    }
}
