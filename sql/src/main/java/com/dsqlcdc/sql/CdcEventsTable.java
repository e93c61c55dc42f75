package com.dsqlcdc.sql;

import java.util.List;

/**
 * The names of the append-only change log, {@code "cdc"."cdc_events"} (DDL in
 * {@code sql/cdc_events.sql}): the one place the consumer's INSERT, the views and the tests take
 * them from.
 */
public final class CdcEventsTable {

    /** The Redshift schema that holds the change log. */
    public static final String SCHEMA = "cdc";
    /** The change log table. */
    public static final String TABLE = "cdc_events";
    /** Where {@code sql/cdc_events.sql} is on the classpath. */
    public static final String DDL_RESOURCE = "/dsql-cdc-sql/cdc_events.sql";

    public static final String SOURCE_SCHEMA = "source_schema";
    public static final String SOURCE_TABLE = "source_table";
    public static final String RECORD_KEY = "record_key";
    public static final String COMMIT_TS_NS = "commit_ts_ns";
    public static final String COMMIT_TS = "commit_ts";
    public static final String OP = "op";
    public static final String IS_DELETE = "is_delete";
    public static final String TX_ID = "tx_id";
    public static final String EVENT_ID = "event_id";
    public static final String ROW_IMAGE = "row_image";
    public static final String KINESIS_SHARD_ID = "kinesis_shard_id";
    public static final String KINESIS_SEQUENCE_NUMBER = "kinesis_sequence_number";

    /** The columns the consumer writes, in INSERT order ({@code ingested_at} takes its default). */
    public static final List<String> INSERT_COLUMNS = List.of(
            SOURCE_SCHEMA,
            SOURCE_TABLE,
            RECORD_KEY,
            COMMIT_TS_NS,
            COMMIT_TS,
            OP,
            IS_DELETE,
            TX_ID,
            EVENT_ID,
            ROW_IMAGE,
            KINESIS_SHARD_ID,
            KINESIS_SEQUENCE_NUMBER);

    /** Longest record key the table holds, in bytes (VARCHAR(2048)); longer keys are quarantined. */
    public static final int MAX_RECORD_KEY_BYTES = 2048;
    /** Longest op the table holds, in bytes (VARCHAR(16)); a longer (unknown) op is quarantined, never cut. */
    public static final int MAX_OP_BYTES = 16;
    /** Longest transaction id the table holds, in bytes (VARCHAR(128)); a longer one is quarantined, never cut. */
    public static final int MAX_TX_ID_BYTES = 128;

    private CdcEventsTable() {}

    /** @return {@code "cdc"."cdc_events"} */
    public static String qualifiedName() {
        return Identifiers.qualified(SCHEMA, TABLE);
    }
}
