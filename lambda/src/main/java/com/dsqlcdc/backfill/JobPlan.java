package com.dsqlcdc.backfill;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A job: what it does, to which tables, with which settings, and its tables' ranges. Written by the
 * plan step (or the laptop command) to the job store before any range is worked on; every worker
 * reads it. Progress lives in each range's {@link RangeState}, not here.
 *
 * @param version         the format's version ({@link #VERSION})
 * @param jobId           the job's name: {@code [a-z0-9-]}, at most 64 characters
 * @param mode            backfill, resync or validate
 * @param createdAt       when it was planned (ISO-8601)
 * @param clusterId       the source cluster (records' {@code source.cluster})
 * @param streamId        the CDC stream checked before the job started, or null
 * @param snapshotTsNs    backfill: the commit time of every snapshot row, the stream's creation, in
 *                        ns; else null
 * @param gapEnd          resync: the instant from which the stream is known to carry every change
 *                        (ISO-8601); no page may be dated at or before it; else null
 * @param marginMillis    resync: how far before its transaction's start a page's rows are dated
 * @param pageRows        rows per source page (one read-only transaction each)
 * @param rangeRows       rows per planned range
 * @param catalogShape    the catalog the plan was made for ({@link BackfillCatalog#shape}): a worker
 *                        with another catalog refuses to work
 * @param fromReport      the validation report the ranges came from (resync or validate of
 *                        mismatched ranges), or null
 * @param drift           validate: differences between the source's catalog and the captured one
 * @param tables          the tables, each with its ranges
 */
public record JobPlan(
        int version,
        String jobId,
        JobMode mode,
        String createdAt,
        String clusterId,
        String streamId,
        Long snapshotTsNs,
        String gapEnd,
        long marginMillis,
        int pageRows,
        int rangeRows,
        String catalogShape,
        String fromReport,
        List<String> drift,
        List<TablePlan> tables) {

    /** The version this code writes and reads. */
    public static final int VERSION = 1;

    public JobPlan {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(mode, "mode");
        drift = drift == null ? List.of() : List.copyOf(drift);
        tables = List.copyOf(tables);
        if (!jobId.matches("[a-z0-9][a-z0-9-]{0,63}")) {
            throw new IllegalArgumentException(
                    "job id '" + jobId + "' is not 1-64 of a-z, 0-9 and -, starting with a letter or digit");
        }
    }

    /** @return whether every table is fully planned */
    public boolean complete() {
        return tables.stream().allMatch(TablePlan::complete);
    }

    /** @return every range of every table, in plan order */
    public List<RangeId> rangeIds() {
        List<RangeId> ids = new ArrayList<>();
        for (TablePlan table : tables) {
            for (int i = 0; i < table.ranges().size(); i++) {
                ids.add(new RangeId(table.table(), i));
            }
        }
        return ids;
    }

    /** @return the plan of {@code table} */
    public TablePlan table(String table) {
        return tables.stream()
                .filter(t -> t.table().equals(table))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("job " + jobId + " has no table " + table));
    }

    /** @return this plan with {@code table}'s plan replaced */
    JobPlan with(TablePlan table) {
        List<TablePlan> replaced = new ArrayList<>();
        for (TablePlan t : tables) {
            replaced.add(t.table().equals(table.table()) ? table : t);
        }
        return copy(drift, replaced);
    }

    /** @return this plan with the drift check's findings */
    public JobPlan withDrift(List<String> problems) {
        return copy(problems, tables);
    }

    private JobPlan copy(List<String> newDrift, List<TablePlan> newTables) {
        return new JobPlan(
                version,
                jobId,
                mode,
                createdAt,
                clusterId,
                streamId,
                snapshotTsNs,
                gapEnd,
                marginMillis,
                pageRows,
                rangeRows,
                catalogShape,
                fromReport,
                newDrift,
                newTables);
    }

    /** One range of a job. */
    public record RangeId(String table, int index) {}
}
