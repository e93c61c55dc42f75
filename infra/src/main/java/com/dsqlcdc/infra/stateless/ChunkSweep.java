package com.dsqlcdc.infra.stateless;

import com.dsqlcdc.contract.MetricNames;
import com.dsqlcdc.contract.StagingLayout;
import com.dsqlcdc.contract.env.ChunkSweepEnvironment;
import com.dsqlcdc.contract.env.LambdaEnvironment;
import com.dsqlcdc.infra.Nag;
import com.dsqlcdc.infra.config.ConsumerConfig;
import com.dsqlcdc.infra.monitoring.PipelineMetrics;
import com.dsqlcdc.infra.stateful.StagingBucket;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * Watches the chunked records that never completed. Pieces under {@code chunks/} never expire (an
 * incomplete set must not vanish on a timer), so something must notice the ones that stay: every
 * {@code consumer.chunks.sweepIntervalMinutes} an EventBridge schedule runs a small handler from
 * the consumer's jar that lists {@code chunks/} and publishes, in the consumer's metric namespace,
 * {@code IncompleteChunkSets} (sets older than {@code consumer.chunks.incompleteAgeMinutes}) and
 * {@code OldestIncompleteChunkSetAgeSeconds}. An alarm fires on one such set, or when the sweep
 * stops reporting.
 *
 * <p>The function has its own role: its log group, and read-only access to the staging bucket
 * (list, read pieces, decrypt). No managed policy.
 */
public final class ChunkSweep extends Construct {

    /** The handler in {@code lambda/}'s shaded jar. */
    public static final String HANDLER = "com.dsqlcdc.consumer.chunk.ChunkSweepHandler::handleRequest";
    /** Powertools service name: the {@code Service} dimension of the sweep's metrics. */
    public static final String SERVICE_NAME = MetricNames.CHUNK_SWEEP_SERVICE;
    /** The metric the alarm watches: sets older than the configured age, per sweep. */
    public static final String INCOMPLETE_SETS_METRIC = MetricNames.INCOMPLETE_CHUNK_SETS;
    /** The age of the oldest incomplete set, per sweep. */
    public static final String OLDEST_AGE_METRIC = MetricNames.OLDEST_INCOMPLETE_CHUNK_SET_AGE_SECONDS;
    /** Listing and reading a few thousand small pieces; read only, so an overlap with the next run is harmless. */
    static final Duration TIMEOUT = Duration.minutes(5);

    private final Role role;
    private final Function function;
    private final Rule schedule;
    private final Alarm incompleteSetsAlarm;

    /**
     * @param scope parent construct
     * @param id    construct id
     * @param props settings, jar, staging bucket
     */
    public ChunkSweep(Construct scope, String id, ChunkSweepProps props) {
        super(scope, id);
        ConsumerConfig.Chunks config = props.config();
        Duration interval = Duration.minutes(config.sweepIntervalMinutes());

        LogGroup logGroup = HandlerFunctions.logGroup(this, "FunctionLogs", props.logRetention());
        this.role = HandlerFunctions.executionRole(
                this, "DSQL CDC chunk sweep: counts incomplete chunked-record sets in the staging bucket", logGroup);
        props.stagingBucket().grantChunkSweep(role);
        Nag.suppress(role, StagingBucket.objectsUnderPrefixes(StagingLayout.CHUNKS));

        Map<String, String> environment = ChunkSweepEnvironment.ENVIRONMENT
                .writer(Token::isUnresolved)
                .put(
                        ChunkSweepEnvironment.STAGING_BUCKET,
                        props.stagingBucket().getBucket().getBucketName())
                .put(ChunkSweepEnvironment.INCOMPLETE_CHUNK_SET_AGE_MINUTES, config.incompleteAgeMinutes())
                .put(LambdaEnvironment.SERVICE_NAME, SERVICE_NAME)
                .put(ChunkSweepEnvironment.METRICS_NAMESPACE, CdcConsumer.METRICS_NAMESPACE)
                .build();

        this.function = HandlerFunctions.javaHandlerBuilder(
                        this,
                        "Function",
                        HANDLER,
                        TIMEOUT,
                        "DSQL CDC chunk sweep: publishes IncompleteChunkSets for the staging bucket's chunks/",
                        props.handlerCode(),
                        logGroup)
                .role(role)
                .environment(environment)
                .build();

        this.schedule = HandlerFunctions.runEvery(this, function, interval, "Runs the DSQL CDC chunk sweep");

        // Exactly the identity the handler emits: Powertools adds the Service dimension (from
        // POWERTOOLS_SERVICE_NAME) to every metric, and no other. A different dimension set would be
        // another metric, and this alarm would watch nothing.
        Metric incompleteSets = PipelineMetrics.chunkSweep(INCOMPLETE_SETS_METRIC, interval);
        // Missing data is breaching: if the sweep stops reporting (failing, throttled, schedule
        // gone), nobody is watching the incomplete sets any more, and that must page too. One run
        // drifting past a period boundary does not: with one evaluation period CloudWatch evaluates
        // the most recent real data point of its (longer) evaluation range and fills in missing ones
        // only when there is none.
        this.incompleteSetsAlarm = Alarm.Builder.create(this, "IncompleteChunkSetsAlarm")
                .alarmDescription("A chunked CDC record stayed incomplete for more than "
                        + config.incompleteAgeMinutes() + " minutes (its pieces are kept under chunks/ in the"
                        + " staging bucket), or the chunk sweep stopped reporting")
                .metric(incompleteSets)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .threshold(1)
                .evaluationPeriods(1)
                .datapointsToAlarm(1)
                .treatMissingData(TreatMissingData.BREACHING)
                .build();
    }

    /** @return the sweep function */
    public IFunction getFunction() {
        return function;
    }

    /** @return the sweep's execution role */
    public IRole getRole() {
        return role;
    }

    /** @return the EventBridge rule that runs the sweep */
    public Rule getSchedule() {
        return schedule;
    }

    /**
     * @return the alarm on {@value #INCOMPLETE_SETS_METRIC} (Maximum at least 1 in one sweep
     *         interval, or no data)
     */
    public Alarm getIncompleteSetsAlarm() {
        return incompleteSetsAlarm;
    }
}
