package com.dsqlcdc.infra.monitoring;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.lambda.IFunction;
import software.constructs.Construct;

/**
 * The environment's dashboard: the whole path at a glance, top to bottom. First every alarm's
 * state; then end-to-end lag (DSQL {@code BehindSourceLag}, the Kinesis and Lambda iterator ages,
 * commit to landed) beside the stream's health; records per hop beside bytes; errors beside
 * quarantine and incomplete chunk sets; Data API statement latency beside the consumer's duration.
 */
final class PipelineDashboard extends Construct {

    private static final Duration MINUTE = Duration.minutes(1);
    private static final Duration FIVE_MINUTES = Duration.minutes(5);

    private final Dashboard dashboard;

    /**
     * @param scope          parent construct
     * @param id             construct id
     * @param dashboardName  the dashboard's name
     * @param watched        what to show
     * @param healthInterval the stream health check's interval (its metrics' period)
     * @param alarms         every alarm of the environment
     */
    PipelineDashboard(Construct scope, String id, String dashboardName, MonitoredResources watched,
                      Duration healthInterval, List<IAlarm> alarms) {
        super(scope, id);
        String cluster = watched.clusterIdentifier();
        String stream = watched.streamIdentifier();
        IStream kinesis = watched.kinesisStream();
        IFunction consumer = watched.consumerFunction();

        this.dashboard = Dashboard.Builder.create(this, "Dashboard")
                .dashboardName(dashboardName)
                .defaultInterval(Duration.hours(3))
                .build();

        dashboard.addWidgets(TextWidget.Builder.create()
                .markdown("# " + dashboardName + "\n"
                        + "Aurora DSQL → CDC stream → Kinesis → consumer Lambda → Redshift Serverless."
                        + " Every alarm names its runbook entry (README, *Runbook*).")
                .width(24).height(2).build());
        dashboard.addWidgets(AlarmStatusWidget.Builder.create()
                .title("Alarms")
                .alarms(alarms)
                .width(24).height(4).build());

        dashboard.addWidgets(
                graph("End-to-end lag (ms)", List.of(
                        PipelineMetrics.dsqlStream("BehindSourceLag", cluster, stream, "Maximum", MINUTE)
                                .with(label("DSQL behind source")),
                        kinesis.metricGetRecordsIteratorAgeMilliseconds(max("Kinesis iterator age")),
                        consumer.metric("IteratorAge", max("Consumer iterator age")),
                        PipelineMetrics.consumer("CommitToLandedLag", "Maximum", MINUTE)
                                .with(label("Commit to landed in Redshift")))),
                graph("Stream health (1 = yes)", List.of(
                        PipelineMetrics.streamHealth(PipelineMetrics.STREAM_ACTIVE, cluster, stream, healthInterval)
                                .with(label("ACTIVE (GetStream)")),
                        PipelineMetrics.streamHealth(PipelineMetrics.STREAM_IMPAIRED, cluster, stream, healthInterval)
                                .with(label("IMPAIRED (GetStream)")),
                        PipelineMetrics.streamHealth(PipelineMetrics.STREAM_FAILED, cluster, stream, healthInterval)
                                .with(label("FAILED or gone (GetStream)")),
                        PipelineMetrics.dsqlStream("IsImpaired", cluster, stream, "Maximum", MINUTE)
                                .with(label("IsImpaired (DSQL)")))));

        dashboard.addWidgets(
                graph("Records per hop (per minute)", List.of(
                        PipelineMetrics.dsqlStream("PublishedRecords", cluster, stream, "Sum", MINUTE)
                                .with(label("DSQL published")),
                        kinesis.metricIncomingRecords(sum("Kinesis incoming")),
                        PipelineMetrics.consumer("RecordsIn", "Sum", MINUTE).with(label("Consumer in")),
                        PipelineMetrics.consumer("RecordsLanded", "Sum", MINUTE).with(label("Landed in Redshift")),
                        PipelineMetrics.consumer("RecordsParked", "Sum", MINUTE).with(label("Parked chunk pieces")))),
                graph("Bytes per hop (per minute)", List.of(
                        PipelineMetrics.dsqlStream("PublishedBytes", cluster, stream, "Sum", MINUTE)
                                .with(label("DSQL published")),
                        kinesis.metricIncomingBytes(sum("Kinesis incoming")))));

        dashboard.addWidgets(
                graph("Errors (per 5 minutes)", List.of(
                        kinesis.metricWriteProvisionedThroughputExceeded(stat("Sum", FIVE_MINUTES,
                                "Kinesis write throttled")),
                        consumer.metricErrors(stat("Sum", FIVE_MINUTES, "Consumer errors")),
                        consumer.metricThrottles(stat("Sum", FIVE_MINUTES, "Consumer throttles")),
                        PipelineMetrics.consumer("StatementsFailed", "Sum", FIVE_MINUTES)
                                .with(label("Statements failed")),
                        PipelineMetrics.consumer("RecordsFailed", "Sum", FIVE_MINUTES)
                                .with(label("Records to retry")),
                        PipelineMetrics.onFailureDeliveries(watched.failedBatchBucketName(), FIVE_MINUTES)
                                .with(label("Batches given up (on-failure)")))),
                graph("Quarantine and incomplete chunk sets", List.of(
                        PipelineMetrics.consumer("RecordsQuarantined", "Sum", FIVE_MINUTES)
                                .with(label("Quarantined (all reasons)")),
                        MathExpression.Builder.create()
                                // By reason, whatever other dimensions the embedded metrics carry.
                                .expression("SEARCH('Namespace=\"" + PipelineMetrics.NAMESPACE
                                        + "\" MetricName=\"RecordsQuarantined\" Reason', 'Sum', 300)")
                                .usingMetrics(Map.of())
                                .label("")
                                .period(FIVE_MINUTES)
                                .build(),
                        PipelineMetrics.chunkSweep("IncompleteChunkSets", FIVE_MINUTES)
                                .with(label("Incomplete chunk sets")))));

        dashboard.addWidgets(
                graph("Data API statement latency (ms)", List.of(
                        PipelineMetrics.consumer("StatementLatency", "p50", FIVE_MINUTES).with(label("p50")),
                        PipelineMetrics.consumer("StatementLatency", "p99", FIVE_MINUTES).with(label("p99")),
                        PipelineMetrics.consumer("StatementLatency", "Maximum", FIVE_MINUTES).with(label("max")))),
                graph("Consumer invocation duration (ms)", List.of(
                        consumer.metricDuration(stat("p50", FIVE_MINUTES, "p50")),
                        consumer.metricDuration(stat("Maximum", FIVE_MINUTES, "max")))));
    }

    private static GraphWidget graph(String title, List<IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).left(metrics).width(12).height(6).build();
    }

    private static MetricOptions label(String label) {
        return MetricOptions.builder().label(label).build();
    }

    private static MetricOptions max(String label) {
        return stat("Maximum", MINUTE, label);
    }

    private static MetricOptions sum(String label) {
        return stat("Sum", MINUTE, label);
    }

    private static MetricOptions stat(String statistic, Duration period, String label) {
        return MetricOptions.builder().statistic(statistic).period(period).label(label).build();
    }

    /** @return the dashboard */
    Dashboard getDashboard() {
        return dashboard;
    }
}
