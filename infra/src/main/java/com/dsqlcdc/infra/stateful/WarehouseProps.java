package com.dsqlcdc.infra.stateful;

import com.dsqlcdc.infra.config.WarehouseConfig;
import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.logs.RetentionDays;

/**
 * Properties of {@link Warehouse}.
 *
 * @param config            base capacity, database name, large strings
 * @param availabilityZones exactly three Availability Zones (names, or tokens such as {@code Fn::Select}
 *                          of {@code Fn::GetAZs}): Redshift Serverless needs subnets in three. They must be
 *                          among the stack's zones.
 * @param removalPolicy     what happens to the namespace (and so the data) and its key when they leave
 *                          the stack
 * @param logRetention      retention of the log group of the admin-secret lookup function
 * @param stagingBucket     the bucket COPY loads from: the namespace's COPY role may read its
 *                          {@code staged/} and {@code manifests/} prefixes
 */
public record WarehouseProps(
        WarehouseConfig config,
        List<String> availabilityZones,
        RemovalPolicy removalPolicy,
        RetentionDays logRetention,
        StagingBucket stagingBucket) {

    public WarehouseProps {
        Objects.requireNonNull(config, "WarehouseProps.config is required");
        availabilityZones =
                List.copyOf(Objects.requireNonNull(availabilityZones, "WarehouseProps.availabilityZones is required"));
        Objects.requireNonNull(removalPolicy, "WarehouseProps.removalPolicy is required");
        Objects.requireNonNull(logRetention, "WarehouseProps.logRetention is required");
        Objects.requireNonNull(stagingBucket, "WarehouseProps.stagingBucket is required");
        if (availabilityZones.size() != WarehouseConfig.AVAILABILITY_ZONE_COUNT) {
            throw new IllegalArgumentException("WarehouseProps.availabilityZones must hold "
                    + WarehouseConfig.AVAILABILITY_ZONE_COUNT + " zones, got " + availabilityZones.size());
        }
    }
}
