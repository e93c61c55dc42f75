package com.dsqlcdc.consumer.observe;

import com.dsqlcdc.consumer.BatchResult;
import java.time.Duration;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Writes a batch's figures as CloudWatch embedded metric format (Powertools' functional API, no
 * AspectJ): {@code RecordsIn}, {@code RecordsLanded}, {@code RecordsQuarantined} (in total, and
 * per {@code Reason} dimension), {@code RecordsParked} (pieces of chunked changes waiting for
 * their set), {@code RecordsFailed}, {@code Statements}, {@code StatementsFailed} (statements or COPYs that
 * did not land; their records are retried), {@code CopyLoads},
 * {@code StatementLatency} (ms, one value per statement) and {@code CommitToLandedLag} (ms, the
 * batch's largest: commit in DSQL to FINISHED in Redshift).
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
        metrics.addMetric("RecordsIn", result.recordsIn(), MetricUnit.COUNT);
        metrics.addMetric("RecordsLanded", result.landed(), MetricUnit.COUNT);
        metrics.addMetric("RecordsQuarantined", result.quarantinedTotal(), MetricUnit.COUNT);
        metrics.addMetric("RecordsParked", result.parked(), MetricUnit.COUNT);
        metrics.addMetric("RecordsFailed", result.failed(), MetricUnit.COUNT);
        metrics.addMetric("Statements", result.statements(), MetricUnit.COUNT);
        metrics.addMetric("StatementsFailed", result.statementsFailed(), MetricUnit.COUNT);
        metrics.addMetric("CopyLoads", result.copies(), MetricUnit.COUNT);
        for (Duration latency : result.statementLatencies()) {
            metrics.addMetric("StatementLatency", latency.toMillis(), MetricUnit.MILLISECONDS);
        }
        result.maxCommitToLandedMs().ifPresent(lag -> metrics.addMetric("CommitToLandedLag", lag, MetricUnit.MILLISECONDS));
        metrics.flush();
        result.quarantined().forEach((reason, count) -> metrics.flushSingleMetric("RecordsQuarantined", count,
                MetricUnit.COUNT, namespace, DimensionSet.of("Reason", reason.label())));
    }
}
