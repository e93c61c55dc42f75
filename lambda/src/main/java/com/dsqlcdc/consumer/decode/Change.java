package com.dsqlcdc.consumer.decode;

import java.util.Objects;

/**
 * A decoded, validated change: one future row of {@code cdc.cdc_events}.
 *
 * @param sourceSchema  DSQL schema
 * @param sourceTable   DSQL table
 * @param op            the op as sent ({@code c}, {@code u}, {@code d} or an unknown op applied as an upsert)
 * @param delete        whether this change removes the row
 * @param recordKey     the catalog key values as a JSON array, e.g. {@code [1000,2]}
 * @param commitTsNs    {@code source.ts_ns}: the commit time, the ordering key
 * @param commitTsMs    {@code source.ts_ms}, or {@code commitTsNs / 1e6} when absent: for the commit-to-landed lag
 * @param txId          {@code source.txId}, or null
 * @param rowImageJson  the image exactly as DSQL wrote it: {@code after}, or the key-only {@code before} of a delete
 * @param eventId       SHA-256 (hex) of the change's identity and content; equal for duplicates
 */
public record Change(
        String sourceSchema,
        String sourceTable,
        String op,
        boolean delete,
        String recordKey,
        long commitTsNs,
        long commitTsMs,
        String txId,
        String rowImageJson,
        String eventId) {
    public Change {
        Objects.requireNonNull(sourceSchema, "sourceSchema");
        Objects.requireNonNull(sourceTable, "sourceTable");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(recordKey, "recordKey");
        Objects.requireNonNull(rowImageJson, "rowImageJson");
        Objects.requireNonNull(eventId, "eventId");
    }
}
