package com.dsqlcdc.infra.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Validated settings of the backfill job ({@code backfill} in an environment's configuration): the
 * on-demand Step Functions job that snapshots, resyncs and validates the captured tables. Ranges and
 * defaults: {@link EnvironmentSchema#BACKFILL}.
 *
 * @param onCreate           start one backfill job when the CDC stream is first created (so the
 *                           warehouse gets the rows that existed before it); only for an existing cluster
 * @param maxConcurrency     range workers at once: each holds one source connection and reads one page
 *                           transaction at a time, so this bounds the load on the source
 * @param rangeRows          rows per key range (the unit of parallelism, checkpointing, validation and resync)
 * @param pageRows           rows per page, each page one short read-only transaction on the source
 * @param sourceDatabaseRole the DSQL database role the job connects as (SELECT on the captured tables only)
 * @param validationSchedule an EventBridge schedule expression that starts a validation job, or empty
 */
public record BackfillConfig(
        boolean onCreate,
        int maxConcurrency,
        int rangeRows,
        int pageRows,
        String sourceDatabaseRole,
        Optional<String> validationSchedule) {

    public BackfillConfig {
        Objects.requireNonNull(sourceDatabaseRole, "sourceDatabaseRole");
        Objects.requireNonNull(validationSchedule, "validationSchedule");
    }
}
