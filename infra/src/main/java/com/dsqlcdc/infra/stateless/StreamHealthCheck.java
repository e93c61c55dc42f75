package com.dsqlcdc.infra.stateless;

import com.dsqlcdc.contract.MetricNames;
import com.dsqlcdc.contract.env.LambdaEnvironment;
import com.dsqlcdc.contract.env.StreamHealthEnvironment;
import com.dsqlcdc.infra.monitoring.PipelineMetrics;
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
 * Asks DSQL how the CDC stream is, on a schedule. {@code IsImpaired} covers IMPAIRED only: a FAILED
 * stream (permanent, e.g. its Kinesis stream was deleted) and a stream that is gone publish nothing,
 * so silence would look healthy. Every {@code alarms.streamHealthIntervalMinutes} a handler from the
 * Lambda functions' jar calls GetStream through the same signed client the stream resource uses, and
 * publishes {@code StreamActive}, {@code StreamImpaired} and {@code StreamFailed} (0 or 1, dimensions
 * {@code ClusterId} and {@code StreamId}) with one log line carrying the status, the
 * {@code statusReason} and the runbook's explanation of it.
 *
 * <p>Two alarms: FAILED (or gone), which also fires when the check stops reporting, and IMPAIRED.
 * The function may call {@code dsql:GetStream} on this stream only, and write its log group.
 */
public final class StreamHealthCheck extends Construct {

    /** The handler in {@code lambda/}'s shaded jar. */
    public static final String HANDLER = "com.dsqlcdc.health.StreamHealthHandler::handleRequest";
    /** Powertools service name of the check's logs. */
    public static final String SERVICE_NAME = MetricNames.STREAM_HEALTH_SERVICE;
    /** One GetStream with the client's retries (throttling, 5xx) fits easily. */
    static final Duration TIMEOUT = Duration.minutes(2);

    private final Role role;
    private final Function function;
    private final Rule schedule;
    private final Alarm failedAlarm;
    private final Alarm impairedAlarm;

    /**
     * @param scope parent construct
     * @param id    construct id
     * @param props the stream, the handler code, the interval
     */
    public StreamHealthCheck(Construct scope, String id, StreamHealthCheckProps props) {
        super(scope, id);
        Duration interval = Duration.minutes(props.intervalMinutes());
        String clusterId = props.stream().getClusterIdentifier();
        String streamId = props.stream().getStreamIdentifier();

        LogGroup logGroup = HandlerFunctions.logGroup(this, "FunctionLogs", props.logRetention());
        this.role = HandlerFunctions.executionRole(
                this, "DSQL CDC stream health check: reads the stream's status with GetStream", logGroup);
        props.stream().grantRead(role);

        Map<String, String> environment = StreamHealthEnvironment.ENVIRONMENT
                .writer(Token::isUnresolved)
                .put(StreamHealthEnvironment.CLUSTER_ID, clusterId)
                .put(StreamHealthEnvironment.STREAM_ID, streamId)
                .put(LambdaEnvironment.SERVICE_NAME, SERVICE_NAME)
                .put(LambdaEnvironment.METRICS_NAMESPACE, MetricNames.NAMESPACE)
                .build();

        this.function = HandlerFunctions.javaHandlerBuilder(
                        this,
                        "Function",
                        HANDLER,
                        TIMEOUT,
                        "DSQL CDC stream health check: publishes StreamActive/StreamImpaired/StreamFailed from GetStream",
                        props.handlerCode(),
                        logGroup)
                .role(role)
                .environment(environment)
                .build();

        this.schedule = HandlerFunctions.runEvery(this, function, interval, "Runs the DSQL CDC stream health check");

        Metric failed = PipelineMetrics.streamHealth(MetricNames.STREAM_FAILED, clusterId, streamId, interval);
        Metric impaired = PipelineMetrics.streamHealth(MetricNames.STREAM_IMPAIRED, clusterId, streamId, interval);
        // Missing data is breaching: a check that stops reporting (its role lost GetStream, the
        // function fails, the schedule is gone) leaves a FAILED stream unseen. One late run does not
        // page: with one evaluation period CloudWatch takes the latest real data point in range.
        this.failedAlarm = Alarm.Builder.create(this, "StreamFailedAlarm")
                .alarmName(props.alarmNamePrefix() + "stream-failed")
                .alarmDescription("The DSQL CDC stream is FAILED or gone (no change reaches Kinesis; a deploy"
                        + " recreates it), or the stream health check stopped reporting. See the runbook:"
                        + " 'A FAILED stream' and the check's log line for statusReason.")
                .metric(failed)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .threshold(1)
                .evaluationPeriods(1)
                .datapointsToAlarm(1)
                .treatMissingData(TreatMissingData.BREACHING)
                .build();
        // Not breaching on missing data: the FAILED alarm already pages for a silent check.
        this.impairedAlarm = Alarm.Builder.create(this, "StreamImpairedAlarm")
                .alarmName(props.alarmNamePrefix() + "stream-impaired")
                .alarmDescription("GetStream says the DSQL CDC stream is IMPAIRED: DSQL cannot deliver and"
                        + " keeps changes for up to a week while it retries. The check's log line names the"
                        + " statusReason; see the runbook's entry for it.")
                .metric(impaired)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .threshold(1)
                .evaluationPeriods(1)
                .datapointsToAlarm(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
    }

    /** @return the check's function */
    public IFunction getFunction() {
        return function;
    }

    /** @return the check's execution role */
    public IRole getRole() {
        return role;
    }

    /** @return the EventBridge rule that runs the check */
    public Rule getSchedule() {
        return schedule;
    }

    /** @return the alarm on {@code StreamFailed} (at least 1, or no report in one interval) */
    public Alarm getFailedAlarm() {
        return failedAlarm;
    }

    /** @return the alarm on {@code StreamImpaired} (at least 1) */
    public Alarm getImpairedAlarm() {
        return impairedAlarm;
    }
}
