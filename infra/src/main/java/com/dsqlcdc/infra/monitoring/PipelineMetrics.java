package com.dsqlcdc.infra.monitoring;

import com.dsqlcdc.contract.MetricNames;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;

/**
 * The identities of the metrics this app's alarms and dashboard read that no CDK construct offers a
 * method for: DSQL's stream metrics, the app's own handlers' metrics (embedded metric format) and
 * S3 request metrics of the failed-batch bucket. One place, so an alarm and the dashboard graph of
 * the same thing cannot drift apart; the handlers' own names and dimensions come from the
 * contract's {@link MetricNames}, which the handlers publish under: a metric with another dimension
 * set is another metric, and an alarm on it would watch nothing.
 */
public final class PipelineMetrics {

    /** Namespace of every metric the app's handlers publish. */
    public static final String NAMESPACE = MetricNames.NAMESPACE;
    /** The consumer's Powertools service name: its metrics' {@code Service} dimension. */
    public static final String CONSUMER_SERVICE = MetricNames.CONSUMER_SERVICE;
    /** The chunk sweep's Powertools service name: its metrics' {@code Service} dimension. */
    public static final String CHUNK_SWEEP_SERVICE = MetricNames.CHUNK_SWEEP_SERVICE;
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

    /** Consumer: records handed to an invocation. */
    public static final String RECORDS_IN = "RecordsIn";
    /** Consumer: records that reached Redshift. */
    public static final String RECORDS_LANDED = "RecordsLanded";
    /** Consumer: records quarantined (in total; also per {@code Reason} dimension). */
    public static final String RECORDS_QUARANTINED = "RecordsQuarantined";
    /** Consumer: pieces of chunked records stored until their set is complete. */
    public static final String RECORDS_PARKED = "RecordsParked";
    /** Consumer: records that did not land this time (the batch is retried from the first of them). */
    public static final String RECORDS_FAILED = "RecordsFailed";
    /** Consumer: Data API statements and COPYs run. */
    public static final String STATEMENTS = "Statements";
    /** Consumer: statements or COPYs that did not land (FAILED, ABORTED, timed out); their records are retried. */
    public static final String STATEMENTS_FAILED = "StatementsFailed";
    /** Consumer: COPY statements (bulk loads) among {@link #STATEMENTS}. */
    public static final String COPY_LOADS = "CopyLoads";
    /** Consumer: ms from ExecuteStatement to the statement's final status, one value per statement. */
    public static final String STATEMENT_LATENCY = "StatementLatency";
    /** Consumer: ms from a change's DSQL commit to FINISHED in Redshift, the batch's largest. */
    public static final String COMMIT_TO_LANDED_LAG = "CommitToLandedLag";

    /** The period of a metric method's metric unless its options set one: CDK's default. */
    public static final Duration DEFAULT_PERIOD = Duration.minutes(5);

    /** 1 while GetStream answers FAILED, or the stream is gone; else 0. */
    public static final String STREAM_FAILED = MetricNames.STREAM_FAILED;
    /** 1 while GetStream answers IMPAIRED; else 0. */
    public static final String STREAM_IMPAIRED = MetricNames.STREAM_IMPAIRED;
    /** 1 while GetStream answers ACTIVE; else 0. */
    public static final String STREAM_ACTIVE = MetricNames.STREAM_ACTIVE;

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
     * One of the stream health check's metrics (Maximum): {@link #STREAM_FAILED},
     * {@link #STREAM_IMPAIRED} or {@link #STREAM_ACTIVE}.
     *
     * @param name      the metric name
     * @param clusterId the cluster identifier
     * @param streamId  the stream identifier
     * @param period    the check's interval
     * @return the metric
     */
    public static Metric streamHealth(String name, String clusterId, String streamId, Duration period) {
        return Metric.Builder.create()
                .namespace(NAMESPACE)
                .metricName(published(name, MetricNames.STREAM_HEALTH_METRICS, "stream health check"))
                .dimensionsMap(Map.of(MetricNames.CLUSTER_ID, clusterId, MetricNames.STREAM_ID, streamId))
                .statistic("Maximum")
                .period(period)
                .build();
    }

    /**
     * One of the consumer's batch metrics ({@code RecordsIn}, {@code RecordsLanded},
     * {@code RecordsQuarantined}, {@code RecordsFailed}, {@code StatementsFailed},
     * {@code StatementLatency}, {@code CommitToLandedLag}, …), all reasons together.
     *
     * @param name      the metric name
     * @param statistic e.g. {@code Sum}, {@code Maximum}, {@code p99}
     * @param period    the period
     * @return the metric
     */
    public static Metric consumer(String name, String statistic, Duration period) {
        return Metric.Builder.create()
                .namespace(NAMESPACE)
                .metricName(published(name, MetricNames.CONSUMER_METRICS, "consumer"))
                .dimensionsMap(Map.of(MetricNames.SERVICE, CONSUMER_SERVICE))
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
        return Metric.Builder.create()
                .namespace(NAMESPACE)
                .metricName(published(name, MetricNames.CHUNK_SWEEP_METRICS, "chunk sweep"))
                .dimensionsMap(Map.of(MetricNames.SERVICE, CHUNK_SWEEP_SERVICE))
                .statistic("Maximum")
                .period(period)
                .build();
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
