package com.dsqlcdc.loader;

import com.dsqlcdc.contract.MetricNames;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Writes an invocation's figures as CloudWatch embedded metric format (names from
 * {@link MetricNames}, dimension {@code Service}; {@code RowsMerged} also per {@code Table}). The
 * backlog figures are published on every invocation, zero included, so that their alarm can take
 * silence for a loader that does not run.
 */
public final class LoaderMetrics {

    private final Metrics metrics;
    private final String namespace;

    /**
     * @param metrics   Powertools' metrics instance
     * @param namespace the CloudWatch namespace
     */
    public LoaderMetrics(Metrics metrics, String namespace) {
        this.metrics = metrics;
        this.namespace = namespace;
        metrics.setNamespace(namespace);
    }

    /** @param report what the invocation did */
    public void publish(Loader.Report report) {
        metrics.addMetric(MetricNames.STAGED_OBJECTS, report.stagedBefore(), MetricUnit.COUNT);
        metrics.addMetric(
                MetricNames.OLDEST_STAGED_OBJECT_AGE_SECONDS,
                report.oldestBefore().map(d -> d.toMillis() / 1000.0).orElse(0.0),
                MetricUnit.SECONDS);
        metrics.addMetric(MetricNames.LOADER_RUNS, report.runs().size(), MetricUnit.COUNT);
        metrics.addMetric(MetricNames.LOADER_RUNS_FAILED, report.failure().isPresent() ? 1 : 0, MetricUnit.COUNT);
        long objects = 0;
        long changes = 0;
        long appended = 0;
        long commits = 0;
        Map<String, Long> merged = new TreeMap<>();
        for (LoadRun.Result run : report.runs()) {
            objects += run.objects();
            changes += run.totalChanges();
            appended += run.appended();
            commits += run.commits();
            run.merged().forEach((table, rows) -> merged.merge(table, Math.max(0, rows), Long::sum));
            metrics.addMetric(MetricNames.LOADER_RUN_DURATION, run.duration().toMillis(), MetricUnit.MILLISECONDS);
            metrics.addMetric(
                    MetricNames.COMMIT_TO_MERGED_LAG, run.commitToMerged().toMillis(), MetricUnit.MILLISECONDS);
        }
        metrics.addMetric(MetricNames.OBJECTS_LOADED, objects, MetricUnit.COUNT);
        metrics.addMetric(MetricNames.CHANGES_LOADED, changes, MetricUnit.COUNT);
        metrics.addMetric(MetricNames.CHANGES_APPENDED, appended, MetricUnit.COUNT);
        metrics.addMetric(MetricNames.LOADER_COMMITS, commits, MetricUnit.COUNT);
        metrics.addMetric(
                MetricNames.ROWS_MERGED,
                merged.values().stream().mapToLong(Long::longValue).sum(),
                MetricUnit.COUNT);
        metrics.flush();
        merged.forEach((table, rows) -> metrics.flushSingleMetric(
                MetricNames.ROWS_MERGED, rows, MetricUnit.COUNT, namespace, DimensionSet.of(MetricNames.TABLE, table)));
    }
}
