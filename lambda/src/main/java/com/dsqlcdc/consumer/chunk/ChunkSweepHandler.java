package com.dsqlcdc.consumer.chunk;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.dsqlcdc.clients.SdkClients;
import com.dsqlcdc.contract.MetricNames;
import com.dsqlcdc.contract.env.ChunkSweepEnvironment;
import com.dsqlcdc.contract.env.FunctionEnvironment;
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

    private final ChunkSweeper sweep;
    private final Metrics metrics;

    /** Production wiring, from the environment ({@link ChunkSweepEnvironment}, validated at init). */
    public ChunkSweepHandler() {
        this(ChunkSweepEnvironment.ENVIRONMENT.read(System.getenv(), System.getProperties()));
    }

    private ChunkSweepHandler(FunctionEnvironment.Values env) {
        this(sweepFrom(env), MetricsFactory.getMetricsInstance(), env.get(ChunkSweepEnvironment.METRICS_NAMESPACE));
    }

    /**
     * @param sweep     the sweep logic
     * @param metrics   Powertools' metrics instance
     * @param namespace the CloudWatch namespace
     */
    public ChunkSweepHandler(ChunkSweeper sweep, Metrics metrics, String namespace) {
        this.sweep = sweep;
        this.metrics = metrics;
        metrics.setNamespace(namespace);
    }

    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> {
            ChunkSweeper.Report report = sweep.run();
            metrics.addMetric(MetricNames.INCOMPLETE_CHUNK_SETS, report.stale().size(), MetricUnit.COUNT);
            metrics.addMetric(
                    MetricNames.OLDEST_INCOMPLETE_CHUNK_SET_AGE_SECONDS,
                    report.oldestAge().toSeconds(),
                    MetricUnit.SECONDS);
            metrics.flush();
            LOG.info(
                    "chunk sweep done",
                    entry("sets", report.sets()),
                    entry("incomplete", report.stale().size()));
            return report.stale().size() + " incomplete chunk sets of " + report.sets();
        });
    }

    private static ChunkSweeper sweepFrom(FunctionEnvironment.Values env) {
        env.throwIfInvalid();
        return new ChunkSweeper(
                SdkClients.s3(SdkClients.httpClient()),
                env.get(ChunkSweepEnvironment.STAGING_BUCKET),
                Duration.ofMinutes(env.get(ChunkSweepEnvironment.INCOMPLETE_CHUNK_SET_AGE_MINUTES)),
                Clock.systemUTC());
    }
}
