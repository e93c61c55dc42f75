package com.dsqlcdc.infra.stateless;

import com.dsqlcdc.contract.MetricNames;
import com.dsqlcdc.contract.StagingLayout;
import com.dsqlcdc.contract.env.BackfillEnvironment;
import com.dsqlcdc.contract.env.LambdaEnvironment;
import com.dsqlcdc.infra.Nag;
import com.dsqlcdc.infra.config.BackfillConfig;
import com.dsqlcdc.infra.monitoring.PipelineMetrics;
import com.dsqlcdc.infra.stateful.BucketGrants;
import com.dsqlcdc.infra.stateful.StagingBucket;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.amazon.awscdk.customresources.AwsCustomResourcePolicy;
import software.amazon.awscdk.customresources.AwsSdkCall;
import software.amazon.awscdk.customresources.PhysicalResourceId;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.SfnStateMachine;
import software.amazon.awscdk.services.events.targets.SfnStateMachineProps;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.stepfunctions.CatchProps;
import software.amazon.awscdk.services.stepfunctions.Choice;
import software.amazon.awscdk.services.stepfunctions.Condition;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.DistributedMap;
import software.amazon.awscdk.services.stepfunctions.Errors;
import software.amazon.awscdk.services.stepfunctions.Fail;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.amazon.awscdk.services.stepfunctions.JsonPath;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.RetryProps;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.amazon.awscdk.services.stepfunctions.Succeed;
import software.amazon.awscdk.services.stepfunctions.TaskInput;
import software.amazon.awscdk.services.stepfunctions.tasks.LambdaInvoke;
import software.constructs.Construct;

/**
 * The on-demand backfill job (snapshot backfill, resync, validation of the captured tables): a Step
 * Functions state machine over three handlers from the Lambda functions' jar
 * ({@link BackfillEnvironment}):
 *
 * <pre>
 * Plan ─► Planned? ─no─► PlanMore (same job id) ─► Planned?
 *            └─yes─► Ranges: distributed map over backfill/&lt;job&gt;/items.json (at most maxConcurrency at once)
 *                      each item: Work ─► RangeDone? ─no─► Work (resumes from the range's checkpoint)
 *                                              └─yes─► done
 *                    ─► Report (report.json, metrics) ─► end
 *                    (a range that fails after its retries: ReportAfterFailure ─► Failed)
 * </pre>
 *
 * Each call stays well inside Lambda's 15 minutes ({@code WORK_SECONDS}, a continuation when a range
 * is not finished) and each page inside DSQL's 5-minute transaction. The execution input is the plan
 * step's request: {@code {"mode": "backfill"|"resync"|"validate", "tables": [...]}} and optional
 * members (docs/runbook.md, "The backfill job").
 *
 * <p>Least privilege. The three functions have their own roles:
 *
 * <ul>
 *   <li>plan: {@code dsql:DbConnect} on the cluster (as the configured database role, never admin),
 *       {@code dsql:GetStream} on the stream, read and write under {@code backfill/}, listing under
 *       {@code backfill/} and {@code staged/} (resync waits for the loader's backlog);
 *   <li>range worker: {@code dsql:DbConnect} on the cluster, read and write under {@code backfill/},
 *       write under {@code staged/}, the Data API on the workgroup ({@link DataApiGrants}, no sessions)
 *       and {@code redshift-serverless:GetCredentials} on it (database user {@code IAMR:<role name>});
 *   <li>report: read and write under {@code backfill/}, listing under it;
 * </ul>
 *
 * each with the staging key through S3 only. The plan and worker roles have fixed names
 * ({@code <env>-dsql-cdc-backfill-plan}, {@code -worker}): the source's {@code AWS IAM GRANT} names
 * them, and can be run before the first deploy. The state machine may invoke the three functions, read
 * {@code backfill/} (the map's item reader) and run its own map's child executions.
 *
 * <p>{@code backfill.onCreate} starts one backfill when this construct is first deployed, after the
 * CDC stream resource (which completes only once the stream is ACTIVE). {@code
 * backfill.validationSchedule} starts validations; the {@code backfill-mismatch} alarm fires when one
 * finds differing ranges.
 */
public final class BackfillJob extends Construct {

    /** The plan step's handler in {@code lambda/}'s shaded jar. */
    public static final String PLAN_HANDLER = "com.dsqlcdc.backfill.BackfillPlanHandler::handleRequest";
    /** The range worker's handler. */
    public static final String RANGE_HANDLER = "com.dsqlcdc.backfill.BackfillRangeHandler::handleRequest";
    /** The report step's handler. */
    public static final String REPORT_HANDLER = "com.dsqlcdc.backfill.BackfillReportHandler::handleRequest";
    /** Lambda's longest timeout: a step returns a continuation well before it ({@code WORK_SECONDS}). */
    static final Duration TIMEOUT = Duration.minutes(15);
    /** The execution input {@code backfill.onCreate} and a hand-started backfill of every table use. */
    public static final String BACKFILL_INPUT = "{\"mode\":\"backfill\"}";
    /** The execution input of a scheduled validation. */
    public static final String VALIDATE_INPUT = "{\"mode\":\"validate\"}";
    /** How long an execution may run: a month covers a very large table at low concurrency. */
    static final Duration EXECUTION_TIMEOUT = Duration.days(30);

    private final Function plan;
    private final Function worker;
    private final Function report;
    private final StateMachine stateMachine;
    private final Alarm mismatchAlarm;
    private final Alarm failedAlarm;
    private final Rule validationSchedule;
    private final AwsCustomResource startOnCreate;

    /**
     * @param scope parent construct
     * @param id    construct id
     * @param props the source, the warehouse, the staging bucket, the settings
     */
    public BackfillJob(Construct scope, String id, BackfillJobProps props) {
        super(scope, id);
        BackfillConfig settings = props.settings();
        IBucket bucket = props.stagingBucket();
        String clusterId = props.cluster().getClusterIdentifier();

        this.plan = function(
                "PlanFunction",
                props.namePrefix() + BackfillJobProps.PLAN_ROLE,
                PLAN_HANDLER,
                "DSQL CDC backfill job: checks the stream, plans key ranges from the data",
                BackfillEnvironment.PLAN
                        .writer(Token::isUnresolved)
                        .put(BackfillEnvironment.CLUSTER_IDENTIFIER, clusterId)
                        .put(
                                BackfillEnvironment.STREAM_IDENTIFIER,
                                props.stream().getStreamIdentifier())
                        .put(BackfillEnvironment.SOURCE_DATABASE_ROLE, settings.sourceDatabaseRole())
                        .put(BackfillEnvironment.STAGING_BUCKET, bucket.getBucketName())
                        .put(BackfillEnvironment.RANGE_ROWS, settings.rangeRows())
                        .put(BackfillEnvironment.PAGE_ROWS, settings.pageRows())
                        .put(LambdaEnvironment.SERVICE_NAME, MetricNames.BACKFILL_SERVICE)
                        .put(LambdaEnvironment.LOG_LEVEL, "INFO")
                        .build(),
                props);
        this.worker = function(
                "WorkerFunction",
                props.namePrefix() + BackfillJobProps.WORKER_ROLE,
                RANGE_HANDLER,
                "DSQL CDC backfill job: backfills, resyncs or validates one key range",
                BackfillEnvironment.WORKER
                        .writer(Token::isUnresolved)
                        .put(BackfillEnvironment.CLUSTER_IDENTIFIER, clusterId)
                        .put(BackfillEnvironment.SOURCE_DATABASE_ROLE, settings.sourceDatabaseRole())
                        .put(BackfillEnvironment.STAGING_BUCKET, bucket.getBucketName())
                        .put(
                                BackfillEnvironment.WORKGROUP_NAME,
                                props.warehouse().getWorkgroupName())
                        .put(
                                BackfillEnvironment.DATABASE_NAME,
                                props.warehouse().getDatabaseName())
                        .put(
                                BackfillEnvironment.MAX_SUPER_STRING_BYTES,
                                props.warehouse().getMaxSuperStringBytes())
                        .put(LambdaEnvironment.SERVICE_NAME, MetricNames.BACKFILL_SERVICE)
                        .put(LambdaEnvironment.LOG_LEVEL, "INFO")
                        .build(),
                props);
        this.report = function(
                "ReportFunction",
                null,
                REPORT_HANDLER,
                "DSQL CDC backfill job: writes the job's report and metrics",
                BackfillEnvironment.REPORT
                        .writer(Token::isUnresolved)
                        .put(BackfillEnvironment.STAGING_BUCKET, bucket.getBucketName())
                        .put(LambdaEnvironment.SERVICE_NAME, MetricNames.BACKFILL_SERVICE)
                        .put(BackfillEnvironment.METRICS_NAMESPACE, MetricNames.NAMESPACE)
                        .put(LambdaEnvironment.LOG_LEVEL, "INFO")
                        .build(),
                props);

        grantSource(plan, props);
        grantSource(worker, props);
        props.stream().grantRead(role(plan));
        String backfill = StagingLayout.BACKFILL;
        List<String> readWrite = List.of("s3:GetObject", "s3:PutObject");
        BucketGrants.objectsUnder(bucket, role(plan), readWrite, List.of(backfill));
        BucketGrants.listObjectsUnder(bucket, role(plan), List.of(backfill, StagingLayout.STAGED));
        BucketGrants.keyThroughS3(bucket, role(plan), List.of("kms:Decrypt", "kms:GenerateDataKey"));
        BucketGrants.objectsUnder(bucket, role(worker), readWrite, List.of(backfill));
        BucketGrants.objectsUnder(bucket, role(worker), List.of("s3:PutObject"), List.of(StagingLayout.STAGED));
        BucketGrants.keyThroughS3(bucket, role(worker), List.of("kms:Decrypt", "kms:GenerateDataKey"));
        BucketGrants.objectsUnder(bucket, role(report), readWrite, List.of(backfill));
        BucketGrants.listObjectsUnder(bucket, role(report), List.of(backfill));
        BucketGrants.keyThroughS3(bucket, role(report), List.of("kms:Decrypt", "kms:GenerateDataKey"));
        DataApiGrants.grant(role(worker), props.warehouse().getWorkgroupArn(), false);
        role(worker)
                .addToPrincipalPolicy(PolicyStatement.Builder.create()
                        .actions(List.of("redshift-serverless:GetCredentials"))
                        .resources(List.of(props.warehouse().getWorkgroupArn()))
                        .build());
        Nag.suppress(role(plan), StagingBucket.objectsUnderPrefixes(backfill));
        Nag.suppress(role(worker), StagingBucket.objectsUnderPrefixes(backfill, StagingLayout.STAGED));
        Nag.suppress(role(worker), DataApiGrants.resourceStar(false));
        Nag.suppress(role(report), StagingBucket.objectsUnderPrefixes(backfill));

        this.stateMachine = stateMachine(settings, bucket, props);

        Metric mismatched = PipelineMetrics.backfill(
                MetricNames.VALIDATION_MISMATCHED_RANGES, "Maximum", PipelineMetrics.DEFAULT_PERIOD);
        // Published once per validation job, by its report step: no data between jobs is normal.
        this.mismatchAlarm = Alarm.Builder.create(this, "MismatchAlarm")
                .alarmName(props.namePrefix() + "backfill-mismatch")
                .alarmDescription("A validation job found key ranges whose source rows and warehouse current"
                        + " state differ (counts or checksums). Its report (backfill/<job id>/report.json in the"
                        + " staging bucket, and the report step's log) names them; a resync of that report repairs"
                        + " exactly those ranges. See the runbook: 'The backfill mismatch alarm'.")
                .metric(mismatched)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .threshold(1)
                .evaluationPeriods(1)
                .datapointsToAlarm(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();

        // A job that fails (a range failed after its retries, a plan step refused) or runs out of time:
        // nobody may be watching the execution, e.g. the one backfill.onCreate starts.
        this.failedAlarm = Alarm.Builder.create(this, "FailedAlarm")
                .alarmName(props.namePrefix() + "backfill-failed")
                .alarmDescription("A backfill, resync or validation job failed or timed out. The execution's error"
                        + " says why (a plan step refused: stream not ACTIVE, the loader's backlog, an unknown input"
                        + " member; a range failed after its retries: the range worker's log). See the runbook:"
                        + " 'Reading its report'.")
                .metric(MathExpression.Builder.create()
                        .expression("failed + timedOut")
                        .usingMetrics(Map.of(
                                "failed",
                                stateMachine.metricFailed(MetricOptions.builder()
                                        .statistic("Sum")
                                        .period(PipelineMetrics.DEFAULT_PERIOD)
                                        .build()),
                                "timedOut",
                                stateMachine.metricTimedOut(MetricOptions.builder()
                                        .statistic("Sum")
                                        .period(PipelineMetrics.DEFAULT_PERIOD)
                                        .build())))
                        .label("failed or timed-out executions")
                        .period(PipelineMetrics.DEFAULT_PERIOD)
                        .build())
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .threshold(1)
                .evaluationPeriods(1)
                .datapointsToAlarm(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();

        this.validationSchedule = settings.validationSchedule()
                .map(expression -> Rule.Builder.create(this, "ValidationSchedule")
                        .description("Starts a validation of every captured table (the DSQL CDC backfill job)")
                        .schedule(Schedule.expression(expression))
                        .targets(List.of(new SfnStateMachine(
                                stateMachine,
                                SfnStateMachineProps.builder()
                                        .input(RuleTargetInput.fromObject(Map.of("mode", "validate")))
                                        .retryAttempts(2)
                                        .build())))
                        .build())
                .orElse(null);

        this.startOnCreate = settings.onCreate() ? startOnCreate(props) : null;
    }

    private Function function(
            String id,
            String roleName,
            String handler,
            String description,
            Map<String, String> environment,
            BackfillJobProps props) {
        LogGroup logGroup = HandlerFunctions.logGroup(this, id + "Logs", props.logRetention());
        Role role = HandlerFunctions.executionRole(this, id + "Role", roleName, description, logGroup);
        // ids: <Step>Function, <Step>FunctionLogs, <Step>FunctionRole (the state names are the steps')
        return HandlerFunctions.javaHandlerBuilder(
                        this, id, handler, TIMEOUT, description, props.handlerCode(), logGroup)
                .role(role)
                .environment(environment)
                .build();
    }

    private static IRole role(Function function) {
        return function.getRole();
    }

    /** {@code dsql:DbConnect} (a custom database role; not {@code DbConnectAdmin}) on the one cluster. */
    private static void grantSource(Function function, BackfillJobProps props) {
        role(function)
                .addToPrincipalPolicy(PolicyStatement.Builder.create()
                        .actions(List.of("dsql:DbConnect"))
                        .resources(List.of(props.cluster().getClusterArn()))
                        .build());
    }

    private StateMachine stateMachine(BackfillConfig settings, IBucket bucket, BackfillJobProps props) {
        RetryProps lambdaFailures = RetryProps.builder()
                .errors(List.of(Errors.TASKS_FAILED))
                .interval(Duration.seconds(10))
                .maxAttempts(4)
                .backoffRate(2)
                .build();

        LambdaInvoke planFirst = LambdaInvoke.Builder.create(this, "Plan")
                .comment("Checks the stream and plans the job's key ranges (the execution input is its request)")
                .lambdaFunction(plan)
                .payload(TaskInput.fromJsonPathAt("$"))
                .outputPath("$.Payload")
                .build();
        // A refused resync (the loader's backlog) may pass a little later; a stream that is not ACTIVE
        // fails after these retries with the plan step's message.
        planFirst.addRetry(RetryProps.builder()
                .errors(List.of(Errors.TASKS_FAILED))
                .interval(Duration.seconds(30))
                .maxAttempts(2)
                .backoffRate(2)
                .build());
        LambdaInvoke planMore = LambdaInvoke.Builder.create(this, "PlanMore")
                .comment("Goes on planning the same job from its cursor")
                .lambdaFunction(plan)
                .payload(TaskInput.fromObject(Map.of("jobId", JsonPath.stringAt("$.jobId"))))
                .outputPath("$.Payload")
                .build();
        planMore.addRetry(lambdaFailures);

        LambdaInvoke work = LambdaInvoke.Builder.create(this, "Work")
                .comment("Works one key range until done or its time budget; resumes from the range's checkpoint")
                .lambdaFunction(worker)
                .payload(TaskInput.fromJsonPathAt("$"))
                .outputPath("$.Payload")
                .build();
        work.addRetry(lambdaFailures);
        Choice rangeDone = Choice.Builder.create(this, "RangeDone?").build();
        rangeDone
                .when(
                        Condition.booleanEquals("$.done", true),
                        Succeed.Builder.create(this, "RangeFinished").build())
                .otherwise(work);
        work.next(rangeDone);

        DistributedMap ranges = DistributedMap.Builder.create(this, "Ranges")
                .comment("Every key range of the plan (its items.json), at most backfill.maxConcurrency at once")
                .itemReader(new BackfillItemsReader(bucket, "$.itemsKey"))
                .maxConcurrency(settings.maxConcurrency())
                .mapExecutionType(StateMachineType.STANDARD)
                .resultPath(JsonPath.DISCARD)
                .build();
        ranges.itemProcessor(work);

        LambdaInvoke reportStep = reportTask("Report", "$");
        LambdaInvoke reportAfterFailure = reportTask("ReportAfterFailure", "$.report");
        Fail failed = Fail.Builder.create(this, "Failed")
                .error("BackfillRangeFailed")
                .cause("A key range failed after its retries (see the map run's failed child execution). The"
                        + " report shows what was done; start the job again with {\"jobId\": \"<the job id>\"} to"
                        + " resume it from its checkpoints.")
                .build();
        ranges.addCatch(
                reportAfterFailure.next(failed),
                CatchProps.builder()
                        .errors(List.of(Errors.ALL))
                        .resultPath("$.error")
                        .build());

        Choice planned = Choice.Builder.create(this, "Planned?").build();
        planned.when(Condition.booleanEquals("$.planComplete", true), ranges.next(reportStep))
                .otherwise(planMore);
        planMore.next(planned);

        LogGroup logs = HandlerFunctions.logGroup(this, "StateMachineLogs", props.logRetention());
        StateMachine machine = StateMachine.Builder.create(this, "StateMachine")
                .comment("DSQL CDC backfill, resync and validation job")
                .definitionBody(DefinitionBody.fromChainable(planFirst.next(planned)))
                .stateMachineType(StateMachineType.STANDARD)
                .timeout(EXECUTION_TIMEOUT)
                .tracingEnabled(true)
                .logs(LogOptions.builder()
                        .destination(logs)
                        .level(LogLevel.ALL)
                        .includeExecutionData(false)
                        .build())
                .build();
        // The distributed map's item reader reads items.json, encrypted with the bucket's key.
        BucketGrants.keyThroughS3(bucket, machine, List.of("kms:Decrypt"));
        Nag.suppress(
                machine,
                StagingBucket.objectsUnderPrefixes(StagingLayout.BACKFILL),
                Nag.findings(
                        "AwsSolutions-IAM5",
                        "Step Functions invokes the job's three functions, and CDK's Lambda task grants their"
                                + " versions too (<function ARN>:*); these three functions and nothing else.",
                        "Resource::<" + Nag.logicalId("BackfillPlanFunction") + "\\.Arn>:\\*",
                        "Resource::<" + Nag.logicalId("BackfillWorkerFunction") + "\\.Arn>:\\*",
                        "Resource::<" + Nag.logicalId("BackfillReportFunction") + "\\.Arn>:\\*"),
                Nag.findings(
                        "AwsSolutions-IAM5",
                        "The distributed map runs each key range as a child execution of this state machine,"
                                + " which Step Functions names at run time: StartExecution, DescribeExecution and"
                                + " StopExecution on this state machine's own executions only.",
                        "Resource::arn:.*:states:.*:execution:.*" + Nag.literal("{\"Ref\":\"")
                                + Nag.logicalId("BackfillStateMachine") + Nag.literal("\"}]}]}") + "(/\\*)?:\\*"),
                Nag.findings(
                        "AwsSolutions-IAM5",
                        "X-Ray tracing (PutTraceSegments, PutTelemetryRecords, GetSampling*) and CloudWatch Logs"
                                + " delivery for the state machine's log group (CreateLogDelivery and the other"
                                + " log-delivery actions) have no resource-level permissions: Step Functions' own"
                                + " documented policy is Resource *; they only write traces and this log group.",
                        "Resource::\\*"));
        return machine;
    }

    private LambdaInvoke reportTask(String id, String resultPath) {
        LambdaInvoke task = LambdaInvoke.Builder.create(this, id)
                .comment("Writes backfill/<job id>/report.json and publishes the job's metrics")
                .lambdaFunction(report)
                .payload(TaskInput.fromObject(Map.of("jobId", JsonPath.stringAt("$.jobId"))))
                .resultSelector(Map.of("summary", JsonPath.objectAt("$.Payload")))
                .resultPath(resultPath)
                .build();
        task.addRetry(RetryProps.builder()
                .errors(List.of(Errors.TASKS_FAILED))
                .interval(Duration.seconds(10))
                .maxAttempts(3)
                .backoffRate(2)
                .build());
        return task;
    }

    /**
     * Starts one backfill of every table when this resource is created, never on update or delete:
     * after the CDC stream resource, which completes only once the stream is ACTIVE (the plan step
     * checks it again).
     */
    private AwsCustomResource startOnCreate(BackfillJobProps props) {
        AwsSdkCall start = AwsSdkCall.builder()
                .service("SFN")
                .action("startExecution")
                .parameters(Map.of("stateMachineArn", stateMachine.getStateMachineArn(), "input", BACKFILL_INPUT))
                .physicalResourceId(PhysicalResourceId.of("backfill-on-create"))
                // only the execution's ARN would come back; nothing of it is needed
                .outputPaths(List.of("executionArn"))
                .build();
        AwsCustomResource trigger = AwsCustomResource.Builder.create(this, "StartOnCreate")
                .resourceType("Custom::BackfillOnCreate")
                .onCreate(start)
                .policy(AwsCustomResourcePolicy.fromStatements(List.of(PolicyStatement.Builder.create()
                        .actions(List.of("states:StartExecution"))
                        .resources(List.of(stateMachine.getStateMachineArn()))
                        .build())))
                .installLatestAwsSdk(false)
                .logGroup(HandlerFunctions.logGroup(this, "StartOnCreateLogs", props.logRetention()))
                .build();
        trigger.getNode().addDependency(props.stream());
        // The AwsCustomResource's function is a singleton of the stack, outside this construct.
        Nag.suppressAwsCustomResourceSingleton(Stack.of(this), "StartExecution on the backfill job's state machine");
        return trigger;
    }

    /**
     * Lets the grantee start a job ({@code states:StartExecution}).
     *
     * @param grantee the operator's role
     * @return the grant
     */
    public Grant grantStartExecution(IGrantable grantee) {
        return stateMachine.grantStartExecution(grantee);
    }

    /** @return the state machine */
    public IStateMachine getStateMachine() {
        return stateMachine;
    }

    /** @return the plan step's function */
    public IFunction getPlanFunction() {
        return plan;
    }

    /** @return the range worker's function */
    public IFunction getWorkerFunction() {
        return worker;
    }

    /** @return the report step's function */
    public IFunction getReportFunction() {
        return report;
    }

    /**
     * @return the IAM roles that connect to the source (the plan step's and the range worker's): each is
     *         mapped to {@code backfill.sourceDatabaseRole} with {@code AWS IAM GRANT}
     */
    public List<IRole> getSourceRoles() {
        return List.of(role(plan), role(worker));
    }

    /** @return the range worker's role: its warehouse user {@code IAMR:<role name>} reads the current state */
    public IRole getWorkerRole() {
        return role(worker);
    }

    /** @return the alarm on {@code ValidationMismatchedRanges} (at least 1) */
    public Alarm getMismatchAlarm() {
        return mismatchAlarm;
    }

    /** @return the alarm on failed or timed-out executions */
    public Alarm getFailedAlarm() {
        return failedAlarm;
    }

    /** @return the validation schedule, or null when {@code backfill.validationSchedule} is not set */
    public Rule getValidationSchedule() {
        return validationSchedule;
    }

    /** @return the on-create start, or null when {@code backfill.onCreate} is false */
    public AwsCustomResource getStartOnCreate() {
        return startOnCreate;
    }
}
