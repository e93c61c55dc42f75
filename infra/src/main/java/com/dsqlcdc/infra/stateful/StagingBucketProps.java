package com.dsqlcdc.infra.stateful;

import java.util.Objects;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.s3.IBucket;

/**
 * Properties of {@link StagingBucket}.
 *
 * @param doneMarkerRetentionDays markers under {@code chunk-done/} expire this many days after they are
 *                                written; keep them longer than the Kinesis stream keeps records. At
 *                                least 1.
 * @param removalPolicy           RETAIN keeps the bucket and its key when they leave the stack; DESTROY
 *                                deletes them, emptying the bucket first
 * @param accessLogs              where the bucket's server access logs go
 */
public record StagingBucketProps(int doneMarkerRetentionDays, RemovalPolicy removalPolicy, IBucket accessLogs) {

    public StagingBucketProps {
        if (doneMarkerRetentionDays < 1) {
            throw new IllegalArgumentException("StagingBucketProps.doneMarkerRetentionDays is required and at least 1,"
                    + " got " + doneMarkerRetentionDays);
        }
        Objects.requireNonNull(removalPolicy, "StagingBucketProps.removalPolicy is required");
        Objects.requireNonNull(accessLogs, "StagingBucketProps.accessLogs is required");
    }
}
