package com.dsqlcdc.consumer.chunk;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.dsqlcdc.consumer.AwsClients;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The scheduled chunk sweep (an EventBridge rule invokes it; the event itself is ignored):
 * publishes {@code IncompleteChunkSets} (sets older than {@code INCOMPLETE_CHUNK_SET_AGE_MINUTES}
 * without a done marker) and {@code OldestIncompleteChunkSetAgeSeconds}, which infra alarms on.
 * The metric is published on every run, zero included, so a silent sweep shows as missing data.
 */
public final class ChunkSweepHandler implements RequestHandler<Map<String, Object>, String> {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkSweepHandler.class);

    private final ChunkSweep sweep;
    private final Metrics metrics;

    /** Production wiring, from the environment. */
    public ChunkSweepHandler() {
        this(sweepFrom(System.getenv()), MetricsFactory.getMetricsInstance(),
                System.getenv().getOrDefault("POWERTOOLS_METRICS_NAMESPACE", "DsqlCdcPipeline"));
    }

    /**
     * @param sweep     the sweep logic
     * @param metrics   Powertools' metrics instance
     * @param namespace the CloudWatch namespace
     */
    public ChunkSweepHandler(ChunkSweep sweep, Metrics metrics, String namespace) {
        this.sweep = sweep;
        this.metrics = metrics;
        metrics.setNamespace(namespace);
    }

    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> {
            ChunkSweep.Report report = sweep.run();
            metrics.addMetric("IncompleteChunkSets", report.stale().size(), MetricUnit.COUNT);
            metrics.addMetric("OldestIncompleteChunkSetAgeSeconds", report.oldestAge().toSeconds(), MetricUnit.SECONDS);
            metrics.flush();
            LOG.info("chunk sweep done", entry("sets", report.sets()), entry("incomplete", report.stale().size()));
            return report.stale().size() + " incomplete chunk sets of " + report.sets();
        });
    }

    private static ChunkSweep sweepFrom(Map<String, String> env) {
        String bucket = env.get("STAGING_BUCKET");
        String minutes = env.getOrDefault("INCOMPLETE_CHUNK_SET_AGE_MINUTES", "60");
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalStateException("STAGING_BUCKET is not set (infra's chunk sweep sets it)");
        }
        long age;
        try {
            age = Long.parseLong(minutes.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("INCOMPLETE_CHUNK_SET_AGE_MINUTES=" + minutes + " is not a whole number of minutes");
        }
        return new ChunkSweep(AwsClients.create().s3(), bucket, Duration.ofMinutes(age), Clock.systemUTC());
    }
}
