package com.dsqlcdc.infra.stateless;

import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.infra.PipelineStage;
import com.dsqlcdc.infra.Policies;
import com.dsqlcdc.infra.TestStages;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The stateless stack for existing clusters in environment-agnostic stages: one on the AWS owned
 * key (imported Kinesis key, no tags), one with a customer managed key given by ARN.
 */
class ExistingClusterTest {

    private static PipelineStage awsOwned;
    private static Template awsOwnedTemplate;
    private static PipelineStage cmk;
    private static Template cmkTemplate;

    @BeforeAll
    static void synth() {
        awsOwned = TestStages.get().stage(TestStages.EXISTING);
        awsOwnedTemplate = Template.fromStack(awsOwned.getStateless());
        cmk = TestStages.get().stage(TestStages.EXISTING_CMK);
        cmkTemplate = Template.fromStack(cmk.getStateless());
    }

    private static Map<String, Object> arnOf(String clusterResource) {
        return Map.of(
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
                                ":cluster/" + clusterResource)));
    }

    private static Object onEventRole(PipelineStage stage) {
        return stage.getStateless()
                .resolve(stage.getStateless()
                        .getCdcStream()
                        .getOnEventHandler()
                        .getRole()
                        .getRoleName());
    }

    @Test
    void onEventGetsNoKmsPermissionWhenTheClusterUsesAnAwsOwnedKey() {
        Object role = onEventRole(awsOwned);
        assertThat(awsOwnedTemplate.findResources(
                        "AWS::IAM::Policy",
                        Match.objectLike(Map.of("Properties", Match.objectLike(Map.of("Roles", List.of(role)))))))
                .hasSize(1);
        awsOwnedTemplate.hasResourceProperties(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "Roles", List.of(role),
                        "PolicyDocument",
                                Match.objectEquals(Map.of(
                                        "Version",
                                        "2012-10-17",
                                        "Statement",
                                        List.of(
                                                Policies.writesItsLogGroup("CdcStreamOnEventLogs"),
                                                Map.of(
                                                        "Effect",
                                                        "Allow",
                                                        "Action",
                                                        List.of(
                                                                "dsql:CreateStream",
                                                                "dsql:GetCluster",
                                                                "dsql:ListStreams"),
                                                        "Resource",
                                                        arnOf(TestStages.EXISTING_CLUSTER_ID)),
                                                Map.of(
                                                        "Effect",
                                                        "Allow",
                                                        "Action",
                                                        List.of(
                                                                "dsql:DeleteStream",
                                                                "dsql:GetStream",
                                                                "dsql:TagResource",
                                                                "dsql:UntagResource"),
                                                        "Resource",
                                                        arnOf(TestStages.EXISTING_CLUSTER_ID + "/stream/*")),
                                                Map.of(
                                                        "Effect",
                                                        "Allow",
                                                        "Action",
                                                        "iam:PassRole",
                                                        "Resource",
                                                        awsOwned.getStateless()
                                                                .resolve(awsOwned.getStateless()
                                                                        .getCdcStream()
                                                                        .getServiceRole()
                                                                        .getRoleArn()),
                                                        "Condition",
                                                        Map.of(
                                                                "StringEquals",
                                                                Map.of(
                                                                        "iam:PassedToService",
                                                                        "dsql.amazonaws.com")))))))));
    }

    @Test
    void onEventMayDecryptWithTheExistingClustersCustomerManagedKey() {
        Object role = onEventRole(cmk);
        cmkTemplate.hasResourceProperties(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "Roles", List.of(role),
                        "PolicyDocument",
                                Match.objectLike(Map.of(
                                        "Statement",
                                        Match.arrayWith(List.of(Match.objectEquals(Map.of(
                                                "Effect",
                                                "Allow",
                                                "Action",
                                                "kms:Decrypt",
                                                "Resource",
                                                TestStages.EXISTING_CLUSTER_KEY_ARN)))))))));
    }

    @Test
    void customResourceNamesTheExistingClusterAndHasNoTags() {
        awsOwnedTemplate.hasResourceProperties(
                DsqlCdcStream.RESOURCE_TYPE,
                Match.objectLike(Map.of(
                        "ClusterIdentifier", TestStages.EXISTING_CLUSTER_ID,
                        "KinesisStreamArn",
                                new CrossStackRefs(awsOwned, Template.fromStack(awsOwned.getStateful()))
                                        .of(awsOwned.getStateful()
                                                .getKinesisStream()
                                                .getStreamArn()),
                        "Tags", Match.absent())));
    }

    @Test
    void serviceRoleUsesTheExistingClusterAndTheImportedKinesisKey() {
        awsOwnedTemplate.hasResourceProperties(
                "AWS::IAM::Role",
                Match.objectLike(Map.of(
                        "AssumeRolePolicyDocument",
                                Match.objectLike(Map.of(
                                        "Statement",
                                        List.of(Match.objectLike(Map.of(
                                                "Condition",
                                                Map.of(
                                                        "StringEquals",
                                                                Map.of(
                                                                        "aws:SourceAccount",
                                                                        Map.of("Ref", "AWS::AccountId")),
                                                        "ArnLike",
                                                                Map.of(
                                                                        "aws:SourceArn",
                                                                        arnOf(TestStages.EXISTING_CLUSTER_ID
                                                                                + "/stream/*")))))))),
                        "Policies",
                                List.of(Match.objectLike(Map.of(
                                        "PolicyDocument",
                                        Match.objectLike(Map.of(
                                                "Statement",
                                                Match.arrayWith(List.of(Match.objectLike(Map.of(
                                                        "Action",
                                                        "kms:GenerateDataKey",
                                                        "Resource",
                                                        TestStages.IMPORTED_KINESIS_KEY_ARN))))))))))));
    }

    @Test
    void logGroupsFollowTheEnvironmentsRetention() {
        awsOwnedTemplate.allResourcesProperties("AWS::Logs::LogGroup", Match.objectLike(Map.of("RetentionInDays", 7)));
        cmkTemplate.allResourcesProperties("AWS::Logs::LogGroup", Match.objectLike(Map.of("RetentionInDays", 30)));
    }
}
