package com.dsqlcdc.backfill;

import com.dsqlcdc.contract.MetricNames;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Writes a job's figures, once, from its report step, as CloudWatch embedded metric format (names from
 * {@link MetricNames}, dimension {@code Service} {@value MetricNames#BACKFILL_SERVICE}). A validation
 * job publishes the validation figures, zero included, so the mismatch alarm sees a clean run as 0;
 * backfill and resync jobs publish what they staged and skipped. A job's metrics are published each
 * time its report step runs (the state machine runs it once per execution).
 */
public final class BackfillMetrics {

    private final Metrics metrics;

    /**
     * @param metrics   Powertools' metrics instance
     * @param namespace the CloudWatch namespace
     */
    public BackfillMetrics(Metrics metrics, String namespace) {
        this.metrics = metrics;
        metrics.setNamespace(namespace);
    }

    /** @param report the job's report */
    public void publish(JobReport report) {
        if (report.mode() == JobMode.VALIDATE) {
            metrics.addMetric(
                    MetricNames.VALIDATION_MISMATCHED_RANGES,
                    report.mismatched().size(),
                    MetricUnit.COUNT);
            metrics.addMetric(MetricNames.VALIDATED_RANGES, report.rangesCompared(), MetricUnit.COUNT);
            metrics.addMetric(MetricNames.CATALOG_DRIFT_PROBLEMS, report.drift().size(), MetricUnit.COUNT);
        } else {
            metrics.addMetric(MetricNames.BACKFILL_ROWS_STAGED, report.rowsStaged(), MetricUnit.COUNT);
            metrics.addMetric(MetricNames.BACKFILL_ROWS_SKIPPED, report.skippedRows(), MetricUnit.COUNT);
            if (report.mode() == JobMode.RESYNC) {
                metrics.addMetric(MetricNames.RESYNC_TOMBSTONES, report.tombstones(), MetricUnit.COUNT);
            }
        }
        metrics.flush();
    }
}
