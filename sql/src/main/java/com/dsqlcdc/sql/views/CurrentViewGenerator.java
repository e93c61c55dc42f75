package com.dsqlcdc.sql.views;

import com.dsqlcdc.sql.CdcEventsTable;
import com.dsqlcdc.sql.Identifiers;
import com.dsqlcdc.sql.catalog.CatalogColumn;
import com.dsqlcdc.sql.catalog.CatalogTable;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of each catalog table's typed current-state view, {@code "<schema>"."<table>_current"}
 * (the Redshift schema is named like the DSQL schema).
 *
 * <p>The rule (the same as {@link CurrentStateRule}): among the {@code cdc_events} rows of the
 * table, the latest per {@code record_key} by {@code commit_ts_ns DESC, event_id DESC} wins, and a
 * winning delete hides the row. Each catalog column is typed from its JSON encoding in
 * {@code row_image} by {@link ColumnCasts}; three metadata columns follow: {@code _commit_ts},
 * {@code _commit_ts_ns}, {@code _op}.
 *
 * <p>Identifiers go through {@link Identifiers#quote}; the only string literals built from names
 * (the source schema and table filter) go through {@link #nameLiteral}, which refuses anything but
 * a valid identifier. No data value ever appears in the SQL.
 */
public final class CurrentViewGenerator {

    /** Appended to the table name to name its view. */
    public static final String VIEW_SUFFIX = "_current";
    /** Metadata column: {@code cdc_events.commit_ts} (TIMESTAMP, UTC) of the winning change. */
    public static final String COMMIT_TS_COLUMN = "_commit_ts";
    /** Metadata column: {@code cdc_events.commit_ts_ns} (BIGINT) of the winning change. */
    public static final String COMMIT_TS_NS_COLUMN = "_commit_ts_ns";
    /** Metadata column: {@code cdc_events.op} of the winning change (c, u or an op applied as an upsert). */
    public static final String OP_COLUMN = "_op";
    /** The views' metadata columns, after the catalog columns; no catalog column may have these names. */
    public static final List<String> METADATA_COLUMNS = List.of(COMMIT_TS_COLUMN, COMMIT_TS_NS_COLUMN, OP_COLUMN);

    /** The row number column of the inner query (not in the view's output). */
    static final String ROW_NUMBER_COLUMN = "_rn";
    /** Alias of cdc_events in the inner query and of the inner query in the outer one. */
    private static final String EVENTS = "c";

    private static final String LATEST = "e";
    private static final String INDENT = "    ";

    private CurrentViewGenerator() {}

    /** @return the view's unquoted name, {@code <table>_current} */
    public static String viewTableName(CatalogTable table) {
        Identifiers.quote(table.name()); // the table name itself must be valid, not just the name with its suffix
        return table.name() + VIEW_SUFFIX;
    }

    /** @return the view's quoted qualified name, e.g. {@code "public"."orders_current"} */
    public static String viewName(CatalogTable table) {
        return Identifiers.qualified(table.schema(), viewTableName(table));
    }

    /** @return {@code DROP VIEW IF EXISTS <view>} (no CASCADE: a user's view on top of it fails the drop loudly) */
    public static String dropViewSql(CatalogTable table) {
        return "DROP VIEW IF EXISTS " + viewName(table);
    }

    /**
     * @return {@code CREATE VIEW <view> AS SELECT ...}: one column per catalog column in catalog
     *         order, then the metadata columns
     * @throws IllegalArgumentException if a name is not a valid identifier or a column collides with
     *         a metadata column (a {@link com.dsqlcdc.sql.catalog.TableCatalog} never holds either)
     */
    public static String createViewSql(CatalogTable table) {
        if (table.columns().isEmpty()) {
            throw new IllegalArgumentException(table.qualifiedName() + " has no columns");
        }
        List<String> select = new ArrayList<>();
        for (CatalogColumn column : table.columns()) {
            if (METADATA_COLUMNS.contains(column.name())) {
                throw new IllegalArgumentException(table.qualifiedName() + "." + column.name()
                        + " collides with the view's metadata column of that name");
            }
            select.add(columnExpression(column) + " AS " + Identifiers.quote(column.name()));
        }
        select.add(LATEST + "." + Identifiers.quote(CdcEventsTable.COMMIT_TS) + " AS "
                + Identifiers.quote(COMMIT_TS_COLUMN));
        select.add(LATEST + "." + Identifiers.quote(CdcEventsTable.COMMIT_TS_NS) + " AS "
                + Identifiers.quote(COMMIT_TS_NS_COLUMN));
        select.add(LATEST + "." + Identifiers.quote(CdcEventsTable.OP) + " AS " + Identifiers.quote(OP_COLUMN));

        List<String> inner = new ArrayList<>();
        for (String column : List.of(
                CdcEventsTable.ROW_IMAGE,
                CdcEventsTable.COMMIT_TS,
                CdcEventsTable.COMMIT_TS_NS,
                CdcEventsTable.OP,
                CdcEventsTable.IS_DELETE)) {
            inner.add(EVENTS + "." + Identifiers.quote(column));
        }
        inner.add(rowNumber() + " AS " + Identifiers.quote(ROW_NUMBER_COLUMN));

        return "CREATE VIEW " + viewName(table) + " AS\n"
                + "SELECT\n"
                + INDENT + String.join(",\n" + INDENT, select) + "\n"
                + "FROM (\n"
                + INDENT + "SELECT\n"
                + INDENT + INDENT + String.join(",\n" + INDENT + INDENT, inner) + "\n"
                + INDENT + "FROM " + CdcEventsTable.qualifiedName() + " AS " + EVENTS + "\n"
                + INDENT + "WHERE " + EVENTS + "." + Identifiers.quote(CdcEventsTable.SOURCE_SCHEMA) + " = "
                + nameLiteral(table.schema()) + "\n"
                + INDENT + "  AND " + EVENTS + "." + Identifiers.quote(CdcEventsTable.SOURCE_TABLE) + " = "
                + nameLiteral(table.name()) + "\n"
                + ") AS " + LATEST + "\n"
                + "WHERE " + LATEST + "." + Identifiers.quote(ROW_NUMBER_COLUMN) + " = 1\n"
                + "  AND NOT " + LATEST + "." + Identifiers.quote(CdcEventsTable.IS_DELETE);
    }

    /**
     * @return {@code ROW_NUMBER() OVER (PARTITION BY c."record_key" ORDER BY c."commit_ts_ns" DESC,
     *         c."event_id" DESC)}: 1 for the latest change of each key, ties on the commit time broken
     *         by event_id so every run picks the same row
     */
    static String rowNumber() {
        return "ROW_NUMBER() OVER (PARTITION BY " + EVENTS + "." + Identifiers.quote(CdcEventsTable.RECORD_KEY)
                + " ORDER BY " + EVENTS + "." + Identifiers.quote(CdcEventsTable.COMMIT_TS_NS) + " DESC, "
                + EVENTS + "." + Identifiers.quote(CdcEventsTable.EVENT_ID) + " DESC)";
    }

    /** @return the typed expression of one column, read from the latest row's image */
    public static String columnExpression(CatalogColumn column) {
        return ColumnCasts.expression(column.type(), superPath(column.name()));
    }

    /** @return {@code e."row_image"."<column>"}: SUPER navigation with a quoted (case-sensitive) attribute name */
    static String superPath(String column) {
        return LATEST + "." + Identifiers.quote(CdcEventsTable.ROW_IMAGE) + "." + Identifiers.quote(column);
    }

    /**
     * A schema, table or column name as a SQL string literal, for comparing with the
     * {@code source_schema}/{@code source_table} columns. A valid identifier holds no quote, no
     * backslash and no control character, so it needs no escaping; anything else is refused.
     *
     * @return {@code 'name'}
     * @throws IllegalArgumentException if {@code name} is not a valid identifier
     */
    public static String nameLiteral(String name) {
        Identifiers.quote(name); // throws IllegalArgumentException, with the reason, unless name is a valid identifier
        return "'" + name + "'";
    }
}
