package com.dsqlcdc.infra.stateful;

import com.dsqlcdc.infra.Nag;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * Where the data buckets' S3 server access logs go: who read, wrote or deleted which record, for
 * audits. Encrypted with S3 managed keys because server access log delivery cannot write to a bucket
 * whose default encryption is SSE-KMS; TLS only, public access blocked, objects owned by the bucket
 * owner (delivery is granted through the bucket policy). Logs expire after
 * {@value #RETENTION_DAYS} days, and the bucket follows the data's removal policy.
 */
public final class AccessLogBucket extends Construct {

    /** A year of access logs: long enough to answer "who touched this record" for an audit period. */
    public static final int RETENTION_DAYS = 365;

    private final Bucket bucket;

    /**
     * @param scope         parent construct
     * @param id            construct id
     * @param removalPolicy the data's removal policy
     */
    public AccessLogBucket(Construct scope, String id, RemovalPolicy removalPolicy) {
        super(scope, id);
        this.bucket = Bucket.Builder.create(this, "Bucket")
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .enforceSsl(true)
                .minimumTlsVersion(1.2)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("ExpireAccessLogs")
                        .expiration(Duration.days(RETENTION_DAYS))
                        .abortIncompleteMultipartUploadAfter(
                                Duration.days(EncryptedBucket.ABORT_INCOMPLETE_UPLOADS_DAYS))
                        .build()))
                .removalPolicy(removalPolicy)
                .autoDeleteObjects(removalPolicy == RemovalPolicy.DESTROY)
                .build();
        Nag.suppress(
                bucket,
                Nag.rule(
                        "AwsSolutions-S1",
                        "This is the access-log bucket itself: logging it into"
                                + " itself would log its own log deliveries without end, and into another bucket only moves"
                                + " the question."));
    }

    /** @return the bucket */
    public IBucket getBucket() {
        return bucket;
    }
}
