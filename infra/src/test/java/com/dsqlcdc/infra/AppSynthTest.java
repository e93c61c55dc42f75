package com.dsqlcdc.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.infra.config.PipelineConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

/** The whole app: the shipped cdk.json configuration, and synthesis being deterministic. */
class AppSynthTest {

    private static PipelineStage dev;
    private static PipelineStage prod;

    @BeforeAll
    static void synthShippedConfiguration() {
        App app = TestSupport.newApp();
        DsqlCdcApp.addStages(
                app,
                PipelineConfig.fromContext(
                        TestSupport.shippedEnvironments(),
                        null,
                        TestSupport.CUSTOM_RESOURCE_JAR,
                        TestSupport.CONSUMER_JAR),
                TestSupport.catalog());
        dev = (PipelineStage) app.getNode().findChild("dev");
        prod = (PipelineStage) app.getNode().findChild("prod");
    }

    @Test
    void shippedEnvironmentsAreEnvironmentAgnostic() {
        for (Stack stack : List.of(dev.getStateful(), dev.getStateless(), prod.getStateful(), prod.getStateless())) {
            assertThat(Token.isUnresolved(stack.getAccount()))
                    .as(stack.getStackName())
                    .isTrue();
            assertThat(Token.isUnresolved(stack.getRegion()))
                    .as(stack.getStackName())
                    .isTrue();
        }
    }

    @Test
    void shippedDevIsDisposableAndProdIsProtected() {
        Template.fromStack(dev.getStateful())
                .hasResource(
                        "AWS::DSQL::Cluster",
                        Match.objectLike(Map.of(
                                "Properties",
                                Match.objectLike(Map.of(
                                        "DeletionProtectionEnabled", false, "KmsEncryptionKey", "AWS_OWNED_KMS_KEY")),
                                "DeletionPolicy",
                                "Delete")));
        Template.fromStack(prod.getStateful())
                .hasResource(
                        "AWS::DSQL::Cluster",
                        Match.objectLike(Map.of(
                                "Properties", Match.objectLike(Map.of("DeletionProtectionEnabled", true)),
                                "DeletionPolicy", "Retain",
                                "UpdateReplacePolicy", "Retain")));
        Template.fromStack(prod.getStateful())
                .allResources("AWS::KMS::Key", Match.objectLike(Map.of("DeletionPolicy", "Retain")));
    }

    @Test
    void shippedWarehousesAndFailureBucketsFollowTheirEnvironment() {
        Template devStateful = Template.fromStack(dev.getStateful());
        Template prodStateful = Template.fromStack(prod.getStateful());
        devStateful.hasResourceProperties(
                "AWS::RedshiftServerless::Workgroup", Match.objectLike(Map.of("BaseCapacity", 4)));
        prodStateful.hasResourceProperties(
                "AWS::RedshiftServerless::Workgroup", Match.objectLike(Map.of("BaseCapacity", 8)));
        devStateful.allResources("AWS::S3::Bucket", Match.objectLike(Map.of("DeletionPolicy", "Delete")));
        // quarantine, failed-batch, staging and access-log buckets
        devStateful.resourceCountIs("Custom::S3AutoDeleteObjects", 4);
        prodStateful.allResources("AWS::S3::Bucket", Match.objectLike(Map.of("DeletionPolicy", "Retain")));
        prodStateful.hasResource(
                "AWS::RedshiftServerless::Namespace", Match.objectLike(Map.of("DeletionPolicy", "Retain")));
        for (PipelineStage stage : List.of(dev, prod)) {
            Template stateless = Template.fromStack(stage.getStateless());
            stateless.resourceCountIs("AWS::Lambda::EventSourceMapping", 1);
            stateless.resourceCountIs("Custom::WarehouseSchema", 1);
        }
    }

    @Test
    void shippedStagesStageForCopyAndSweepChunksWithTheDefaults() {
        for (PipelineStage stage : List.of(dev, prod)) {
            Template.fromStack(stage.getStateful())
                    .hasResourceProperties(
                            "AWS::S3::Bucket",
                            Match.objectLike(Map.of(
                                    "LifecycleConfiguration",
                                    Map.of(
                                            "Rules",
                                            Match.arrayWith(List.of(
                                                    Match.objectLike(
                                                            Map.of("Prefix", "staging/", "ExpirationInDays", 7)),
                                                    Match.objectLike(Map.of(
                                                            "Prefix", "chunk-done/", "ExpirationInDays", 35))))))));
            Template stateless = Template.fromStack(stage.getStateless());
            stateless.hasResourceProperties(
                    "AWS::Events::Rule", Match.objectLike(Map.of("ScheduleExpression", "rate(15 minutes)")));
            stateless.hasResourceProperties(
                    "AWS::CloudWatch::Alarm",
                    Match.objectLike(Map.of("MetricName", "IncompleteChunkSets", "Period", 900)));
        }
    }

    @Test
    void shippedStagesEachHaveOneCdcStream() {
        Template.fromStack(dev.getStateless()).resourceCountIs("Custom::DsqlCdcStream", 1);
        Template.fromStack(prod.getStateless()).resourceCountIs("Custom::DsqlCdcStream", 1);
    }

    @Test
    void twoSynthesesOfTheSameConfigurationAreIdentical() {
        assertThat(templates(TestStages.environments())).isEqualTo(templates(TestStages.environments()));
    }

    private static List<Map<String, Object>> templates(Map<String, Object> environments) {
        App app = TestSupport.newApp();
        DsqlCdcApp.addStages(app, TestSupport.config(environments), TestSupport.catalog());
        List<Map<String, Object>> templates = new ArrayList<>();
        for (IConstruct stage : app.getNode().getChildren()) {
            if (stage instanceof PipelineStage) {
                templates.add(Template.fromStack(((PipelineStage) stage).getStateful())
                        .toJSON());
                templates.add(Template.fromStack(((PipelineStage) stage).getStateless())
                        .toJSON());
            }
        }
        assertThat(templates).hasSize(6);
        return templates;
    }
}
