package com.dsqlcdc.sql;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The part of one {@code "cdc"."cdc_events"} row that decides current state: what the consumer
 * writes for one CDC record, reduced to the columns the current-state views read. The Java mirror
 * of the views' rule, {@link com.dsqlcdc.sql.views.CurrentStateRule}, takes these.
 *
 * @param sourceSchema  {@code source.schema} of the record
 * @param sourceTable   {@code source.table} of the record
 * @param recordKey     the key column values in catalog key order, as JSON array text
 *                      (e.g. {@code [1000,2]})
 * @param commitTsNs    {@code source.ts_ns}: the commit time, the ordering key
 * @param eventId       lowercase hex SHA-256 (64 characters) of the change: equal for duplicates of one
 *                      change, the tie-break between two changes of a key with one commit time.
 *                      Validated because the views compare it as {@code CHAR(64)} text: only
 *                      lowercase hex orders the same in Redshift and in Java
 * @param isDelete      whether the change is a delete (a tombstone)
 * @param rowImageJson  the row image as DSQL encoded it: {@code after} for upserts, the key-only
 *                      {@code before} for deletes; may be {@code null}
 */
public record EventRow(
        String sourceSchema,
        String sourceTable,
        String recordKey,
        long commitTsNs,
        String eventId,
        boolean isDelete,
        String rowImageJson) {

    private static final Pattern EVENT_ID = Pattern.compile("[0-9a-f]{64}");

    public EventRow {
        Objects.requireNonNull(sourceSchema, "sourceSchema");
        Objects.requireNonNull(sourceTable, "sourceTable");
        Objects.requireNonNull(recordKey, "recordKey");
        Objects.requireNonNull(eventId, "eventId");
        if (!EVENT_ID.matcher(eventId).matches()) {
            throw new IllegalArgumentException(
                    "eventId must be a lowercase hex SHA-256 (64 characters of 0-9a-f), got '"
                            + (eventId.length() > 80 ? eventId.substring(0, 80) + "…" : eventId) + "'");
        }
    }
}
