package com.dsqlcdc.backfill;

import com.dsqlcdc.sql.backfill.KeyRange;
import java.util.ArrayList;
import java.util.List;

/**
 * One range's progress: its checkpoint. A worker saves it after each batch of rows it staged (never
 * before: a checkpoint names only keys whose rows are durably staged), so a worker that dies is
 * resumed by the next from {@link #lastKey}, and a range marked done is never worked again.
 *
 * @param table             {@code schema.table}
 * @param index             the range's place among its table's ranges
 * @param range             its bounds
 * @param done              whether it is finished
 * @param lastKey           the last key whose row is staged (or counted), where work goes on; null:
 *                          from the range's start
 * @param rowsRead          source rows read (staged or counted)
 * @param rowsStaged        snapshot rows staged
 * @param tombstones        tombstones staged (resync)
 * @param objects           staged objects written
 * @param skipped           rows that could not be staged
 * @param skippedRows       the first of them, with the reason ({@link #MAX_SKIPPED_LISTED})
 * @param sourceRows        validate: rows counted in the source
 * @param sourceChecksum    validate: their checksum (decimal)
 * @param warehouseRows     validate: rows of the range in {@code <table>_current}, once compared
 * @param warehouseChecksum validate: their checksum (decimal; "0" for none)
 * @param updatedAt         when it was saved (ISO-8601)
 */
public record RangeState(
        String table,
        int index,
        KeyRange range,
        boolean done,
        List<String> lastKey,
        long rowsRead,
        long rowsStaged,
        long tombstones,
        long objects,
        long skipped,
        List<SkippedRow> skippedRows,
        long sourceRows,
        String sourceChecksum,
        Long warehouseRows,
        String warehouseChecksum,
        String updatedAt) {

    /** How many skipped rows a range lists (all are counted). */
    public static final int MAX_SKIPPED_LISTED = 20;

    public RangeState {
        lastKey = lastKey == null ? null : List.copyOf(lastKey);
        skippedRows = skippedRows == null ? List.of() : List.copyOf(skippedRows);
        sourceChecksum = sourceChecksum == null ? "0" : sourceChecksum;
    }

    /** A row the job could not stage. */
    public record SkippedRow(List<String> key, String reason, String detail) {}

    /** @return a range not worked on yet */
    public static RangeState start(String table, int index, KeyRange range) {
        return new RangeState(table, index, range, false, null, 0, 0, 0, 0, 0, List.of(), 0, "0", null, null, null);
    }

    /** @return whether validation compared it and found both sides equal */
    public boolean matches() {
        return warehouseRows != null && warehouseRows == sourceRows && sourceChecksum.equals(warehouseChecksum);
    }

    /** @return whether validation compared it and found a difference */
    public boolean differs() {
        return warehouseRows != null && !matches();
    }

    /** Adds what a batch of pages did; the caller sets the key and time. */
    RangeState advanced(
            List<String> newLastKey,
            long read,
            long staged,
            long newTombstones,
            long newObjects,
            List<SkippedRow> newSkipped,
            long newSourceRows,
            String newSourceChecksum,
            String now) {
        List<SkippedRow> listed = new ArrayList<>(skippedRows);
        for (SkippedRow row : newSkipped) {
            if (listed.size() < MAX_SKIPPED_LISTED) {
                listed.add(row);
            }
        }
        return new RangeState(
                table,
                index,
                range,
                false,
                newLastKey,
                rowsRead + read,
                rowsStaged + staged,
                tombstones + newTombstones,
                objects + newObjects,
                skipped + newSkipped.size(),
                listed,
                newSourceRows,
                newSourceChecksum,
                warehouseRows,
                warehouseChecksum,
                now);
    }

    /** @return this state, finished (with the warehouse's figures when validated) */
    RangeState finished(Long whRows, String whChecksum, String now) {
        return new RangeState(
                table,
                index,
                range,
                true,
                lastKey,
                rowsRead,
                rowsStaged,
                tombstones,
                objects,
                skipped,
                skippedRows,
                sourceRows,
                sourceChecksum,
                whRows,
                whChecksum,
                now);
    }
}
