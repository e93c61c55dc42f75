package com.dsqlcdc.infra.monitoring;

import com.dsqlcdc.infra.config.AlarmsConfig;
import com.dsqlcdc.infra.stateless.CdcConsumer;
import com.dsqlcdc.infra.stateless.CdcLoader;
import com.dsqlcdc.infra.stateless.DsqlCdcStream;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.constructs.Construct;

/**
 * One alarm per way a hop of the pipeline can go wrong, DSQL to the current-state tables.
 * Thresholds that are a matter of taste come from {@code alarms} in the configuration; the rest
 * alarm on the first occurrence, because each one means a change is late, parked or not applied.
 *
 * <p>Missing data is decided per alarm, from when the metric is published at all:
 * <ul>
 *   <li>Kinesis {@code GetRecords.IteratorAgeMilliseconds} is published as long as anyone polls the
 *       stream, records or not, and the consumer's event source mapping polls all the time. No data
 *       means no one reads the stream: <b>breaching</b>.</li>
 *   <li>The loader's {@code OldestStagedObjectAgeSeconds} is published by every loader invocation,
 *       zero included, and the schedule starts one every interval. No data means the loader does not
 *       run (schedule disabled, function broken before it publishes): <b>breaching</b>. Its period
 *       is two schedule intervals, so one late tick does not page.</li>
 *   <li>Everything else is published only when something happens (DSQL while it publishes, Kinesis
 *       on writes, Lambda and the consumer on invocations, the loader when it merged something or
 *       failed, S3 on requests). No data is an idle pipeline: <b>not breaching</b>. A stream that
 *       stops publishing altogether is the stream health check's to catch (its FAILED alarm breaches
 *       on missing data).</li>
 * </ul>
 *
 * <p>The loader's Lambda {@code Throttles} have no alarm: with reserved concurrency 1, a tick that
 * arrives while a long load still runs is throttled harmlessly (the running load takes what was
 * staged), and a loader that falls behind shows in the staged objects' age.
 */
final class PipelineAlarms extends Construct {

    private static final Duration MINUTE = Duration.minutes(1);
    private static final Duration FIVE_MINUTES = Duration.minutes(5);
    private static final Duration DAY = Duration.days(1);

    private final String namePrefix;
    private final List<Alarm> alarms = new ArrayList<>();

    /**
     * @param scope      parent construct
     * @param id         construct id
     * @param config     the thresholds
     * @param namePrefix prefix of every alarm's name
     * @param watched    what to watch
     */
    PipelineAlarms(Construct scope, String id, AlarmsConfig config, String namePrefix, MonitoredResources watched) {
        super(scope, id);
        this.namePrefix = namePrefix;
        DsqlCdcStream stream = watched.cdcStream();
        CdcConsumer consumer = watched.consumer();
        CdcLoader loader = watched.loader();

        // DSQL → Kinesis
        alarm(
                "DsqlStreamImpaired",
                "dsql-stream-impaired",
                "AWS/AuroraDSQL IsImpaired: DSQL cannot deliver the CDC stream's changes to Kinesis (it keeps"
                        + " them for a week and retries). The stream health check's log line names the"
                        + " statusReason; see its runbook entry.",
                stream.metricIsImpaired(max(FIVE_MINUTES)),
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                1,
                1,
                TreatMissingData.NOT_BREACHING);
        alarm(
                "DsqlBehindSourceLag",
                "dsql-behind-source-lag",
                "AWS/AuroraDSQL BehindSourceLag above " + config.behindSourceLagSeconds() + " s for 3 minutes:"
                        + " committed changes reach Kinesis late (Kinesis throttling, an impaired stream).",
                stream.metricBehindSourceLag(max(MINUTE)),
                ComparisonOperator.GREATER_THAN_THRESHOLD,
                config.behindSourceLagSeconds() * 1000.0,
                3,
                TreatMissingData.NOT_BREACHING);

        // Kinesis
        alarm(
                "KinesisWriteThrottled",
                "kinesis-write-throttled",
                "Kinesis WriteProvisionedThroughputExceeded: DSQL's writes were throttled (DSQL retries; the"
                        + " lag grows and the stream can turn IMPAIRED with KINESIS_THROUGHPUT_EXCEEDED).",
                watched.kinesisStream().metricWriteProvisionedThroughputExceeded(sum(FIVE_MINUTES)),
                ComparisonOperator.GREATER_THAN_THRESHOLD,
                0,
                1,
                TreatMissingData.NOT_BREACHING);
        alarm(
                "KinesisIncomingBytes",
                "kinesis-incoming-bytes",
                "Kinesis IncomingBytes above " + config.incomingBytesPerSecond() + " bytes/s for 3 minutes:"
                        + " writes approach what the stream takes before it scales (alarms.incomingBytesPerSecond).",
                watched.kinesisStream().metricIncomingBytes(sum(MINUTE)),
                ComparisonOperator.GREATER_THAN_THRESHOLD,
                config.incomingBytesPerSecond() * 60.0,
                3,
                TreatMissingData.NOT_BREACHING);
        alarm(
                "KinesisIteratorAge",
                "kinesis-iterator-age",
                "Kinesis GetRecords.IteratorAgeMilliseconds above " + config.iteratorAgeSeconds() + " s for 3"
                        + " minutes, or nobody reads the stream: the consumer is behind, failing and retrying, or"
                        + " its event source mapping is disabled. Records expire at the stream's retention.",
                watched.kinesisStream().metricGetRecordsIteratorAgeMilliseconds(max(MINUTE)),
                ComparisonOperator.GREATER_THAN_THRESHOLD,
                config.iteratorAgeSeconds() * 1000.0,
                3,
                TreatMissingData.BREACHING);

        // The consumer Lambda
        alarm(
                "ConsumerErrors",
                "consumer-errors",
                "The consumer Lambda failed an invocation (crash, timeout, out of memory): its whole batch is"
                        + " retried. See its log group.",
                consumer.getFunction().metricErrors(sum(FIVE_MINUTES)),
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                1,
                1,
                TreatMissingData.NOT_BREACHING);
        alarm(
                "ConsumerThrottles",
                "consumer-throttles",
                "The consumer Lambda was throttled (account or reserved concurrency): batches wait.",
                consumer.getFunction().metricThrottles(sum(FIVE_MINUTES)),
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                1,
                1,
                TreatMissingData.NOT_BREACHING);
        alarm(
                "ConsumerIteratorAge",
                "consumer-iterator-age",
                "Lambda IteratorAge of the consumer above " + config.iteratorAgeSeconds() + " s for 3 minutes:"
                        + " the batches it is handed are that old.",
                consumer.getFunction().metric("IteratorAge", max(MINUTE)),
                ComparisonOperator.GREATER_THAN_THRESHOLD,
                config.iteratorAgeSeconds() * 1000.0,
                3,
                TreatMissingData.NOT_BREACHING);

        // The consumer's own metrics
        alarm(
                "RecordsQuarantined",
                "records-quarantined",
                "The consumer quarantined records it cannot apply (RecordsQuarantined by Reason on the"
                        + " dashboard). Fix the cause, then replay them: runbook 'Replaying quarantined records'.",
                consumer.metricRecordsQuarantined(sum(FIVE_MINUTES)),
                ComparisonOperator.GREATER_THAN_THRESHOLD,
                0,
                1,
                TreatMissingData.NOT_BREACHING);
        alarm(
                "OnFailureDeliveries",
                "on-failure-deliveries",
                "The event source mapping gave up on a batch and wrote it to the failed-batch bucket: those"
                        + " changes are not in Redshift. Replay them: runbook 'Replaying failed batches'.",
                PipelineMetrics.onFailureDeliveries(watched.failedBatchBucketName(), FIVE_MINUTES),
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                1,
                1,
                TreatMissingData.NOT_BREACHING);

        // The loader
        Duration twoTicks = twoScheduleIntervals(loader);
        int twoTicksPeriods = (int) Math.ceil(2
                * loader.getScheduleInterval().toSeconds().doubleValue()
                / twoTicks.toSeconds().doubleValue());
        alarm(
                "LoaderRunsFailed",
                "loader-runs-failed",
                "A loader run failed (its COPY, MERGE or commit; the log says which and Redshift's error): its"
                        + " staged objects stay staged and the next run loads them. See the runbook: 'A failing"
                        + " MERGE or COPY'.",
                loader.metricRunsFailed(sum(FIVE_MINUTES)),
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                1,
                1,
                TreatMissingData.NOT_BREACHING);
        alarm(
                "LoaderErrors",
                "loader-errors",
                "The loader Lambda failed an invocation (a failed run, a crash, a timeout, out of memory): what it"
                        + " did not commit stays staged for the next run. See its log group.",
                loader.getFunction().metricErrors(sum(FIVE_MINUTES)),
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                1,
                1,
                TreatMissingData.NOT_BREACHING);
        alarm(
                "StagedObjectAge",
                "staged-object-age",
                "The oldest staged object not loaded yet is older than " + config.stagedObjectAgeSeconds() + " s,"
                        + " or the loader published nothing for two schedule intervals: the current-state tables"
                        + " are that stale. See the runbook: 'A stuck loader'.",
                loader.metricOldestStagedObjectAge(max(twoTicks)),
                ComparisonOperator.GREATER_THAN_THRESHOLD,
                config.stagedObjectAgeSeconds(),
                twoTicksPeriods,
                TreatMissingData.BREACHING);
        alarm(
                "CommitToMergedLag",
                "commit-to-merged-lag",
                "A change took more than " + config.commitToLandedLagSeconds() + " s from its DSQL commit to its"
                        + " current-state table (alarms.commitToLandedLagSeconds): loads are slow or failing, or the"
                        + " consumer is behind.",
                loader.metricCommitToMergedLag(max(twoTicks)),
                ComparisonOperator.GREATER_THAN_THRESHOLD,
                config.commitToLandedLagSeconds() * 1000.0,
                twoTicksPeriods,
                TreatMissingData.NOT_BREACHING);
    }

    /**
     * @return two of the loader's schedule intervals, so that a period holds a run's figures even when a
     *         tick comes late; at most a day, the longest period an alarm takes (a daily load is then
     *         watched over two such periods)
     */
    static Duration twoScheduleIntervals(CdcLoader loader) {
        double seconds = Math.min(
                2 * loader.getScheduleInterval().toSeconds().doubleValue(),
                DAY.toSeconds().doubleValue());
        return Duration.seconds(seconds);
    }

    private void alarm(
            String id,
            String name,
            String description,
            IMetric metric,
            ComparisonOperator comparison,
            double threshold,
            int periods,
            TreatMissingData missing) {
        alarms.add(Alarm.Builder.create(this, id)
                .alarmName(namePrefix + name)
                .alarmDescription(description)
                .metric(metric)
                .comparisonOperator(comparison)
                .threshold(threshold)
                .evaluationPeriods(periods)
                .datapointsToAlarm(periods)
                .treatMissingData(missing)
                .build());
    }

    private static MetricOptions sum(Duration period) {
        return MetricOptions.builder().statistic("Sum").period(period).build();
    }

    private static MetricOptions max(Duration period) {
        return MetricOptions.builder().statistic("Maximum").period(period).build();
    }

    /** @return every alarm, in the order above */
    List<Alarm> getAlarms() {
        return List.copyOf(alarms);
    }
}
