package com.dsqlcdc.backfill;

import com.dsqlcdc.sql.backfill.KeyRange;
import com.dsqlcdc.sql.backfill.WarehouseRangeSql;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.TableCatalog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a job did, from its plan and its ranges' checkpoints: totals, each table's figures, the rows
 * it could not stage, and for a validation the ranges whose source and warehouse differ and the
 * catalog's drift. Written as JSON beside the checkpoints ({@link JobStore#saveReport}); a resync
 * takes a validation's report and repairs exactly its {@link #mismatched} ranges.
 *
 * @param jobId          the job
 * @param mode           backfill, resync or validate
 * @param complete       whether every range of a fully planned job is done
 * @param rangesTotal    ranges planned
 * @param rangesDone     ranges done
 * @param rowsRead       source rows read
 * @param rowsStaged     snapshot rows staged
 * @param tombstones     tombstones staged
 * @param objects        staged objects written
 * @param skippedRows    rows that could not be staged
 * @param skipped        the first of them, per range
 * @param rangesCompared ranges validation compared
 * @param mismatched     ranges whose counts or checksums differ
 * @param drift          the catalog's drift (validation)
 * @param tables         per table
 * @param notes          what the figures do not show (e.g. a table whose tombstones a resync cannot find)
 */
public record JobReport(
        String jobId,
        JobMode mode,
        boolean complete,
        int rangesTotal,
        int rangesDone,
        long rowsRead,
        long rowsStaged,
        long tombstones,
        long objects,
        long skippedRows,
        List<Skipped> skipped,
        int rangesCompared,
        List<Mismatch> mismatched,
        List<String> drift,
        List<TableSummary> tables,
        List<String> notes) {

    public JobReport {
        skipped = List.copyOf(skipped);
        mismatched = List.copyOf(mismatched);
        drift = List.copyOf(drift);
        tables = List.copyOf(tables);
        notes = List.copyOf(notes);
    }

    /** A row not staged. */
    public record Skipped(String table, int range, List<String> key, String reason, String detail) {}

    /** A range whose two sides differ. */
    public record Mismatch(
            String table,
            int range,
            KeyRange bounds,
            long sourceRows,
            String sourceChecksum,
            long warehouseRows,
            String warehouseChecksum) {}

    /** One table's figures. */
    public record TableSummary(
            String table,
            int ranges,
            int rangesDone,
            long rowsRead,
            long rowsStaged,
            long tombstones,
            long skippedRows,
            int mismatchedRanges) {}

    /**
     * @param plan    the job's plan
     * @param states  its ranges' checkpoints
     * @param catalog the catalog (for notes on tables whose key does not order in the warehouse)
     * @return the report
     */
    public static JobReport of(JobPlan plan, List<RangeState> states, TableCatalog catalog) {
        Map<String, RangeState> byRange = new LinkedHashMap<>();
        states.forEach(s -> byRange.put(s.table() + "#" + s.index(), s));
        int total = 0;
        int done = 0;
        long read = 0;
        long staged = 0;
        long deletes = 0;
        long objects = 0;
        long skippedCount = 0;
        int compared = 0;
        List<Skipped> skipped = new ArrayList<>();
        List<Mismatch> mismatched = new ArrayList<>();
        List<TableSummary> tables = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (TablePlan table : plan.tables()) {
            int tDone = 0;
            long tRead = 0;
            long tStaged = 0;
            long tDeletes = 0;
            long tSkipped = 0;
            int tMismatched = 0;
            for (int i = 0; i < table.ranges().size(); i++) {
                total++;
                RangeState state = byRange.get(table.table() + "#" + i);
                if (state == null) {
                    continue;
                }
                tDone += state.done() ? 1 : 0;
                tRead += state.rowsRead();
                tStaged += state.rowsStaged();
                tDeletes += state.tombstones();
                tSkipped += state.skipped();
                objects += state.objects();
                int range = i;
                state.skippedRows()
                        .forEach(r -> skipped.add(new Skipped(table.table(), range, r.key(), r.reason(), r.detail())));
                if (state.warehouseRows() != null) {
                    compared++;
                }
                if (state.differs()) {
                    tMismatched++;
                    mismatched.add(new Mismatch(
                            table.table(),
                            i,
                            state.range(),
                            state.sourceRows(),
                            state.sourceChecksum(),
                            state.warehouseRows(),
                            state.warehouseChecksum()));
                }
            }
            done += tDone;
            read += tRead;
            staged += tStaged;
            deletes += tDeletes;
            skippedCount += tSkipped;
            tables.add(new TableSummary(
                    table.table(), table.ranges().size(), tDone, tRead, tStaged, tDeletes, tSkipped, tMismatched));
            Optional<CatalogTable> catalogTable = catalog.tables().stream()
                    .filter(t -> t.qualifiedName().equals(table.table()))
                    .findFirst();
            if (plan.mode() == JobMode.RESYNC
                    && catalogTable.isPresent()
                    && !WarehouseRangeSql.keyOrdersInWarehouse(catalogTable.get())) {
                notes.add(table.table() + ": its key " + catalogTable.get().primaryKey() + " has a type whose order the"
                        + " warehouse does not keep, so the resync restaged every row but could not look for rows"
                        + " deleted during the gap; validate it, and delete what validation finds by hand");
            }
        }
        mismatched.sort(Comparator.comparing(Mismatch::table).thenComparingInt(Mismatch::range));
        return new JobReport(
                plan.jobId(),
                plan.mode(),
                plan.complete() && done == total,
                total,
                done,
                read,
                staged,
                deletes,
                objects,
                skippedCount,
                skipped,
                compared,
                mismatched,
                plan.drift(),
                tables,
                notes);
    }

    /** @return the report as JSON */
    public String json() {
        return JobJson.write(this);
    }

    /**
     * @param json  a report's JSON
     * @param where where it came from
     * @return the report
     */
    public static JobReport read(String json, String where) {
        return JobJson.read(json, JobReport.class, where);
    }

    /** @return the summary the commands print: one line per figure, each table, each mismatch */
    public String text() {
        StringBuilder out = new StringBuilder();
        out.append(mode.label())
                .append(" job ")
                .append(jobId)
                .append(complete ? ": complete" : ": NOT complete")
                .append('\n');
        out.append(String.format("ranges %d/%d done, %,d rows read", rangesDone, rangesTotal, rowsRead));
        if (mode.stages()) {
            out.append(String.format(", %,d rows staged in %,d objects", rowsStaged, objects));
        }
        if (mode == JobMode.RESYNC) {
            out.append(String.format(", %,d tombstones", tombstones));
        }
        if (skippedRows > 0) {
            out.append(String.format(", %,d rows NOT staged", skippedRows));
        }
        out.append('\n');
        for (TableSummary t : tables) {
            out.append(String.format(
                    "  %-40s ranges %d/%d  rows %,d", t.table(), t.rangesDone(), t.ranges(), t.rowsRead()));
            if (mode == JobMode.VALIDATE) {
                out.append(t.mismatchedRanges() == 0 ? "  equal" : "  " + t.mismatchedRanges() + " ranges DIFFER");
            }
            out.append('\n');
        }
        if (mode == JobMode.VALIDATE) {
            out.append(String.format("%d of %d ranges compared differ%n", mismatched.size(), rangesCompared));
            for (Mismatch m : mismatched) {
                out.append(String.format(
                        "  DIFFERS %s range %d %s: source %,d rows (checksum %s), warehouse %,d rows (checksum %s)%n",
                        m.table(),
                        m.range(),
                        m.bounds().describe(),
                        m.sourceRows(),
                        m.sourceChecksum(),
                        m.warehouseRows(),
                        m.warehouseChecksum()));
            }
            out.append(drift.isEmpty() ? "catalog drift: none\n" : "catalog drift: " + drift.size() + "\n");
            drift.forEach(d -> out.append("  DRIFT ").append(d).append('\n'));
        }
        for (Skipped s : skipped) {
            out.append("  NOT STAGED ")
                    .append(s.table())
                    .append(' ')
                    .append(s.key())
                    .append(": ")
                    .append(s.reason())
                    .append(" (")
                    .append(s.detail())
                    .append(")\n");
        }
        notes.forEach(n -> out.append("  NOTE ").append(n).append('\n'));
        return out.toString();
    }
}
