package com.dsqlcdc.health;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.dsqlcdc.contract.MetricNames;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Writes a {@link StreamHealth} as CloudWatch embedded metric format (Powertools' functional API,
 * as the consumer does; names from {@link MetricNames}) and as one structured JSON log line.
 *
 * <p>Metrics, in the given namespace, all {@code Count}, dimensions exactly {@code ClusterId} and
 * {@code StreamId} (Powertools' default {@code Service} dimension, added when
 * {@code POWERTOOLS_SERVICE_NAME} is set, is replaced, so alarms can name the dimensions):
 * <ul>
 *   <li>{@code StreamFailed}: 1 when FAILED or gone (404, DELETING, DELETED), else 0;
 *   <li>{@code StreamImpaired}: 1 when IMPAIRED, else 0;
 *   <li>{@code StreamActive}: 1 when ACTIVE, else 0.
 * </ul>
 * All three on every run, so an alarm sees no gap while the check runs. When DSQL gives a
 * {@code statusReason}, also {@code StreamStatusReason} = 1 with dimensions {@code ClusterId},
 * {@code StreamId} and {@code Error} (its {@code error}), for dashboards.
 *
 * <p>The log line carries {@code clusterId}, {@code streamId}, {@code streamArn}, {@code status},
 * {@code statusReason} ({@code error}, {@code updatedAt}) and {@code explanation}; its level is
 * INFO for ACTIVE and CREATING, WARN for IMPAIRED, ERROR for FAILED and gone.
 */
public final class StreamHealthPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(StreamHealthPublisher.class);

    private final Metrics metrics;
    private final String clusterId;
    private final String streamId;

    /**
     * @param metrics   Powertools' metrics instance; its namespace and default dimensions are set here
     * @param namespace the CloudWatch namespace
     * @param clusterId the {@code ClusterId} dimension
     * @param streamId  the {@code StreamId} dimension
     */
    public StreamHealthPublisher(Metrics metrics, String namespace, String clusterId, String streamId) {
        this.metrics = metrics;
        this.clusterId = clusterId;
        this.streamId = streamId;
        metrics.setNamespace(namespace);
        // Replaces (does not add to) the defaults, Service included, for this and every later request.
        metrics.setDefaultDimensions(streamDimensions());
    }

    public void publish(StreamHealth health) {
        metrics.addMetric(MetricNames.STREAM_FAILED, health.isFailed() ? 1 : 0, MetricUnit.COUNT);
        metrics.addMetric(MetricNames.STREAM_IMPAIRED, health.isImpaired() ? 1 : 0, MetricUnit.COUNT);
        metrics.addMetric(MetricNames.STREAM_ACTIVE, health.isActive() ? 1 : 0, MetricUnit.COUNT);
        metrics.flush();
        String error = health.reasonError();
        if (error != null) {
            // Its own document: setDefaultDimensions replaces the dimension set (addDimension would add a
            // second set, and the metric would be published under both).
            metrics.flushMetrics(single -> {
                single.setDefaultDimensions(DimensionSet.of(
                        MetricNames.CLUSTER_ID, clusterId, MetricNames.STREAM_ID, streamId, MetricNames.ERROR, error));
                single.addMetric(MetricNames.STREAM_STATUS_REASON, 1, MetricUnit.COUNT);
            });
        }
        log(health);
    }

    private DimensionSet streamDimensions() {
        return DimensionSet.of(MetricNames.CLUSTER_ID, clusterId, MetricNames.STREAM_ID, streamId);
    }

    private static void log(StreamHealth health) {
        Map<String, Object> reason = new LinkedHashMap<>();
        if (health.statusReason() != null) {
            reason.put("error", health.statusReason().error());
            reason.put(
                    "updatedAt",
                    health.statusReason().updatedAt() == null
                            ? null
                            : health.statusReason().updatedAt().toString());
        }
        Object[] fields = {
            entry("clusterId", health.clusterId()),
            entry("streamId", health.streamId()),
            entry("streamArn", health.arn()),
            entry("status", health.status()),
            entry("statusReason", health.statusReason() == null ? null : reason),
            entry("explanation", health.explanation())
        };
        String message = "DSQL CDC stream health: " + health.status();
        switch (health.severity()) {
            case ERROR -> LOG.error(message, fields);
            case WARN -> LOG.warn(message, fields);
            default -> LOG.info(message, fields);
        }
    }
}
