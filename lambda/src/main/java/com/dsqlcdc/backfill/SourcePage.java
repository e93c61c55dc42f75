package com.dsqlcdc.backfill;

import java.time.Instant;
import java.util.List;

/**
 * One page of a range, read in one read-only transaction.
 *
 * @param rows       the rows, in key order
 * @param readAt     the transaction's start ({@code now()} in it): no change committed before it is
 *                   missing from the page (see docs/backfill.md, ordering rules)
 * @param reachedEnd whether the page ran to the range's upper bound (fewer rows than asked, and not
 *                   cut short by the byte limit): the range is read
 */
public record SourcePage(List<SourceRow> rows, Instant readAt, boolean reachedEnd) {
    public SourcePage {
        rows = List.copyOf(rows);
    }

    /** @return the last row's key, or null for an empty page */
    public List<String> lastKey() {
        return rows.isEmpty() ? null : rows.get(rows.size() - 1).key();
    }
}
