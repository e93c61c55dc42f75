package com.dsqlcdc.consumer.decode;

import java.util.Locale;

/**
 * Why a record cannot be applied. Each reason becomes the {@code Reason} dimension of the
 * quarantine metric and part of the quarantined object, so an operator can count and replay by
 * cause.
 */
public enum PoisonReason {
    /**
     * The Kinesis data is not UTF-8 JSON text, which is what DSQL writes: UTF-16 or UTF-32 (with or
     * without a byte-order mark), a byte-order mark, or bytes that are not valid UTF-8.
     */
    NOT_UTF8,
    /** The Kinesis data is not JSON. */
    NOT_JSON,
    /** The JSON is not an object. */
    NOT_AN_OBJECT,
    /** {@code type} is not {@code full}, {@code chunked} or {@code fragment}. */
    UNKNOWN_TYPE,
    /** A {@code chunked} main record or a {@code fragment} whose chunk fields are missing or invalid. */
    MALFORMED_CHUNK,
    /** A reassembled chunked image whose CRC32C differs from the main record's {@code crc32c}. */
    CHUNK_CRC_MISMATCH,
    /** No {@code op}. */
    MISSING_OP,
    /** No {@code source} object, or it lacks {@code schema}/{@code table}. */
    MISSING_SOURCE,
    /** No integer {@code source.ts_ns}: the commit time, without which the change cannot be ordered. */
    MISSING_COMMIT_TIME,
    /** The table is not in the table catalog, so its key columns are unknown. */
    TABLE_NOT_IN_CATALOG,
    /** An insert/update/unknown op without an {@code after} image. */
    MISSING_ROW_IMAGE,
    /** A delete whose {@code before} is null: DSQL sends that for tables without a primary key. */
    DELETE_WITHOUT_KEY,
    /** A catalog key column is absent or null in the image. */
    KEY_COLUMN_MISSING,
    /**
     * A key value is not what its catalog type is encoded as (a bigint sent as a string, as 1.5 or
     * beyond 64 bits, a text key sent as a number, ...): the same row could otherwise land under two
     * keys.
     */
    KEY_TYPE_MISMATCH,
    /**
     * A value wider than its {@code cdc_events} column ({@code op}: 16 bytes, {@code source.txId}: 128):
     * quarantined, never cut.
     */
    VALUE_TOO_LONG,
    /** The serialised record key is longer than {@code cdc_events.record_key} holds. */
    RECORD_KEY_TOO_LONG,
    /**
     * A string in the image is longer than a string inside the warehouse's SUPER may be (65,535 bytes,
     * or 16,000,000 with large strings opted in: {@code MAX_SUPER_STRING_BYTES}).
     */
    STRING_TOO_LONG,
    /** The row is larger than one COPY record can be (see {@code write.CopyFile}). */
    ROW_TOO_LARGE,
    /** The JSON is structurally valid but a field has the wrong type. */
    MALFORMED_FIELD;

    /** @return the reason as it appears in metrics, logs and S3 keys, e.g. {@code table-not-in-catalog} */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
