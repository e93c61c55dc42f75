package com.dsqlcdc.sql.current;

import com.dsqlcdc.sql.CdcEventsTable;
import com.dsqlcdc.sql.Identifiers;

/**
 * The names of the loader's control tables (DDL in {@code sql/control_tables.sql}): the one place
 * the loader, the schema resource and the tests take them from.
 */
public final class ControlTables {

    /** Where {@code sql/control_tables.sql} is on the classpath. */
    public static final String DDL_RESOURCE = "/dsql-cdc-sql/control_tables.sql";

    /** The one-row table of the loader's totals and high-water mark, and the loader's lock. */
    public static final String LOADER_STATE = "loader_state";
    /** Every staged batch whose changes are in the log. */
    public static final String LOADED_BATCHES = "loaded_batches";
    /** The shape each state table was built for. */
    public static final String CURRENT_TABLES = "current_tables";

    public static final String RUNS = "runs";
    public static final String BATCHES_LOADED = "batches_loaded";
    public static final String ROWS_LOADED = "rows_loaded";
    public static final String MAX_COMMIT_TS_NS = "max_commit_ts_ns";
    public static final String LAST_RUN_AT = "last_run_at";
    public static final String LAST_PRUNED_AT = "last_pruned_at";

    public static final String BATCH_ID = "batch_id";
    public static final String ROW_COUNT = "row_count";
    public static final String LOADED_AT = "loaded_at";

    public static final String SHAPE = "shape";
    public static final String BUILT_AT = "built_at";

    private ControlTables() {}

    /** @return {@code "cdc"."loader_state"} */
    public static String loaderState() {
        return Identifiers.qualified(CdcEventsTable.SCHEMA, LOADER_STATE);
    }

    /** @return {@code "cdc"."loaded_batches"} */
    public static String loadedBatches() {
        return Identifiers.qualified(CdcEventsTable.SCHEMA, LOADED_BATCHES);
    }

    /** @return {@code "cdc"."current_tables"} */
    public static String currentTables() {
        return Identifiers.qualified(CdcEventsTable.SCHEMA, CURRENT_TABLES);
    }
}
