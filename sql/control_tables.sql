-- The loader's control tables. The loader is the one writer of the current-state tables: each run
-- COPYs the staged objects it took into a temporary table, then, in one transaction that starts
-- with LOCK "cdc"."loader_state", appends the changes of batches not loaded before to cdc_events,
-- records those batches in loaded_batches, MERGEs into each affected <table>_state and advances
-- loader_state. A run that dies anywhere leaves its staged objects in S3 (they are deleted only
-- after the commit) and is simply repeated: loaded_batches keeps the log free of a second copy,
-- and the MERGE's last-writer-wins guard makes merging a change twice a no-op.
--
-- Applied at deploy time by the warehouse-schema custom resource, one statement at a time, after
-- cdc_events.sql; every statement is idempotent. Statements are separated by a line holding only ';'.

-- One row, id 1: what the loader has done, and its lock (every committing transaction of the
-- loader, and every rebuild of a state table, starts with LOCK "cdc"."loader_state").
CREATE TABLE IF NOT EXISTS "cdc"."loader_state" (
    "id"               SMALLINT  NOT NULL,
    -- Runs that committed, batches and rows they appended to cdc_events.
    "runs"             BIGINT    NOT NULL,
    "batches_loaded"   BIGINT    NOT NULL,
    "rows_loaded"      BIGINT    NOT NULL,
    -- The high-water mark: the greatest commit_ts_ns loaded so far (source.ts_ns).
    "max_commit_ts_ns" BIGINT    NOT NULL,
    "last_run_at"      TIMESTAMP,
    -- When log retention last pruned superseded events (NULL: never; retention off).
    "last_pruned_at"   TIMESTAMP
)
DISTSTYLE ALL
;

-- The one row, created once. FROM a count of the table (rather than a bare SELECT ... WHERE) so
-- the statement runs on Redshift's compute nodes like any other insert.
INSERT INTO "cdc"."loader_state" ("id", "runs", "batches_loaded", "rows_loaded", "max_commit_ts_ns")
SELECT 1, 0, 0, 0, 0 FROM (SELECT COUNT(*) AS "n" FROM "cdc"."loader_state") AS "existing" WHERE "existing"."n" = 0
;

-- Every staged batch whose changes are in cdc_events: a repeated run, or a batch staged twice,
-- appends nothing twice. Kept for the loader's loadedBatchRetentionDays (longer than Kinesis keeps
-- a record, so a batch the consumer stages again is still known), then pruned by the loader.
CREATE TABLE IF NOT EXISTS "cdc"."loaded_batches" (
    -- SHA-256 of the staged object's rows (the consumer names the object after it too).
    "batch_id"  CHAR(64)  NOT NULL,
    "row_count" BIGINT    NOT NULL,
    "loaded_at" TIMESTAMP NOT NULL
)
DISTSTYLE KEY
DISTKEY ("batch_id")
SORTKEY ("loaded_at")
;

-- One row per state table: the shape (StateTable.shape(): catalog entry and casts) it was built
-- for. A table whose shape differs from the deployed catalog's is rebuilt from the log at deploy
-- time, and a loader built for another catalog refuses to merge into it.
CREATE TABLE IF NOT EXISTS "cdc"."current_tables" (
    "source_schema" VARCHAR(127) NOT NULL,
    "source_table"  VARCHAR(127) NOT NULL,
    "shape"         CHAR(64)     NOT NULL,
    "built_at"      TIMESTAMP    NOT NULL
)
DISTSTYLE ALL
;

REVOKE ALL ON "cdc"."loader_state" FROM PUBLIC
;
REVOKE ALL ON "cdc"."loaded_batches" FROM PUBLIC
;
REVOKE ALL ON "cdc"."current_tables" FROM PUBLIC
;
