package com.dsqlcdc.infra.stateful;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.s3.IBucket;

/**
 * Properties of {@link EncryptedBucket}. Objects expire either all after one retention ({@link #expiringAfter})
 * or per key prefix, never both.
 *
 * @param purpose                        what the bucket holds, e.g. "quarantined CDC records" (the key's description)
 * @param retentionDays                  every object expires this many days after it is written, and its noncurrent
 *                                       versions this many days after they are replaced; null with prefixes
 * @param prefixRetentionDays            key prefix (ending in {@code /}, none inside another) to the days after which
 *                                       its objects expire, in iteration order; objects elsewhere never expire.
 *                                       Empty with {@code retentionDays}.
 * @param noncurrentVersionRetentionDays with prefixes: days an object version is kept once it is replaced, deleted
 *                                       or expired; null with {@code retentionDays}, which covers them too
 * @param requestMetrics                 S3 request-metrics filters (AWS/S3 {@code PutRequests} and the rest, per
 *                                       minute, {@code FilterId} dimension): filter id to the key prefix counted, in
 *                                       iteration order; may be empty
 * @param removalPolicy                  RETAIN keeps the bucket and its key when they leave the stack; DESTROY
 *                                       deletes them, emptying the bucket first
 * @param accessLogs                     where S3 delivers this bucket's server access logs (under a prefix named
 *                                       after the bucket's construct id)
 */
public record EncryptedBucketProps(
        String purpose,
        Integer retentionDays,
        Map<String, Integer> prefixRetentionDays,
        Integer noncurrentVersionRetentionDays,
        Map<String, String> requestMetrics,
        RemovalPolicy removalPolicy,
        IBucket accessLogs) {

    public EncryptedBucketProps {
        Objects.requireNonNull(purpose, "EncryptedBucketProps.purpose is required");
        prefixRetentionDays = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(
                prefixRetentionDays, "EncryptedBucketProps.prefixRetentionDays is required (may be empty)")));
        requestMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(
                requestMetrics, "EncryptedBucketProps.requestMetrics is required (may be empty)")));
        Objects.requireNonNull(removalPolicy, "EncryptedBucketProps.removalPolicy is required");
        Objects.requireNonNull(accessLogs, "EncryptedBucketProps.accessLogs is required");
        if (retentionDays == null == prefixRetentionDays.isEmpty()) {
            throw new IllegalArgumentException(
                    "EncryptedBucketProps needs either retentionDays or" + " prefixRetentionDays, not both");
        }
        if (retentionDays != null) {
            if (retentionDays < 1) {
                throw new IllegalArgumentException("EncryptedBucketProps.retentionDays must be at least 1");
            }
            if (noncurrentVersionRetentionDays != null) {
                throw new IllegalArgumentException("EncryptedBucketProps.noncurrentVersionRetentionDays goes with"
                        + " prefixRetentionDays; retentionDays applies to noncurrent versions too");
            }
        } else if (noncurrentVersionRetentionDays == null || noncurrentVersionRetentionDays < 1) {
            throw new IllegalArgumentException("EncryptedBucketProps.noncurrentVersionRetentionDays is required"
                    + " with prefixRetentionDays and at least 1");
        }
        checkPrefixes(prefixRetentionDays);
    }

    /**
     * @return props of a bucket whose every object (and noncurrent version) expires after {@code retentionDays},
     *         with these request metrics (filter id to prefix, in iteration order)
     */
    public static EncryptedBucketProps expiringAfter(
            String purpose,
            int retentionDays,
            Map<String, String> requestMetrics,
            RemovalPolicy removalPolicy,
            IBucket accessLogs) {
        return new EncryptedBucketProps(
                purpose, retentionDays, Map.of(), null, requestMetrics, removalPolicy, accessLogs);
    }

    private static void checkPrefixes(Map<String, Integer> prefixRetentionDays) {
        prefixRetentionDays.forEach((prefix, days) -> {
            if (prefix.length() < 2 || !prefix.endsWith("/") || days < 1) {
                throw new IllegalArgumentException("EncryptedBucketProps.prefixRetentionDays needs prefixes ending"
                        + " in / and at least 1 day, got " + prefix + " " + days);
            }
            for (String other : prefixRetentionDays.keySet()) {
                if (!other.equals(prefix) && other.startsWith(prefix)) {
                    throw new IllegalArgumentException(
                            "EncryptedBucketProps.prefixRetentionDays prefixes overlap: " + prefix + ", " + other);
                }
            }
        });
    }
}
