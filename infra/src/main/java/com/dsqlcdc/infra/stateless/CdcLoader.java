package com.dsqlcdc.infra.stateless;

import com.dsqlcdc.contract.MetricNames;
import com.dsqlcdc.contract.StagingLayout;
import com.dsqlcdc.contract.env.LambdaEnvironment;
import com.dsqlcdc.contract.env.LoaderEnvironment;
import com.dsqlcdc.infra.Nag;
import com.dsqlcdc.infra.monitoring.PipelineMetrics;
import com.dsqlcdc.infra.stateful.IRedshiftTarget;
import com.dsqlcdc.infra.stateful.StagingBucket;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.events.IRule;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.LambdaFunctionProps;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;
import software.constructs.IDependable;

/**
 * The loader: the warehouse's one writer. An EventBridge schedule starts it every
 * {@code max(60 s, load interval)} (below a minute, the one invocation a minute loads every
 * interval); each load lists what the consumer staged ({@code staged/}), writes a COPY manifest
 * ({@code manifests/}), and through Data API sessions COPYs it into {@code cdc_events} and MERGEs it
 * into the current-state tables in one transaction under the loader's lock, then deletes what it
 * loaded. The handler is in the consumer's jar ({@value #HANDLER}).
 *
 * <ul>
 *   <li>Reserved concurrency 1: two loads never run at once (the lock in the warehouse would
 *       serialise them anyway; this keeps the second from waiting on it). A tick that arrives while a
 *       load still runs is throttled and waits in Lambda's queue at most one interval, then is dropped:
 *       the next tick loads everything staged.
 *   <li>No retries, by EventBridge or by Lambda's asynchronous invocation: a failed load leaves its
 *       objects staged, and the next tick loads them. Its event is kept at most one interval (the
 *       {@code maxEventAge}s).
 *   <li>15 minutes, 1 GB, Java 25 on arm64 like the app's other handlers; no SnapStart (it starts at
 *       most once a minute, and its cold start is a second against a run of seconds).
 * </ul>
 *
 * <p>The execution role is this construct's own, with exactly: its log group; on the staging
 * bucket, listing under {@code staged/} and {@code manifests/}, deleting there, writing manifests,
 * and the key's {@code GenerateDataKey} through S3 ({@link StagingBucket#grantLoader}); the Data API
 * ({@link DataApiGrants}, with sessions); and {@code redshift-serverless:GetCredentials} on the one
 * workgroup. It connects as its own database user, {@code IAMR:<role name>}, which the warehouse
 * schema resource creates and grants exactly what the COPY, MERGE and control tables need.
 *
 * <p>Usable on its own in any app ({@link CdcLoaderProps}): {@link #grantInvoke}, {@link
 * #loadOnlyAfter} and the {@code metricXxx} methods (the loader's metrics, namespace {@value
 * MetricNames#NAMESPACE}, dimension {@code Service} {@value MetricNames#LOADER_SERVICE}) work like
 * CDK's.
 */
public final class CdcLoader extends Construct {

    /** The handler in {@code lambda/}'s shaded jar. */
    public static final String HANDLER = "com.dsqlcdc.loader.LoaderHandler::handleRequest";
    /** Lambda's longest timeout: a load of a large backlog takes its time. */
    static final Duration TIMEOUT = Duration.minutes(15);
    /** Lambda keeps an asynchronous event at most 6 hours. */
    private static final int MAX_LAMBDA_EVENT_AGE_SECONDS = 6 * 3600;

    private final Role role;
    private final Function function;
    private final Rule schedule;
    private final CdcLoaderProps.Tuning tuning;

    /**
     * @param scope parent construct
     * @param id    construct id
     * @param props handler code, warehouse, staging bucket, log retention, interval
     */
    public CdcLoader(Construct scope, String id, CdcLoaderProps props) {
        super(scope, id);
        this.tuning = props.tuning();
        IRedshiftTarget warehouse = props.warehouse();

        LogGroup logGroup = HandlerFunctions.logGroup(this, "Logs", props.logRetention());
        this.role = HandlerFunctions.executionRole(
                this, "DSQL CDC loader: staged batches into Redshift Serverless", logGroup);

        Map<String, String> environment = LoaderEnvironment.ENVIRONMENT
                .writer(Token::isUnresolved)
                .put(LoaderEnvironment.STAGING_BUCKET, props.stagingBucket().getBucketName())
                .put(LoaderEnvironment.COPY_ROLE_ARN, warehouse.getCopyRole().getRoleArn())
                .put(LoaderEnvironment.WORKGROUP_NAME, warehouse.getWorkgroupName())
                .put(LoaderEnvironment.DATABASE_NAME, warehouse.getDatabaseName())
                .put(LoaderEnvironment.LOAD_INTERVAL_SECONDS, tuning.loadIntervalSeconds())
                .put(LoaderEnvironment.LOG_RETENTION_DAYS, tuning.logRetentionDays())
                .put(LambdaEnvironment.SERVICE_NAME, MetricNames.LOADER_SERVICE)
                .put(LoaderEnvironment.METRICS_NAMESPACE, MetricNames.NAMESPACE)
                .put(LambdaEnvironment.LOG_LEVEL, "INFO")
                .build();

        Duration every = Duration.seconds(tuning.scheduleSeconds());
        this.function = HandlerFunctions.javaHandlerBuilder(
                        this,
                        "Function",
                        HANDLER,
                        TIMEOUT,
                        "DSQL CDC loader: COPY of the staged batches into cdc_events, MERGE into the"
                                + " current-state tables, every " + every.toHumanString(),
                        props.handlerCode(),
                        logGroup)
                .role(role)
                .environment(environment)
                .reservedConcurrentExecutions(1)
                // A failed or throttled tick is not worth keeping: the next one loads everything staged.
                .retryAttempts(0)
                .maxEventAge(Duration.seconds(Math.min(tuning.scheduleSeconds(), MAX_LAMBDA_EVENT_AGE_SECONDS)))
                .build();

        StagingBucket.grantLoader(props.stagingBucket(), role);
        DataApiGrants.grant(role, warehouse.getWorkgroupArn(), true);
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("redshift-serverless:GetCredentials"))
                .resources(List.of(warehouse.getWorkgroupArn()))
                .build());
        Nag.suppress(
                role,
                DataApiGrants.resourceStar(true),
                StagingBucket.objectsUnderPrefixes(StagingLayout.STAGED, StagingLayout.MANIFESTS));

        this.schedule = Rule.Builder.create(this, "Schedule")
                .description("Starts the DSQL CDC loader every " + every.toHumanString())
                .schedule(Schedule.rate(every))
                .targets(List.of(new LambdaFunction(
                        function,
                        LambdaFunctionProps.builder()
                                .retryAttempts(0)
                                .maxEventAge(every)
                                .build())))
                .build();
    }

    /**
     * Holds back the loader (its function, and so its schedule's first tick) until {@code dependency}
     * is deployed: the warehouse schema, with the loader's user, grants and state tables.
     *
     * @param dependency what must exist before the first load
     */
    public void loadOnlyAfter(IDependable dependency) {
        function.getNode().addDependency(dependency);
        schedule.getNode().addDependency(dependency);
    }

    /**
     * Lets the grantee start a load by hand ({@code aws lambda invoke}: the event is ignored).
     *
     * @param grantee the invoker
     * @return the grant
     */
    public Grant grantInvoke(IGrantable grantee) {
        return function.grantInvoke(grantee);
    }

    /**
     * @param metricName one of the loader's metrics ({@link MetricNames#LOADER_METRICS}), in its
     *                   namespace with its {@code Service} dimension
     * @param options    statistic (default Average), period (default 5 minutes), label, ...; may be null
     * @return the metric
     */
    public Metric metric(String metricName, MetricOptions options) {
        return metric(metricName, "Average", options);
    }

    /** @return {@value MetricNames#LOADER_RUNS}: runs that committed (default Sum) */
    public Metric metricRuns(MetricOptions options) {
        return metric(MetricNames.LOADER_RUNS, "Sum", options);
    }

    /** @return {@value MetricNames#LOADER_RUNS_FAILED}: runs that failed; their objects stay staged (default Sum) */
    public Metric metricRunsFailed(MetricOptions options) {
        return metric(MetricNames.LOADER_RUNS_FAILED, "Sum", options);
    }

    /** @return {@value MetricNames#OBJECTS_LOADED}: staged objects loaded (default Sum) */
    public Metric metricObjectsLoaded(MetricOptions options) {
        return metric(MetricNames.OBJECTS_LOADED, "Sum", options);
    }

    /** @return {@value MetricNames#CHANGES_LOADED}: changes in the loaded objects (default Sum) */
    public Metric metricChangesLoaded(MetricOptions options) {
        return metric(MetricNames.CHANGES_LOADED, "Sum", options);
    }

    /** @return {@value MetricNames#CHANGES_APPENDED}: changes appended to cdc_events (default Sum) */
    public Metric metricChangesAppended(MetricOptions options) {
        return metric(MetricNames.CHANGES_APPENDED, "Sum", options);
    }

    /** @return {@value MetricNames#ROWS_MERGED}: rows the state tables took, all tables together (default Sum) */
    public Metric metricRowsMerged(MetricOptions options) {
        return metric(MetricNames.ROWS_MERGED, "Sum", options);
    }

    /** @return {@value MetricNames#LOADER_COMMITS}: Redshift commits of the loader (default Sum) */
    public Metric metricCommits(MetricOptions options) {
        return metric(MetricNames.LOADER_COMMITS, "Sum", options);
    }

    /** @return {@value MetricNames#STAGED_OBJECTS}: the backlog at each invocation's start (default Maximum) */
    public Metric metricStagedObjects(MetricOptions options) {
        return metric(MetricNames.STAGED_OBJECTS, "Maximum", options);
    }

    /**
     * @return {@value MetricNames#OLDEST_STAGED_OBJECT_AGE_SECONDS}: how stale the current-state tables
     *         may be; published by every invocation, zero included (default Maximum)
     */
    public Metric metricOldestStagedObjectAge(MetricOptions options) {
        return metric(MetricNames.OLDEST_STAGED_OBJECT_AGE_SECONDS, "Maximum", options);
    }

    /** @return {@value MetricNames#COMMIT_TO_MERGED_LAG}: ms from DSQL commit to merged (default Maximum) */
    public Metric metricCommitToMergedLag(MetricOptions options) {
        return metric(MetricNames.COMMIT_TO_MERGED_LAG, "Maximum", options);
    }

    /** @return {@value MetricNames#LOADER_RUN_DURATION}: ms per run (default Maximum) */
    public Metric metricRunDuration(MetricOptions options) {
        return metric(MetricNames.LOADER_RUN_DURATION, "Maximum", options);
    }

    private static Metric metric(String metricName, String statistic, MetricOptions options) {
        return PipelineMetrics.withOptions(
                PipelineMetrics.loader(metricName, statistic, PipelineMetrics.DEFAULT_PERIOD), options);
    }

    /** @return how often the schedule starts the loader: the load interval, at least a minute */
    public Duration getScheduleInterval() {
        return Duration.seconds(tuning.scheduleSeconds());
    }

    /** @return the load interval */
    public Duration getLoadInterval() {
        return Duration.seconds(tuning.loadIntervalSeconds());
    }

    /** @return the function */
    public IFunction getFunction() {
        return function;
    }

    /** @return the execution role (database user {@code IAMR:<role name>}) */
    public IRole getRole() {
        return role;
    }

    /** @return the schedule */
    public IRule getSchedule() {
        return schedule;
    }
}
