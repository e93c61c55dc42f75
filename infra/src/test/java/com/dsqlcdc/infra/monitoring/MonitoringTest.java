package com.dsqlcdc.infra.monitoring;

import static com.dsqlcdc.infra.TestSupport.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.infra.PipelineStage;
import com.dsqlcdc.infra.TestStages;
import com.dsqlcdc.infra.TestSupport;
import com.dsqlcdc.infra.stateful.StatefulStack;
import com.dsqlcdc.infra.stateless.CrossStackRefs;
import com.dsqlcdc.infra.stateless.StatelessStack;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * An environment's alarm topic, alarms and dashboard: {@link TestStages#CREATED} configures every
 * threshold and two email addresses, {@link TestStages#EXISTING} takes the defaults.
 */
class MonitoringTest {

    private static StatelessStack stack;
    private static Template template;
    private static StatefulStack producer;
    private static Template stateful;
    private static CrossStackRefs refs;
    private static StatelessStack defaultsStack;
    private static Template defaults;

    @BeforeAll
    static void synth() {
        PipelineStage stage = TestStages.get().stage(TestStages.CREATED);
        stack = stage.getStateless();
        template = Template.fromStack(stack);
        producer = stage.getStateful();
        stateful = Template.fromStack(producer);
        refs = new CrossStackRefs(stage, stateful);
        defaultsStack = TestStages.get().stage(TestStages.EXISTING).getStateless();
        defaults = Template.fromStack(defaultsStack);
    }

    private static Object topicRef(StatelessStack of) {
        return of.resolve(of.getMonitoring().getTopic().getTopic().getTopicArn());
    }

    @Test
    void topicIsEncryptedWithARotatingKeyCloudWatchMayUseAndRequiresTls() {
        Capture key = new Capture();
        template.hasResourceProperties(
                "AWS::SNS::Topic",
                Match.objectLike(Map.of(
                        "DisplayName",
                        "dsql-cdc-pipeline created alarms",
                        "KmsMasterKeyId",
                        Map.of("Fn::GetAtt", List.of(key, "Arn")))));
        template.hasResource(
                "AWS::KMS::Key",
                Match.objectLike(Map.of(
                        "Properties",
                        Match.objectLike(Map.of(
                                "EnableKeyRotation",
                                true,
                                "KeyPolicy",
                                Match.objectLike(Map.of(
                                        "Statement",
                                        Match.arrayWith(List.of(Match.objectLike(Map.of(
                                                "Sid", "CloudWatchAlarmsPublishToTheEncryptedTopic",
                                                "Principal", Map.of("Service", "cloudwatch.amazonaws.com"),
                                                "Action", List.of("kms:Decrypt", "kms:GenerateDataKey*"),
                                                "Condition",
                                                        Map.of(
                                                                "StringEquals",
                                                                Map.of(
                                                                        "aws:SourceAccount",
                                                                        TestSupport.ACCOUNT)))))))))))));
        assertThat(key.asString())
                .isEqualTo(TestSupport.logicalId(
                        stack, stack.getMonitoring().getTopic().getKey()));
        template.hasResourceProperties(
                "AWS::SNS::TopicPolicy",
                Match.objectLike(Map.of(
                        "PolicyDocument",
                        Match.objectLike(Map.of(
                                "Statement",
                                Match.arrayWith(List.of(
                                        Match.objectLike(Map.of(
                                                "Effect", "Deny",
                                                "Action", "sns:Publish",
                                                "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))),
                                        Match.objectLike(Map.of(
                                                "Sid", "CloudWatchAlarmsOfThisAccountPublish",
                                                "Effect", "Allow",
                                                "Principal", Map.of("Service", "cloudwatch.amazonaws.com"),
                                                "Action", "sns:Publish",
                                                "Condition",
                                                        Map.of(
                                                                "StringEquals",
                                                                Map.of(
                                                                        "aws:SourceAccount",
                                                                        TestSupport.ACCOUNT)))))))))));
    }

    @Test
    void eachConfiguredAddressIsSubscribedByEmailAndNoneByDefault() {
        template.resourceCountIs("AWS::SNS::Subscription", 2);
        for (String email : List.of("oncall@example.com", "data-team@example.com")) {
            template.hasResourceProperties(
                    "AWS::SNS::Subscription",
                    Match.objectEquals(Map.of("Protocol", "email", "Endpoint", email, "TopicArn", topicRef(stack))));
        }
        defaults.resourceCountIs("AWS::SNS::Subscription", 0);
        defaults.resourceCountIs("AWS::SNS::Topic", 1);
    }

    @Test
    void everyAlarmOfTheEnvironmentNotifiesTheTopicOnAlarmAndOnRecovery() {
        // 14 along the path (10 to the consumer, 4 of the loader), the stream health check's 2, the
        // chunk sweep's 1, the backfill job's 2 (mismatch, failed executions)
        template.resourceCountIs("AWS::CloudWatch::Alarm", 19);
        assertThat(stack.getMonitoring().getAlarms()).hasSize(19);
        template.allResourcesProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of(
                        "AlarmActions", List.of(topicRef(stack)),
                        "OKActions", List.of(topicRef(stack)),
                        "AlarmDescription", Match.anyValue())));
        defaults.resourceCountIs("AWS::CloudWatch::Alarm", 19);
    }

    static Stream<Arguments> pathAlarms() {
        return Stream.of(
                Arguments.of(
                        "dsql-stream-impaired",
                        "AWS/AuroraDSQL",
                        "IsImpaired",
                        "Maximum",
                        300,
                        "GreaterThanOrEqualToThreshold",
                        1,
                        1,
                        1,
                        1,
                        "notBreaching"),
                Arguments.of(
                        "dsql-behind-source-lag",
                        "AWS/AuroraDSQL",
                        "BehindSourceLag",
                        "Maximum",
                        60,
                        "GreaterThanThreshold",
                        120_000,
                        60_000,
                        3,
                        3,
                        "notBreaching"),
                Arguments.of(
                        "kinesis-write-throttled",
                        "AWS/Kinesis",
                        "WriteProvisionedThroughputExceeded",
                        "Sum",
                        300,
                        "GreaterThanThreshold",
                        0,
                        0,
                        1,
                        1,
                        "notBreaching"),
                Arguments.of(
                        "kinesis-incoming-bytes",
                        "AWS/Kinesis",
                        "IncomingBytes",
                        "Sum",
                        60,
                        "GreaterThanThreshold",
                        1_048_576 * 60,
                        3_145_728 * 60,
                        3,
                        3,
                        "notBreaching"),
                Arguments.of(
                        "kinesis-iterator-age",
                        "AWS/Kinesis",
                        "GetRecords.IteratorAgeMilliseconds",
                        "Maximum",
                        60,
                        "GreaterThanThreshold",
                        600_000,
                        300_000,
                        3,
                        3,
                        "breaching"),
                Arguments.of(
                        "consumer-errors",
                        "AWS/Lambda",
                        "Errors",
                        "Sum",
                        300,
                        "GreaterThanOrEqualToThreshold",
                        1,
                        1,
                        1,
                        1,
                        "notBreaching"),
                Arguments.of(
                        "consumer-throttles",
                        "AWS/Lambda",
                        "Throttles",
                        "Sum",
                        300,
                        "GreaterThanOrEqualToThreshold",
                        1,
                        1,
                        1,
                        1,
                        "notBreaching"),
                Arguments.of(
                        "consumer-iterator-age",
                        "AWS/Lambda",
                        "IteratorAge",
                        "Maximum",
                        60,
                        "GreaterThanThreshold",
                        600_000,
                        300_000,
                        3,
                        3,
                        "notBreaching"),
                Arguments.of(
                        "records-quarantined",
                        "DsqlCdcPipeline",
                        "RecordsQuarantined",
                        "Sum",
                        300,
                        "GreaterThanThreshold",
                        0,
                        0,
                        1,
                        1,
                        "notBreaching"),
                Arguments.of(
                        "loader-runs-failed",
                        "DsqlCdcPipeline",
                        "LoaderRunsFailed",
                        "Sum",
                        300,
                        "GreaterThanOrEqualToThreshold",
                        1,
                        1,
                        1,
                        1,
                        "notBreaching"),
                Arguments.of(
                        "loader-errors",
                        "AWS/Lambda",
                        "Errors",
                        "Sum",
                        300,
                        "GreaterThanOrEqualToThreshold",
                        1,
                        1,
                        1,
                        1,
                        "notBreaching"),
                // two schedule intervals (2 × 2 minutes); default 2 × 300 s + 300 s
                Arguments.of(
                        "staged-object-age",
                        "DsqlCdcPipeline",
                        "OldestStagedObjectAgeSeconds",
                        "Maximum",
                        240,
                        "GreaterThanThreshold",
                        700,
                        900,
                        1,
                        1,
                        "breaching"),
                Arguments.of(
                        "commit-to-merged-lag",
                        "DsqlCdcPipeline",
                        "CommitToMergedLag",
                        "Maximum",
                        240,
                        "GreaterThanThreshold",
                        900_000,
                        900_000,
                        1,
                        1,
                        "notBreaching"),
                Arguments.of(
                        "on-failure-deliveries",
                        "AWS/S3",
                        "PutRequests",
                        "Sum",
                        300,
                        "GreaterThanOrEqualToThreshold",
                        1,
                        1,
                        1,
                        1,
                        "notBreaching"),
                Arguments.of(
                        "stream-failed",
                        "DsqlCdcPipeline",
                        "StreamFailed",
                        "Maximum",
                        120,
                        "GreaterThanOrEqualToThreshold",
                        1,
                        1,
                        1,
                        1,
                        "breaching"),
                Arguments.of(
                        "stream-impaired",
                        "DsqlCdcPipeline",
                        "StreamImpaired",
                        "Maximum",
                        120,
                        "GreaterThanOrEqualToThreshold",
                        1,
                        1,
                        1,
                        1,
                        "notBreaching"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pathAlarms")
    void alarmWatchesItsMetricWithTheConfiguredOrDefaultThresholdAndDeliberateMissingData(
            String name,
            String namespace,
            String metric,
            String statistic,
            int period,
            String comparison,
            long configured,
            long byDefault,
            int periods,
            int datapoints,
            String missing) {
        template.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(map(
                        "AlarmName", "created-dsql-cdc-" + name,
                        "Namespace", namespace,
                        "MetricName", metric,
                        "Statistic", statistic,
                        "Period", period,
                        "ComparisonOperator", comparison,
                        "Threshold", configured,
                        "EvaluationPeriods", periods,
                        "DatapointsToAlarm", datapoints,
                        "TreatMissingData", missing)));
        defaults.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(map(
                        "AlarmName", "existing-dsql-cdc-" + name,
                        "MetricName", metric,
                        "Threshold", byDefault,
                        "TreatMissingData", missing)));
    }

    @Test
    void streamAlarmsWatchThisStreamExactlyAsDsqlAndTheHealthCheckPublishIt() {
        List<Map<String, Object>> dimensions = List.of(
                Map.of(
                        "Name",
                        "ClusterId",
                        "Value",
                        refs.of(producer.getCluster().getClusterIdentifier())),
                Map.of(
                        "Name",
                        "StreamId",
                        "Value",
                        stack.resolve(stack.getCdcStream().getStreamIdentifier())));
        for (String name :
                List.of("dsql-stream-impaired", "dsql-behind-source-lag", "stream-failed", "stream-impaired")) {
            template.hasResourceProperties(
                    "AWS::CloudWatch::Alarm",
                    Match.objectLike(Map.of("AlarmName", "created-dsql-cdc-" + name, "Dimensions", dimensions)));
        }
    }

    @Test
    void consumerAlarmsWatchTheFunctionAndItsEmbeddedMetricsIdentity() {
        Object function = stack.resolve(stack.getConsumer().getFunction().getFunctionName());
        for (String name : List.of("consumer-errors", "consumer-throttles", "consumer-iterator-age")) {
            template.hasResourceProperties(
                    "AWS::CloudWatch::Alarm",
                    Match.objectLike(Map.of(
                            "AlarmName",
                            "created-dsql-cdc-" + name,
                            "Dimensions",
                            List.of(Map.of("Name", "FunctionName", "Value", function)))));
        }
        template.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of(
                        "AlarmName",
                        "created-dsql-cdc-records-quarantined",
                        "Dimensions",
                        List.of(Map.of("Name", "Service", "Value", "dsql-cdc-consumer")))));
        template.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of(
                        "AlarmName",
                        "created-dsql-cdc-kinesis-iterator-age",
                        "Dimensions",
                        List.of(Map.of(
                                "Name",
                                "StreamName",
                                "Value",
                                refs.of(producer.getKinesisStream().getStreamName()))))));
    }

    @Test
    void loaderAlarmsWatchItsFunctionAndItsEmbeddedMetricsButNotItsThrottles() {
        Object function = stack.resolve(stack.getLoader().getFunction().getFunctionName());
        template.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of(
                        "AlarmName",
                        "created-dsql-cdc-loader-errors",
                        "Dimensions",
                        List.of(Map.of("Name", "FunctionName", "Value", function)))));
        for (String name : List.of("loader-runs-failed", "staged-object-age", "commit-to-merged-lag")) {
            template.hasResourceProperties(
                    "AWS::CloudWatch::Alarm",
                    Match.objectLike(Map.of(
                            "AlarmName",
                            "created-dsql-cdc-" + name,
                            "Dimensions",
                            List.of(Map.of("Name", "Service", "Value", "dsql-cdc-loader")))));
        }
        // a tick throttled behind a long load is harmless; a loader that falls behind shows in the age
        assertThat(template.findResources(
                        "AWS::CloudWatch::Alarm",
                        Match.objectLike(Map.of(
                                "Properties",
                                Match.objectLike(Map.of(
                                        "MetricName",
                                        "Throttles",
                                        "Dimensions",
                                        List.of(Map.of("Name", "FunctionName", "Value", function))))))))
                .isEmpty();
    }

    @Test
    void theStagedAgeAlarmCoversTwoTicksOfTheScheduleWhateverTheInterval() {
        // loads every 30 s: one invocation a minute, so two ticks are two minutes; default threshold
        // 2 × 30 s + 300 s
        Template fast = Template.fromStack(
                TestStages.get().stage(TestStages.EXISTING_CMK).getStateless());
        fast.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of(
                        "AlarmName", "existingcmk-dsql-cdc-staged-object-age",
                        "Period", 120,
                        "Threshold", 360,
                        "EvaluationPeriods", 1,
                        "TreatMissingData", "breaching")));
        // the default five minutes: ten
        defaults.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of("AlarmName", "existing-dsql-cdc-staged-object-age", "Period", 600)));
    }

    @Test
    void onFailureAlarmCountsLambdasWritesToTheFailedBatchBucketOnly() {
        stateful.hasResourceProperties(
                "AWS::S3::Bucket",
                Match.objectLike(Map.of(
                        "MetricsConfigurations",
                        List.of(Map.of("Id", "OnFailureDeliveries", "Prefix", "aws/lambda/")))));
        stateful.resourcePropertiesCountIs(
                "AWS::S3::Bucket", Match.objectLike(Map.of("MetricsConfigurations", Match.anyValue())), 1);
        template.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of(
                        "AlarmName",
                        "created-dsql-cdc-on-failure-deliveries",
                        "Dimensions",
                        List.of(
                                Map.of(
                                        "Name",
                                        "BucketName",
                                        "Value",
                                        refs.of(producer.getFailedBatchBucket()
                                                .getBucket()
                                                .getBucketName())),
                                Map.of("Name", "FilterId", "Value", "OnFailureDeliveries")))));
    }

    @Test
    void dashboardShowsEveryHopAndEveryAlarm() {
        Capture body = new Capture();
        template.hasResourceProperties(
                "AWS::CloudWatch::Dashboard",
                Match.objectLike(Map.of("DashboardName", "created-dsql-cdc-pipeline", "DashboardBody", body)));
        String rendered = body.asObject().toString();
        for (String shown : List.of(
                "BehindSourceLag",
                "GetRecords.IteratorAgeMilliseconds",
                "IteratorAge",
                "CommitToStagedLag",
                "CommitToMergedLag",
                "StreamFailed",
                "StreamImpaired",
                "StreamActive",
                "IsImpaired",
                "PublishedRecords",
                "IncomingRecords",
                "RecordsIn",
                "RecordsStaged",
                "PublishedBytes",
                "IncomingBytes",
                "WriteProvisionedThroughputExceeded",
                "Errors",
                "Throttles",
                "RecordsFailed",
                "PutRequests",
                "RecordsQuarantined",
                "IncompleteChunkSets",
                "LoaderRuns",
                "LoaderRunsFailed",
                "LoaderCommits",
                "ObjectsLoaded",
                "ChangesLoaded",
                "ChangesAppended",
                "RowsMerged",
                "MetricName=\\\"RowsMerged\\\" Table",
                "StagedObjects",
                "OldestStagedObjectAgeSeconds",
                "LoaderRunDuration",
                "Duration",
                "\"type\":\"alarm\"")) {
            assertThat(rendered).as("dashboard shows %s", shown).contains(shown);
        }
        for (String gone : List.of("RecordsLanded", "StatementsFailed", "StatementLatency", "CommitToLandedLag")) {
            assertThat(rendered).as("dashboard no longer shows %s", gone).doesNotContain(gone);
        }
        for (var alarm : stack.getMonitoring().getAlarms()) {
            assertThat(rendered).contains(TestSupport.logicalId(stack, alarm));
        }
        defaults.hasResourceProperties(
                "AWS::CloudWatch::Dashboard", Match.objectLike(Map.of("DashboardName", "existing-dsql-cdc-pipeline")));
    }

    @Test
    void outputsNameTheTopicAndTheDashboard() {
        template.hasOutput("AlarmTopicArn", Match.objectLike(Map.of("Value", topicRef(stack))));
        template.hasOutput(
                "DashboardName",
                Match.objectLike(Map.of(
                        "Value",
                        stack.resolve(stack.getMonitoring().getDashboard().getDashboardName()))));
    }
}
