package com.dsqlcdc.infra.delivery;

import static com.dsqlcdc.infra.delivery.DeliveryFixtures.BRANCH;
import static com.dsqlcdc.infra.delivery.DeliveryFixtures.CONNECTION_ARN;
import static com.dsqlcdc.infra.delivery.DeliveryFixtures.DEV_ACCOUNT;
import static com.dsqlcdc.infra.delivery.DeliveryFixtures.PIPELINE_ACCOUNT;
import static com.dsqlcdc.infra.delivery.DeliveryFixtures.PROD_ACCOUNT;
import static com.dsqlcdc.infra.delivery.DeliveryFixtures.REGION;
import static com.dsqlcdc.infra.delivery.DeliveryFixtures.REPOSITORY;
import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.infra.DsqlCdcApp;
import com.dsqlcdc.infra.PipelineStage;
import com.dsqlcdc.infra.TestSupport;
import com.dsqlcdc.infra.config.PipelineConfig;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The delivery pipeline of a tools account ({@value DeliveryFixtures#PIPELINE_ACCOUNT}) deploying dev
 * and then, after a manual approval, prod, each in its own account; synthesised once, with the
 * AwsSolutions checks on the app.
 */
class DeliveryPipelineStackTest {

    private static final String PIPELINE = "AWS::CodePipeline::Pipeline";
    private static final String PROJECT = "AWS::CodeBuild::Project";

    private static DeliveryPipelineStack delivery;
    private static Template template;
    private static PipelineStage laptopDev;
    private static PipelineStage laptopProd;

    @BeforeAll
    static void synth() {
        App app = TestSupport.newApp();
        PipelineConfig config = PipelineConfig.fromContext(
                DeliveryFixtures.environments(),
                null,
                DeliveryFixtures.delivery(),
                TestSupport.CUSTOM_RESOURCE_JAR,
                TestSupport.CONSUMER_JAR);
        Map<String, PipelineStage> stages = DsqlCdcApp.addStages(app, config, TestSupport.catalog());
        delivery = DsqlCdcApp.addDelivery(app, config, stages).orElseThrow();
        laptopDev = (PipelineStage) app.getNode().findChild("dev");
        laptopProd = (PipelineStage) app.getNode().findChild("prod");
        // logIgnores: suppressed findings become info annotations, so the test can see nag ran
        Aspects.of(app)
                .add(new AwsSolutionsChecks(
                        NagPackProps.builder().logIgnores(true).build()));
        template = Template.fromStack(delivery);
    }

    private static Map<String, Object> stage(String name, Object actions) {
        return Map.of("Name", name, "Actions", actions);
    }

    /** Asserts the pipeline has a stage of that name whose actions match. */
    private static void hasStage(String name, Object actions) {
        template.hasResourceProperties(
                PIPELINE,
                Match.objectLike(Map.of("Stages", Match.arrayWith(List.of(Match.objectLike(stage(name, actions)))))));
    }

    private static Object actionOf(String category) {
        return Match.objectLike(Map.of("ActionTypeId", Match.objectLike(Map.of("Category", category))));
    }

    @Test
    void stackIsTheDeliveryStackInThePipelineAccount() {
        assertThat(delivery.getNode().getId()).isEqualTo("Delivery");
        assertThat(delivery.getStackName()).isEqualTo("Delivery");
        assertThat(delivery.getAccount()).isEqualTo(PIPELINE_ACCOUNT);
        assertThat(delivery.getRegion()).isEqualTo(REGION);
    }

    @Test
    void sourceIsTheConfiguredConnectionRepositoryAndBranch() {
        Object source = Match.objectLike(Map.of(
                "ActionTypeId",
                        Map.of(
                                "Category",
                                "Source",
                                "Owner",
                                "AWS",
                                "Provider",
                                "CodeStarSourceConnection",
                                "Version",
                                "1"),
                "Configuration",
                        Match.objectLike(Map.of(
                                "ConnectionArn", CONNECTION_ARN,
                                "FullRepositoryId", REPOSITORY,
                                "BranchName", BRANCH))));
        hasStage("Source", List.of(source));
    }

    /** Policies with a statement allowing {@code action} (alone, or among others) on {@code resource}. */
    private static Map<String, Map<String, Object>> policiesAllowing(
            Template template, String action, String resource) {
        Map<String, Map<String, Object>> found = new java.util.LinkedHashMap<>();
        for (Object actions : List.of(action, Match.arrayWith(List.of(action)))) {
            found.putAll(template.findResources(
                    "AWS::IAM::Policy",
                    Match.objectLike(Map.of(
                            "Properties",
                            Match.objectLike(Map.of(
                                    "PolicyDocument",
                                    Match.objectLike(Map.of(
                                            "Statement",
                                            Match.arrayWith(List.of(Match.objectLike(Map.of(
                                                    "Action",
                                                    actions,
                                                    "Effect",
                                                    "Allow",
                                                    "Resource",
                                                    resource))))))))))));
        }
        return found;
    }

    @Test
    void aCodeConnectionsArnGetsCodeConnectionsUseConnectionBesideWhatCdkPipelinesGrants() {
        // The IAM service prefix must match the connection ARN's: codestar-connections:UseConnection
        // (what CDK Pipelines grants) does not cover an arn:aws:codeconnections:... connection.
        assertThat(CONNECTION_ARN).startsWith("arn:aws:codeconnections:");
        template.hasResourceProperties(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "PolicyDocument",
                        Match.objectLike(Map.of(
                                "Statement",
                                Match.arrayWith(List.of(Map.of(
                                        "Action",
                                        List.of("codeconnections:UseConnection", "codestar-connections:UseConnection"),
                                        "Effect",
                                        "Allow",
                                        "Resource",
                                        CONNECTION_ARN))))))));
        assertThat(policiesAllowing(template, "codeconnections:UseConnection", CONNECTION_ARN))
                .as("one role, the source action's, may use the connection")
                .hasSize(1)
                .containsOnlyKeys(policiesAllowing(template, "codestar-connections:UseConnection", CONNECTION_ARN)
                        .keySet());
    }

    @Test
    void anOlderCodeStarConnectionsArnKeepsOnlyTheMatchingCodeStarAction() {
        String codestar = CONNECTION_ARN.replace(":codeconnections:", ":codestar-connections:");
        Map<String, Object> delivery = new java.util.LinkedHashMap<>(DeliveryFixtures.delivery());
        delivery.put("source", Map.of("connectionArn", codestar, "repository", REPOSITORY, "branch", BRANCH));
        App app = TestSupport.newApp();
        PipelineConfig config = PipelineConfig.fromContext(
                DeliveryFixtures.environments(),
                null,
                delivery,
                TestSupport.CUSTOM_RESOURCE_JAR,
                TestSupport.CONSUMER_JAR);
        Template older = Template.fromStack(
                DsqlCdcApp.addDelivery(app, config, DsqlCdcApp.addStages(app, config, TestSupport.catalog()))
                        .orElseThrow());

        assertThat(policiesAllowing(older, "codestar-connections:UseConnection", codestar))
                .hasSize(1);
        assertThat(policiesAllowing(older, "codeconnections:UseConnection", codestar))
                .isEmpty();
    }

    @Test
    void synthRunsTheTestSuiteThenTheSynthCommandOnJava17AndNode20() {
        template.hasResourceProperties(
                PROJECT,
                Match.objectLike(Map.of(
                        "Description", Match.stringLikeRegexp(".*/Build/Synth$"),
                        "Environment",
                                Match.objectLike(Map.of(
                                        "Image", "aws/codebuild/standard:7.0",
                                        "ComputeType", "BUILD_GENERAL1_MEDIUM",
                                        "PrivilegedMode", false)),
                        "Source",
                                Match.objectLike(Map.of(
                                        "BuildSpec",
                                        Match.serializedJson(Match.objectLike(Map.of(
                                                "phases",
                                                        Match.objectLike(
                                                                Map.of(
                                                                        "install",
                                                                                Map.of(
                                                                                        "runtime-versions",
                                                                                        Map.of(
                                                                                                "java",
                                                                                                "corretto17",
                                                                                                "nodejs",
                                                                                                "20")),
                                                                        // exactly these, in this order: a failing suite
                                                                        // stops the pipeline before synth
                                                                        "build",
                                                                                Map.of(
                                                                                        "commands",
                                                                                        List.of(
                                                                                                "mvn -B verify",
                                                                                                "npx --yes aws-cdk@2.1148.1 synth")))),
                                                "cache", Map.of("paths", List.of("/root/.m2/**/*")),
                                                "artifacts",
                                                        Match.objectLike(Map.of("base-directory", "cdk.out"))))))))));
    }

    @Test
    void synthCachesMavenInTheArtifactBucket() {
        template.hasResourceProperties(
                PROJECT,
                Match.objectLike(Map.of(
                        "Description", Match.stringLikeRegexp(".*/Build/Synth$"),
                        "Cache",
                                Map.of(
                                        "Type",
                                        "S3",
                                        "Location",
                                        Map.of(
                                                "Fn::Join",
                                                List.of(
                                                        "/",
                                                        List.of(
                                                                Map.of(
                                                                        "Ref",
                                                                        TestSupport.logicalId(
                                                                                delivery,
                                                                                delivery.getArtifactBucket())),
                                                                DeliveryPipelineStack.MAVEN_CACHE_PREFIX)))))));
    }

    @Test
    void stagesAreSourceBuildSelfMutationAssetsThenTheEnvironmentsInOrder() {
        template.hasResourceProperties(
                PIPELINE,
                Match.objectLike(Map.of(
                        "Stages",
                        List.of(
                                Match.objectLike(Map.of("Name", "Source")),
                                Match.objectLike(Map.of("Name", "Build")),
                                Match.objectLike(Map.of("Name", "UpdatePipeline")),
                                Match.objectLike(Map.of("Name", "Assets")),
                                Match.objectLike(Map.of("Name", "dev")),
                                Match.objectLike(Map.of("Name", "prod"))))));
    }

    @Test
    void selfMutationUsesThePinnedCli() {
        template.hasResourceProperties(
                PROJECT,
                Match.objectLike(Map.of(
                        "Description", Match.stringLikeRegexp(".*/UpdatePipeline/SelfMutate$"),
                        "Source",
                                Match.objectLike(Map.of(
                                        "BuildSpec",
                                        Match.serializedJson(Match.objectLike(Map.of(
                                                "phases",
                                                Match.objectLike(Map.of(
                                                        "install",
                                                        Map.of(
                                                                "commands",
                                                                List.of("npm install -g aws-cdk@"
                                                                        + DeliveryPipelineStack.CLI_VERSION))))))))))));
    }

    @Test
    void prodWaitsForAManualApprovalBeforeItsFirstDeployAction() {
        Object approval = Match.objectLike(Map.of(
                "Name",
                "Approve",
                "ActionTypeId",
                Match.objectLike(Map.of("Category", "Approval", "Provider", "Manual")),
                "RunOrder",
                1));
        Object firstDeploy = Match.objectLike(Map.of(
                "Name",
                "Stateful.Prepare",
                "ActionTypeId",
                Match.objectLike(Map.of("Category", "Deploy")),
                "RunOrder",
                2));
        hasStage("prod", Match.arrayWith(List.of(approval, firstDeploy)));
    }

    @Test
    void devHasNoApprovalAndDeploysFirstThing() {
        hasStage("dev", Match.not(Match.arrayWith(List.of(actionOf("Approval")))));
        hasStage("dev", Match.arrayWith(List.of(Match.objectLike(Map.of("Name", "Stateful.Prepare", "RunOrder", 1)))));
    }

    @Test
    void eachEnvironmentDeploysThroughItsOwnAccountsBootstrapRoles() {
        for (String[] env : List.of(new String[] {"dev", DEV_ACCOUNT}, new String[] {"prod", PROD_ACCOUNT})) {
            String account = env[1];
            String suffix = account + "-" + REGION;
            Object prepare = Match.objectLike(Map.of(
                    "Name", "Stateful.Prepare",
                    "RoleArn", roleArn(account, "cdk-hnb659fds-deploy-role-" + suffix),
                    "Configuration",
                            Match.objectLike(Map.of(
                                    "StackName",
                                    env[0] + "-Stateful",
                                    "RoleArn",
                                    roleArn(account, "cdk-hnb659fds-cfn-exec-role-" + suffix)))));
            hasStage(env[0], Match.arrayWith(List.of(prepare)));
        }
    }

    private static Object roleArn(String account, String role) {
        return Map.of(
                "Fn::Join",
                List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"), ":iam::" + account + ":role/" + role)));
    }

    @Test
    void targetAccountsDeployRolesMayReadTheArtifactsAndUseTheirKey() {
        Object deployRoles = Match.arrayWith(List.of(
                roleArn(DEV_ACCOUNT, "cdk-hnb659fds-deploy-role-" + DEV_ACCOUNT + "-" + REGION),
                roleArn(PROD_ACCOUNT, "cdk-hnb659fds-deploy-role-" + PROD_ACCOUNT + "-" + REGION)));
        template.hasResourceProperties(
                "AWS::S3::BucketPolicy",
                Match.objectLike(Map.of(
                        "Bucket", Map.of("Ref", TestSupport.logicalId(delivery, delivery.getArtifactBucket())),
                        "PolicyDocument",
                                Match.objectLike(Map.of(
                                        "Statement",
                                        Match.arrayWith(List.of(Match.objectLike(Map.of(
                                                "Effect", "Allow", "Principal", Map.of("AWS", deployRoles))))))))));
        template.hasResourceProperties(
                "AWS::KMS::Key",
                Match.objectLike(Map.of(
                        "KeyPolicy",
                        Match.objectLike(Map.of(
                                "Statement",
                                Match.arrayWith(List.of(Match.objectLike(
                                        Map.of("Effect", "Allow", "Principal", Map.of("AWS", deployRoles))))))))));
    }

    @Test
    void artifactBucketIsEncryptedWithTheRotatingKeyTlsOnlyAndAccessLogged() {
        String keyId = TestSupport.logicalId(delivery, delivery.getKey());
        String bucketId = TestSupport.logicalId(delivery, delivery.getArtifactBucket());
        template.hasResourceProperties("AWS::KMS::Key", Match.objectLike(Map.of("EnableKeyRotation", true)));
        template.hasResourceProperties(
                "AWS::S3::Bucket",
                Match.objectLike(Map.of(
                        "BucketEncryption",
                                Map.of(
                                        "ServerSideEncryptionConfiguration",
                                        List.of(Match.objectLike(Map.of(
                                                "ServerSideEncryptionByDefault",
                                                Map.of(
                                                        "SSEAlgorithm",
                                                        "aws:kms",
                                                        "KMSMasterKeyID",
                                                        Map.of("Fn::GetAtt", List.of(keyId, "Arn"))))))),
                        "LoggingConfiguration",
                                Match.objectLike(Map.of(
                                        "DestinationBucketName",
                                        Map.of(
                                                "Ref",
                                                TestSupport.logicalId(delivery, delivery.getAccessLogBucket())))))));
        template.hasResourceProperties(
                PIPELINE,
                Match.objectLike(Map.of(
                        "ArtifactStore",
                        Map.of(
                                "Type", "S3",
                                "Location", Map.of("Ref", bucketId),
                                "EncryptionKey",
                                        Map.of("Type", "KMS", "Id", Map.of("Fn::GetAtt", List.of(keyId, "Arn")))))));
        template.hasResourceProperties(
                "AWS::S3::BucketPolicy",
                Match.objectLike(Map.of(
                        "Bucket", Map.of("Ref", bucketId),
                        "PolicyDocument",
                                Match.objectLike(Map.of(
                                        "Statement",
                                        Match.arrayWith(List.of(Match.objectLike(Map.of(
                                                "Effect",
                                                "Deny",
                                                "Condition",
                                                Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))));
    }

    @Test
    void everyBucketIsEncrypted() {
        template.resourceCountIs("AWS::S3::Bucket", 2);
        template.allResourcesProperties(
                "AWS::S3::Bucket",
                Match.objectLike(Map.of(
                        "BucketEncryption",
                        Map.of(
                                "ServerSideEncryptionConfiguration",
                                List.of(Match.objectLike(Map.of(
                                        "ServerSideEncryptionByDefault",
                                        Match.objectLike(Map.of("SSEAlgorithm", Match.anyValue())))))))));
    }

    @Test
    void everyBuildIsEncryptedWithThePipelineKeyAndLogsToTheRetainedEncryptedGroup() {
        String keyId = TestSupport.logicalId(delivery, delivery.getKey());
        Capture group = new Capture();
        template.allResourcesProperties(
                PROJECT,
                Match.objectLike(Map.of(
                        "EncryptionKey", Map.of("Fn::GetAtt", List.of(keyId, "Arn")),
                        "LogsConfig", Map.of("CloudWatchLogs", Map.of("Status", "ENABLED", "GroupName", group)))));
        assertThat(group.asObject()).isEqualTo(Map.of("Ref", TestSupport.logicalId(delivery, delivery.getBuildLogs())));
        template.resourceCountIs("AWS::Logs::LogGroup", 1);
        template.hasResourceProperties(
                "AWS::Logs::LogGroup",
                Map.of("RetentionInDays", 90, "KmsKeyId", Map.of("Fn::GetAtt", List.of(keyId, "Arn"))));
        template.hasResourceProperties(
                "AWS::KMS::Key",
                Match.objectLike(Map.of(
                        "KeyPolicy",
                        Match.objectLike(Map.of(
                                "Statement",
                                Match.arrayWith(List.of(Match.objectLike(Map.of(
                                        "Principal", Map.of("Service", "logs." + REGION + ".amazonaws.com"),
                                        "Condition",
                                                Map.of(
                                                        "ArnLike",
                                                        Map.of(
                                                                "kms:EncryptionContext:aws:logs:arn",
                                                                "arn:aws:logs:" + REGION + ":" + PIPELINE_ACCOUNT
                                                                        + ":log-group:*")))))))))));
    }

    @Test
    void pipelineDeploysTheSameStacksAsALaptopDeploy() {
        PipelineStage pipelineDev = delivery.getStages().get("dev");
        PipelineStage pipelineProd = delivery.getStages().get("prod");
        assertThat(delivery.getStages()).containsOnlyKeys("dev", "prod");
        assertThat(List.of(
                        pipelineDev.getStateful(),
                        pipelineDev.getStateless(),
                        pipelineProd.getStateful(),
                        pipelineProd.getStateless()))
                .extracting(Stack::getStackName)
                .containsExactly("dev-Stateful", "dev-Stateless", "prod-Stateful", "prod-Stateless")
                .containsExactly(
                        laptopDev.getStateful().getStackName(),
                        laptopDev.getStateless().getStackName(),
                        laptopProd.getStateful().getStackName(),
                        laptopProd.getStateless().getStackName());
        assertThat(pipelineDev.getStateful().getAccount()).isEqualTo(DEV_ACCOUNT);
        assertThat(pipelineProd.getStateless().getAccount()).isEqualTo(PROD_ACCOUNT);
        // the pipeline's deploy actions name the same stacks
        hasStage(
                "prod",
                Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Name",
                        "Stateless.Deploy",
                        "Configuration",
                        Match.objectLike(Map.of("StackName", "prod-Stateless")))))));
    }

    @Test
    void pipelineDeploysTheLaptopStagesThemselvesSoTemplatesAreIdentical() {
        // a copy of the stage in another scope would differ by construct path (VPC Name tags, key
        // descriptions) and flip-flop those properties between laptop and pipeline deploys
        assertThat(delivery.getStages().get("dev")).isSameAs(laptopDev);
        assertThat(delivery.getStages().get("prod")).isSameAs(laptopProd);
        // the deploy actions take the templates from the laptop stage's assembly (assembly-dev)
        hasStage(
                "dev",
                Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Name",
                        "Stateful.Prepare",
                        "Configuration",
                        Match.objectLike(Map.of(
                                "TemplatePath",
                                Match.stringLikeRegexp("^Synth_Output::assembly-dev/.*\\.template\\.json$"))))))));
    }

    @Test
    void awsSolutionsChecksFindNothingUnsuppressedInTheDeliveryStack() {
        Annotations annotations = Annotations.fromStack(delivery);
        assertThat(annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                .isEmpty();
        assertThat(annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                .isEmpty();
        // nag did run: the generated policies' IAM5 findings show up as suppressed
        assertThat(annotations.findInfo("*", Match.stringLikeRegexp(".*AwsSolutions-IAM5.*")))
                .isNotEmpty();
    }
}
