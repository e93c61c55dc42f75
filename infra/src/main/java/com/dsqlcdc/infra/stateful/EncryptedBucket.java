package com.dsqlcdc.infra.stateful;

import com.dsqlcdc.infra.Ordered;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.GrantOnPrincipalOptions;
import software.amazon.awscdk.services.iam.IGrantable;
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
import software.constructs.IConstruct;

/**
 * A private S3 bucket of pipeline data (records it could not apply, staged loads): encrypted with
 * its own customer managed key (rotating; S3 Bucket Keys cut the KMS calls), public access
 * blocked, TLS 1.2+ required, versioned (an overwrite or delete keeps the previous copy), and
 * emptied by lifecycle rules: after one retention, or per key prefix.
 *
 * <p>Grants are intent-level and narrow: {@link #grantWriteObjects} for writers,
 * {@link #grantListObjects} where a writer must also list (the Lambda on-failure destination).
 * Nothing public here grants read or delete; {@link StagingBucket} builds its prefix-scoped grants
 * from the package-private ones.
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
                .description("Encrypts the bucket of " + props.purpose() + " " + getNode().getPath())
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
                        .map(filter -> BucketMetrics.builder().id(filter.getKey()).prefix(filter.getValue()).build())
                        .toList())
                .removalPolicy(props.removalPolicy())
                // A bucket that is not retained must be emptied for CloudFormation to delete it;
                // this adds CDK's auto-delete custom resource (its role may only list and delete
                // in this bucket, through the bucket policy).
                .autoDeleteObjects(destroy)
                .build();
    }

    /**
     * Lets the grantee write objects ({@code s3:PutObject} on the bucket's objects only) and
     * create the data keys S3 encrypts them with ({@code kms:GenerateDataKey} on this bucket's key,
     * through S3 only). No read, no delete, no ACLs.
     *
     * @param grantee the writer
     * @return the grant
     */
    public Grant grantWriteObjects(IGrantable grantee) {
        Grant put = Grant.addToPrincipal(GrantOnPrincipalOptions.builder()
                .grantee(grantee)
                .actions(List.of("s3:PutObject"))
                .resourceArns(List.of(bucket.arnForObjects("*")))
                .build());
        return put.combine(grantKeyThroughS3(grantee, List.of("kms:GenerateDataKey")));
    }

    /**
     * Lets the grantee list the bucket ({@code s3:ListBucket} on the bucket ARN), which Lambda
     * requires of an S3 on-failure destination.
     *
     * @param grantee the lister
     * @return the grant
     */
    public Grant grantListObjects(IGrantable grantee) {
        return Grant.addToPrincipal(GrantOnPrincipalOptions.builder()
                .grantee(grantee)
                .actions(List.of("s3:ListBucket"))
                .resourceArns(List.of(bucket.getBucketArn()))
                .build());
    }

    /**
     * Lets the grantee run {@code actions} on the objects under each of {@code prefixes} only.
     *
     * @param grantee  the principal
     * @param actions  S3 object actions, e.g. {@code s3:GetObject}
     * @param prefixes key prefixes ending in {@code /}
     * @return the grant
     */
    Grant grantObjectsUnder(IGrantable grantee, List<String> actions, List<String> prefixes) {
        List<String> arns = new ArrayList<>();
        for (String prefix : prefixes) {
            arns.add(bucket.arnForObjects(prefix + "*"));
        }
        return Grant.addToPrincipal(GrantOnPrincipalOptions.builder()
                .grantee(grantee)
                .actions(actions)
                .resourceArns(arns)
                .build());
    }

    /**
     * Lets the grantee list the keys under {@code prefix} only ({@code s3:ListBucket} with
     * {@code s3:prefix} like {@code <prefix>*}). A listing without that prefix is refused.
     *
     * @param grantee the lister
     * @param prefix  a key prefix ending in {@code /}
     * @return the grant
     */
    Grant grantListObjectsUnder(IGrantable grantee, String prefix) {
        return Grant.addToPrincipal(GrantOnPrincipalOptions.builder()
                .grantee(grantee)
                .actions(List.of("s3:ListBucket"))
                .resourceArns(List.of(bucket.getBucketArn()))
                .conditions(Map.of("StringLike", Ordered.map("s3:prefix", prefix + "*")))
                .build());
    }

    /**
     * Lets the grantee use this bucket's key for {@code actions}, only through S3 (the
     * {@code kms:ViaService} condition): what SSE-KMS reads and writes need, nothing directly.
     *
     * @param grantee the principal
     * @param actions KMS actions, e.g. {@code kms:Decrypt}
     * @return the grant
     */
    Grant grantKeyThroughS3(IGrantable grantee, List<String> actions) {
        // the grantee's Region: same as the bucket's (one stage), and no cross-stack reference
        Stack stack = grantee instanceof IConstruct ? Stack.of((IConstruct) grantee) : Stack.of(this);
        return Grant.addToPrincipal(GrantOnPrincipalOptions.builder()
                .grantee(grantee)
                .actions(actions)
                .resourceArns(List.of(encryptionKey.getKeyArn()))
                .conditions(Map.of("StringEquals", Ordered.map(
                        "kms:ViaService", "s3." + stack.getRegion() + "." + stack.getUrlSuffix())))
                .build());
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
            props.prefixRetentionDays().forEach((prefix, days) -> rules.add(LifecycleRule.builder()
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
