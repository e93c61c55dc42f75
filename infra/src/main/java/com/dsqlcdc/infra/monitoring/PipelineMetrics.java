package com.dsqlcdc.infra.monitoring;

import com.dsqlcdc.contract.MetricNames;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;

/**
 * The identities of the metrics this app's alarms and dashboard read that no CDK construct offers a
 * method for: DSQL's stream metrics, the app's own handlers' metrics (embedded metric format: the
 * consumer's, the loader's, the chunk sweep's, the stream health check's) and S3 request metrics of
 * the failed-batch bucket. One place, so an alarm and the dashboard graph of
 * the same thing cannot drift apart; the handlers' own names and dimensions come from the
 * contract's {@link MetricNames}, which the handlers publish under: a metric with another dimension
 * set is another metric, and an alarm on it would watch nothing.
 */
public final class PipelineMetrics {

    /** DSQL's namespace: stream metrics with dimensions {@code ClusterId} and {@code StreamId}. */
    public static final String DSQL_NAMESPACE = "AWS/AuroraDSQL";

    /** DSQL: 1 while the stream cannot deliver to Kinesis (IMPAIRED), else 0. */
    public static final String IS_IMPAIRED = "IsImpaired";
    /** DSQL: how far (ms) publishing to Kinesis is behind the commits. */
    public static final String BEHIND_SOURCE_LAG = "BehindSourceLag";
    /** DSQL: records published to Kinesis. */
    public static final String PUBLISHED_RECORDS = "PublishedRecords";
    /** DSQL: bytes published to Kinesis. */
    public static final String PUBLISHED_BYTES = "PublishedBytes";
    /** DSQL: bytes the stream read from the cluster's changes. */
    public static final String BYTES_STREAMED = "BytesStreamed";
    /** DSQL: the stream's processing units (what it is billed for). */
    public static final String STREAM_DPU = "StreamDPU";

    /** The period of a metric method's metric unless its options set one: CDK's default. */
    public static final Duration DEFAULT_PERIOD = Duration.minutes(5);

    /** Id of the failed-batch bucket's request-metrics filter (the S3 {@code FilterId} dimension). */
    public static final String ON_FAILURE_DELIVERIES_FILTER = "OnFailureDeliveries";
    /**
     * Where Lambda writes the on-failure records of an event source mapping in an S3 destination
     * ({@code aws/lambda/<mapping id>/<shard>/…}); the replay's ledgers live elsewhere, so replays do
     * not count as deliveries.
     */
    public static final String ON_FAILURE_PREFIX = "aws/lambda/";

    private PipelineMetrics() {}

    /**
     * @param name      a DSQL stream metric, e.g. {@code IsImpaired}, {@code BehindSourceLag}
     * @param clusterId the cluster identifier
     * @param streamId  the stream identifier
     * @param statistic e.g. {@code Maximum}
     * @param period    the period
     * @return the metric
     */
    public static Metric dsqlStream(String name, String clusterId, String streamId, String statistic, Duration period) {
        return Metric.Builder.create()
                .namespace(DSQL_NAMESPACE)
                .metricName(name)
                .dimensionsMap(Map.of(MetricNames.CLUSTER_ID, clusterId, MetricNames.STREAM_ID, streamId))
                .statistic(statistic)
                .period(period)
                .build();
    }

    /**
     * What CDK's {@code metricXxx(MetricOptions)} methods do with their options: they override the
     * metric's own statistic, period, label and the rest.
     *
     * @param metric  the metric with its default statistic and period
     * @param options overrides; null for none
     * @return the metric with the overrides
     */
    public static Metric withOptions(Metric metric, MetricOptions options) {
        return options == null ? metric : metric.with(options);
    }

    /**
     * One of the stream health check's metrics (Maximum): {@link MetricNames#STREAM_FAILED},
     * {@link MetricNames#STREAM_IMPAIRED} or {@link MetricNames#STREAM_ACTIVE}.
     *
     * @param name      the metric name
     * @param clusterId the cluster identifier
     * @param streamId  the stream identifier
     * @param period    the check's interval
     * @return the metric
     */
    public static Metric streamHealth(String name, String clusterId, String streamId, Duration period) {
        return Metric.Builder.create()
                .namespace(MetricNames.NAMESPACE)
                .metricName(published(name, MetricNames.STREAM_HEALTH_METRICS, "stream health check"))
                .dimensionsMap(Map.of(MetricNames.CLUSTER_ID, clusterId, MetricNames.STREAM_ID, streamId))
                .statistic("Maximum")
                .period(period)
                .build();
    }

    /**
     * One of the consumer's batch metrics ({@link MetricNames#CONSUMER_METRICS}), all reasons together.
     *
     * @param name      the metric name
     * @param statistic e.g. {@code Sum}, {@code Maximum}, {@code p99}
     * @param period    the period
     * @return the metric
     */
    public static Metric consumer(String name, String statistic, Duration period) {
        return service(name, MetricNames.CONSUMER_METRICS, "consumer", MetricNames.CONSUMER_SERVICE, statistic, period);
    }

    /**
     * One of the loader's metrics ({@link MetricNames#LOADER_METRICS}); {@code RowsMerged} of all
     * tables together (per table it also carries a {@code Table} dimension: see {@link #perDimension}).
     *
     * @param name      the metric name
     * @param statistic e.g. {@code Sum}, {@code Maximum}
     * @param period    the period
     * @return the metric
     */
    public static Metric loader(String name, String statistic, Duration period) {
        return service(name, MetricNames.LOADER_METRICS, "loader", MetricNames.LOADER_SERVICE, statistic, period);
    }

    /**
     * One of the backfill job's metrics ({@link MetricNames#BACKFILL_METRICS}), published once per job by
     * its report step.
     *
     * @param name      the metric name
     * @param statistic e.g. {@code Maximum}, {@code Sum}
     * @param period    the period
     * @return the metric
     */
    public static Metric backfill(String name, String statistic, Duration period) {
        return service(
                name, MetricNames.BACKFILL_METRICS, "backfill job", MetricNames.BACKFILL_SERVICE, statistic, period);
    }

    /**
     * A CloudWatch SEARCH of one of the app's metrics, one line per value of {@code dimension}, whatever
     * other dimensions the embedded metrics carry: e.g. RecordsQuarantined per Reason, RowsMerged per
     * Table.
     *
     * @param name      the metric name
     * @param dimension the dimension to split by
     * @param statistic e.g. {@code Sum}
     * @param period    the period
     * @return the expression (for graphs; an alarm cannot watch a SEARCH)
     */
    public static MathExpression perDimension(String name, String dimension, String statistic, Duration period) {
        return MathExpression.Builder.create()
                .expression("SEARCH('Namespace=\"" + MetricNames.NAMESPACE + "\" MetricName=\"" + name + "\" "
                        + dimension + "', '" + statistic + "', "
                        + period.toSeconds().intValue() + ")")
                .usingMetrics(Map.of())
                .label("")
                .period(period)
                .build();
    }

    private static Metric service(
            String name, Set<String> published, String function, String service, String statistic, Duration period) {
        return Metric.Builder.create()
                .namespace(MetricNames.NAMESPACE)
                .metricName(published(name, published, function))
                .dimensionsMap(Map.of(MetricNames.SERVICE, service))
                .statistic(statistic)
                .period(period)
                .build();
    }

    /**
     * One of the chunk sweep's metrics ({@code IncompleteChunkSets},
     * {@code OldestIncompleteChunkSetAgeSeconds}), Maximum.
     *
     * @param name   the metric name
     * @param period the period
     * @return the metric
     */
    public static Metric chunkSweep(String name, Duration period) {
        return service(
                name,
                MetricNames.CHUNK_SWEEP_METRICS,
                "chunk sweep",
                MetricNames.CHUNK_SWEEP_SERVICE,
                "Maximum",
                period);
    }

    /** @return {@code name}, if the function publishes it; else fails synth (a typo would watch nothing) */
    private static String published(String name, Set<String> published, String function) {
        if (!published.contains(name)) {
            throw new IllegalArgumentException(name + " is not a metric the " + function + " publishes ("
                    + String.join(", ", new TreeSet<>(published)) + "; contract's MetricNames)");
        }
        return name;
    }

    /**
     * S3 {@code PutRequests} under {@link #ON_FAILURE_PREFIX} of the failed-batch bucket: each is a
     * batch the event source mapping gave up on (after its retries or the record age limit).
     *
     * @param bucketName the failed-batch bucket
     * @param period     the period
     * @return the metric (Sum)
     */
    public static Metric onFailureDeliveries(String bucketName, Duration period) {
        return Metric.Builder.create()
                .namespace("AWS/S3")
                .metricName("PutRequests")
                .dimensionsMap(Map.of("BucketName", bucketName, "FilterId", ON_FAILURE_DELIVERIES_FILTER))
                .statistic("Sum")
                .period(period)
                .build();
    }
}
