package com.dsqlcdc.backfill;

import com.dsqlcdc.sql.backfill.KeyRange;
import com.dsqlcdc.sql.backfill.WarehouseRangeSql;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.TableCatalog;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Plans each table's key ranges from the data: it walks the primary key in order, {@code n} rows at
 * a step, each step one short transaction ({@code ... WHERE (key) > (split) ORDER BY key OFFSET n-1
 * LIMIT 1}), and the keys it lands on are the split points; the last range runs to the table's end
 * and is counted, up to {@code n} rows. The whole table is never counted. Planning stops at a
 * deadline and goes on from its cursor the next time (the plan step of a large table is called
 * until the plan is complete). Ranges stay a partition of the key space whatever is written
 * meanwhile: the first starts at the table's start, each starts where the previous ended, the last
 * is open.
 *
 * <p>For resync and validation, a table whose key does not order in the warehouse ({@link
 * WarehouseRangeSql#keyOrdersInWarehouse}) is one range: its warehouse side cannot be bounded.
 */
public final class RangePlanner {

    private final SourceReader source;
    private final Clock clock;

    /**
     * @param source the source reader
     * @param clock  time source (the deadline)
     */
    public RangePlanner(SourceReader source, Clock clock) {
        this.source = source;
        this.clock = clock;
    }

    /**
     * Plans what is not planned yet, until done or the deadline.
     *
     * @param plan     the job (its tables may be partly planned)
     * @param catalog  the catalog its tables are in
     * @param deadline when to stop and return the plan so far
     * @param save     called with the plan after each table's progress (to checkpoint it)
     * @return the plan, {@link JobPlan#complete()} when every table is planned
     * @throws SQLException when the source refuses
     */
    public JobPlan plan(JobPlan plan, TableCatalog catalog, Instant deadline, Consumer<JobPlan> save)
            throws SQLException {
        JobPlan current = plan;
        for (TablePlan table : plan.tables()) {
            if (table.complete()) {
                continue;
            }
            CatalogTable catalogTable = BackfillCatalog.table(catalog, table.table());
            TablePlan planned = plan(table, catalogTable, plan.mode(), plan.rangeRows(), deadline);
            current = current.with(planned);
            save.accept(current);
            if (!planned.complete()) {
                break;
            }
        }
        return current;
    }

    TablePlan plan(TablePlan table, CatalogTable catalogTable, JobMode mode, int rangeRows, Instant deadline)
            throws SQLException {
        if (mode.readsWarehouse() && !WarehouseRangeSql.keyOrdersInWarehouse(catalogTable)) {
            return new TablePlan(table.table(), true, null, List.of(KeyRange.all()), -1);
        }
        TablePlan current = table;
        while (!current.complete() && clock.instant().isBefore(deadline)) {
            Optional<List<String>> split = source.splitPoint(catalogTable, current.cursor(), rangeRows);
            if (split.isPresent()) {
                current = current.plus(new KeyRange(current.cursor(), split.get()), rangeRows, false);
            } else {
                long rest = source.countUpTo(catalogTable, current.cursor(), rangeRows);
                current = current.plus(new KeyRange(current.cursor(), null), rest, true);
            }
        }
        return current;
    }
}
