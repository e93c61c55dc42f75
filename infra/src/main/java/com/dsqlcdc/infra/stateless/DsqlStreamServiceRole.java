package com.dsqlcdc.infra.stateless;

import com.dsqlcdc.infra.Ordered;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.kms.IKey;
import software.constructs.Construct;

/**
 * The role Aurora DSQL assumes to write a cluster's CDC records to Kinesis. Only that cluster's
 * streams in this account may assume it, and it may only write to the one stream, encrypting with
 * the stream's customer managed key (if it has one) through Kinesis.
 *
 * <p>The permissions are an inline policy of the role, not grants: grant methods would add
 * actions DSQL does not need (kms:Encrypt, kms:Decrypt, ...), and an inline policy is part of the
 * role resource, so anything that references the role ARN (the CDC stream) is created only after
 * the permissions exist.
 */
public final class DsqlStreamServiceRole extends Construct {

    /** The service principal of Aurora DSQL. */
    public static final String DSQL_SERVICE_PRINCIPAL = "dsql.amazonaws.com";

    private final Role role;

    /**
     * @param scope         parent construct
     * @param id            construct id
     * @param clusterArn    ARN of the DSQL cluster; only its streams may assume the role
     * @param kinesisStream the Kinesis stream DSQL writes to (and, through Kinesis, its customer managed key if it
     *                      has one)
     */
    public DsqlStreamServiceRole(Construct scope, String id, String clusterArn, IStream kinesisStream) {
        super(scope, id);
        Stack stack = Stack.of(this);
        String streamArn = kinesisStream.getStreamArn();

        List<PolicyStatement> statements = new ArrayList<>();
        statements.add(PolicyStatement.Builder.create()
                .sid("WriteCdcRecords")
                .actions(List.of(
                        "kinesis:PutRecord",
                        "kinesis:PutRecords",
                        "kinesis:DescribeStreamSummary",
                        "kinesis:ListShards"))
                .resources(List.of(streamArn))
                .build());
        // Only a customer managed key needs a grant: Kinesis's default key (aws/kinesis) needs no IAM
        // permission (Kinesis Data Streams guide, "Permissions to use user-generated KMS keys").
        IKey key = kinesisStream.getEncryptionKey();
        if (key != null) {
            statements.add(PolicyStatement.Builder.create()
                    .sid("EncryptCdcRecordsThroughKinesis")
                    .actions(List.of("kms:GenerateDataKey"))
                    .resources(List.of(key.getKeyArn()))
                    .conditions(Ordered.map(
                            "StringEquals",
                            Ordered.map(
                                    "kms:ViaService",
                                    "kinesis." + stack.getRegion() + "." + stack.getUrlSuffix(),
                                    "kms:EncryptionContext:aws:kinesis:arn",
                                    streamArn,
                                    "aws:ResourceAccount",
                                    "${aws:PrincipalAccount}")))
                    .build());
        }
        PolicyDocument permissions =
                PolicyDocument.Builder.create().statements(statements).build();

        // DSQL presents the stream ARN (cluster/<id>/stream/<stream id>) as aws:SourceArn, never
        // the bare cluster ARN.
        this.role = Role.Builder.create(this, "Role")
                .description("Assumed by Aurora DSQL to write CDC records of one cluster to one Kinesis stream")
                .assumedBy(new ServicePrincipal(DSQL_SERVICE_PRINCIPAL)
                        .withConditions(Ordered.map(
                                "StringEquals", Ordered.map("aws:SourceAccount", stack.getAccount()),
                                "ArnLike", Ordered.map("aws:SourceArn", clusterArn + "/stream/*"))))
                .inlinePolicies(Map.of("WriteCdcRecordsToKinesis", permissions))
                .build();
    }

    /** @return the role */
    public IRole getRole() {
        return role;
    }
}
