package com.dsqlcdc.infra.stateless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * The loader in the stages: {@link TestStages#CREATED} loads every 2 minutes and prunes the log after
 * 30 days, {@link TestStages#EXISTING} takes the defaults (5 minutes, the whole log kept),
 * {@link TestStages#EXISTING_CMK} loads every 30 s (one invocation a minute). Its function, schedule,
 * single-writer concurrency, role and place in the deploy order.
 */
class CdcLoaderTest {

    private static StatelessStack stack;
    private static CdcLoader loader;
    private static Template template;
    private static StatefulStack producer;
    private static CrossStackRefs refs;
    private static Template defaults;
    private static Template fast;

    @BeforeAll
    static void synth() {
        PipelineStage stage = TestStages.get().stage(TestStages.CREATED);
        stack = stage.getStateless();
        loader = stack.getLoader();
        template = Template.fromStack(stack);
        producer = stage.getStateful();
        refs = new CrossStackRefs(stage, Template.fromStack(producer));
        defaults =
                Template.fromStack(TestStages.get().stage(TestStages.EXISTING).getStateless());
        fast = Template.fromStack(
                TestStages.get().stage(TestStages.EXISTING_CMK).getStateless());
    }

    private static String logicalId(Object construct) {
        return TestSupport.logicalId(stack, construct);
    }

    @Test
    void functionIsJava25OnArmWithFifteenMinutesAndOneConcurrentRunAtMost() {
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler",
                        "com.dsqlcdc.loader.LoaderHandler::handleRequest",
                        "Runtime",
                        "java25",
                        "Architectures",
                        List.of("arm64"),
                        "MemorySize",
                        1024,
                        "Timeout",
                        900,
                        "ReservedConcurrentExecutions",
                        1,
                        "SnapStart",
                        Match.absent(),
                        "FunctionName",
                        Match.absent(),
                        "Role",
                        Map.of("Fn::GetAtt", List.of(logicalId(loader.getRole()), "Arn")))));
        for (Template other : List.of(defaults, fast)) {
            other.hasResourceProperties(
                    "AWS::Lambda::Function",
                    Match.objectLike(Map.of("Handler", CdcLoader.HANDLER, "ReservedConcurrentExecutions", 1)));
        }
    }

    @Test
    void environmentNamesTheBucketTheWarehouseTheCopyRoleAndTheSettings() {
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler",
                        CdcLoader.HANDLER,
                        "Environment",
                        Map.of(
                                "Variables",
                                Match.objectEquals(TestSupport.map(
                                        "STAGING_BUCKET",
                                                refs.of(producer.getStagingBucket()
                                                        .getBucket()
                                                        .getBucketName()),
                                        "COPY_ROLE_ARN",
                                                refs.of(producer.getWarehouse()
                                                        .getCopyRole()
                                                        .getRoleArn()),
                                        "WORKGROUP_NAME",
                                                refs.of(producer.getWarehouse().getWorkgroupName()),
                                        "DATABASE_NAME", "analytics",
                                        "LOAD_INTERVAL_SECONDS", "120",
                                        "LOG_RETENTION_DAYS", "30",
                                        "POWERTOOLS_SERVICE_NAME", "dsql-cdc-loader",
                                        "POWERTOOLS_METRICS_NAMESPACE", "DsqlCdcPipeline",
                                        "POWERTOOLS_LOG_LEVEL", "INFO"))))));
        defaults.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler",
                        CdcLoader.HANDLER,
                        "Environment",
                        Map.of(
                                "Variables",
                                Match.objectLike(Map.of(
                                        "DATABASE_NAME", "dev",
                                        "LOAD_INTERVAL_SECONDS", "300",
                                        "LOG_RETENTION_DAYS", "0"))))));
    }

    @Test
    void theScheduleStartsTheFunctionEveryIntervalAtLeastEveryMinuteWithoutRetries() {
        Map<String, Object> function = Map.of("Fn::GetAtt", List.of(logicalId(loader.getFunction()), "Arn"));
        template.hasResourceProperties(
                "AWS::Events::Rule",
                Match.objectLike(Map.of(
                        "ScheduleExpression",
                        "rate(2 minutes)",
                        "State",
                        "ENABLED",
                        "Targets",
                        List.of(Match.objectLike(Map.of(
                                "Arn",
                                function,
                                "RetryPolicy",
                                Map.of("MaximumRetryAttempts", 0, "MaximumEventAgeInSeconds", 120)))))));
        // the default 5 minutes; below a minute, one invocation a minute loads every interval
        Map<Template, Integer> everySeconds = Map.of(defaults, 300, fast, 60);
        everySeconds.forEach((other, seconds) -> other.hasResourceProperties(
                "AWS::Events::Rule",
                Match.objectLike(Map.of(
                        "ScheduleExpression",
                        seconds == 60 ? "rate(1 minute)" : "rate(" + seconds / 60 + " minutes)",
                        "Targets",
                        List.of(Match.objectLike(Map.of(
                                "RetryPolicy",
                                Map.of("MaximumRetryAttempts", 0, "MaximumEventAgeInSeconds", seconds))))))));
        template.hasResourceProperties(
                "AWS::Lambda::Permission",
                Match.objectLike(Map.of(
                        "Action",
                        "lambda:InvokeFunction",
                        "FunctionName",
                        function,
                        "Principal",
                        "events.amazonaws.com",
                        "SourceArn",
                        Map.of("Fn::GetAtt", List.of(logicalId(loader.getSchedule()), "Arn")))));
    }

    @Test
    void aFailedOrThrottledTickIsNeitherRetriedNorKeptLongerThanAnInterval() {
        Map<String, Object> function = Map.of("Ref", logicalId(loader.getFunction()));
        template.hasResourceProperties(
                "AWS::Lambda::EventInvokeConfig",
                Match.objectEquals(Map.of(
                        "FunctionName",
                        function,
                        "Qualifier",
                        "$LATEST",
                        "MaximumRetryAttempts",
                        0,
                        "MaximumEventAgeInSeconds",
                        120)));
        fast.hasResourceProperties(
                "AWS::Lambda::EventInvokeConfig",
                Match.objectLike(Map.of("MaximumRetryAttempts", 0, "MaximumEventAgeInSeconds", 60)));
    }

    @Test
    void noLoadBeforeTheSchemaWithTheLoadersUserAndGrantsExists() {
        String schema = logicalId(stack.getWarehouseSchema().getResource());
        template.hasResource(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Properties",
                        Match.objectLike(Map.of("Handler", CdcLoader.HANDLER)),
                        "DependsOn",
                        Match.arrayWith(List.of(schema)))));
        template.hasResource(
                "AWS::Events::Rule",
                Match.objectLike(Map.of(
                        "Properties",
                        Match.objectLike(Map.of("ScheduleExpression", "rate(2 minutes)")),
                        "DependsOn",
                        Match.arrayWith(List.of(schema)))));
    }

    @Test
    void logGroupHasTheConfiguredRetention() {
        Capture logGroup = new Capture();
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler", CdcLoader.HANDLER, "LoggingConfig", Map.of("LogGroup", Map.of("Ref", logGroup)))));
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
    void roleHasExactlyTheLoadersPermissions() {
        Object roleRef = stack.resolve(loader.getRole().getRoleName());
        Map<String, Object> stagingArn =
                refs.of(producer.getStagingBucket().getBucket().getBucketArn());
        Map<String, Object> workgroupArn = refs.of(producer.getWarehouse().getWorkgroupArn());

        template.hasResourceProperties(
                "AWS::IAM::Role", Policies.lambdaRole(Match.stringLikeRegexp("DSQL CDC loader.*")));
        Policies.assertOnlyPolicy(
                template,
                roleRef,
                List.of(
                        Policies.writesItsLogGroup("LoaderLogs"),
                        // list only under its two prefixes
                        Policies.allow(
                                "s3:ListBucket",
                                stagingArn,
                                Map.of("StringLike", Map.of("s3:prefix", List.of("staged/*", "manifests/*")))),
                        // delete what it loaded, and its manifests; write manifests
                        Policies.allow(
                                "s3:DeleteObject",
                                List.of(objects(stagingArn, "manifests/"), objects(stagingArn, "staged/"))),
                        Policies.allow("s3:PutObject", objects(stagingArn, "manifests/")),
                        Policies.allow(
                                "kms:GenerateDataKey",
                                refs.of(producer.getStagingBucket()
                                        .getEncryptionKey()
                                        .getKeyArn()),
                                Policies.viaService("s3")),
                        // statements naming the workgroup, and its credentials (cdk.json's minimizePolicies
                        // merges the two grants on the same ARN)
                        Policies.allow(
                                List.of(
                                        "redshift-data:BatchExecuteStatement",
                                        "redshift-data:ExecuteStatement",
                                        "redshift-serverless:GetCredentials"),
                                workgroupArn),
                        Policies.ownSessionsOnly(),
                        Policies.ownStatementsOnly()));
    }

    private static Map<String, Object> objects(Map<String, Object> bucketArn, String prefix) {
        return Map.of("Fn::Join", List.of("", List.of(bucketArn, "/" + prefix + "*")));
    }

    @Test
    void outputNamesTheLoaderFunction() {
        template.hasOutput(
                "LoaderFunctionName",
                Match.objectLike(Map.of("Value", Map.of("Ref", logicalId(loader.getFunction())))));
    }

    @Test
    void theTuningRefusesWhatTheScheduleOrTheLoaderCouldNotDo() {
        assertThatThrownBy(() -> new CdcLoaderProps.Tuning(9, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Tuning.loadIntervalSeconds must be from 10 to 86400, got 9");
        assertThatThrownBy(() -> new CdcLoaderProps.Tuning(90, 0))
                .hasMessageContaining("above a minute must be a whole number of minutes");
        assertThatThrownBy(() -> new CdcLoaderProps.Tuning(300, -1))
                .hasMessageContaining("Tuning.logRetentionDays must be from 0 (keep the whole log) to 3650, got -1");
        assertThat(new CdcLoaderProps.Tuning(30, 0).scheduleSeconds()).isEqualTo(60);
        assertThat(new CdcLoaderProps.Tuning(3600, 0).scheduleSeconds()).isEqualTo(3600);
        assertThat(CdcLoaderProps.Tuning.defaults()).isEqualTo(new CdcLoaderProps.Tuning(300, 0));
    }
}
