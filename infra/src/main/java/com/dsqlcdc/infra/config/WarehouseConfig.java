package com.dsqlcdc.infra.config;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Redshift Serverless warehouse and its loader. Ranges and defaults:
 * {@link EnvironmentSchema#WAREHOUSE}.
 *
 * @param baseCapacityRpu   the workgroup's base capacity in Redshift Processing Units
 * @param databaseName      the namespace's database (created with it), a lowercase identifier
 * @param availabilityZones exactly three distinct Availability Zone names for the warehouse's
 *                          subnets, or empty to take the first three of the Region
 *                          ({@code Fn::GetAZs})
 * @param largeStrings      whether the workgroup opts in to large strings
 *                          ({@code enable_large_strings_opt_in}): a single string inside a SUPER
 *                          value may then be up to {@value #LARGE_SUPER_STRING_BYTES} bytes instead of
 *                          {@value #SUPER_STRING_BYTES}
 * @param loadIntervalSeconds how often the loader loads what the consumer staged: from a minute up a
 *                          whole number of minutes (the schedule's unit), below it loads every interval
 *                          within the minute's invocation
 * @param logRetentionDays  superseded, merged events older than this are pruned from the log; 0 keeps
 *                          the whole log
 */
public record WarehouseConfig(
        int baseCapacityRpu,
        String databaseName,
        Optional<List<String>> availabilityZones,
        boolean largeStrings,
        int loadIntervalSeconds,
        int logRetentionDays) {

    /** A Redshift Serverless workgroup needs subnets in three Availability Zones. */
    public static final int AVAILABILITY_ZONE_COUNT = 3;
    /** Longest string inside a SUPER value without the opt-in: Redshift's VARCHAR maximum. */
    public static final int SUPER_STRING_BYTES = 65_535;
    /** Longest string inside a SUPER value with {@code enable_large_strings_opt_in} set to {@code Yes}. */
    public static final int LARGE_SUPER_STRING_BYTES = 16_000_000;
    /** Redshift Serverless's smallest base capacity; above it, base capacity moves in steps of 8. */
    public static final int MIN_BASE_CAPACITY_RPU = 4;

    public WarehouseConfig {
        Objects.requireNonNull(databaseName, "databaseName");

        availabilityZones =
                Objects.requireNonNull(availabilityZones, "availabilityZones").map(List::copyOf);
        availabilityZones.ifPresent(zones -> {
            if (zones.size() != AVAILABILITY_ZONE_COUNT || new HashSet<>(zones).size() != AVAILABILITY_ZONE_COUNT) {
                throw new IllegalArgumentException("availabilityZones must be three distinct names: " + zones);
            }
        });
    }

    /** @return whether the loader prunes superseded events from the log ({@link #logRetentionDays} &gt; 0) */
    public boolean logPruning() {
        return logRetentionDays > 0;
    }

    /**
     * @return the longest single string (in bytes) that COPY and JSON_PARSE put into a SUPER value
     *         on this workgroup; a longer one fails the statement (nothing is truncated)
     */
    public int maxSuperStringBytes() {
        return largeStrings ? LARGE_SUPER_STRING_BYTES : SUPER_STRING_BYTES;
    }
}
