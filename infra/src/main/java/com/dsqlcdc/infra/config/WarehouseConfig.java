package com.dsqlcdc.infra.config;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Redshift Serverless warehouse the consumer writes to.
 *
 * @param baseCapacityRpu   the workgroup's base capacity: 8 to 1024 Redshift Processing Units, a
 *                          multiple of 8
 * @param databaseName      the namespace's database (created with it), a lowercase identifier
 * @param availabilityZones exactly three distinct Availability Zone names for the warehouse's
 *                          subnets, or empty to take the first three of the Region
 *                          ({@code Fn::GetAZs})
 */
public record WarehouseConfig(int baseCapacityRpu, String databaseName, Optional<List<String>> availabilityZones) {

    /** Smallest base capacity Redshift Serverless accepts. */
    public static final int MIN_BASE_CAPACITY_RPU = 8;
    /** Largest base capacity Redshift Serverless accepts. */
    public static final int MAX_BASE_CAPACITY_RPU = 1024;
    /** Base capacity moves in steps of this many RPUs. */
    public static final int BASE_CAPACITY_STEP_RPU = 8;
    /** The smallest (cheapest) workgroup. */
    public static final int DEFAULT_BASE_CAPACITY_RPU = 8;
    /** Redshift's own default database name. */
    public static final String DEFAULT_DATABASE_NAME = "dev";
    /** A Redshift Serverless workgroup needs subnets in three Availability Zones. */
    public static final int AVAILABILITY_ZONE_COUNT = 3;

    public WarehouseConfig {
        Objects.requireNonNull(databaseName, "databaseName");
        availabilityZones = Objects.requireNonNull(availabilityZones, "availabilityZones").map(List::copyOf);
        if (baseCapacityRpu < MIN_BASE_CAPACITY_RPU || baseCapacityRpu > MAX_BASE_CAPACITY_RPU
                || baseCapacityRpu % BASE_CAPACITY_STEP_RPU != 0) {
            throw new IllegalArgumentException("baseCapacityRpu out of range: " + baseCapacityRpu);
        }
        availabilityZones.ifPresent(zones -> {
            if (zones.size() != AVAILABILITY_ZONE_COUNT || new HashSet<>(zones).size() != AVAILABILITY_ZONE_COUNT) {
                throw new IllegalArgumentException("availabilityZones must be three distinct names: " + zones);
            }
        });
    }
}
