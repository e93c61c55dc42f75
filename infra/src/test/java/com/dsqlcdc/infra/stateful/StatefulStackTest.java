package com.dsqlcdc.infra.stateful;

import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.infra.TestStages;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The stateful stack: Kinesis stream, DSQL cluster, keys; created and existing-cluster variants. */
class StatefulStackTest {

    private static StatefulStack created;
    private static Template createdTemplate;
    private static StatefulStack existing;
    private static Template existingTemplate;

    @BeforeAll
    static void synth() {
        created = TestStages.get().stage(TestStages.CREATED).getStateful();
        createdTemplate = Template.fromStack(created);
        existing = TestStages.get().stage(TestStages.EXISTING).getStateful();
        existingTemplate = Template.fromStack(existing);
    }

    @Test
    void kinesisStreamIsOnDemandWithTenMebibyteRecordsAndConfiguredRetention() {
        createdTemplate.resourceCountIs("AWS::Kinesis::Stream", 1);
        createdTemplate.hasResourceProperties(
                "AWS::Kinesis::Stream",
                Match.objectLike(Map.of(
                        "StreamModeDetails", Match.objectEquals(Map.of("StreamMode", "ON_DEMAND")),
                        "MaxRecordSizeInKiB", 10240,
                        "RetentionPeriodHours", 72,
                        "ShardCount", Match.absent(),
                        "Name", Match.absent())));
    }

    @Test
    void kinesisStreamIsEncryptedWithItsOwnRotatingKey() {
        Capture key = new Capture();
        createdTemplate.hasResourceProperties(
                "AWS::Kinesis::Stream",
                Match.objectLike(Map.of(
                        "StreamEncryption",
                        Match.objectEquals(
                                Map.of("EncryptionType", "KMS", "KeyId", Map.of("Fn::GetAtt", List.of(key, "Arn")))))));

        assertThat(createdTemplate.findResources(
                        "AWS::KMS::Key",
                        Match.objectLike(Map.of(
                                "Properties",
                                Match.objectLike(Map.of(
                                        "EnableKeyRotation",
                                        true,
                                        "Description",
                                        Match.stringLikeRegexp("Encrypts the DSQL CDC Kinesis stream.*")))))))
                .containsOnlyKeys(key.asString());
    }

    @Test
    void everyCreatedKeyRotates() {
        // cluster, Kinesis stream, warehouse, quarantine bucket, failed-batch bucket, staging bucket
        createdTemplate.resourceCountIs("AWS::KMS::Key", 6);
        createdTemplate.allResourcesProperties("AWS::KMS::Key", Match.objectLike(Map.of("EnableKeyRotation", true)));
    }

    @Test
    void createdClusterHasDeletionProtectionAndItsOwnKey() {
        Capture key = new Capture();
        createdTemplate.resourceCountIs("AWS::DSQL::Cluster", 1);
        createdTemplate.hasResourceProperties(
                "AWS::DSQL::Cluster",
                Match.objectLike(Map.of(
                        "DeletionProtectionEnabled", true,
                        "KmsEncryptionKey", Map.of("Fn::GetAtt", List.of(key, "Arn")),
                        "MultiRegionProperties", Match.absent())));

        assertThat(createdTemplate.findResources(
                        "AWS::KMS::Key",
                        Match.objectLike(Map.of(
                                "Properties",
                                Match.objectLike(Map.of(
                                        "EnableKeyRotation",
                                        true,
                                        "Description",
                                        Match.stringLikeRegexp("Encrypts the Aurora DSQL cluster.*")))))))
                .containsOnlyKeys(key.asString());
    }

    @Test
    void clusterKeyLetsDsqlUseItForThisAccountsClustersOnly() {
        createdTemplate.hasResourceProperties(
                "AWS::KMS::Key",
                Match.objectLike(
                        Map.of(
                                "KeyPolicy",
                                Match.objectLike(
                                        Map.of(
                                                "Statement",
                                                Match.arrayWith(
                                                        List.of(
                                                                Match.objectEquals(
                                                                        Map.of(
                                                                                "Sid",
                                                                                "AllowAuroraDsqlClusterEncryption",
                                                                                "Effect",
                                                                                "Allow",
                                                                                "Principal",
                                                                                Map.of("Service", "dsql.amazonaws.com"),
                                                                                "Action",
                                                                                List.of(
                                                                                        "kms:Decrypt",
                                                                                        "kms:DescribeKey",
                                                                                        "kms:Encrypt",
                                                                                        "kms:GenerateDataKey",
                                                                                        "kms:ReEncrypt*"),
                                                                                "Resource",
                                                                                "*",
                                                                                "Condition",
                                                                                Map.of(
                                                                                        "StringEquals",
                                                                                                Map.of(
                                                                                                        "aws:SourceAccount",
                                                                                                        "123456789012"),
                                                                                        "ArnLike",
                                                                                                Map.of(
                                                                                                        "aws:SourceArn",
                                                                                                        "arn:aws:dsql:eu-west-1:123456789012:cluster/*")))))))))));
    }

    @Test
    void clusterExposesIdentifierArnAndKey() {
        IDsqlCluster cluster = created.getCluster();
        String logicalId = created.getLogicalId((CfnElement) cluster.getNode().getDefaultChild());

        assertThat(created.resolve(cluster.getClusterIdentifier()))
                .isEqualTo(Map.of("Fn::GetAtt", List.of(logicalId, "Identifier")));
        assertThat(created.resolve(cluster.getClusterArn()))
                .isEqualTo(Map.of(
                        "Fn::Join",
                        List.of(
                                "",
                                List.of(
                                        "arn:aws:dsql:eu-west-1:123456789012:cluster/",
                                        Map.of("Fn::GetAtt", List.of(logicalId, "Identifier"))))));
        assertThat(cluster.getEncryptionKey()).isPresent();
    }

    @Test
    void retainDataRetainsStreamClusterAndKeys() {
        Map<String, Object> retained = Map.of("DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain");
        createdTemplate.allResources("AWS::Kinesis::Stream", Match.objectLike(retained));
        createdTemplate.allResources("AWS::DSQL::Cluster", Match.objectLike(retained));
        createdTemplate.allResources("AWS::KMS::Key", Match.objectLike(retained));
    }

    @Test
    void withoutRetainDataTheStreamIsDeleted() {
        existingTemplate.hasResource(
                "AWS::Kinesis::Stream",
                Match.objectLike(Map.of("DeletionPolicy", "Delete", "UpdateReplacePolicy", "Delete")));
    }

    @Test
    void tagsReachEveryTaggableResource() {
        Object tags = Match.arrayWith(
                List.of(Map.of("Key", "cost-center", "Value", "42"), Map.of("Key", "team", "Value", "data")));
        createdTemplate.allResourcesProperties("AWS::Kinesis::Stream", Match.objectLike(Map.of("Tags", tags)));
        createdTemplate.allResourcesProperties("AWS::DSQL::Cluster", Match.objectLike(Map.of("Tags", tags)));
        createdTemplate.allResourcesProperties("AWS::KMS::Key", Match.objectLike(Map.of("Tags", tags)));
    }

    @Test
    void existingClusterCreatesNoClusterAndUsesTheImportedKinesisKey() {
        existingTemplate.resourceCountIs("AWS::DSQL::Cluster", 0);
        // only the warehouse's and the buckets' keys: none for the cluster or the stream
        assertThat(existingTemplate.findResources(
                        "AWS::KMS::Key",
                        Match.objectLike(Map.of(
                                "Properties",
                                Match.objectLike(Map.of(
                                        "Description",
                                        Match.stringLikeRegexp(
                                                "Encrypts the (DSQL CDC Kinesis stream|Aurora DSQL cluster).*")))))))
                .isEmpty();
        existingTemplate.resourceCountIs("AWS::KMS::Key", 4);
        existingTemplate.hasResourceProperties(
                "AWS::Kinesis::Stream",
                Match.objectLike(Map.of(
                        "StreamEncryption",
                        Match.objectEquals(
                                Map.of("EncryptionType", "KMS", "KeyId", TestStages.IMPORTED_KINESIS_KEY_ARN)),
                        "RetentionPeriodHours",
                        168)));
    }

    @Test
    void existingClusterArnIsBuiltFromItsIdentifier() {
        IDsqlCluster cluster = existing.getCluster();

        assertThat(cluster.getClusterIdentifier()).isEqualTo(TestStages.EXISTING_CLUSTER_ID);
        assertThat(existing.resolve(cluster.getClusterArn()))
                .isEqualTo(Map.of(
                        "Fn::Join",
                        List.of(
                                "",
                                List.of(
                                        "arn:",
                                        Map.of("Ref", "AWS::Partition"),
                                        ":dsql:",
                                        Map.of("Ref", "AWS::Region"),
                                        ":",
                                        Map.of("Ref", "AWS::AccountId"),
                                        ":cluster/" + TestStages.EXISTING_CLUSTER_ID))));
        assertThat(cluster.getEncryptionKey()).isEmpty();
    }
}
