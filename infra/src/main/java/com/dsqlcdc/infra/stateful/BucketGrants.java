package com.dsqlcdc.infra.stateful;

import com.dsqlcdc.infra.Ordered;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.GrantOnPrincipalOptions;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.IConstruct;

/**
 * Narrow grants on any bucket (this app's {@link EncryptedBucket}s, or another app's
 * {@link IBucket}), where the bucket's own {@code grantPut}/{@code grantRead} give too much
 * ({@code s3:DeleteObject*}, {@code kms:Decrypt} to writers, ...). The bucket's customer managed key,
 * when it has one ({@link IBucket#getEncryptionKey}), is granted only through S3.
 */
public final class BucketGrants {

    private BucketGrants() {}

    /**
     * Lets the grantee write objects ({@code s3:PutObject} on the bucket's objects only) and create
     * the data keys S3 encrypts them with ({@code kms:GenerateDataKey} on the bucket's key, through S3
     * only). No read, no delete, no ACLs.
     *
     * @param bucket  the bucket
     * @param grantee the writer
     * @return the grant
     */
    public static Grant writeObjects(IBucket bucket, IGrantable grantee) {
        return objects(grantee, List.of("s3:PutObject"), List.of(bucket.arnForObjects("*")))
                .combine(keyThroughS3(bucket, grantee, List.of("kms:GenerateDataKey")));
    }

    /**
     * Lets the grantee list the bucket ({@code s3:ListBucket} on the bucket ARN), which Lambda
     * requires of an S3 on-failure destination.
     *
     * @param bucket  the bucket
     * @param grantee the lister
     * @return the grant
     */
    public static Grant listObjects(IBucket bucket, IGrantable grantee) {
        return objects(grantee, List.of("s3:ListBucket"), List.of(bucket.getBucketArn()));
    }

    /**
     * Lets the grantee run {@code actions} on the objects under each of {@code prefixes} only.
     *
     * @param bucket   the bucket
     * @param grantee  the principal
     * @param actions  S3 object actions, e.g. {@code s3:GetObject}
     * @param prefixes key prefixes ending in {@code /}
     * @return the grant
     */
    public static Grant objectsUnder(IBucket bucket, IGrantable grantee, List<String> actions, List<String> prefixes) {
        List<String> arns = new ArrayList<>();
        for (String prefix : prefixes) {
            arns.add(bucket.arnForObjects(prefix + "*"));
        }
        return objects(grantee, actions, arns);
    }

    /**
     * Lets the grantee list the keys under {@code prefixes} only ({@code s3:ListBucket} with
     * {@code s3:prefix} like {@code <prefix>*}). A listing without one of them is refused.
     *
     * @param bucket   the bucket
     * @param grantee  the lister
     * @param prefixes key prefixes ending in {@code /}
     * @return the grant
     */
    public static Grant listObjectsUnder(IBucket bucket, IGrantable grantee, List<String> prefixes) {
        List<String> patterns = prefixes.stream().map(prefix -> prefix + "*").toList();
        return Grant.addToPrincipal(GrantOnPrincipalOptions.builder()
                .grantee(grantee)
                .actions(List.of("s3:ListBucket"))
                .resourceArns(List.of(bucket.getBucketArn()))
                .conditions(Map.of(
                        "StringLike", Ordered.map("s3:prefix", patterns.size() == 1 ? patterns.get(0) : patterns)))
                .build());
    }

    /**
     * Lets the grantee use the bucket's customer managed key for {@code actions}, only through S3 (the
     * {@code kms:ViaService} condition): what SSE-KMS reads and writes need, nothing directly. Nothing
     * for a bucket without one (SSE-S3 needs no key permission).
     *
     * @param bucket  the bucket
     * @param grantee the principal
     * @param actions KMS actions, e.g. {@code kms:Decrypt}
     * @return the grant
     */
    public static Grant keyThroughS3(IBucket bucket, IGrantable grantee, List<String> actions) {
        IKey key = bucket.getEncryptionKey();
        if (key == null) {
            return Grant.drop(grantee, "use the key of " + bucket.getNode().getPath() + " (it has none)");
        }
        // the grantee's Region: same as the bucket's (one stage), and no cross-stack reference
        Stack stack = grantee instanceof IConstruct ? Stack.of((IConstruct) grantee) : Stack.of(bucket);
        return Grant.addToPrincipal(GrantOnPrincipalOptions.builder()
                .grantee(grantee)
                .actions(actions)
                .resourceArns(List.of(key.getKeyArn()))
                .conditions(Map.of(
                        "StringEquals",
                        Ordered.map("kms:ViaService", "s3." + stack.getRegion() + "." + stack.getUrlSuffix())))
                .build());
    }

    private static Grant objects(IGrantable grantee, List<String> actions, List<String> arns) {
        return Grant.addToPrincipal(GrantOnPrincipalOptions.builder()
                .grantee(grantee)
                .actions(actions)
                .resourceArns(arns)
                .build());
    }
}
