package com.dsqlcdc.health;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.dsqlcdc.clients.dsql.SignedDsqlStreamClient;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/**
 * The scheduled DSQL CDC stream health check (an EventBridge rule invokes it; the event itself is
 * ignored): GetStream through the signed stream client, then {@code StreamFailed},
 * {@code StreamImpaired}, {@code StreamActive} (and {@code StreamStatusReason}) as embedded metrics
 * and one JSON log line; see {@link StreamHealthPublisher}. A failure other than "the stream is
 * gone" is logged and thrown, so the function's Errors metric and the alarms' missing-data
 * treatment catch it; no metric is published for that run.
 *
 * <p>Environment: {@code StreamHealthEnvironment} in the contract module (validated at init, see
 * {@link StreamHealthConfig}); {@code POWERTOOLS_SERVICE_NAME} gives the logs' {@code service}
 * field. IAM: {@code dsql:GetStream} on the stream's ARN.
 */
public final class StreamHealthHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private static final Logger LOG = LoggerFactory.getLogger(StreamHealthHandler.class);

    private final StreamHealthProbe check;
    private final StreamHealthPublisher publisher;

    /** Production wiring, from the environment; clients are built once, here. */
    public StreamHealthHandler() {
        this(StreamHealthConfig.fromEnvironment());
    }

    /** The real clients for {@code config}: the signed stream client, Powertools' metrics. */
    StreamHealthHandler(StreamHealthConfig config) {
        this(
                new StreamHealthProbe(
                        SignedDsqlStreamClient.builder()
                                .region(Region.of(config.region()))
                                .build(),
                        config.clusterId(),
                        config.streamId()),
                new StreamHealthPublisher(
                        MetricsFactory.getMetricsInstance(),
                        config.namespace(),
                        config.clusterId(),
                        config.streamId()));
    }

    public StreamHealthHandler(StreamHealthProbe check, StreamHealthPublisher publisher) {
        this.check = check;
        this.publisher = publisher;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> {
            StreamHealth health;
            try {
                health = check.run();
            } catch (RuntimeException e) {
                LOG.error(
                        "DSQL CDC stream health check failed: " + e.getMessage(),
                        entry("clusterId", check.clusterId()),
                        entry("streamId", check.streamId()),
                        e);
                throw e;
            }
            publisher.publish(health);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("clusterId", health.clusterId());
            result.put("streamId", health.streamId());
            result.put("status", health.status());
            result.put("statusReason", health.reasonError());
            return result;
        });
    }
}
