package com.dsqlcdc.infra.stateless;

import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.infra.PipelineStage;
import com.dsqlcdc.infra.Policies;
import com.dsqlcdc.infra.TestStages;
import com.dsqlcdc.infra.TestSupport;
import com.dsqlcdc.infra.stateful.StatefulStack;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The consumer Lambda, its alias, its Kinesis event source mapping and its permissions: every
 * setting from configuration ({@link TestStages#CREATED}, all away from their defaults), the
 * defaults ({@link TestStages#EXISTING}) and no maximum record age nor large strings
 * ({@link TestStages#EXISTING_CMK}).
 */
class CdcConsumerTest {

    private static StatelessStack stack;
    private static CdcConsumer consumer;
    private static Template template;
    private static StatefulStack producer;
    private static CrossStackRefs refs;
    private static Template defaults;
    private static Template noMaxAge;

    @BeforeAll
    static void synth() {
        PipelineStage stage = TestStages.get().stage(TestStages.CREATED);
        stack = stage.getStateless();
        consumer = stack.getConsumer();
        template = Template.fromStack(stack);
        producer = stage.getStateful();
        refs = new CrossStackRefs(stage, Template.fromStack(producer));
        defaults =
                Template.fromStack(TestStages.get().stage(TestStages.EXISTING).getStateless());
        noMaxAge = Template.fromStack(
                TestStages.get().stage(TestStages.EXISTING_CMK).getStateless());
    }

    private static String logicalId(Object construct) {
        return TestSupport.logicalId(stack, construct);
    }

    @Test
    void functionIsJava25OnArmWithSnapStartAndTheConfiguredSize() {
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler", "com.dsqlcdc.consumer.ConsumerHandler::handleRequest",
                        "Runtime", "java25",
                        "Architectures", List.of("arm64"),
                        "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
                        "MemorySize", 2048,
                        "Timeout", 110,
                        "FunctionName", Match.absent(),
                        "Role", Map.of("Fn::GetAtt", List.of(logicalId(consumer.getRole()), "Arn")),
                        "LoggingConfig", Map.of("LogGroup", Map.of("Ref", Match.anyValue())))));
        defaults.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler", CdcConsumer.HANDLER,
                        "MemorySize", 1024,
                        "Timeout", 300)));
    }

    @Test
    void environmentNamesTheBucketsAndTheStringLimitAndNothingOfTheWarehouse() {
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler",
                        CdcConsumer.HANDLER,
                        "Environment",
                        Map.of(
                                "Variables",
                                Match.objectEquals(TestSupport.map(
                                        "QUARANTINE_BUCKET",
                                                refs.of(producer.getQuarantineBucket()
                                                        .getBucket()
                                                        .getBucketName()),
                                        "STAGING_BUCKET",
                                                refs.of(producer.getStagingBucket()
                                                        .getBucket()
                                                        .getBucketName()),
                                        "MAX_SUPER_STRING_BYTES", "16000000",
                                        "POWERTOOLS_SERVICE_NAME", "dsql-cdc-consumer",
                                        "POWERTOOLS_METRICS_NAMESPACE", "DsqlCdcPipeline",
                                        "POWERTOOLS_LOG_LEVEL", "INFO"))))));
        defaults.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler",
                        CdcConsumer.HANDLER,
                        "Environment",
                        Map.of(
                                "Variables",
                                Match.objectLike(Map.of(
                                        // warehouse.largeStrings defaults to true
                                        "MAX_SUPER_STRING_BYTES", "16000000"))))));
    }

    @Test
    void withoutLargeStringsTheConsumerIsToldRedshiftsLimit() {
        noMaxAge.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler",
                        CdcConsumer.HANDLER,
                        "Environment",
                        Map.of("Variables", Match.objectLike(Map.of("MAX_SUPER_STRING_BYTES", "65535"))))));
    }

    @Test
    void logGroupHasTheConfiguredRetention() {
        Capture logGroup = new Capture();
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler", CdcConsumer.HANDLER, "LoggingConfig", Map.of("LogGroup", Map.of("Ref", logGroup)))));
        assertThat(template.findResources(
                        "AWS::Logs::LogGroup",
                        Match.objectLike(Map.of(
                                "Properties",
                                Match.objectLike(Map.of("RetentionInDays", 90)),
                                "DeletionPolicy",
                                "Delete"))))
                .containsKey(logGroup.asString());
    }

    @Test
    void snapStartsPublishedVersionWarningIsAnsweredByTheAlias() {
        Annotations.fromStack(stack).hasNoWarning("*", Match.stringLikeRegexp(".*SnapStart.*"));
    }

    @Test
    void aliasLivePointsAtThePublishedVersionOfTheFunction() {
        Capture version = new Capture();
        template.resourceCountIs("AWS::Lambda::Alias", 1);
        template.hasResourceProperties(
                "AWS::Lambda::Alias",
                Match.objectEquals(Map.of(
                        "Name", "live",
                        "FunctionName", Map.of("Ref", logicalId(consumer.getFunction())),
                        "FunctionVersion", Map.of("Fn::GetAtt", List.of(version, "Version")))));
        assertThat(template.findResources(
                        "AWS::Lambda::Version",
                        Match.objectLike(Map.of(
                                "Properties",
                                Map.of("FunctionName", Map.of("Ref", logicalId(consumer.getFunction())))))))
                .containsOnlyKeys(version.asString());
    }

    @Test
    void mappingOnTheAliasTakesEverySettingFromConfiguration() {
        Capture alias = new Capture();
        template.resourceCountIs("AWS::Lambda::EventSourceMapping", 1);
        template.hasResourceProperties(
                "AWS::Lambda::EventSourceMapping",
                Match.objectEquals(TestSupport.map(
                        "FunctionName",
                        Map.of(
                                "Fn::Join",
                                List.of(
                                        "",
                                        List.of(
                                                Map.of(
                                                        "Fn::Select",
                                                        List.of(
                                                                6,
                                                                Map.of(
                                                                        "Fn::Split",
                                                                        List.of(":", Map.of("Ref", alias))))),
                                                ":live"))),
                        "EventSourceArn",
                        refs.of(producer.getKinesisStream().getStreamArn()),
                        "StartingPosition",
                        "TRIM_HORIZON",
                        "BatchSize",
                        250,
                        "MaximumBatchingWindowInSeconds",
                        10,
                        "ParallelizationFactor",
                        3,
                        "MaximumRetryAttempts",
                        7,
                        "MaximumRecordAgeInSeconds",
                        3600,
                        "BisectBatchOnFunctionError",
                        true,
                        "FunctionResponseTypes",
                        List.of("ReportBatchItemFailures"),
                        "DestinationConfig",
                        Map.of(
                                "OnFailure",
                                Map.of(
                                        "Destination",
                                        refs.of(producer.getFailedBatchBucket()
                                                .getBucket()
                                                .getBucketArn()))),
                        "Tags",
                        Match.anyValue())));
        assertThat(alias.asString()).isEqualTo(logicalId(consumer.getAlias()));
    }

    @Test
    void mappingDefaultsAreBoundedAndHandBatchesOverBeforeKinesisDropsThem() {
        defaults.hasResourceProperties(
                "AWS::Lambda::EventSourceMapping",
                Match.objectLike(Map.of(
                        "StartingPosition",
                        "TRIM_HORIZON",
                        "BatchSize",
                        2000,
                        "MaximumBatchingWindowInSeconds",
                        5,
                        "ParallelizationFactor",
                        2,
                        "MaximumRetryAttempts",
                        10,
                        // one hour less than the stream's 168 hours
                        "MaximumRecordAgeInSeconds",
                        168 * 3600 - 3600,
                        "BisectBatchOnFunctionError",
                        true,
                        "FunctionResponseTypes",
                        List.of("ReportBatchItemFailures"))));
        noMaxAge.hasResourceProperties(
                "AWS::Lambda::EventSourceMapping",
                Match.objectLike(Map.of("MaximumRecordAgeInSeconds", Match.absent(), "MaximumRetryAttempts", 10)));
    }

    @Test
    void noRecordIsPolledBeforeThePermissionsExistAndTheMappingWaitsForNothingOfTheWarehouse() {
        String policy = stack.getLogicalId((CfnElement) consumer.getRole()
                .getNode()
                .findChild("DefaultPolicy")
                .getNode()
                .getDefaultChild());
        for (String dependency : List.of(logicalId(consumer.getRole()), policy)) {
            template.hasResource(
                    "AWS::Lambda::EventSourceMapping",
                    Match.objectLike(Map.of("DependsOn", Match.arrayWith(List.of(dependency)))));
        }
        template.hasResource(
                "AWS::Lambda::EventSourceMapping",
                Match.objectLike(Map.of(
                        "DependsOn",
                        Match.not(Match.arrayWith(
                                List.of(logicalId(stack.getWarehouseSchema().getResource())))))));
    }

    @Test
    void theStateTablesAreBuiltOnlyOnceTheStagingConsumerIsLive() {
        // the schema resource waits for the consumer's alias (the new version): on the upgrade from the
        // consumer that wrote to Redshift, nothing appends to the log behind a rebuild's back
        template.hasResource(
                WarehouseSchemaResource.RESOURCE_TYPE,
                Match.objectLike(Map.of("DependsOn", Match.arrayWith(List.of(logicalId(consumer.getAlias()))))));
    }

    @Test
    void roleHasExactlyTheConsumersPermissions() {
        Object roleRef = stack.resolve(consumer.getRole().getRoleName());
        Map<String, Object> quarantineArn =
                refs.of(producer.getQuarantineBucket().getBucket().getBucketArn());
        Map<String, Object> failedBatchArn =
                refs.of(producer.getFailedBatchBucket().getBucket().getBucketArn());
        Map<String, Object> stagingArn =
                refs.of(producer.getStagingBucket().getBucket().getBucketArn());
        Map<String, Object> viaS3 = Policies.viaService("s3");

        template.hasResourceProperties(
                "AWS::IAM::Role", Policies.lambdaRole(Match.stringLikeRegexp("DSQL CDC consumer.*")));
        Policies.assertOnlyPolicy(
                template,
                roleRef,
                List.of(
                        Map.of(
                                "Effect",
                                "Allow",
                                "Action",
                                List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                                "Resource",
                                Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("ConsumerLogs.*"), "Arn"))),
                        Map.of(
                                "Effect",
                                "Allow",
                                "Action",
                                "s3:PutObject",
                                "Resource",
                                List.of(
                                        objects(failedBatchArn),
                                        objects(quarantineArn),
                                        objects(stagingArn, "chunk-done/"),
                                        objects(stagingArn, "chunks/"),
                                        objects(stagingArn, "staged/"))),
                        Map.of(
                                "Effect",
                                "Allow",
                                "Action",
                                "kms:GenerateDataKey",
                                "Resource",
                                List.of(
                                        refs.of(producer.getFailedBatchBucket()
                                                .getEncryptionKey()
                                                .getKeyArn()),
                                        refs.of(producer.getQuarantineBucket()
                                                .getEncryptionKey()
                                                .getKeyArn())),
                                "Condition",
                                viaS3),
                        // staging bucket: read chunk pieces and markers, delete assembled pieces
                        Map.of(
                                "Effect",
                                "Allow",
                                "Action",
                                "s3:GetObject",
                                "Resource",
                                List.of(objects(stagingArn, "chunk-done/"), objects(stagingArn, "chunks/"))),
                        Map.of(
                                "Effect",
                                "Allow",
                                "Action",
                                "s3:DeleteObject",
                                "Resource",
                                objects(stagingArn, "chunks/")),
                        // the failed-batch destination's list, and the staging bucket's (no prefix
                        // condition: a missing done marker must answer 404, not 403)
                        Map.of(
                                "Effect",
                                "Allow",
                                "Action",
                                "s3:ListBucket",
                                "Resource",
                                List.of(failedBatchArn, stagingArn)),
                        Map.of(
                                "Effect",
                                "Allow",
                                "Action",
                                List.of("kms:Decrypt", "kms:GenerateDataKey"),
                                "Resource",
                                refs.of(producer.getStagingBucket()
                                        .getEncryptionKey()
                                        .getKeyArn()),
                                "Condition",
                                viaS3),
                        Map.of(
                                "Effect",
                                "Allow",
                                "Action",
                                List.of(
                                        "kinesis:DescribeStream",
                                        "kinesis:DescribeStreamConsumer",
                                        "kinesis:DescribeStreamSummary",
                                        "kinesis:GetRecords",
                                        "kinesis:GetShardIterator",
                                        "kinesis:ListShards",
                                        "kinesis:ListStreams",
                                        "kinesis:SubscribeToShard"),
                                "Resource",
                                refs.of(producer.getKinesisStream().getStreamArn())),
                        Map.of(
                                "Effect",
                                "Allow",
                                "Action",
                                "kms:Decrypt",
                                "Resource",
                                refs.of(producer.getKinesisKey().getKeyArn()),
                                "Condition",
                                Policies.viaService("kinesis"))));
    }

    private static Map<String, Object> objects(Map<String, Object> bucketArn) {
        return objects(bucketArn, "");
    }

    private static Map<String, Object> objects(Map<String, Object> bucketArn, String prefix) {
        return Map.of("Fn::Join", List.of("", List.of(bucketArn, "/" + prefix + "*")));
    }

    @Test
    void outputsPublishTheConsumerAndWhereItsFailuresGo() {
        template.hasOutput(
                "WorkgroupName",
                Match.objectLike(Map.of("Value", refs.of(producer.getWarehouse().getWorkgroupName()))));
        template.hasOutput("DatabaseName", Match.objectLike(Map.of("Value", "analytics")));
        template.hasOutput(
                "ConsumerAliasArn", Match.objectLike(Map.of("Value", Map.of("Ref", logicalId(consumer.getAlias())))));
        template.hasOutput(
                "QuarantineBucketName",
                Match.objectLike(Map.of(
                        "Value",
                        refs.of(producer.getQuarantineBucket().getBucket().getBucketName()))));
        template.hasOutput(
                "FailedBatchBucketName",
                Match.objectLike(Map.of(
                        "Value",
                        refs.of(producer.getFailedBatchBucket().getBucket().getBucketName()))));
    }

    @Test
    void outputsPublishTheStagingBucketAndTheCopyRole() {
        template.hasOutput(
                "StagingBucketName",
                Match.objectLike(Map.of(
                        "Value", refs.of(producer.getStagingBucket().getBucket().getBucketName()))));
        template.hasOutput(
                "CopyRoleArn",
                Match.objectLike(Map.of(
                        "Value", refs.of(producer.getWarehouse().getCopyRole().getRoleArn()))));
    }
}
