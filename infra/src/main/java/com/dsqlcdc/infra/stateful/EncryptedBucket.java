package com.dsqlcdc.infra.stateful;

import com.dsqlcdc.infra.Ordered;
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
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * A private S3 bucket for records the pipeline could not apply: encrypted with its own customer
 * managed key (rotating; S3 Bucket Keys cut the KMS calls), public access blocked, TLS 1.2+
 * required, versioned (an overwrite keeps the previous copy), and emptied by a lifecycle rule after
 * the configured retention.
 *
 * <p>Grants are intent-level and narrow: {@link #grantWriteObjects} for writers,
 * {@link #grantListObjects} where a writer must also list (the Lambda on-failure destination).
 * Nothing here grants read or delete.
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
        boolean destroy = props.getRemovalPolicy() == RemovalPolicy.DESTROY;

        this.encryptionKey = Key.Builder.create(this, "Key")
                .description("Encrypts the bucket of " + props.getPurpose() + " " + getNode().getPath())
                .enableKeyRotation(true)
                .removalPolicy(props.getRemovalPolicy())
                .build();

        Duration retention = Duration.days(props.getRetentionDays());
        this.bucket = Bucket.Builder.create(this, "Bucket")
                .encryption(BucketEncryption.KMS)
                .encryptionKey(encryptionKey)
                .bucketKeyEnabled(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .enforceSsl(true)
                .minimumTlsVersion(1.2)
                .versioned(true)
                .lifecycleRules(List.of(
                        LifecycleRule.builder()
                                .id("ExpireAfterRetention")
                                .expiration(retention)
                                .noncurrentVersionExpiration(retention)
                                .abortIncompleteMultipartUploadAfter(Duration.days(ABORT_INCOMPLETE_UPLOADS_DAYS))
                                .build(),
                        LifecycleRule.builder()
                                .id("RemoveExpiredDeleteMarkers")
                                .expiredObjectDeleteMarker(true)
                                .build()))
                .removalPolicy(props.getRemovalPolicy())
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
        // the grantee's Region: same as the bucket's (one stage), and no cross-stack reference
        Stack stack = grantee instanceof IConstruct ? Stack.of((IConstruct) grantee) : Stack.of(this);
        Grant key = Grant.addToPrincipal(GrantOnPrincipalOptions.builder()
                .grantee(grantee)
                .actions(List.of("kms:GenerateDataKey"))
                .resourceArns(List.of(encryptionKey.getKeyArn()))
                .conditions(Map.of("StringEquals", Ordered.map(
                        "kms:ViaService", "s3." + stack.getRegion() + "." + stack.getUrlSuffix())))
                .build());
        return put.combine(key);
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

    /** @return the bucket */
    public IBucket getBucket() {
        return bucket;
    }

    /** @return the bucket's customer managed key */
    public IKey getEncryptionKey() {
        return encryptionKey;
    }
}
