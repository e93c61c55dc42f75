package com.dsqlcdc.infra.stateful;

import com.dsqlcdc.infra.Ordered;
import com.dsqlcdc.infra.config.ClusterConfig;
import com.dsqlcdc.infra.config.KmsKeyConfig;
import java.util.List;
import java.util.Optional;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.dsql.CfnCluster;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.kms.Key;
import software.constructs.Construct;

/**
 * The Aurora DSQL cluster: created here ({@code AWS::DSQL::Cluster}, there is no L2) or an
 * existing one referenced by identifier. Either way it exposes the identifier, the ARN and the
 * customer managed key, if any.
 */
public final class DsqlCluster extends Construct implements IDsqlCluster {

    /** The CloudFormation value for "encrypt with the AWS owned key". */
    static final String AWS_OWNED_KMS_KEY = "AWS_OWNED_KMS_KEY";

    private final String clusterIdentifier;
    private final String clusterArn;
    private final IKey encryptionKey;

    /**
     * @param scope         parent construct
     * @param id            construct id
     * @param config        whether to create the cluster or use an existing one, its identifier, deletion
     *                      protection and key choice
     * @param removalPolicy what happens to a created cluster (and a created key) when it leaves the stack;
     *                      ignored for an existing cluster
     */
    public DsqlCluster(Construct scope, String id, ClusterConfig config, RemovalPolicy removalPolicy) {
        super(scope, id);
        this.encryptionKey = key(config.kmsKey(), removalPolicy);

        if (config.mode() == ClusterConfig.Mode.CREATE) {
            CfnCluster cluster = CfnCluster.Builder.create(this, "Resource")
                    .deletionProtectionEnabled(config.deletionProtection())
                    .kmsEncryptionKey(encryptionKey == null ? AWS_OWNED_KMS_KEY : encryptionKey.getKeyArn())
                    .build();
            cluster.applyRemovalPolicy(removalPolicy);
            this.clusterIdentifier = cluster.getAttrIdentifier();
        } else {
            this.clusterIdentifier = config.identifier().orElseThrow();
        }

        this.clusterArn = clusterArn(this, clusterIdentifier);
    }

    /**
     * A cluster made elsewhere (another stack or app, the console), by identifier: for another app's
     * {@code DsqlCdcStream}.
     *
     * @param scope             where the reference lives; its stack's account and Region are the cluster's
     * @param id                construct id
     * @param clusterIdentifier the 26-character cluster identifier (or a token)
     * @param encryptionKey     the cluster's customer managed key, or null when it uses an AWS owned key
     * @return the cluster
     */
    public static IDsqlCluster fromClusterIdentifier(
            Construct scope, String id, String clusterIdentifier, IKey encryptionKey) {
        return new DsqlCluster(scope, id, clusterIdentifier, encryptionKey);
    }

    /** A cluster this app does not manage: identifier, ARN and key only, no resource. */
    private DsqlCluster(Construct scope, String id, String clusterIdentifier, IKey encryptionKey) {
        super(scope, id);
        this.encryptionKey = encryptionKey;
        this.clusterIdentifier = clusterIdentifier;
        this.clusterArn = clusterArn(this, clusterIdentifier);
    }

    /** @return {@code arn:<partition>:dsql:<region>:<account>:cluster/<identifier>} in {@code scope}'s stack */
    private static String clusterArn(Construct scope, String clusterIdentifier) {
        return Stack.of(scope)
                .formatArn(ArnComponents.builder()
                        .service("dsql")
                        .resource("cluster")
                        .resourceName(clusterIdentifier)
                        .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                        .build());
    }

    private IKey key(KmsKeyConfig config, RemovalPolicy removalPolicy) {
        switch (config.source()) {
            case CREATE:
                Key key = Key.Builder.create(this, "Key")
                        .description(
                                "Encrypts the Aurora DSQL cluster " + getNode().getPath())
                        .enableKeyRotation(true)
                        .removalPolicy(removalPolicy)
                        .build();
                // Assumption (the DSQL guide's key-policy example could not be checked offline):
                // DSQL uses the key as the service principal on behalf of clusters in this
                // account. Scoped to this account's clusters; the cluster ARN cannot be named
                // here because the cluster depends on the key.
                Stack stack = Stack.of(this);
                key.addToResourcePolicy(PolicyStatement.Builder.create()
                        .sid("AllowAuroraDsqlClusterEncryption")
                        .principals(List.of(new ServicePrincipal("dsql.amazonaws.com")))
                        .actions(List.of(
                                "kms:Encrypt",
                                "kms:Decrypt",
                                "kms:ReEncrypt*",
                                "kms:GenerateDataKey",
                                "kms:DescribeKey"))
                        .resources(List.of("*"))
                        .conditions(Ordered.map(
                                "StringEquals", Ordered.map("aws:SourceAccount", stack.getAccount()),
                                "ArnLike",
                                        Ordered.map(
                                                "aws:SourceArn",
                                                stack.formatArn(ArnComponents.builder()
                                                        .service("dsql")
                                                        .resource("cluster")
                                                        .resourceName("*")
                                                        .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                                                        .build()))))
                        .build());
                return key;
            case IMPORTED:
                return Key.fromKeyArn(this, "Key", config.keyArn().orElseThrow());
            default:
                return null;
        }
    }

    @Override
    public String getClusterIdentifier() {
        return clusterIdentifier;
    }

    @Override
    public String getClusterArn() {
        return clusterArn;
    }

    @Override
    public Optional<IKey> getEncryptionKey() {
        return Optional.ofNullable(encryptionKey);
    }
}
