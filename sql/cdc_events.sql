-- The append-only change log. One row per CDC record that landed; never updated, never deleted
-- by the pipeline. Current state is reconstructed at read time by the <table>_current views:
-- the latest row per (source_schema, source_table, record_key) by commit_ts_ns, ties broken by
-- event_id, deletes hidden. Duplicates and out-of-order arrival therefore change nothing.
--
-- Applied at deploy time by the warehouse-schema custom resource, one statement at a time;
-- every statement is idempotent (IF NOT EXISTS) because the resource re-runs on every change.
-- Statements are separated by a line holding only ';' (see WarehouseSchema).

CREATE SCHEMA IF NOT EXISTS "cdc"
;

CREATE TABLE IF NOT EXISTS "cdc"."cdc_events" (
    -- Where the change happened: DSQL source.schema and source.table.
    "source_schema"           VARCHAR(127)  NOT NULL,
    "source_table"            VARCHAR(127)  NOT NULL,
    -- The row's primary key: the catalog's key columns, in key order, serialised as a JSON array
    -- (e.g. [1000,2]); stable and unambiguous for composite keys.
    "record_key"              VARCHAR(2048) NOT NULL,
    -- The exact commit time, source.ts_ns: the ordering key (never the processing time ts_ns).
    "commit_ts_ns"            BIGINT        NOT NULL,
    -- The same instant as a TIMESTAMP (µs precision), for humans and range filters.
    "commit_ts"               TIMESTAMP     NOT NULL,
    -- The record's op as sent (c, u, d or an op this pipeline does not know, applied as an upsert).
    "op"                      VARCHAR(16)   NOT NULL,
    "is_delete"               BOOLEAN       NOT NULL,
    -- DSQL transaction id, source.txId.
    "tx_id"                   VARCHAR(128),
    -- SHA-256 (hex) of the change's identity and content: equal for duplicates of one change,
    -- and the deterministic tie-break when two changes of a key share a commit_ts_ns.
    "event_id"                CHAR(64)      NOT NULL,
    -- The row image: `after` for upserts, the key-only `before` for deletes.
    "row_image"               SUPER,
    -- Where the record came from in Kinesis, to trace a row back to its record.
    "kinesis_shard_id"        VARCHAR(128),
    "kinesis_sequence_number" VARCHAR(128),
    "ingested_at"             TIMESTAMP     NOT NULL DEFAULT GETDATE()
)
-- DISTKEY record_key: every version of a row lives on one slice, so the views' window
-- (PARTITION BY record_key) runs without redistributing the table. Keys are high-cardinality,
-- so slices stay even.
DISTSTYLE KEY
DISTKEY ("record_key")
-- A view reads one source table: the leading (source_schema, source_table) columns let zone maps
-- skip every other table's blocks, and (record_key, commit_ts_ns) makes the window's sort
-- cheap on sorted data.
COMPOUND SORTKEY ("source_schema", "source_table", "record_key", "commit_ts_ns")
;

-- Nobody but the owner and the explicit grants below may read or write the log.
REVOKE ALL ON "cdc"."cdc_events" FROM PUBLIC
;
