package com.dsqlcdc.sql.views;

import com.dsqlcdc.sql.EventRow;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The current-state rule of the views ({@link LogLatestViewGenerator}), in Java, for tests and
 * verification tools: for each (source schema, source table, record key), the change with the
 * greatest {@code commit_ts_ns} wins, ties broken by the greatest {@code event_id}; a winning
 * delete means the row does not exist.
 *
 * <p>It depends on nothing but the set of rows: input order, batching and duplicates (the same
 * change twice has the same event id) change nothing, which is what makes the append-only log
 * safe under Kinesis' at-least-once, unordered delivery.
 */
public final class CurrentStateRule {

    /**
     * Which of two changes of one key is later: {@code commit_ts_ns}, then {@code event_id}, as the
     * views' {@code ORDER BY "commit_ts_ns" DESC, "event_id" DESC} (event ids are lowercase hex, so
     * Java's string order is Redshift's).
     */
    public static final Comparator<EventRow> LATEST_LAST =
            Comparator.comparingLong(EventRow::commitTsNs).thenComparing(EventRow::eventId);

    /**
     * {@link #LATEST_LAST}, then the rest of the row, so the Java result never depends on input
     * order. Two rows equal under {@link #LATEST_LAST} are one change delivered twice, hence
     * identical, as long as the event id hashes the change's content; if it ever did not, the views
     * would pick either row, and this picks one of them deterministically.
     */
    private static final Comparator<EventRow> TOTAL = LATEST_LAST
            .thenComparing(EventRow::isDelete)
            .thenComparing(EventRow::rowImageJson, Comparator.nullsFirst(Comparator.naturalOrder()));

    private CurrentStateRule() {}

    /**
     * @param rows change-log rows of any tables, in any order, duplicates allowed
     * @return the live rows: their key and row image ({@code row_image} as JSON text), sorted by key
     */
    public static Map<TableKey, String> apply(Iterable<EventRow> rows) {
        Map<TableKey, EventRow> latest = new HashMap<>();
        for (EventRow row : rows) {
            TableKey key = new TableKey(row.sourceSchema(), row.sourceTable(), row.recordKey());
            latest.merge(key, row, (a, b) -> TOTAL.compare(a, b) >= 0 ? a : b);
        }
        Map<TableKey, String> live = new TreeMap<>();
        latest.forEach((key, row) -> {
            if (!row.isDelete()) {
                live.put(key, row.rowImageJson());
            }
        });
        return Collections.unmodifiableMap(live);
    }
}
