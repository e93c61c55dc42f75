package com.dsqlcdc.infra.config;

import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.logs.RetentionDays;

/**
 * Validated settings of one deployment environment (one {@code Stage}). Ranges and defaults:
 * {@link EnvironmentSchema}.
 *
 * @param name         environment name: the Stage id, and so the prefix of its stack names
 * @param target       fixed account and Region, or empty for an environment-agnostic stage
 * @param cluster      the DSQL cluster
 * @param kinesis      the Kinesis stream
 * @param warehouse    the Redshift Serverless warehouse
 * @param consumer     the consumer Lambda, its event source mapping and its failure buckets
 * @param alarms       alarm thresholds and the alarm topic's email subscriptions
 * @param backfill     the on-demand backfill, resync and validation job
 * @param cdcStreamGeneration the CDC stream's generation: raising it makes the next deploy replace
 *                     the stream with a new one (how a FAILED stream, permanent in DSQL, is recreated)
 * @param retainData   keep stateful resources (keys, stream, cluster, warehouse, buckets) when their
 *                     stack is deleted
 * @param logRetention retention of every log group the app creates
 * @param tags         tags for every resource of the stage and for the CDC stream (sorted)
 */
public record EnvironmentConfig(
        String name,
        Optional<DeploymentTarget> target,
        ClusterConfig cluster,
        KinesisConfig kinesis,
        WarehouseConfig warehouse,
        ConsumerConfig consumer,
        AlarmsConfig alarms,
        BackfillConfig backfill,
        int cdcStreamGeneration,
        boolean retainData,
        RetentionDays logRetention,
        SortedMap<String, String> tags) {

    public EnvironmentConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(kinesis, "kinesis");
        Objects.requireNonNull(warehouse, "warehouse");
        Objects.requireNonNull(consumer, "consumer");
        Objects.requireNonNull(alarms, "alarms");
        Objects.requireNonNull(backfill, "backfill");
        Objects.requireNonNull(logRetention, "logRetention");
        tags = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(tags, "tags")));
        int minMarkerDays = ConsumerConfig.Chunks.minDoneMarkerRetentionDays(kinesis.retentionHours());
        if (consumer.chunks().doneMarkerRetentionDays() < minMarkerDays) {
            throw new IllegalArgumentException("consumer.chunks.doneMarkerRetentionDays must be at least "
                    + minMarkerDays + " (more than the Kinesis retention of " + kinesis.retentionHours()
                    + " hours), got " + consumer.chunks().doneMarkerRetentionDays());
        }
    }

    /** @return the removal policy of stateful resources: RETAIN when {@code retainData}, else DESTROY */
    public RemovalPolicy dataRemovalPolicy() {
        return retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    }
}
