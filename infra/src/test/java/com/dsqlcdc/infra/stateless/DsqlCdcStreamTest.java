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
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.IFunction;

/**
 * The CDC stream custom resource and everything around it, for a created cluster with its own
 * customer managed key in a fixed environment (123456789012 / eu-west-1).
 */
class DsqlCdcStreamTest {

    private static final String CLUSTER_ARN_PREFIX = "arn:aws:dsql:eu-west-1:123456789012:cluster/";

    private static StatelessStack stack;
    private static DsqlCdcStream cdcStream;
    private static Template template;
    private static Template stateful;
    private static Map<String, Object> clusterIdentifier;
    private static Map<String, Object> kinesisStreamArn;
    private static Map<String, Object> kinesisKeyArn;
    private static Map<String, Object> clusterKeyArn;

    @BeforeAll
    static void synth() {
        PipelineStage stage = TestStages.get().stage(TestStages.CREATED);
        stack = stage.getStateless();
        cdcStream = stack.getCdcStream();
        template = Template.fromStack(stack);
        stateful = Template.fromStack(stage.getStateful());

        StatefulStack producer = stage.getStateful();
        CrossStackRefs refs = new CrossStackRefs(stage, stateful);
        clusterIdentifier = refs.of(producer.getCluster().getClusterIdentifier());
        kinesisStreamArn = refs.of(producer.getKinesisStream().getStreamArn());
        kinesisKeyArn = refs.of(producer.getKinesisKey().getKeyArn());
        clusterKeyArn =
                refs.of(producer.getCluster().getEncryptionKey().orElseThrow().getKeyArn());
    }

    private static Map<String, Object> clusterArn() {
        return Map.of("Fn::Join", List.of("", List.of(CLUSTER_ARN_PREFIX, clusterIdentifier)));
    }

    private static Map<String, Object> clusterStreamsArn() {
        return Map.of("Fn::Join", List.of("", List.of(CLUSTER_ARN_PREFIX, clusterIdentifier, "/stream/*")));
    }

    private static Object ref(Object token) {
        return stack.resolve(token);
    }

    private static Map<String, Object> policyDocument(List<Map<String, Object>> statements) {
        return Map.of("Version", "2012-10-17", "Statement", statements);
    }

    /**
     * Asserts the complete permissions of a handler role: its own role (no managed policy), and one
     * policy of its log group's writes and exactly these statements.
     */
    private static void assertRolePolicyIsExactly(
            IFunction handler, String logGroupPrefix, List<Map<String, Object>> statements) {
        assertThat(template.findResources(
                        "AWS::IAM::Role",
                        Match.objectLike(Map.of("Properties", Policies.lambdaRole(Match.anyValue())))))
                .containsKey(stack.getLogicalId(
                        (CfnElement) handler.getRole().getNode().getDefaultChild()));
        List<Map<String, Object>> all = new java.util.ArrayList<>();
        all.add(Policies.writesItsLogGroup(logGroupPrefix));
        all.addAll(statements);
        Policies.assertOnlyPolicy(template, ref(handler.getRole().getRoleName()), all);
    }

    @Test
    void serviceRoleTrustsOnlyThisClustersStreams() {
        template.hasResourceProperties(
                "AWS::IAM::Role",
                Match.objectLike(Map.of(
                        "AssumeRolePolicyDocument",
                        Match.objectEquals(policyDocument(List.of(Map.of(
                                "Effect",
                                "Allow",
                                "Principal",
                                Map.of("Service", "dsql.amazonaws.com"),
                                "Action",
                                "sts:AssumeRole",
                                "Condition",
                                Map.of(
                                        "StringEquals", Map.of("aws:SourceAccount", "123456789012"),
                                        "ArnLike", Map.of("aws:SourceArn", clusterStreamsArn())))))))));
    }

    @Test
    void serviceRoleMayOnlyWriteToTheStreamThroughKinesis() {
        Object serviceRole = ref(cdcStream.getServiceRole().getRoleName());
        assertThat(template.findResources(
                        "AWS::IAM::Policy",
                        Match.objectLike(Map.of(
                                "Properties",
                                Match.objectLike(Map.of("Roles", Match.arrayWith(List.of(serviceRole))))))))
                .isEmpty();
        template.hasResourceProperties(
                "AWS::IAM::Role",
                Match.objectLike(Map.of(
                        "AssumeRolePolicyDocument",
                                Match.objectLike(Map.of(
                                        "Statement",
                                        List.of(Match.objectLike(
                                                Map.of("Principal", Map.of("Service", "dsql.amazonaws.com")))))),
                        "ManagedPolicyArns", Match.absent(),
                        "Policies",
                                Match.exact(List.of(Map.of(
                                        "PolicyName",
                                        "WriteCdcRecordsToKinesis",
                                        "PolicyDocument",
                                        policyDocument(List.of(
                                                Map.of(
                                                        "Sid",
                                                        "WriteCdcRecords",
                                                        "Effect",
                                                        "Allow",
                                                        "Action",
                                                        List.of(
                                                                "kinesis:DescribeStreamSummary",
                                                                "kinesis:ListShards",
                                                                "kinesis:PutRecord",
                                                                "kinesis:PutRecords"),
                                                        "Resource",
                                                        kinesisStreamArn),
                                                Map.of(
                                                        "Sid", "EncryptCdcRecordsThroughKinesis",
                                                        "Effect", "Allow",
                                                        "Action", "kms:GenerateDataKey",
                                                        "Resource", kinesisKeyArn,
                                                        "Condition",
                                                                Map.of(
                                                                        "StringEquals",
                                                                        Map.of(
                                                                                // amazonaws.com, or amazonaws.com.cn in
                                                                                // China
                                                                                "kms:ViaService",
                                                                                Map.of(
                                                                                        "Fn::Join",
                                                                                        List.of(
                                                                                                "",
                                                                                                List.of(
                                                                                                        "kinesis.eu-west-1.",
                                                                                                        Map.of(
                                                                                                                "Ref",
                                                                                                                "AWS::URLSuffix")))),
                                                                                "kms:EncryptionContext:aws:kinesis:arn",
                                                                                kinesisStreamArn,
                                                                                "aws:ResourceAccount",
                                                                                "${aws:PrincipalAccount}")))))))))));
    }

    @Test
    void onEventHandlerHasExactlyTheStreamLifecyclePermissions() {
        assertRolePolicyIsExactly(
                cdcStream.getOnEventHandler(),
                "CdcStreamOnEventLogs",
                List.of(
                        Map.of(
                                "Effect",
                                "Allow",
                                "Action",
                                List.of("dsql:CreateStream", "dsql:GetCluster", "dsql:ListStreams"),
                                "Resource",
                                clusterArn()),
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
                                clusterStreamsArn()),
                        Map.of(
                                "Effect",
                                "Allow",
                                "Action",
                                "iam:PassRole",
                                "Resource",
                                ref(cdcStream.getServiceRole().getRoleArn()),
                                "Condition",
                                Map.of("StringEquals", Map.of("iam:PassedToService", "dsql.amazonaws.com"))),
                        Map.of("Effect", "Allow", "Action", "kms:Decrypt", "Resource", clusterKeyArn)));
    }

    @Test
    void onEventMayPassOnlyTheServiceRoleAndOnlyToDsql() {
        template.hasResourceProperties(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "PolicyDocument",
                        Match.objectLike(Map.of(
                                "Statement",
                                Match.arrayWith(List.of(Match.objectEquals(Map.of(
                                        "Effect",
                                        "Allow",
                                        "Action",
                                        "iam:PassRole",
                                        "Resource",
                                        ref(cdcStream.getServiceRole().getRoleArn()),
                                        "Condition",
                                        Map.of(
                                                "StringEquals",
                                                Map.of("iam:PassedToService", "dsql.amazonaws.com")))))))))));
    }

    @Test
    void isCompleteHandlerCanOnlyReadAndDeleteStreams() {
        Object role = ref(cdcStream.getIsCompleteHandler().getRole().getRoleName());
        assertRolePolicyIsExactly(
                cdcStream.getIsCompleteHandler(),
                "CdcStreamIsCompleteLogs",
                List.of(Map.of(
                        "Effect", "Allow",
                        "Action", List.of("dsql:DeleteStream", "dsql:GetStream"),
                        "Resource", clusterStreamsArn())));
        for (String forbidden : List.of("dsql:CreateStream", "iam:PassRole", "kms:Decrypt")) {
            // an Action is a list, or a plain string when there is only one
            for (Object action : List.of(Match.arrayWith(List.of(forbidden)), forbidden)) {
                template.hasResourceProperties(
                        "AWS::IAM::Policy",
                        Match.objectLike(Map.of(
                                "Roles", List.of(role),
                                "PolicyDocument",
                                        Match.objectLike(Map.of(
                                                "Statement",
                                                Match.not(Match.arrayWith(
                                                        List.of(Match.objectLike(Map.of("Action", action))))))))));
            }
        }
    }

    @Test
    void customResourceGoesThroughTheProviderToTheJavaHandlers() {
        Capture frameworkOnEvent = new Capture();
        template.hasResourceProperties(
                DsqlCdcStream.RESOURCE_TYPE,
                Match.objectLike(Map.of("ServiceToken", Map.of("Fn::GetAtt", List.of(frameworkOnEvent, "Arn")))));

        Capture userOnEvent = new Capture();
        Capture userIsComplete = new Capture();
        assertThat(template.findResources(
                        "AWS::Lambda::Function",
                        Match.objectLike(Map.of(
                                "Properties",
                                Match.objectLike(Map.of(
                                        "Handler",
                                        "framework.onEvent",
                                        // this resource's provider (the warehouse schema has one too)
                                        "Description",
                                        Match.stringLikeRegexp(".*/CdcStream/Provider\\)"),
                                        "Environment",
                                        Map.of(
                                                "Variables",
                                                Match.objectLike(Map.of(
                                                        "USER_ON_EVENT_FUNCTION_ARN",
                                                        Map.of("Fn::GetAtt", List.of(userOnEvent, "Arn")),
                                                        "USER_IS_COMPLETE_FUNCTION_ARN",
                                                        Map.of("Fn::GetAtt", List.of(userIsComplete, "Arn")))))))))))
                .containsOnlyKeys(frameworkOnEvent.asString());

        assertThat(template.findResources(
                        "AWS::Lambda::Function",
                        Match.objectLike(Map.of(
                                "Properties", Match.objectLike(Map.of("Handler", DsqlCdcStream.ON_EVENT_HANDLER))))))
                .containsOnlyKeys(userOnEvent.asString());
        assertThat(template.findResources(
                        "AWS::Lambda::Function",
                        Match.objectLike(Map.of(
                                "Properties", Match.objectLike(Map.of("Handler", DsqlCdcStream.IS_COMPLETE_HANDLER))))))
                .containsOnlyKeys(userIsComplete.asString());
    }

    @Test
    void customResourcePropertiesNameTheClusterStreamAndRole() {
        Capture role = new Capture();
        template.resourceCountIs(DsqlCdcStream.RESOURCE_TYPE, 1);
        template.hasResourceProperties(
                DsqlCdcStream.RESOURCE_TYPE,
                Match.objectEquals(Map.of(
                        "ServiceToken",
                        Match.anyValue(),
                        "ClusterIdentifier",
                        clusterIdentifier,
                        "KinesisStreamArn",
                        kinesisStreamArn,
                        "RoleArn",
                        Map.of("Fn::GetAtt", List.of(role, "Arn")),
                        "Ordering",
                        "UNORDERED",
                        "Format",
                        "JSON",
                        "Generation",
                        "3",
                        "Tags",
                        Map.of("cost-center", "42", "team", "data"))));
        Template.fromStack(TestStages.get().stage(TestStages.EXISTING).getStateless())
                .hasResourceProperties(DsqlCdcStream.RESOURCE_TYPE, Match.objectLike(Map.of("Generation", "1")));

        // the role handed to DSQL is the one DSQL may assume, not a handler's
        Object trustsDsql = Match.objectLike(Map.of(
                "AssumeRolePolicyDocument",
                Match.objectLike(Map.of(
                        "Statement",
                        List.of(Match.objectLike(Map.of("Principal", Map.of("Service", "dsql.amazonaws.com"))))))));
        assertThat(template.findResources("AWS::IAM::Role", Match.objectLike(Map.of("Properties", trustsDsql))))
                .containsOnlyKeys(role.asString());
    }

    @Test
    void handlersAreJava25OnArmWithTheirTimeoutsAndTheirServiceName() {
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler",
                        "com.dsqlcdc.customresource.CdcStreamOnEventHandler::handleRequest",
                        "Runtime",
                        "java25",
                        "Architectures",
                        List.of("arm64"),
                        "MemorySize",
                        1024,
                        "Timeout",
                        300,
                        "Environment",
                        Map.of("Variables", Map.of("POWERTOOLS_SERVICE_NAME", "dsql-cdc-stream-resource")))));
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler",
                        "com.dsqlcdc.customresource.CdcStreamIsCompleteHandler::handleRequest",
                        "Runtime",
                        "java25",
                        "Architectures",
                        List.of("arm64"),
                        "MemorySize",
                        1024,
                        "Timeout",
                        60,
                        "Environment",
                        Map.of("Variables", Map.of("POWERTOOLS_SERVICE_NAME", "dsql-cdc-stream-resource")))));
    }

    @Test
    void providerPollsEveryFifteenSecondsForThirtyMinutes() {
        template.hasResourceProperties("AWS::StepFunctions::StateMachine", TestSupport.providerWaiter(15, 120));
    }

    @Test
    void everyLogGroupHasTheConfiguredRetentionAndGoesWithTheStack() {
        // the stream resource's three, the consumer's, the loader's, the warehouse schema resource's
        // two, the chunk sweep's, the stream health check's, the backfill job's three functions' and
        // its state machine's
        template.resourceCountIs("AWS::Logs::LogGroup", 13);
        template.allResources(
                "AWS::Logs::LogGroup",
                Match.objectLike(Map.of(
                        "Properties", Match.objectLike(Map.of("RetentionInDays", 90, "LogGroupName", Match.absent())),
                        "DeletionPolicy", "Delete",
                        "UpdateReplacePolicy", "Delete")));
        // every function (handlers and provider framework) logs to one of them
        template.allResourcesProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "LoggingConfig", Match.objectLike(Map.of("LogGroup", Map.of("Ref", Match.anyValue()))))));
        template.hasResourceProperties(
                "AWS::StepFunctions::StateMachine", Match.objectLike(Map.of("LoggingConfiguration", Match.absent())));
    }

    @Test
    void outputsPublishTheStreamAndItsEnds() {
        Map<String, Map<String, Object>> streams = template.findResources(DsqlCdcStream.RESOURCE_TYPE);
        assertThat(streams).hasSize(1);
        String resource = streams.keySet().iterator().next();
        template.hasOutput(
                "StreamIdentifier",
                Match.objectLike(Map.of("Value", Map.of("Fn::GetAtt", List.of(resource, "StreamIdentifier")))));
        template.hasOutput(
                "StreamArn", Match.objectLike(Map.of("Value", Map.of("Fn::GetAtt", List.of(resource, "StreamArn")))));
        template.hasOutput("KinesisStreamArn", Match.objectLike(Map.of("Value", kinesisStreamArn)));
        template.hasOutput("ClusterIdentifier", Match.objectLike(Map.of("Value", clusterIdentifier)));
    }

    @Test
    void stageTagsReachTheStatelessResources() {
        Object tags = Match.arrayWith(
                List.of(Map.of("Key", "cost-center", "Value", "42"), Map.of("Key", "team", "Value", "data")));
        template.allResourcesProperties("AWS::Lambda::Function", Match.objectLike(Map.of("Tags", tags)));
        template.allResourcesProperties("AWS::IAM::Role", Match.objectLike(Map.of("Tags", tags)));
    }
}
