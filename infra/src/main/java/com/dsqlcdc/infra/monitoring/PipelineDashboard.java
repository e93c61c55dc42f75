package com.dsqlcdc.infra.monitoring;

import com.dsqlcdc.contract.MetricNames;
import com.dsqlcdc.infra.stateless.CdcConsumer;
import com.dsqlcdc.infra.stateless.CdcLoader;
import com.dsqlcdc.infra.stateless.DsqlCdcStream;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.lambda.IFunction;
import software.constructs.Construct;

/**
 * The environment's dashboard: the whole path at a glance, top to bottom. First every alarm's
 * state; then end-to-end lag (DSQL {@code BehindSourceLag}, the Kinesis and Lambda iterator ages,
 * commit to staged, commit to merged) beside the stream's health; records per hop beside bytes;
 * errors beside quarantine and incomplete chunk sets; the loader's runs and failures beside what
 * it loaded; rows merged per table beside the staged backlog and its oldest object's age; the
 * loader's run duration beside the consumer's invocation duration.
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
    PipelineDashboard(
            Construct scope,
            String id,
            String dashboardName,
            MonitoredResources watched,
            Duration healthInterval,
            List<IAlarm> alarms) {
        super(scope, id);
        DsqlCdcStream stream = watched.cdcStream();
        String cluster = stream.getClusterIdentifier();
        String streamId = stream.getStreamIdentifier();
        IStream kinesis = watched.kinesisStream();
        CdcConsumer consumer = watched.consumer();
        IFunction function = consumer.getFunction();
        CdcLoader loader = watched.loader();

        this.dashboard = Dashboard.Builder.create(this, "Dashboard")
                .dashboardName(dashboardName)
                .defaultInterval(Duration.hours(3))
                .build();

        dashboard.addWidgets(TextWidget.Builder.create()
                .markdown("# " + dashboardName + "\n"
                        + "Aurora DSQL → CDC stream → Kinesis → consumer Lambda → staging bucket → loader"
                        + " (every " + loader.getLoadInterval().toHumanString() + ") → Redshift Serverless."
                        + " Every alarm names its runbook entry (README, *Runbook*).")
                .width(24)
                .height(2)
                .build());
        dashboard.addWidgets(AlarmStatusWidget.Builder.create()
                .title("Alarms")
                .alarms(alarms)
                .width(24)
                .height(4)
                .build());

        dashboard.addWidgets(
                graph(
                        "End-to-end lag (ms)",
                        List.of(
                                stream.metricBehindSourceLag(max("DSQL behind source")),
                                kinesis.metricGetRecordsIteratorAgeMilliseconds(max("Kinesis iterator age")),
                                function.metric("IteratorAge", max("Consumer iterator age")),
                                consumer.metricCommitToStagedLag(max("Commit to staged")),
                                loader.metricCommitToMergedLag(max("Commit to merged (current-state tables)")))),
                graph(
                        "Stream health (1 = yes)",
                        List.of(
                                PipelineMetrics.streamHealth(
                                                MetricNames.STREAM_ACTIVE, cluster, streamId, healthInterval)
                                        .with(label("ACTIVE (GetStream)")),
                                PipelineMetrics.streamHealth(
                                                MetricNames.STREAM_IMPAIRED, cluster, streamId, healthInterval)
                                        .with(label("IMPAIRED (GetStream)")),
                                PipelineMetrics.streamHealth(
                                                MetricNames.STREAM_FAILED, cluster, streamId, healthInterval)
                                        .with(label("FAILED or gone (GetStream)")),
                                stream.metricIsImpaired(max("IsImpaired (DSQL)")))));

        dashboard.addWidgets(
                graph(
                        "Records per hop (per minute)",
                        List.of(
                                stream.metricPublishedRecords(sum("DSQL published")),
                                kinesis.metricIncomingRecords(sum("Kinesis incoming")),
                                consumer.metricRecordsIn(sum("Consumer in")),
                                consumer.metricRecordsStaged(sum("Staged for the loader")),
                                consumer.metricRecordsParked(sum("Parked chunk pieces")))),
                graph(
                        "Bytes per hop (per minute)",
                        List.of(
                                stream.metricPublishedBytes(sum("DSQL published")),
                                kinesis.metricIncomingBytes(sum("Kinesis incoming")))));

        dashboard.addWidgets(
                graph(
                        "Errors (per 5 minutes)",
                        List.of(
                                kinesis.metricWriteProvisionedThroughputExceeded(
                                        stat("Sum", FIVE_MINUTES, "Kinesis write throttled")),
                                function.metricErrors(stat("Sum", FIVE_MINUTES, "Consumer errors")),
                                function.metricThrottles(stat("Sum", FIVE_MINUTES, "Consumer throttles")),
                                consumer.metricRecordsFailed(stat("Sum", FIVE_MINUTES, "Records to retry")),
                                loader.metricRunsFailed(stat("Sum", FIVE_MINUTES, "Loader runs failed")),
                                loader.getFunction().metricErrors(stat("Sum", FIVE_MINUTES, "Loader errors")),
                                PipelineMetrics.onFailureDeliveries(watched.failedBatchBucketName(), FIVE_MINUTES)
                                        .with(label("Batches given up (on-failure)")))),
                graph(
                        "Quarantine and incomplete chunk sets",
                        List.of(
                                consumer.metricRecordsQuarantined(
                                        stat("Sum", FIVE_MINUTES, "Quarantined (all reasons)")),
                                PipelineMetrics.perDimension(
                                        MetricNames.RECORDS_QUARANTINED, MetricNames.REASON, "Sum", FIVE_MINUTES),
                                PipelineMetrics.chunkSweep("IncompleteChunkSets", FIVE_MINUTES)
                                        .with(label("Incomplete chunk sets")))));

        dashboard.addWidgets(
                graph(
                        "Loader runs (per 5 minutes)",
                        List.of(
                                loader.metricRuns(stat("Sum", FIVE_MINUTES, "Runs committed")),
                                loader.metricRunsFailed(stat("Sum", FIVE_MINUTES, "Runs failed")),
                                loader.metricCommits(stat("Sum", FIVE_MINUTES, "Redshift commits")))),
                graph(
                        "Loaded (per 5 minutes)",
                        List.of(
                                loader.metricObjectsLoaded(stat("Sum", FIVE_MINUTES, "Staged objects loaded")),
                                loader.metricChangesLoaded(stat("Sum", FIVE_MINUTES, "Changes loaded")),
                                loader.metricChangesAppended(
                                        stat("Sum", FIVE_MINUTES, "Changes appended to cdc_events")))));

        dashboard.addWidgets(
                graph(
                        "Rows merged per table (per 5 minutes)",
                        List.of(
                                loader.metricRowsMerged(stat("Sum", FIVE_MINUTES, "All tables")),
                                PipelineMetrics.perDimension(
                                        MetricNames.ROWS_MERGED, MetricNames.TABLE, "Sum", FIVE_MINUTES))),
                GraphWidget.Builder.create()
                        .title("Staged backlog at each load")
                        .left(List.of(loader.metricStagedObjects(stat("Maximum", FIVE_MINUTES, "Staged objects"))))
                        .right(List.of(loader.metricOldestStagedObjectAge(
                                stat("Maximum", FIVE_MINUTES, "Oldest staged object (s)"))))
                        .width(12)
                        .height(6)
                        .build());

        dashboard.addWidgets(
                graph(
                        "Loader run duration (ms)",
                        List.of(
                                loader.metricRunDuration(stat("p50", FIVE_MINUTES, "p50")),
                                loader.metricRunDuration(stat("Maximum", FIVE_MINUTES, "max")))),
                graph(
                        "Consumer invocation duration (ms)",
                        List.of(
                                function.metricDuration(stat("p50", FIVE_MINUTES, "p50")),
                                function.metricDuration(stat("Maximum", FIVE_MINUTES, "max")))));
    }

    private static GraphWidget graph(String title, List<IMetric> metrics) {
        return GraphWidget.Builder.create()
                .title(title)
                .left(metrics)
                .width(12)
                .height(6)
                .build();
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
        return MetricOptions.builder()
                .statistic(statistic)
                .period(period)
                .label(label)
                .build();
    }

    /** @return the dashboard */
    Dashboard getDashboard() {
        return dashboard;
    }
}
