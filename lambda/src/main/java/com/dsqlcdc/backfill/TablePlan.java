package com.dsqlcdc.backfill;

import com.dsqlcdc.sql.backfill.KeyRange;
import java.util.ArrayList;
import java.util.List;

/**
 * One table's ranges, as planned so far.
 *
 * @param table    {@code schema.table}
 * @param complete whether every range is planned (the last one runs to the table's end)
 * @param cursor   the last split point found, where planning goes on (null: the table's start)
 * @param ranges   the ranges planned, in key order: consecutive, together the whole key space once
 *                 complete (or exactly the ranges a report named)
 * @param rows     rows counted while planning (each full range holds the range size; the last one is
 *                 counted, up to the range size); -1 when not counted
 */
public record TablePlan(String table, boolean complete, List<String> cursor, List<KeyRange> ranges, long rows) {

    public TablePlan {
        cursor = cursor == null ? null : List.copyOf(cursor);
        ranges = List.copyOf(ranges);
    }

    /** @return a table not planned yet */
    public static TablePlan start(String table) {
        return new TablePlan(table, false, null, List.of(), 0);
    }

    /** @return this plan with one more range */
    TablePlan plus(KeyRange range, long rangeRows, boolean last) {
        List<KeyRange> more = new ArrayList<>(ranges);
        more.add(range);
        return new TablePlan(table, last, range.hi(), more, rows < 0 ? rows : rows + rangeRows);
    }
}
