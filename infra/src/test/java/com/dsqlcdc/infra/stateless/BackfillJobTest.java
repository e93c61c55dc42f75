package com.dsqlcdc.infra.stateless;

import static com.dsqlcdc.infra.TestSupport.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.infra.PipelineStage;
import com.dsqlcdc.infra.Policies;
import com.dsqlcdc.infra.TestStages;
import com.dsqlcdc.infra.TestSupport;
import com.dsqlcdc.infra.config.InvalidConfigException;
import com.dsqlcdc.infra.stateful.StatefulStack;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The backfill job in the stages: {@link TestStages#CREATED} (a created cluster: no start on create;
 * 8 workers, 50,000-row ranges, 500-row pages, role {@code analytics_reader}, a daily validation) and
 * {@link TestStages#EXISTING} (an existing cluster: the defaults, and one backfill started on create).
 * Its state machine, its three functions and their exact policies, the state machine's own policy,
 * the mismatch alarm, the schedule, the on-create start and the configuration errors.
 */
class BackfillJobTest {

    private static StatelessStack stack;
    private static BackfillJob job;
    private static Template template;
    private static StatefulStack producer;
    private static CrossStackRefs refs;
    private static StatelessStack existingStack;
    private static Template existing;

    @BeforeAll
    static void synth() {
        PipelineStage stage = TestStages.get().stage(TestStages.CREATED);
        stack = stage.getStateless();
        job = stack.getBackfill();
        template = Template.fromStack(stack);
        producer = stage.getStateful();
        refs = new CrossStackRefs(stage, Template.fromStack(producer));
        existingStack = TestStages.get().stage(TestStages.EXISTING).getStateless();
        existing = Template.fromStack(existingStack);
    }

    private static String logicalId(Object construct) {
        return TestSupport.logicalId(stack, construct);
    }

    private static Map<String, Object> roleRef(Object function) {
        return Map.of("Ref", logicalId(((software.amazon.awscdk.services.lambda.Function) function).getRole()));
    }

    private Map<String, Object> stagingArn() {
        return refs.of(producer.getStagingBucket().getBucket().getBucketArn());
    }

    private Map<String, Object> stagingKey() {
        return refs.of(producer.getStagingBucket().getEncryptionKey().getKeyArn());
    }

    /** The cluster's ARN, built in the stateless stack from the created cluster's identifier. */
    private Map<String, Object> clusterArn() {
        return Map.of(
                "Fn::Join",
                List.of(
                        "",
                        List.of(
                                "arn:aws:dsql:eu-west-1:123456789012:cluster/",
                                refs.of(producer.getCluster().getClusterIdentifier()))));
    }

    private static Map<String, Object> objects(Map<String, Object> bucketArn, String prefix) {
        return Map.of("Fn::Join", List.of("", List.of(bucketArn, "/" + prefix + "*")));
    }

    private static Map<String, Object> environment(Template in, String handler) {
        Map<String, Map<String, Object>> found = in.findResources(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of("Properties", Match.objectLike(Map.of("Handler", handler)))));
        assertThat(found).hasSize(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> properties =
                (Map<String, Object>) found.values().iterator().next().get("Properties");
        @SuppressWarnings("unchecked")
        Map<String, Object> variables =
                (Map<String, Object>) ((Map<String, Object>) properties.get("Environment")).get("Variables");
        return variables;
    }

    @Test
    void threeFunctionsOfTheLambdaJarWithFifteenMinutesEachAndTheirSettings() {
        Capture code = new Capture();
        for (String handler :
                List.of(BackfillJob.PLAN_HANDLER, BackfillJob.RANGE_HANDLER, BackfillJob.REPORT_HANDLER)) {
            template.hasResourceProperties(
                    "AWS::Lambda::Function",
                    Match.objectLike(Map.of(
                            "Handler",
                            handler,
                            "Runtime",
                            "java25",
                            "Architectures",
                            List.of("arm64"),
                            "Timeout",
                            900,
                            "MemorySize",
                            1024)));
        }
        template.hasResourceProperties(
                "AWS::Lambda::Function", Match.objectLike(Map.of("Handler", CdcConsumer.HANDLER, "Code", code)));
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of("Handler", BackfillJob.RANGE_HANDLER, "Code", code.asObject())));

        Object clusterId = refs.of(producer.getCluster().getClusterIdentifier());
        Object bucket = refs.of(producer.getStagingBucket().getBucket().getBucketName());
        assertThat(environment(template, BackfillJob.PLAN_HANDLER))
                .isEqualTo(map(
                        "CLUSTER_IDENTIFIER", clusterId,
                        "STREAM_IDENTIFIER", stack.resolve(stack.getCdcStream().getStreamIdentifier()),
                        "SOURCE_DATABASE_ROLE", "analytics_reader",
                        "STAGING_BUCKET", bucket,
                        "RANGE_ROWS", "50000",
                        "PAGE_ROWS", "500",
                        "POWERTOOLS_SERVICE_NAME", "dsql-cdc-backfill",
                        "POWERTOOLS_LOG_LEVEL", "INFO"));
        assertThat(environment(template, BackfillJob.RANGE_HANDLER))
                .containsEntry("CLUSTER_IDENTIFIER", clusterId)
                .containsEntry("SOURCE_DATABASE_ROLE", "analytics_reader")
                .containsEntry("STAGING_BUCKET", bucket)
                .containsEntry("WORKGROUP_NAME", refs.of(producer.getWarehouse().getWorkgroupName()))
                .containsEntry("DATABASE_NAME", "analytics")
                .containsEntry("POWERTOOLS_SERVICE_NAME", "dsql-cdc-backfill")
                .doesNotContainKey("WORK_SECONDS");
        assertThat(environment(template, BackfillJob.REPORT_HANDLER))
                .isEqualTo(map(
                        "STAGING_BUCKET", bucket,
                        "POWERTOOLS_SERVICE_NAME", "dsql-cdc-backfill",
                        "POWERTOOLS_METRICS_NAMESPACE", "DsqlCdcPipeline",
                        "POWERTOOLS_LOG_LEVEL", "INFO"));
        assertThat(environment(existing, BackfillJob.PLAN_HANDLER))
                .as("the defaults")
                .containsEntry("SOURCE_DATABASE_ROLE", "cdc_reader")
                .containsEntry("RANGE_ROWS", "100000")
                .containsEntry("PAGE_ROWS", "1000");
    }

    @Test
    void thePlanStepConnectsAsItsDatabaseRoleReadsTheStreamAndKeepsToBackfillPrefix() {
        Policies.assertOnlyPolicy(
                template,
                roleRef(job.getPlanFunction()),
                List.of(
                        Policies.writesItsLogGroup("BackfillPlanFunctionLogs"),
                        Policies.allow("dsql:DbConnect", clusterArn()),
                        Policies.allow(
                                "dsql:GetStream",
                                stack.resolve(stack.getCdcStream().getStreamArn())),
                        Policies.allow(List.of("s3:GetObject", "s3:PutObject"), objects(stagingArn(), "backfill/")),
                        Policies.allow(
                                "s3:ListBucket",
                                stagingArn(),
                                Map.of("StringLike", Map.of("s3:prefix", List.of("backfill/*", "staged/*")))),
                        Policies.allow(
                                List.of("kms:Decrypt", "kms:GenerateDataKey"),
                                stagingKey(),
                                Policies.viaService("s3"))));
    }

    @Test
    void theRangeWorkerConnectsReadsTheWarehouseThroughTheDataApiAndStagesRows() {
        Map<String, Object> workgroupArn = refs.of(producer.getWarehouse().getWorkgroupArn());
        Policies.assertOnlyPolicy(
                template,
                roleRef(job.getWorkerFunction()),
                List.of(
                        Policies.writesItsLogGroup("BackfillWorkerFunctionLogs"),
                        Policies.allow("dsql:DbConnect", clusterArn()),
                        Policies.allow(List.of("s3:GetObject", "s3:PutObject"), objects(stagingArn(), "backfill/")),
                        Policies.allow("s3:PutObject", objects(stagingArn(), "staged/")),
                        Policies.allow(
                                List.of("kms:Decrypt", "kms:GenerateDataKey"), stagingKey(), Policies.viaService("s3")),
                        Policies.allow(
                                List.of(
                                        "redshift-data:BatchExecuteStatement",
                                        "redshift-data:ExecuteStatement",
                                        "redshift-serverless:GetCredentials"),
                                workgroupArn),
                        Policies.ownStatementsOnly()));
    }

    @Test
    void theReportStepOnlyReadsAndWritesUnderBackfill() {
        Policies.assertOnlyPolicy(
                template,
                roleRef(job.getReportFunction()),
                List.of(
                        Policies.writesItsLogGroup("BackfillReportFunctionLogs"),
                        Policies.allow(List.of("s3:GetObject", "s3:PutObject"), objects(stagingArn(), "backfill/")),
                        Policies.allow(
                                "s3:ListBucket", stagingArn(), Map.of("StringLike", Map.of("s3:prefix", "backfill/*"))),
                        Policies.allow(
                                List.of("kms:Decrypt", "kms:GenerateDataKey"),
                                stagingKey(),
                                Policies.viaService("s3"))));
    }

    @Test
    void thePlanAndWorkerRolesHaveFixedNamesSoTheSourceCanMapThemBeforeTheFirstDeploy() {
        template.hasResourceProperties(
                "AWS::IAM::Role",
                Match.objectLike(Map.of(
                        "RoleName",
                        "created-dsql-cdc-backfill-plan",
                        "Description",
                        Match.stringLikeRegexp(".*plans.*"))));
        template.hasResourceProperties(
                "AWS::IAM::Role",
                Match.objectLike(Map.of(
                        "RoleName",
                        "created-dsql-cdc-backfill-worker",
                        "Description",
                        Match.stringLikeRegexp(".*one key range.*"))));
        existing.hasResourceProperties(
                "AWS::IAM::Role", Match.objectLike(Map.of("RoleName", "existing-dsql-cdc-backfill-worker")));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BackfillJobProps(
                        software.amazon.awscdk.services.lambda.Code.fromInline("x"),
                        producer.getCluster(),
                        stack.getCdcStream(),
                        producer.getWarehouse(),
                        producer.getStagingBucket().getBucket(),
                        new com.dsqlcdc.infra.config.BackfillConfig(
                                false, 4, 100_000, 1_000, "cdc_reader", java.util.Optional.empty()),
                        "an-environment-name-far-too-long-for-iam-roles-dsql-cdc-",
                        software.amazon.awscdk.services.logs.RetentionDays.ONE_WEEK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than IAM's 64 characters");
    }

    @Test
    void noRoleOfTheAppMayConnectAsAdmin() {
        Policies.assertNoAction(template, "dsql:DbConnectAdmin");
        Policies.assertNoAction(existing, "dsql:DbConnectAdmin");
    }

    @Test
    void theStateMachinePlansThenMapsEveryRangeAtMostMaxConcurrencyAtOnceThenReports() {
        Capture definition = new Capture();
        template.hasResourceProperties(
                "AWS::StepFunctions::StateMachine",
                Match.objectLike(Map.of(
                        "DefinitionString",
                        definition,
                        "TracingConfiguration",
                        Map.of("Enabled", true),
                        "LoggingConfiguration",
                        Match.objectLike(Map.of("Level", "ALL", "IncludeExecutionData", false)))));
        String asl = String.valueOf(stack.resolve(definition.asObject()));
        assertThat(asl)
                .contains("\"StartAt\":\"Plan\"")
                .contains("\"Type\":\"Map\"")
                .contains("\"ProcessorConfig\":{\"Mode\":\"DISTRIBUTED\",\"ExecutionType\":\"STANDARD\"}")
                .contains("\"MaxConcurrency\":8")
                .contains("\"ReaderConfig\":{\"InputType\":\"JSON\"}")
                .contains("\"Key.$\":\"$.itemsKey\"")
                .contains("\"Variable\":\"$.planComplete\"")
                .contains("\"Variable\":\"$.done\"")
                .contains("\"Default\":\"Work\"")
                .contains("\"Default\":\"PlanMore\"")
                .contains("\"Next\":\"ReportAfterFailure\"")
                .contains("\"Error\":\"BackfillRangeFailed\"");
        existing.hasResourceProperties(
                "AWS::StepFunctions::StateMachine", Match.objectLike(Map.of("DefinitionString", Match.anyValue())));
    }

    @Test
    void theStateMachineInvokesTheThreeFunctionsAndReadsOnlyBackfillOfTheBucket() {
        template.hasResourceProperties(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "PolicyDocument",
                        Match.objectLike(Map.of(
                                "Statement",
                                Match.arrayWith(List.of(
                                        Match.objectLike(Map.of(
                                                "Action",
                                                "s3:GetObject",
                                                "Resource",
                                                objects(stagingArn(), "backfill/"))),
                                        Match.objectLike(Map.of(
                                                "Action",
                                                "kms:Decrypt",
                                                "Resource",
                                                stagingKey(),
                                                "Condition",
                                                Policies.viaService("s3"))))))))));
        // The only s3:GetObject grants on the staging bucket's objects are under backfill/ (the item
        // reader), and the workers' own.
        Policies.assertNoAction(template, "s3:GetObject\\*");
    }

    @Test
    void theMismatchAlarmWatchesTheValidationsMismatchedRanges() {
        template.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of(
                        "AlarmName", "created-dsql-cdc-backfill-mismatch",
                        "Namespace", "DsqlCdcPipeline",
                        "MetricName", "ValidationMismatchedRanges",
                        "Dimensions", List.of(Map.of("Name", "Service", "Value", "dsql-cdc-backfill")),
                        "Statistic", "Maximum",
                        "ComparisonOperator", "GreaterThanOrEqualToThreshold",
                        "Threshold", 1,
                        "TreatMissingData", "notBreaching")));
        assertThat(stack.getMonitoring().getAlarms()).contains(job.getMismatchAlarm());
    }

    @Test
    void theFailedAlarmWatchesTheStateMachinesFailedAndTimedOutExecutions() {
        Map<String, Object> dimensions =
                Map.of("Name", "StateMachineArn", "Value", Map.of("Ref", logicalId(job.getStateMachine())));
        Map<String, Object> failedOrTimedOut = Map.of(
                "AlarmName", "created-dsql-cdc-backfill-failed",
                "ComparisonOperator", "GreaterThanOrEqualToThreshold",
                "Threshold", 1,
                "TreatMissingData", "notBreaching");
        List<Object> metrics = List.of(
                Match.objectLike(Map.of("Expression", "failed + timedOut")),
                Match.objectLike(Map.of(
                        "Id",
                        "failed",
                        "MetricStat",
                        Match.objectLike(Map.of(
                                "Metric",
                                Map.of(
                                        "Namespace", "AWS/States",
                                        "MetricName", "ExecutionsFailed",
                                        "Dimensions", List.of(dimensions)),
                                "Stat",
                                "Sum")))),
                Match.objectLike(Map.of(
                        "Id",
                        "timedOut",
                        "MetricStat",
                        Match.objectLike(Map.of(
                                "Metric",
                                Map.of(
                                        "Namespace", "AWS/States",
                                        "MetricName", "ExecutionsTimedOut",
                                        "Dimensions", List.of(dimensions)),
                                "Stat",
                                "Sum")))));
        for (Object metric : metrics) {
            Map<String, Object> properties = new java.util.HashMap<>(failedOrTimedOut);
            properties.put("Metrics", Match.arrayWith(List.of(metric)));
            template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(properties));
        }
        assertThat(stack.getMonitoring().getAlarms()).contains(job.getFailedAlarm());
    }

    @Test
    void theValidationScheduleStartsTheStateMachineInValidateMode() {
        template.hasResourceProperties(
                "AWS::Events::Rule",
                Match.objectLike(Map.of(
                        "ScheduleExpression",
                        "rate(1 day)",
                        "Targets",
                        List.of(Match.objectLike(Map.of(
                                "Arn",
                                Map.of("Ref", logicalId(job.getStateMachine())),
                                "Input",
                                BackfillJob.VALIDATE_INPUT))))));
        assertThat(existingStack.getBackfill().getValidationSchedule())
                .as("no schedule by default")
                .isNull();
    }

    @Test
    void anExistingClusterStartsOneBackfillOnCreateAfterTheStream() {
        assertThat(job.getStartOnCreate()).as("a created cluster starts empty").isNull();
        template.resourceCountIs("Custom::BackfillOnCreate", 0);

        BackfillJob existingJob = existingStack.getBackfill();
        Capture create = new Capture();
        Capture dependsOn = new Capture();
        existing.hasResource(
                "Custom::BackfillOnCreate",
                Match.objectLike(Map.of(
                        "Properties",
                        Match.objectLike(Map.of("Create", create, "Update", Match.absent(), "Delete", Match.absent())),
                        "DependsOn",
                        dependsOn)));
        String call = String.valueOf(existingStack.resolve(create.asObject()));
        assertThat(call)
                .contains("\"service\":\"SFN\"")
                .contains("\"action\":\"startExecution\"")
                .contains("\\\"mode\\\":\\\"backfill\\\"");
        assertThat(dependsOn.asArray())
                .as("after the CDC stream resource, which completes once the stream is ACTIVE")
                .contains(TestSupport.logicalId(
                        existingStack, existingStack.getCdcStream().getNode().findChild("Resource")));
        // its function may start this state machine and nothing else
        existing.hasResourceProperties(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "PolicyDocument",
                        Map.of(
                                "Version",
                                "2012-10-17",
                                "Statement",
                                List.of(Policies.allow(
                                        "states:StartExecution",
                                        Map.of(
                                                "Ref",
                                                TestSupport.logicalId(
                                                        existingStack, existingJob.getStateMachine()))))))));
    }

    @Test
    void theOutputNamesTheStateMachineAndHowToStartAJob() {
        template.hasOutput(
                "BackfillStateMachineArn",
                Match.objectLike(Map.of(
                        "Value",
                        Map.of("Ref", logicalId(job.getStateMachine())),
                        "Description",
                        Match.stringLikeRegexp(".*aws stepfunctions start-execution.*\"mode\":\"backfill\".*"))));
    }

    @Test
    void onCreateForACreatedClusterFailsSynthNamingTheKeyAndWhy() {
        Map<String, Object> environment = map("cluster", map("mode", "create"), "backfill", map("onCreate", true));
        Throwable thrown =
                org.assertj.core.api.Assertions.catchThrowable(() -> TestSupport.config(map("dev", environment)));
        assertThat(thrown).isInstanceOf(InvalidConfigException.class);
        assertThat(((InvalidConfigException) thrown).getProblems())
                .singleElement()
                .asString()
                .startsWith("dsql-cdc:environments.dev.backfill.onCreate: ")
                .contains("cluster.mode is \"create\"")
                .contains("nothing to backfill")
                .contains("remove it");
        // false is allowed for any cluster, and an existing one may turn it off
        TestSupport.config(map("dev", map("cluster", map("mode", "create"), "backfill", map("onCreate", false))));
        TestSupport.config(map(
                "dev",
                map(
                        "cluster",
                        map("mode", "existing", "identifier", TestStages.EXISTING_CLUSTER_ID),
                        "backfill",
                        map("onCreate", false))));
    }

    @Test
    void badBackfillSettingsNameTheirKeys() {
        Map<String, Object> environment = map(
                "cluster",
                map("mode", "create"),
                "backfill",
                map(
                        "maxConcurrency",
                        0,
                        "rangeRows",
                        10,
                        "sourceDatabaseRole",
                        "Admin Role",
                        "validationSchedule",
                        "every day"));
        Throwable thrown =
                org.assertj.core.api.Assertions.catchThrowable(() -> TestSupport.config(map("dev", environment)));
        assertThat(((InvalidConfigException) thrown).getProblems())
                .anySatisfy(p -> assertThat(p).startsWith("dsql-cdc:environments.dev.backfill.maxConcurrency: "))
                .anySatisfy(p -> assertThat(p).startsWith("dsql-cdc:environments.dev.backfill.rangeRows: "))
                .anySatisfy(p -> assertThat(p).startsWith("dsql-cdc:environments.dev.backfill.sourceDatabaseRole: "))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("dsql-cdc:environments.dev.backfill.validationSchedule: ")
                        .contains("rate(1 day)"));
    }
}
