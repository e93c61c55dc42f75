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
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The chunk sweep: its function (from the consumer's jar), role, schedule and alarm, with the
 * configured interval and age ({@link TestStages#CREATED}: every 30 minutes, sets older than 120
 * minutes) and the defaults ({@link TestStages#EXISTING}: 15 and 60).
 */
class ChunkSweepTest {

    private static StatelessStack stack;
    private static ChunkSweep sweep;
    private static Template template;
    private static StatefulStack producer;
    private static CrossStackRefs refs;
    private static Template defaults;

    @BeforeAll
    static void synth() {
        PipelineStage stage = TestStages.get().stage(TestStages.CREATED);
        stack = stage.getStateless();
        sweep = stack.getChunkSweep();
        template = Template.fromStack(stack);
        producer = stage.getStateful();
        refs = new CrossStackRefs(stage, Template.fromStack(producer));
        defaults =
                Template.fromStack(TestStages.get().stage(TestStages.EXISTING).getStateless());
    }

    private static String logicalId(Object construct) {
        return TestSupport.logicalId(stack, construct);
    }

    @Test
    void functionRunsTheSweepHandlerOfTheConsumersJarOnJava25Arm() {
        Capture logGroup = new Capture();
        Capture code = new Capture();
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler",
                        "com.dsqlcdc.consumer.chunk.ChunkSweepHandler::handleRequest",
                        "Runtime",
                        "java25",
                        "Architectures",
                        List.of("arm64"),
                        "MemorySize",
                        1024,
                        "Timeout",
                        300,
                        "SnapStart",
                        Match.absent(),
                        "FunctionName",
                        Match.absent(),
                        "Code",
                        code,
                        "Role",
                        Map.of("Fn::GetAtt", List.of(logicalId(sweep.getRole()), "Arn")),
                        "LoggingConfig",
                        Map.of("LogGroup", Map.of("Ref", logGroup)))));
        // the same asset as the consumer: one jar to build and upload
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of("Handler", CdcConsumer.HANDLER, "Code", code.asObject())));
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
    void environmentNamesTheBucketTheAgeAndTheMetricIdentity() {
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler",
                        ChunkSweep.HANDLER,
                        "Environment",
                        Map.of(
                                "Variables",
                                Match.objectEquals(Map.of(
                                        "STAGING_BUCKET",
                                                refs.of(producer.getStagingBucket()
                                                        .getBucket()
                                                        .getBucketName()),
                                        "INCOMPLETE_CHUNK_SET_AGE_MINUTES", "120",
                                        "POWERTOOLS_SERVICE_NAME", "dsql-cdc-chunk-sweep",
                                        "POWERTOOLS_METRICS_NAMESPACE", "DsqlCdcPipeline"))))));
        defaults.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler",
                        ChunkSweep.HANDLER,
                        "Environment",
                        Map.of("Variables", Match.objectLike(Map.of("INCOMPLETE_CHUNK_SET_AGE_MINUTES", "60"))))));
    }

    @Test
    void roleMayOnlyWriteItsLogsAndListReadAndDecryptTheChunks() {
        Object roleRef = stack.resolve(sweep.getRole().getRoleName());
        Map<String, Object> stagingArn =
                refs.of(producer.getStagingBucket().getBucket().getBucketArn());

        template.hasResourceProperties(
                "AWS::IAM::Role", Policies.lambdaRole(Match.stringLikeRegexp("DSQL CDC chunk sweep.*")));
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
                                Map.of(
                                        "Fn::GetAtt",
                                        List.of(Match.stringLikeRegexp("ChunkSweepFunctionLogs.*"), "Arn"))),
                        Map.of("Effect", "Allow", "Action", "s3:ListBucket", "Resource", stagingArn),
                        Map.of(
                                "Effect",
                                "Allow",
                                "Action",
                                "s3:GetObject",
                                "Resource",
                                Map.of("Fn::Join", List.of("", List.of(stagingArn, "/chunks/*")))),
                        Map.of(
                                "Effect",
                                "Allow",
                                "Action",
                                "kms:Decrypt",
                                "Resource",
                                refs.of(producer.getStagingBucket()
                                        .getEncryptionKey()
                                        .getKeyArn()),
                                "Condition",
                                Policies.viaService("s3"))));
    }

    @Test
    void scheduleRunsTheFunctionEveryConfiguredInterval() {
        String function = logicalId(sweep.getFunction());
        TestSupport.assertScheduled(template, "rate(30 minutes)", function, logicalId(sweep.getSchedule()));
        defaults.hasResourceProperties(
                "AWS::Events::Rule", Match.objectLike(Map.of("ScheduleExpression", "rate(15 minutes)")));
    }

    @Test
    void alarmFiresOnOneIncompleteSetOrWhenTheSweepStopsReporting() {
        template.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectEquals(TestSupport.map(
                        "Namespace",
                        "DsqlCdcPipeline",
                        "MetricName",
                        "IncompleteChunkSets",
                        // exactly what Powertools puts on the handler's metrics
                        "Dimensions",
                        List.of(Map.of("Name", "Service", "Value", "dsql-cdc-chunk-sweep")),
                        "Statistic",
                        "Maximum",
                        "Period",
                        1800,
                        "EvaluationPeriods",
                        1,
                        "DatapointsToAlarm",
                        1,
                        "ComparisonOperator",
                        "GreaterThanOrEqualToThreshold",
                        "Threshold",
                        1,
                        "TreatMissingData",
                        "breaching",
                        "AlarmDescription",
                        Match.stringLikeRegexp(".*incomplete for more than 120 minutes.*"),
                        "AlarmActions",
                        List.of(topicRef()),
                        "OKActions",
                        List.of(topicRef()),
                        "Tags",
                        Match.anyValue())));
        defaults.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of(
                        "MetricName", "IncompleteChunkSets",
                        "Period", 900,
                        "TreatMissingData", "breaching")));
    }

    @Test
    void alarmIsExposedAndAmongTheEnvironmentsAlarms() {
        assertThat(stack.resolve(sweep.getIncompleteSetsAlarm().getAlarmArn()))
                .isEqualTo(Map.of("Fn::GetAtt", List.of(logicalId(sweep.getIncompleteSetsAlarm()), "Arn")));
        assertThat(stack.getMonitoring().getAlarms()).contains(sweep.getIncompleteSetsAlarm());
    }

    private static Object topicRef() {
        return stack.resolve(stack.getMonitoring().getTopic().getTopic().getTopicArn());
    }
}
