package com.dsqlcdc.consumer.observe;

import com.dsqlcdc.consumer.BatchResult;
import com.dsqlcdc.contract.MetricNames;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Writes a batch's figures as CloudWatch embedded metric format (Powertools' functional API, no
 * AspectJ; names from {@link MetricNames}): {@code RecordsIn}, {@code RecordsStaged},
 * {@code RecordsQuarantined} (in total, and per {@code Reason} dimension), {@code RecordsParked}
 * (pieces of chunked changes waiting for their set), {@code RecordsFailed} and
 * {@code CommitToStagedLag} (ms, the batch's largest: commit in DSQL to staged for the loader).
 */
public final class EmfMetricsPublisher implements MetricsPublisher {

    private final Metrics metrics;
    private final String namespace;

    /**
     * @param metrics   Powertools' metrics instance
     * @param namespace the CloudWatch namespace
     */
    public EmfMetricsPublisher(Metrics metrics, String namespace) {
        this.metrics = metrics;
        this.namespace = namespace;
        metrics.setNamespace(namespace);
    }

    @Override
    public void publish(BatchResult result) {
        metrics.addMetric(MetricNames.RECORDS_IN, result.recordsIn(), MetricUnit.COUNT);
        metrics.addMetric(MetricNames.RECORDS_STAGED, result.staged(), MetricUnit.COUNT);
        metrics.addMetric(MetricNames.RECORDS_QUARANTINED, result.quarantinedTotal(), MetricUnit.COUNT);
        metrics.addMetric(MetricNames.RECORDS_PARKED, result.parked(), MetricUnit.COUNT);
        metrics.addMetric(MetricNames.RECORDS_FAILED, result.failed(), MetricUnit.COUNT);
        result.maxCommitToStagedMs()
                .ifPresent(lag -> metrics.addMetric(MetricNames.COMMIT_TO_STAGED_LAG, lag, MetricUnit.MILLISECONDS));
        metrics.flush();
        result.quarantined()
                .forEach((reason, count) -> metrics.flushSingleMetric(
                        MetricNames.RECORDS_QUARANTINED,
                        count,
                        MetricUnit.COUNT,
                        namespace,
                        DimensionSet.of(MetricNames.REASON, reason.label())));
    }
}
