package com.dsqlcdc.sql.views;

import com.dsqlcdc.sql.CdcEventsTable;
import com.dsqlcdc.sql.Identifiers;
import com.dsqlcdc.sql.catalog.CatalogColumn;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.current.StateTable;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of each catalog table's audit view, {@code "<schema>"."<table>_log_latest"} (the
 * Redshift schema is named like the DSQL schema): the current state recomputed from the whole
 * change log at every read. It is the oracle the loader's state tables are checked against, not
 * what users should query: its cost grows with the table's history, while {@code <table>_current}
 * ({@link StateTable}) reads one row per key.
 *
 * <p>The rule (the same as {@link CurrentStateRule} and as the loader's MERGE): among the
 * {@code cdc_events} rows of the table, the latest per {@code record_key} by
 * {@code commit_ts_ns DESC, event_id DESC} wins, and a winning delete hides the row. The typed
 * latest-per-key query is the state table's own ({@link StateTable#latestPerKeySql}), so the view
 * and the tables cannot type a value differently. Its columns are those of {@code <table>_current}:
 * the catalog columns, {@code _commit_ts}, {@code _commit_ts_ns}, {@code _op}.
 */
public final class LogLatestViewGenerator {

    /** Appended to the table name to name its view. */
    public static final String VIEW_SUFFIX = "_log_latest";

    private LogLatestViewGenerator() {}

    /** @return the view's quoted qualified name, e.g. {@code "public"."orders_log_latest"} */
    public static String viewName(CatalogTable table) {
        return Identifiers.qualified(table.schema(), table.name() + VIEW_SUFFIX);
    }

    /** @return {@code DROP VIEW IF EXISTS <view>} (no CASCADE: a user's view on top of it fails the drop loudly) */
    public static String dropViewSql(CatalogTable table) {
        return "DROP VIEW IF EXISTS " + viewName(table);
    }

    /**
     * @return {@code CREATE VIEW <view> AS SELECT ...}: one column per catalog column in catalog
     *         order, then {@code _commit_ts}, {@code _commit_ts_ns}, {@code _op}, of the live rows
     * @throws IllegalArgumentException if a name is not a valid identifier or a column collides with
     *         a generated column (a {@link com.dsqlcdc.sql.catalog.TableCatalog} never holds either)
     */
    public static String createViewSql(CatalogTable table) {
        StateTable state = new StateTable(table);
        List<String> select = new ArrayList<>();
        for (CatalogColumn column : table.columns()) {
            select.add("l." + Identifiers.quote(column.name()));
        }
        for (String column : List.of(StateTable.COMMIT_TS, StateTable.COMMIT_TS_NS, StateTable.OP)) {
            select.add("l." + Identifiers.quote(column));
        }
        return "CREATE VIEW " + viewName(table) + " AS\n"
                + "SELECT " + String.join(", ", select) + "\n"
                + "FROM (\n" + state.latestPerKeySql(CdcEventsTable.qualifiedName()) + "\n) AS l\n"
                + "WHERE NOT l." + Identifiers.quote(StateTable.DELETED);
    }
}
