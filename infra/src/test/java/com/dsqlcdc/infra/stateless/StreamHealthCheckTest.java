package com.dsqlcdc.infra.stateless;

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
 * The stream health check: a handler of the Lambda functions' jar that calls GetStream on a schedule
 * ({@link TestStages#CREATED}: every 2 minutes; default 5), with a role that may read this stream
 * only. Its alarms are asserted with the rest in {@code MonitoringTest}.
 */
class StreamHealthCheckTest {

    private static StatelessStack stack;
    private static StreamHealthCheck check;
    private static Template template;
    private static CrossStackRefs refs;
    private static StatefulStack producer;
    private static Template defaults;

    @BeforeAll
    static void synth() {
        PipelineStage stage = TestStages.get().stage(TestStages.CREATED);
        stack = stage.getStateless();
        check = stack.getStreamHealth();
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
    void functionRunsTheHealthHandlerOfTheFunctionsJarWithTheStreamsIdentity() {
        Capture code = new Capture();
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler",
                        "com.dsqlcdc.health.StreamHealthHandler::handleRequest",
                        "Runtime",
                        "java25",
                        "Architectures",
                        List.of("arm64"),
                        "Timeout",
                        120,
                        "Code",
                        code,
                        "Role",
                        Map.of("Fn::GetAtt", List.of(logicalId(check.getRole()), "Arn")),
                        "Environment",
                        Map.of(
                                "Variables",
                                Match.objectEquals(Map.of(
                                        "CLUSTER_ID",
                                        refs.of(producer.getCluster().getClusterIdentifier()),
                                        "STREAM_ID",
                                        stack.resolve(stack.getCdcStream().getStreamIdentifier()),
                                        "POWERTOOLS_SERVICE_NAME",
                                        "dsql-cdc-stream-health",
                                        "POWERTOOLS_METRICS_NAMESPACE",
                                        "DsqlCdcPipeline"))))));
        // the same asset as the consumer's: the Lambda functions' jar, with the signed DSQL client
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of("Handler", CdcConsumer.HANDLER, "Code", code.asObject())));
    }

    @Test
    void roleMayOnlyWriteItsLogsAndGetThisStream() {
        template.hasResourceProperties(
                "AWS::IAM::Role", Policies.lambdaRole(Match.stringLikeRegexp("DSQL CDC stream health check.*")));
        Policies.assertOnlyPolicy(
                template,
                stack.resolve(check.getRole().getRoleName()),
                List.of(
                        Map.of(
                                "Effect",
                                "Allow",
                                "Action",
                                List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                                "Resource",
                                Map.of(
                                        "Fn::GetAtt",
                                        List.of(Match.stringLikeRegexp("StreamHealthFunctionLogs.*"), "Arn"))),
                        Map.of(
                                "Effect",
                                "Allow",
                                "Action",
                                "dsql:GetStream",
                                "Resource",
                                stack.resolve(stack.getCdcStream().getStreamArn()))));
    }

    @Test
    void scheduleRunsTheCheckEveryConfiguredInterval() {
        String function = logicalId(check.getFunction());
        TestSupport.assertScheduled(template, "rate(2 minutes)", function, logicalId(check.getSchedule()));
        defaults.hasResourceProperties(
                "AWS::Events::Rule", Match.objectLike(Map.of("ScheduleExpression", "rate(5 minutes)")));
    }
}
