package com.dsqlcdc.infra.stateful;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.BucketMetrics;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * A private S3 bucket of pipeline data (records it could not apply, staged loads): encrypted with
 * its own customer managed key (rotating; S3 Bucket Keys cut the KMS calls), public access
 * blocked, TLS 1.2+ required, versioned (an overwrite or delete keeps the previous copy), and
 * emptied by lifecycle rules: after one retention, or per key prefix.
 *
 * <p>Nothing here grants anything: the narrow grants the pipeline needs (object writes, listing,
 * prefix-scoped reads, the key through S3 only) are {@link BucketGrants}, on the {@link #getBucket()
 * bucket}.
 */
public final class EncryptedBucket extends Construct {

    /** Incomplete multipart uploads are cleaned up after this many days. */
    static final int ABORT_INCOMPLETE_UPLOADS_DAYS = 7;

    private final Key encryptionKey;
    private final Bucket bucket;

    /**
     * @param scope parent construct
     * @param id    construct id
     * @param props purpose, retention, removal policy
     */
    public EncryptedBucket(Construct scope, String id, EncryptedBucketProps props) {
        super(scope, id);
        boolean destroy = props.removalPolicy() == RemovalPolicy.DESTROY;

        this.encryptionKey = Key.Builder.create(this, "Key")
                .description("Encrypts the bucket of " + props.purpose() + " "
                        + getNode().getPath())
                .enableKeyRotation(true)
                .removalPolicy(props.removalPolicy())
                .build();

        this.bucket = Bucket.Builder.create(this, "Bucket")
                .encryption(BucketEncryption.KMS)
                .encryptionKey(encryptionKey)
                .bucketKeyEnabled(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .enforceSsl(true)
                .minimumTlsVersion(1.2)
                .versioned(true)
                .lifecycleRules(lifecycleRules(props))
                .serverAccessLogsBucket(props.accessLogs())
                .serverAccessLogsPrefix(id + "/")
                .metrics(props.requestMetrics().entrySet().stream()
                        .map(filter -> BucketMetrics.builder()
                                .id(filter.getKey())
                                .prefix(filter.getValue())
                                .build())
                        .toList())
                .removalPolicy(props.removalPolicy())
                // A bucket that is not retained must be emptied for CloudFormation to delete it;
                // this adds CDK's auto-delete custom resource (its role may only list and delete
                // in this bucket, through the bucket policy).
                .autoDeleteObjects(destroy)
                .build();
    }

    /**
     * One retention: every object and noncurrent version expires after it. Per prefix: objects
     * under each prefix expire after its days, others never; noncurrent versions (overwritten,
     * deleted or expired objects) everywhere after their own retention.
     */
    private static List<LifecycleRule> lifecycleRules(EncryptedBucketProps props) {
        Duration abortUploads = Duration.days(ABORT_INCOMPLETE_UPLOADS_DAYS);
        List<LifecycleRule> rules = new ArrayList<>();
        if (props.retentionDays() != null) {
            Duration retention = Duration.days(props.retentionDays());
            rules.add(LifecycleRule.builder()
                    .id("ExpireAfterRetention")
                    .expiration(retention)
                    .noncurrentVersionExpiration(retention)
                    .abortIncompleteMultipartUploadAfter(abortUploads)
                    .build());
        } else {
            props.prefixRetentionDays()
                    .forEach((prefix, days) -> rules.add(LifecycleRule.builder()
                            .id("Expire-" + prefix.substring(0, prefix.length() - 1))
                            .prefix(prefix)
                            .expiration(Duration.days(days))
                            .build()));
            rules.add(LifecycleRule.builder()
                    .id("ExpireNoncurrentVersions")
                    .noncurrentVersionExpiration(Duration.days(props.noncurrentVersionRetentionDays()))
                    .abortIncompleteMultipartUploadAfter(abortUploads)
                    .build());
        }
        rules.add(LifecycleRule.builder()
                .id("RemoveExpiredDeleteMarkers")
                .expiredObjectDeleteMarker(true)
                .build());
        return rules;
    }

    /** @return the bucket */
    public IBucket getBucket() {
        return bucket;
    }

    /** @return the bucket's customer managed key */
    public IKey getEncryptionKey() {
        return encryptionKey;
    }
}
