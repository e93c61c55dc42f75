package com.dsqlcdc.backfill;

import com.dsqlcdc.sql.backfill.KeyRange;
import com.dsqlcdc.sql.backfill.RowChecksum;
import com.dsqlcdc.sql.backfill.WarehouseRangeSql;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.current.StateTable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Works on one key range of a job until it is done or the deadline is near, page by page, each page
 * one read-only transaction on the source:
 *
 * <ul>
 *   <li><b>backfill</b>: every row becomes a snapshot record dated at the plan's snapshot time (the
 *       CDC stream's creation), staged through the consumer's code;
 *   <li><b>resync</b>: every row becomes a snapshot record dated at its page's read less the margin
 *       (T); the warehouse's live keys in the page's key interval that the page did not return become
 *       tombstones dated T;
 *   <li><b>validate</b>: rows are counted and their checksums summed; at the range's end the
 *       warehouse's count and checksum of the range are read and kept beside them.
 * </ul>
 *
 * Staged rows are flushed every {@link #FLUSH_ROWS} rows, at the range's end and before returning;
 * only then is the checkpoint saved with the last key read, so a checkpoint never names a key whose
 * row is not staged. A worker that dies is resumed by the next from that key: the pages after it are
 * read again, and rows staged twice only stage their object again (or, when a row changed meanwhile,
 * an equally valid image: see docs/backfill.md for why the order rules make that harmless). The
 * ordering rules, and why they are race-free, are in docs/backfill.md.
 */
public final class RangeWorker {

    /** Rows (staged or counted) between two checkpoints. */
    public static final int FLUSH_ROWS = 10_000;
    /** Text one page may hold, about, before it ends early: keeps a page of wide rows within memory. */
    public static final long PAGE_MAX_BYTES = 32L * 1024 * 1024;
    /** Shard name in the staged rows of a backfill and of a resync ({@code kinesis_shard_id}). */
    public static final String BACKFILL_SHARD = "snapshot-backfill";

    public static final String RESYNC_SHARD = "snapshot-resync";

    /** Hears about progress (the laptop command's progress line). */
    public interface Progress {
        /** {@code rows} more source rows were read. */
        void rows(long rows);

        /** No progress to report. */
        Progress NONE = rows -> {};
    }

    private final SourceReader source;
    private final SnapshotRecords records;
    private final Supplier<SnapshotBatch> batches;
    private final WarehouseReader warehouse;
    private final JobStore store;
    private final Clock clock;
    private final Progress progress;
    private final int flushRows;

    /**
     * @param source    the source reader (one per thread)
     * @param records   builds the records
     * @param batches   a new staging batch, with the job's shard (backfill and resync; may give null
     *                  for validation)
     * @param warehouse the warehouse (resync and validation; may be null for a backfill)
     * @param store     where checkpoints go
     * @param clock     time source
     * @param progress  hears about rows read
     * @param flushRows rows between two checkpoints ({@link #FLUSH_ROWS})
     */
    public RangeWorker(
            SourceReader source,
            SnapshotRecords records,
            Supplier<SnapshotBatch> batches,
            WarehouseReader warehouse,
            JobStore store,
            Clock clock,
            Progress progress,
            int flushRows) {
        this.source = source;
        this.records = records;
        this.batches = batches;
        this.warehouse = warehouse;
        this.store = store;
        this.clock = clock;
        this.progress = progress;
        this.flushRows = flushRows;
    }

    /**
     * @param plan     the job
     * @param table    the range's table
     * @param state    the range's checkpoint ({@link RangeState#start} for a new one)
     * @param deadline when it must have returned; it stops starting pages well before
     * @return the checkpoint it saved last ({@link RangeState#done()} once finished)
     * @throws SQLException when the source refuses (the checkpoint holds what was done)
     */
    public RangeState run(JobPlan plan, CatalogTable table, RangeState state, Instant deadline) throws SQLException {
        if (state.done()) {
            return state;
        }
        StateTable stateTable = new StateTable(table);
        SnapshotBatch batch = plan.mode().stages() ? Objects.requireNonNull(batches.get(), "staging") : null;
        if (plan.mode().readsWarehouse()) {
            Objects.requireNonNull(warehouse, "the warehouse (resync and validation read it)");
        }
        boolean tombstones = plan.mode() == JobMode.RESYNC && WarehouseRangeSql.keyOrdersInWarehouse(table);
        Instant gapEnd = plan.gapEnd() == null ? null : Instant.parse(plan.gapEnd());

        RangeState current = state;
        List<String> lastKey = state.lastKey();
        BigInteger checksum = new BigInteger(state.sourceChecksum());
        long sourceRows = state.sourceRows();
        long read = 0;
        long staged = 0;
        long deletes = 0;
        long objects = 0;
        List<RangeState.SkippedRow> skipped = new ArrayList<>();
        Duration slowestPage = Duration.ZERO;
        boolean reachedEnd = false;

        while (true) {
            Instant started = clock.instant();
            KeyRange rest = state.range().after(lastKey);
            SourcePage page = source.page(table, rest, plan.pageRows(), PAGE_MAX_BYTES);
            long tsNs = commitTsNs(plan, page, gapEnd);
            long processedNs = nanos(clock.instant());
            Set<String> pageKeys = tombstones ? new HashSet<>() : Set.of();
            for (SourceRow row : page.rows()) {
                if (plan.mode() == JobMode.VALIDATE) {
                    checksum = checksum.add(BigInteger.valueOf(RowChecksum.rowHash(table, row.values())));
                    sourceRows++;
                    continue;
                }
                byte[] record = records.upsert(table, row.values(), tsNs, processedNs);
                var refused = batch.add(record);
                if (refused.isPresent()) {
                    skipped.add(new RangeState.SkippedRow(
                            row.key(), refused.get().reason(), refused.get().detail()));
                } else {
                    staged++;
                }
                if (tombstones) {
                    pageKeys.add(RecordKeys.of(table, row.values()));
                }
            }
            read += page.rows().size();
            progress.rows(page.rows().size());
            if (tombstones) {
                KeyRange interval = page.reachedEnd() ? rest : rest.upTo(page.lastKey());
                for (Map<String, String> live :
                        warehouse.query(WarehouseRangeSql.liveKeys(stateTable, interval), deadline)) {
                    String recordKey = live.get(StateTable.RECORD_KEY);
                    if (!pageKeys.contains(recordKey)) {
                        var refused = batch.add(records.delete(table, recordKey, tsNs, processedNs));
                        if (refused.isPresent()) {
                            skipped.add(new RangeState.SkippedRow(
                                    List.of(recordKey),
                                    refused.get().reason(),
                                    refused.get().detail()));
                        } else {
                            deletes++;
                        }
                    }
                }
            }
            if (page.lastKey() != null) {
                lastKey = page.lastKey();
            }
            reachedEnd = page.reachedEnd();
            Duration took = Duration.between(started, clock.instant());
            slowestPage = took.compareTo(slowestPage) > 0 ? took : slowestPage;
            boolean outOfTime = !clock.instant()
                    .plus(slowestPage.multipliedBy(3))
                    .plusSeconds(5)
                    .isBefore(deadline);
            int buffered = batch == null ? (int) (sourceRows - current.sourceRows()) : batch.rows();
            if (reachedEnd || outOfTime || buffered >= flushRows) {
                if (batch != null && batch.rows() > 0) {
                    objects += batch.flush().objects();
                }
                current = current.advanced(
                        lastKey,
                        read,
                        staged,
                        deletes,
                        objects,
                        skipped,
                        sourceRows,
                        checksum.toString(),
                        clock.instant().toString());
                read = 0;
                staged = 0;
                deletes = 0;
                objects = 0;
                skipped = new ArrayList<>();
                if (!reachedEnd) {
                    store.saveRange(plan.jobId(), current);
                }
            }
            if (reachedEnd || outOfTime) {
                break;
            }
        }
        if (!reachedEnd) {
            return current;
        }
        if (plan.mode() == JobMode.VALIDATE) {
            Map<String, String> row = warehouse
                    .query(WarehouseRangeSql.checksum(stateTable, state.range()), deadline)
                    .get(0);
            current = current.finished(
                    Long.parseLong(row.get("rows")),
                    decimal(row.get("checksum")),
                    clock.instant().toString());
        } else {
            current = current.finished(null, null, clock.instant().toString());
        }
        store.saveRange(plan.jobId(), current);
        return current;
    }

    /** The commit time a page's rows (and tombstones) carry: the rule of the job's mode. */
    static long commitTsNs(JobPlan plan, SourcePage page, Instant gapEnd) {
        return switch (plan.mode()) {
            case BACKFILL -> Objects.requireNonNull(plan.snapshotTsNs(), "a backfill plan has a snapshot time");
            case RESYNC -> {
                Instant dated = page.readAt().minusMillis(plan.marginMillis());
                if (gapEnd != null && !dated.isAfter(gapEnd)) {
                    throw new IllegalStateException("a resync page read at " + page.readAt() + " would be dated "
                            + dated + ", not after the gap's end " + gapEnd + " (the margin is " + plan.marginMillis()
                            + " ms): the stream may not hold every change after that; run the resync again later");
                }
                yield nanos(dated);
            }
            case VALIDATE -> 0;
        };
    }

    static long nanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    /** A SUM the warehouse returns (NULL for no rows; a DECIMAL(38,0), maybe written with a fraction). */
    static String decimal(String value) {
        return value == null
                ? "0"
                : new BigDecimal(value.strip()).toBigIntegerExact().toString();
    }
}
