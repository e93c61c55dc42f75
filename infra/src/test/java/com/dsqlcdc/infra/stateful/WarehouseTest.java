package com.dsqlcdc.infra.stateful;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.infra.Policies;
import com.dsqlcdc.infra.TestStages;
import com.dsqlcdc.infra.config.WarehouseConfig;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.redshiftserverless.CfnNamespace;
import software.amazon.awscdk.services.redshiftserverless.CfnWorkgroup;
import software.constructs.IConstruct;

/**
 * The Redshift Serverless warehouse: in a fixed environment with configured Availability Zones
 * ({@link TestStages#CREATED}: 64 RPU, database "analytics", data retained) and in an
 * environment-agnostic one with the defaults ({@link TestStages#EXISTING}: zones from Fn::GetAZs,
 * 8 RPU, database "dev", data destroyed). Large strings are on in both (the default) and off in
 * {@link TestStages#EXISTING_CMK}.
 */
class WarehouseTest {

    private static final Map<String, Object> ISOLATED_SUBNET_TAG =
            Map.of("Key", "aws-cdk:subnet-type", "Value", "Isolated");

    private static StatefulStack created;
    private static Template createdTemplate;
    private static StatefulStack agnostic;
    private static Template agnosticTemplate;
    private static StatefulStack noLargeStrings;
    private static Template noLargeStringsTemplate;

    @BeforeAll
    static void synth() {
        created = TestStages.get().stage(TestStages.CREATED).getStateful();
        createdTemplate = Template.fromStack(created);
        agnostic = TestStages.get().stage(TestStages.EXISTING).getStateful();
        agnosticTemplate = Template.fromStack(agnostic);
        noLargeStrings = TestStages.get().stage(TestStages.EXISTING_CMK).getStateful();
        noLargeStringsTemplate = Template.fromStack(noLargeStrings);
    }

    /** @return the logical id of the warehouse's child {@code id} (an L1, or an L2's default child) */
    private static String logicalId(StatefulStack stack, String id) {
        IConstruct child = stack.getNode().findChild("Warehouse").getNode().findChild(id);
        return stack.getLogicalId(
                child instanceof CfnElement
                        ? (CfnElement) child
                        : (CfnElement) child.getNode().getDefaultChild());
    }

    private static List<Map<String, String>> refs(Collection<String> logicalIds) {
        return logicalIds.stream().map(id -> Map.of("Ref", id)).collect(Collectors.toList());
    }

    private static Map<String, Object> subnetIn(Object zone) {
        return Map.of(
                "AvailabilityZone",
                zone,
                "MapPublicIpOnLaunch",
                false,
                "Tags",
                Match.arrayWith(List.of(ISOLATED_SUBNET_TAG)));
    }

    @Test
    void configuredZonesGiveThreeIsolatedSubnetsThere() {
        createdTemplate.resourceCountIs("AWS::EC2::Subnet", 3);
        for (String zone : List.of("eu-west-1a", "eu-west-1b", "eu-west-1c")) {
            createdTemplate.hasResourceProperties("AWS::EC2::Subnet", Match.objectLike(subnetIn(zone)));
        }
        assertThat(created.getAvailabilityZones()).containsExactly("eu-west-1b", "eu-west-1c", "eu-west-1a");
    }

    @Test
    void environmentAgnosticStackGetsThreeZonesFromGetAzs() {
        agnosticTemplate.resourceCountIs("AWS::EC2::Subnet", 3);
        for (int i = 0; i < 3; i++) {
            agnosticTemplate.hasResourceProperties(
                    "AWS::EC2::Subnet",
                    Match.objectLike(subnetIn(Map.of("Fn::Select", List.of(i, Map.of("Fn::GetAZs", ""))))));
        }
        assertThat(agnostic.getAvailabilityZones()).hasSize(3);
    }

    @Test
    void neitherStageNeedsAContextLookup() {
        // a fixed environment would otherwise ask the CLI to look its zones up (credentials, network)
        for (String stage : List.of(TestStages.CREATED, TestStages.EXISTING)) {
            assertThat(TestStages.get().stage(stage).synth().getManifest().getMissing())
                    .as(stage)
                    .isNullOrEmpty();
        }
    }

    @Test
    void noRouteLeavesTheVpcExceptToS3() {
        for (Template template : List.of(createdTemplate, agnosticTemplate)) {
            template.resourceCountIs("AWS::EC2::InternetGateway", 0);
            template.resourceCountIs("AWS::EC2::VPCGatewayAttachment", 0);
            template.resourceCountIs("AWS::EC2::NatGateway", 0);
            template.resourceCountIs("AWS::EC2::EIP", 0);
            template.resourceCountIs("AWS::EC2::Route", 0);
        }
    }

    @Test
    void s3GatewayEndpointServesEverySubnet() {
        Capture routeTables = new Capture();
        createdTemplate.resourceCountIs("AWS::EC2::VPCEndpoint", 1);
        createdTemplate.hasResourceProperties(
                "AWS::EC2::VPCEndpoint",
                Match.objectLike(Map.of(
                        "ServiceName",
                        Map.of("Fn::Join", List.of("", List.of("com.amazonaws.", Map.of("Ref", "AWS::Region"), ".s3"))),
                        "VpcEndpointType",
                        "Gateway",
                        "VpcId",
                        Map.of("Ref", logicalId(created, "Vpc")),
                        "RouteTableIds",
                        routeTables)));

        assertThat(routeTables.asArray()).hasSize(3);
        Map<String, Map<String, Object>> tables = createdTemplate.findResources("AWS::EC2::RouteTable");
        assertThat(routeTables.asArray()).containsExactlyInAnyOrderElementsOf(refs(tables.keySet()));
    }

    @Test
    void s3GatewayEndpointHasNoPolicySoCopyReachesTheStagingBucket() {
        // Without an endpoint policy the default allows any bucket: the COPY role's own policy is
        // what limits COPY to the staging bucket's staged/ and manifests/ prefixes.
        for (Template template : List.of(createdTemplate, agnosticTemplate)) {
            template.allResourcesProperties(
                    "AWS::EC2::VPCEndpoint", Match.objectLike(Map.of("PolicyDocument", Match.absent())));
        }
    }

    @Test
    void namespaceListsTheCopyRoleAndOnlyItAlsoAsItsDefault() {
        Capture role = new Capture();
        Capture defaultRole = new Capture();
        createdTemplate.hasResourceProperties(
                "AWS::RedshiftServerless::Namespace",
                Match.objectLike(Map.of(
                        "IamRoles", List.of(Map.of("Fn::GetAtt", List.of(role, "Arn"))),
                        "DefaultIamRoleArn", Map.of("Fn::GetAtt", List.of(defaultRole, "Arn")))));
        assertThat(role.asString()).isEqualTo(logicalId(created, "CopyRole"));
        assertThat(defaultRole.asString()).isEqualTo(role.asString());
        assertThat(created.resolve(created.getWarehouse().getCopyRole().getRoleArn()))
                .isEqualTo(Map.of("Fn::GetAtt", List.of(role.asString(), "Arn")));
    }

    @Test
    void copyRoleIsAssumedByRedshiftAndRedshiftServerlessOnly() {
        assertThat(createdTemplate.findResources(
                        "AWS::IAM::Role",
                        Match.objectLike(Map.of(
                                "Properties",
                                Match.objectLike(Map.of(
                                        "AssumeRolePolicyDocument",
                                                Match.objectEquals(Map.of(
                                                        "Version",
                                                        "2012-10-17",
                                                        "Statement",
                                                        List.of(Map.of(
                                                                "Action", "sts:AssumeRole",
                                                                "Effect", "Allow",
                                                                "Principal",
                                                                        Map.of(
                                                                                "Service",
                                                                                List.of(
                                                                                        "redshift-serverless.amazonaws.com",
                                                                                        "redshift.amazonaws.com")))))),
                                        "ManagedPolicyArns", Match.absent(),
                                        "Policies", Match.absent()))))))
                .containsOnlyKeys(logicalId(created, "CopyRole"));
    }

    @Test
    void flowLogRoleIsAssumedByVpcFlowLogsOnlyForThisAccountsFlowLogs() {
        // The confused-deputy conditions of the VPC Flow Logs guide ("IAM role for publishing flow
        // logs to CloudWatch Logs"): the flow log's owner account and a flow log ARN of it. The
        // flow log id is not known before the role exists, hence the wildcard.
        assertThat(
                        createdTemplate.findResources(
                                "AWS::IAM::Role",
                                Match.objectLike(
                                        Map.of(
                                                "Properties",
                                                Match.objectLike(
                                                        Map.of(
                                                                "AssumeRolePolicyDocument",
                                                                Match.objectEquals(
                                                                        Map.of(
                                                                                "Version",
                                                                                "2012-10-17",
                                                                                "Statement",
                                                                                List.of(
                                                                                        Map.of(
                                                                                                "Action",
                                                                                                "sts:AssumeRole",
                                                                                                "Effect",
                                                                                                "Allow",
                                                                                                "Principal",
                                                                                                Map.of(
                                                                                                        "Service",
                                                                                                        "vpc-flow-logs.amazonaws.com"),
                                                                                                "Condition",
                                                                                                Map.of(
                                                                                                        "StringEquals",
                                                                                                        Map.of(
                                                                                                                "aws:SourceAccount",
                                                                                                                "123456789012"),
                                                                                                        "ArnLike",
                                                                                                        Map.of(
                                                                                                                "aws:SourceArn",
                                                                                                                "arn:aws:ec2:eu-west-1:123456789012:vpc-flow-log/*"))))))))))))
                .containsOnlyKeys(logicalId(created, "FlowLogRole"));
        createdTemplate.hasResourceProperties(
                "AWS::EC2::FlowLog",
                Match.objectLike(Map.of(
                        "ResourceType", "VPC",
                        "TrafficType", "ALL",
                        "DeliverLogsPermissionArn",
                                Map.of("Fn::GetAtt", List.of(logicalId(created, "FlowLogRole"), "Arn")))));
        // Environment-agnostic: the deploying account and Region, resolved by CloudFormation.
        agnosticTemplate.hasResourceProperties(
                "AWS::IAM::Role",
                Match.objectLike(Map.of(
                        "AssumeRolePolicyDocument",
                        Match.objectLike(Map.of(
                                "Statement",
                                List.of(Match.objectLike(Map.of(
                                        "Principal",
                                        Map.of("Service", "vpc-flow-logs.amazonaws.com"),
                                        "Condition",
                                        Map.of(
                                                "StringEquals",
                                                Map.of("aws:SourceAccount", Map.of("Ref", "AWS::AccountId")),
                                                "ArnLike",
                                                Map.of(
                                                        "aws:SourceArn",
                                                        Map.of(
                                                                "Fn::Join",
                                                                List.of(
                                                                        "",
                                                                        List.of(
                                                                                "arn:",
                                                                                Map.of("Ref", "AWS::Partition"),
                                                                                ":ec2:",
                                                                                Map.of("Ref", "AWS::Region"),
                                                                                ":",
                                                                                Map.of("Ref", "AWS::AccountId"),
                                                                                ":vpc-flow-log/*")))))))))))));
    }

    @Test
    void flowLogRoleMayOnlyWriteTheFlowLogGroup() {
        Map<String, Object> roleRef = Map.of("Ref", logicalId(created, "FlowLogRole"));
        createdTemplate.hasResourceProperties(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "Roles",
                        List.of(roleRef),
                        "PolicyDocument",
                        Match.objectLike(Map.of(
                                "Statement",
                                List.of(Map.of(
                                        "Action",
                                        List.of("logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"),
                                        "Effect",
                                        "Allow",
                                        "Resource",
                                        Map.of("Fn::GetAtt", List.of(logicalId(created, "FlowLogs"), "Arn")))))))));
    }

    @Test
    void copyRoleMayOnlyListReadAndDecryptStagedBatchesAndManifests() {
        String bucket = created.getLogicalId(
                (CfnElement) created.getStagingBucket().getBucket().getNode().getDefaultChild());
        String key = created.getLogicalId((CfnElement)
                created.getStagingBucket().getEncryptionKey().getNode().getDefaultChild());
        Map<String, Object> roleRef = Map.of("Ref", logicalId(created, "CopyRole"));
        Policies.assertOnlyPolicy(
                createdTemplate,
                roleRef,
                List.of(
                        Map.of(
                                "Effect",
                                "Allow",
                                "Action",
                                "s3:GetObject",
                                "Resource",
                                List.of(
                                        Map.of(
                                                "Fn::Join",
                                                List.of(
                                                        "",
                                                        List.of(
                                                                Map.of("Fn::GetAtt", List.of(bucket, "Arn")),
                                                                "/manifests/*"))),
                                        Map.of(
                                                "Fn::Join",
                                                List.of(
                                                        "",
                                                        List.of(
                                                                Map.of("Fn::GetAtt", List.of(bucket, "Arn")),
                                                                "/staged/*"))))),
                        Map.of(
                                "Effect",
                                "Allow",
                                "Action",
                                "s3:ListBucket",
                                "Resource",
                                Map.of("Fn::GetAtt", List.of(bucket, "Arn")),
                                "Condition",
                                Map.of("StringLike", Map.of("s3:prefix", List.of("staged/*", "manifests/*")))),
                        Map.of(
                                "Effect",
                                "Allow",
                                "Action",
                                "kms:Decrypt",
                                "Resource",
                                Map.of("Fn::GetAtt", List.of(key, "Arn")),
                                "Condition",
                                Policies.viaService("s3"))));
    }

    @Test
    void securityGroupAdmitsNothing() {
        for (Template template : List.of(createdTemplate, agnosticTemplate)) {
            template.resourceCountIs("AWS::EC2::SecurityGroupIngress", 0);
            template.allResourcesProperties(
                    "AWS::EC2::SecurityGroup", Match.objectLike(Map.of("SecurityGroupIngress", Match.absent())));
        }
    }

    @Test
    void namespaceKeepsItsAdminPasswordInSecretsManagerUnderTheWarehouseKey() {
        Capture secretKey = new Capture();
        Capture dataKey = new Capture();
        createdTemplate.resourceCountIs("AWS::RedshiftServerless::Namespace", 1);
        createdTemplate.hasResourceProperties(
                "AWS::RedshiftServerless::Namespace",
                Match.objectLike(Map.of(
                        "ManageAdminPassword",
                        true,
                        "AdminUsername",
                        "cdc_admin",
                        "AdminUserPassword",
                        Match.absent(),
                        "AdminPasswordSecretKmsKeyId",
                        Map.of("Fn::GetAtt", List.of(secretKey, "Arn")),
                        "KmsKeyId",
                        Map.of("Fn::GetAtt", List.of(dataKey, "Arn")),
                        "DbName",
                        "analytics")));

        String warehouseKey = logicalId(created, "Key");
        assertThat(secretKey.asString()).isEqualTo(warehouseKey);
        assertThat(dataKey.asString()).isEqualTo(warehouseKey);
        createdTemplate.hasResource(
                "AWS::KMS::Key",
                Match.objectLike(Map.of(
                        "Properties",
                        Match.objectLike(Map.of(
                                "EnableKeyRotation",
                                true,
                                "Description",
                                Match.stringLikeRegexp("Encrypts the Redshift Serverless namespace.*"))))));
    }

    @Test
    void noPasswordIsInTheTemplate() {
        for (Template template : List.of(createdTemplate, agnosticTemplate)) {
            template.allResourcesProperties(
                    "AWS::RedshiftServerless::Namespace",
                    Match.objectLike(Map.of("ManageAdminPassword", true, "AdminUserPassword", Match.absent())));
            template.resourceCountIs("AWS::SecretsManager::Secret", 0);
            assertThat(template.findParameters("*", Match.objectLike(Map.of("NoEcho", true))))
                    .isEmpty();
        }
    }

    @Test
    void workgroupIsPrivateRoutesThroughTheVpcAndRequiresSsl() {
        Capture namespace = new Capture();
        Capture subnets = new Capture();
        Capture securityGroup = new Capture();
        createdTemplate.resourceCountIs("AWS::RedshiftServerless::Workgroup", 1);
        createdTemplate.hasResourceProperties(
                "AWS::RedshiftServerless::Workgroup",
                Match.objectLike(Map.of(
                        "NamespaceName",
                        Map.of("Ref", namespace),
                        "BaseCapacity",
                        64,
                        "PubliclyAccessible",
                        false,
                        "EnhancedVpcRouting",
                        true,
                        "ConfigParameters",
                        Match.arrayEquals(List.of(
                                Map.of("ParameterKey", "enable_case_sensitive_identifier", "ParameterValue", "true"),
                                Map.of("ParameterKey", "enable_large_strings_opt_in", "ParameterValue", "Yes"),
                                Map.of("ParameterKey", "require_ssl", "ParameterValue", "true"))),
                        "SubnetIds",
                        subnets,
                        "SecurityGroupIds",
                        List.of(Map.of("Fn::GetAtt", List.of(securityGroup, "GroupId"))))));

        assertThat(namespace.asString()).isEqualTo(logicalId(created, "Namespace"));
        // the three isolated subnets, and only those
        assertThat(subnets.asArray())
                .containsExactlyInAnyOrderElementsOf(refs(createdTemplate
                        .findResources(
                                "AWS::EC2::Subnet",
                                Match.objectLike(Map.of(
                                        "Properties",
                                        Match.objectLike(
                                                Map.of("Tags", Match.arrayWith(List.of(ISOLATED_SUBNET_TAG)))))))
                        .keySet()));
        // the security group without ingress, in the warehouse VPC
        assertThat(createdTemplate.findResources(
                        "AWS::EC2::SecurityGroup",
                        Match.objectLike(Map.of(
                                "Properties",
                                Match.objectLike(Map.of(
                                        "SecurityGroupIngress", Match.absent(),
                                        "VpcId", Map.of("Ref", logicalId(created, "Vpc"))))))))
                .containsOnlyKeys(securityGroup.asString());
    }

    @Test
    void largeStringsAreOnByDefaultAndRaiseTheSuperStringLimit() {
        agnosticTemplate.hasResourceProperties(
                "AWS::RedshiftServerless::Workgroup",
                Match.objectLike(Map.of(
                        "ConfigParameters",
                        Match.arrayWith(List.of(
                                Map.of("ParameterKey", "enable_large_strings_opt_in", "ParameterValue", "Yes"))))));
        assertThat(agnostic.getWarehouse().getMaxSuperStringBytes()).isEqualTo(16_000_000);
        assertThat(created.getWarehouse().getMaxSuperStringBytes()).isEqualTo(16_000_000);
    }

    @Test
    void withoutLargeStringsTheParameterIsNotSetAndTheLimitIsRedshifts() {
        // not "No": left unset, the workgroup keeps Redshift's own behaviour
        noLargeStringsTemplate.hasResourceProperties(
                "AWS::RedshiftServerless::Workgroup",
                Match.objectLike(Map.of(
                        "ConfigParameters",
                        Match.arrayEquals(List.of(
                                Map.of("ParameterKey", "enable_case_sensitive_identifier", "ParameterValue", "true"),
                                Map.of("ParameterKey", "require_ssl", "ParameterValue", "true"))))));
        assertThat(noLargeStrings.getWarehouse().getMaxSuperStringBytes()).isEqualTo(65_535);
    }

    @Test
    void noWorkgroupTruncatesStringsThatAreTooLong() {
        for (Template template : List.of(createdTemplate, agnosticTemplate, noLargeStringsTemplate)) {
            template.allResourcesProperties(
                    "AWS::RedshiftServerless::Workgroup",
                    Match.objectLike(Map.of(
                            "ConfigParameters",
                            Match.not(Match.arrayWith(List.of(
                                    Match.objectLike(Map.of("ParameterKey", "json_parse_truncate_strings"))))))));
        }
    }

    @Test
    void defaultsGiveTheSmallestWorkgroupAndDatabaseDev() {
        agnosticTemplate.hasResourceProperties(
                "AWS::RedshiftServerless::Workgroup", Match.objectLike(Map.of("BaseCapacity", 8)));
        agnosticTemplate.hasResourceProperties(
                "AWS::RedshiftServerless::Namespace", Match.objectLike(Map.of("DbName", "dev")));
        assertThat(agnostic.getWarehouse().getDatabaseName()).isEqualTo("dev");
    }

    @Test
    void namesMeetRedshiftsRulesAndDifferPerStage() {
        String createdNamespace = ((CfnNamespace)
                        created.getNode().findChild("Warehouse").getNode().findChild("Namespace"))
                .getNamespaceName();
        String agnosticWorkgroup = ((CfnWorkgroup)
                        agnostic.getNode().findChild("Warehouse").getNode().findChild("Workgroup"))
                .getWorkgroupName();
        assertThat(createdNamespace).matches("[a-z0-9-]{3,64}").endsWith("-ns");
        assertThat(agnosticWorkgroup).matches("[a-z0-9-]{3,64}").endsWith("-wg");
        assertThat(createdNamespace).startsWith("createdstateful-");
        assertThat(agnosticWorkgroup).startsWith("existingstateful-");
    }

    @Test
    void namespaceAndKeyFollowRetainDataWhileTheWorkgroupAlwaysGoes() {
        Map<String, Object> retained = Map.of("DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain");
        Map<String, Object> deleted = Map.of("DeletionPolicy", "Delete", "UpdateReplacePolicy", "Delete");
        createdTemplate.hasResource("AWS::RedshiftServerless::Namespace", Match.objectLike(retained));
        agnosticTemplate.hasResource("AWS::RedshiftServerless::Namespace", Match.objectLike(deleted));
        agnosticTemplate.allResources("AWS::KMS::Key", Match.objectLike(deleted));
        createdTemplate.hasResource("AWS::RedshiftServerless::Workgroup", Match.objectLike(deleted));
    }

    @Test
    void adminSecretArnIsReadFromThisNamespaceOnly() {
        String namespace = logicalId(created, "Namespace");
        Capture lookup = new Capture();
        assertThat(created.resolve(created.getWarehouse().getAdminSecretArn()))
                .isEqualTo(Map.of(
                        "Fn::GetAtt",
                        List.of(
                                created.getLogicalId((CfnElement) created.getNode()
                                        .findChild("Warehouse")
                                        .getNode()
                                        .findChild("AdminSecretArn")
                                        .getNode()
                                        .findChild("Resource")
                                        .getNode()
                                        .getDefaultChild()),
                                "namespace.adminPasswordSecretArn")));
        createdTemplate.hasResourceProperties(
                "Custom::RedshiftServerlessAdminSecretArn",
                Match.objectLike(Map.of(
                        "Create",
                        Map.of(
                                "Fn::Join",
                                List.of(
                                        "",
                                        List.of(
                                                Match.stringLikeRegexp(
                                                        ".*\"action\":\"GetNamespace\",\"service\":\"redshift-serverless\","
                                                                + "\"outputPaths\":\\[\"namespace.adminPasswordSecretArn\"\\].*"),
                                                Map.of("Ref", namespace),
                                                Match.anyValue(),
                                                Map.of("Ref", namespace),
                                                Match.anyValue()))),
                        "InstallLatestAwsSdk",
                        false)));
        createdTemplate.hasResourceProperties(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "PolicyDocument",
                                Match.objectEquals(Map.of(
                                        "Version",
                                        "2012-10-17",
                                        "Statement",
                                        List.of(Map.of(
                                                "Action", "redshift-serverless:GetNamespace",
                                                "Effect", "Allow",
                                                "Resource",
                                                        Map.of(
                                                                "Fn::GetAtt",
                                                                List.of(namespace, "Namespace.NamespaceArn")))))),
                        "Roles", List.of(Map.of("Ref", lookup)))));
        assertThat(lookup.asString()).startsWith("AWS679f53fac002430cb0da5b7982bd2287ServiceRole");
    }

    @Test
    void gettersNameTheWorkgroupForTheDataApiAndGetCredentials() {
        String workgroup = logicalId(created, "Workgroup");
        assertThat(created.resolve(created.getWarehouse().getWorkgroupName()))
                .isEqualTo(Map.of("Fn::GetAtt", List.of(workgroup, "Workgroup.WorkgroupName")));
        assertThat(created.resolve(created.getWarehouse().getWorkgroupArn()))
                .isEqualTo(Map.of("Fn::GetAtt", List.of(workgroup, "Workgroup.WorkgroupArn")));
        assertThat(created.getWarehouse().getDatabaseName()).isEqualTo("analytics");
    }

    @Test
    void warehouseNeedsExactlyThreeZones() {
        assertThatThrownBy(() -> new WarehouseProps(
                        new WarehouseConfig(8, "dev", Optional.empty(), true, 300, 0),
                        List.of("eu-west-1a", "eu-west-1b"),
                        RemovalPolicy.DESTROY,
                        RetentionDays.ONE_WEEK,
                        created.getStagingBucket()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must hold 3 zones, got 2");
    }
}
