package com.dsqlcdc.sql.current;

import com.dsqlcdc.sql.CdcEventsTable;
import com.dsqlcdc.sql.Identifiers;
import com.dsqlcdc.sql.catalog.CatalogColumn;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.views.ColumnCasts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One catalog table's current state in the warehouse: the physical table the loader MERGEs into,
 * {@code "<schema>"."<table>_state"}, and the view users query, {@code "<schema>"."<table>_current"}.
 *
 * <p>The state table holds one row per key ever seen: the catalog columns typed once, at merge
 * time, by {@link ColumnCasts} (the DSQL encoding rules), and the metadata of the change that
 * wrote it: {@value #RECORD_KEY} (the log's {@code record_key}, the merge key), {@value #COMMIT_TS},
 * {@value #COMMIT_TS_NS}, {@value #EVENT_ID}, {@value #OP} and {@value #DELETED}. A delete leaves
 * its key behind as a <em>tombstone</em> ({@value #DELETED} true, non-key columns NULL), so an
 * older upsert arriving later cannot bring the row back: the MERGE only applies a change whose
 * {@code (commit_ts_ns, event_id)} is greater than the stored one. The view hides tombstones and
 * shows the same columns as the log views did: the catalog columns, {@value #COMMIT_TS},
 * {@value #COMMIT_TS_NS}, {@value #OP}.
 *
 * <p>{@link #shape()} fingerprints everything the table's layout and contents depend on (the
 * catalog entry and the casts); the warehouse records it per table ({@code cdc.current_tables}),
 * and a table whose recorded shape differs is rebuilt from the log at deploy time
 * ({@link #rebuildStatements}).
 */
public final class StateTable {

    /** Suffix of the physical table. */
    public static final String STATE_SUFFIX = "_state";
    /** Suffix of the view users query. */
    public static final String CURRENT_SUFFIX = "_current";
    /** Suffix of the table a rebuild fills before it takes the state table's place. */
    static final String REBUILD_SUFFIX = "_state$new";

    /** Bytes of the longest suffix of a generated name (the audit view's {@code _log_latest}). */
    public static final int LONGEST_SUFFIX_BYTES = Math.max(
            com.dsqlcdc.sql.views.LogLatestViewGenerator.VIEW_SUFFIX.length(),
            Math.max(REBUILD_SUFFIX.length(), Math.max(STATE_SUFFIX.length(), CURRENT_SUFFIX.length())));

    /** The change log's {@code record_key}: the key columns as a JSON array, the merge key. */
    public static final String RECORD_KEY = "_record_key";
    /** Commit time of the change that wrote the row (TIMESTAMP, UTC). */
    public static final String COMMIT_TS = "_commit_ts";
    /** The same, {@code source.ts_ns}: with {@link #EVENT_ID}, what decides which change is newer. */
    public static final String COMMIT_TS_NS = "_commit_ts_ns";
    /** Event id of the change that wrote the row: the tie-break between changes of one commit time. */
    public static final String EVENT_ID = "_event_id";
    /** Op of the change that wrote the row ({@code c}, {@code u}, {@code d}, {@code r} or an op applied as an upsert). */
    public static final String OP = "_op";
    /** Whether the row is a tombstone (its latest change is a delete). */
    public static final String DELETED = "_deleted";

    /** Metadata columns of the state table, in table order after the catalog columns. */
    public static final List<String> METADATA_COLUMNS = List.of(COMMIT_TS, COMMIT_TS_NS, EVENT_ID, OP, DELETED);
    /** Every name the generated tables and views use besides the catalog's: no catalog column may take one. */
    public static final List<String> RESERVED_COLUMNS =
            List.of(RECORD_KEY, COMMIT_TS, COMMIT_TS_NS, EVENT_ID, OP, DELETED);

    /**
     * Version of the state-table layout and of the casts: part of every {@link #shape()}, so
     * changing either here rebuilds every table at the next deploy.
     */
    static final String LAYOUT_VERSION = "state-table-v1";

    private static final String INDENT = "    ";

    private final CatalogTable table;

    /** @param table a validated catalog table (valid identifiers, no reserved column names) */
    public StateTable(CatalogTable table) {
        for (CatalogColumn column : table.columns()) {
            if (RESERVED_COLUMNS.contains(column.name())) {
                throw new IllegalArgumentException(table.qualifiedName() + "." + column.name()
                        + " collides with the generated column of that name");
            }
        }
        Identifiers.quote(table.schema());
        Identifiers.quote(table.name());
        if (table.name().getBytes(StandardCharsets.UTF_8).length > Identifiers.MAX_BYTES - LONGEST_SUFFIX_BYTES) {
            throw new IllegalArgumentException(table.qualifiedName() + ": the name is too long for the generated names;"
                    + " at most " + (Identifiers.MAX_BYTES - LONGEST_SUFFIX_BYTES) + " bytes");
        }
        this.table = table;
    }

    /** @return the catalog table */
    public CatalogTable catalogTable() {
        return table;
    }

    /** @return {@code "<schema>"."<table>_state"} */
    public String stateTable() {
        return Identifiers.qualified(table.schema(), table.name() + STATE_SUFFIX);
    }

    /** @return {@code "<schema>"."<table>_current"} */
    public String currentView() {
        return Identifiers.qualified(table.schema(), table.name() + CURRENT_SUFFIX);
    }

    /** @return the quoted name of the table a rebuild fills, {@code "<schema>"."<table>_state$new"} */
    String rebuildTable() {
        return Identifiers.qualified(table.schema(), table.name() + REBUILD_SUFFIX);
    }

    /**
     * @return SHA-256 (lowercase hex) of the layout version, the table's name, key and columns with
     *         their types: equal exactly when the state table built for it has the right layout and
     *         casts
     */
    public String shape() {
        String text = LAYOUT_VERSION + "\n" + table.schema() + "\n" + table.name() + "\n"
                + String.join(",", table.primaryKey()) + "\n"
                + table.columns().stream().map(c -> c.name() + " " + c.type()).collect(Collectors.joining("\n"));
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** @return the state table's column names in table order: record key, catalog columns, metadata */
    public List<String> columns() {
        List<String> columns = new ArrayList<>();
        columns.add(RECORD_KEY);
        table.columns().forEach(c -> columns.add(c.name()));
        columns.addAll(METADATA_COLUMNS);
        return columns;
    }

    /** @return {@code CREATE TABLE IF NOT EXISTS} of the state table */
    public String createStateTableSql() {
        return createTableSql("CREATE TABLE IF NOT EXISTS " + stateTable());
    }

    private String createTableSql(String head) {
        List<String> columns = new ArrayList<>();
        columns.add(Identifiers.quote(RECORD_KEY) + " VARCHAR(" + CdcEventsTable.MAX_RECORD_KEY_BYTES + ") NOT NULL");
        for (CatalogColumn column : table.columns()) {
            columns.add(Identifiers.quote(column.name()) + " " + ColumnCasts.redshiftType(column.type()));
        }
        columns.add(Identifiers.quote(COMMIT_TS) + " TIMESTAMP NOT NULL");
        columns.add(Identifiers.quote(COMMIT_TS_NS) + " BIGINT NOT NULL");
        columns.add(Identifiers.quote(EVENT_ID) + " CHAR(64) NOT NULL");
        columns.add(Identifiers.quote(OP) + " VARCHAR(" + CdcEventsTable.MAX_OP_BYTES + ") NOT NULL");
        columns.add(Identifiers.quote(DELETED) + " BOOLEAN NOT NULL");
        String sortKey = table.primaryKey().stream().map(Identifiers::quote).collect(Collectors.joining(", "));
        // DISTKEY _record_key: the MERGE joins the run's changes to this table on it, so both sides of
        // the join are on the same slice. SORTKEY on the typed key: what users' range filters hit.
        return head + " (\n" + INDENT + String.join(",\n" + INDENT, columns) + "\n)\n"
                + "DISTSTYLE KEY\n"
                + "DISTKEY (" + Identifiers.quote(RECORD_KEY) + ")\n"
                + "COMPOUND SORTKEY (" + sortKey + ")";
    }

    /**
     * @return {@code CREATE VIEW} of {@code <table>_current}: the live rows of the state table, the
     *         catalog columns then {@value #COMMIT_TS}, {@value #COMMIT_TS_NS}, {@value #OP}
     */
    public String createCurrentViewSql() {
        List<String> select = new ArrayList<>();
        table.columns().forEach(c -> select.add(Identifiers.quote(c.name())));
        for (String column : List.of(COMMIT_TS, COMMIT_TS_NS, OP)) {
            select.add(Identifiers.quote(column));
        }
        return "CREATE VIEW " + currentView() + " AS\n"
                + "SELECT " + String.join(", ", select) + "\n"
                + "FROM " + stateTable() + "\n"
                + "WHERE NOT " + Identifiers.quote(DELETED);
    }

    /** @return {@code DROP VIEW IF EXISTS} of {@code <table>_current} (no CASCADE: a user's view on top fails the drop loudly) */
    public String dropCurrentViewSql() {
        return "DROP VIEW IF EXISTS " + currentView();
    }

    /**
     * The typed row of one change, for a {@code SELECT} over rows shaped like {@code cdc_events}
     * (the log itself or the loader's staged rows) under alias {@code alias}.
     *
     * @param alias the alias of the change rows
     * @return the expressions, in {@link #columns()} order, each aliased to its column name
     */
    public List<String> typedSelect(String alias) {
        List<String> select = new ArrayList<>();
        select.add(ref(alias, CdcEventsTable.RECORD_KEY) + " AS " + Identifiers.quote(RECORD_KEY));
        String image = ref(alias, CdcEventsTable.ROW_IMAGE);
        for (CatalogColumn column : table.columns()) {
            select.add(ColumnCasts.expression(column.type(), image + "." + Identifiers.quote(column.name())) + " AS "
                    + Identifiers.quote(column.name()));
        }
        select.add(ref(alias, CdcEventsTable.COMMIT_TS) + " AS " + Identifiers.quote(COMMIT_TS));
        select.add(ref(alias, CdcEventsTable.COMMIT_TS_NS) + " AS " + Identifiers.quote(COMMIT_TS_NS));
        select.add(ref(alias, CdcEventsTable.EVENT_ID) + " AS " + Identifiers.quote(EVENT_ID));
        select.add(ref(alias, CdcEventsTable.OP) + " AS " + Identifiers.quote(OP));
        select.add(ref(alias, CdcEventsTable.IS_DELETE) + " AS " + Identifiers.quote(DELETED));
        return select;
    }

    /**
     * {@code SELECT} of the typed latest change per key among rows shaped like {@code cdc_events}
     * of this table: a row number over {@code (commit_ts_ns DESC, event_id DESC)} per record key, the
     * first kept (deletes included: they become tombstones).
     *
     * @param from a table with the change log's columns, e.g. {@code "cdc"."cdc_events"} or a temp table
     * @return the query, its columns in {@link #columns()} order
     */
    public String latestPerKeySql(String from) {
        String changes = "c";
        String latest = "l";
        return "SELECT\n"
                + INDENT + String.join(",\n" + INDENT, typedSelect(latest)) + "\n"
                + "FROM (\n"
                + INDENT + "SELECT " + changes + ".*, ROW_NUMBER() OVER (PARTITION BY "
                + ref(changes, CdcEventsTable.RECORD_KEY) + " ORDER BY " + ref(changes, CdcEventsTable.COMMIT_TS_NS)
                + " DESC, " + ref(changes, CdcEventsTable.EVENT_ID) + " DESC) AS \"_rn\"\n"
                + INDENT + "FROM " + from + " AS " + changes + "\n"
                + INDENT + "WHERE " + ref(changes, CdcEventsTable.SOURCE_SCHEMA) + " = "
                + Identifiers.literal(table.schema())
                + " AND " + ref(changes, CdcEventsTable.SOURCE_TABLE) + " = " + Identifiers.literal(table.name()) + "\n"
                + ") AS " + latest + "\n"
                + "WHERE " + latest + ".\"_rn\" = 1";
    }

    /**
     * Deletes from {@code source} (typed changes, one per key, in {@link #columns()} layout) every
     * change that is not newer than the state table's row of its key: what stays is exactly what the
     * MERGE must apply. Newer means a greater {@code commit_ts_ns}, or an equal one and a greater
     * {@code event_id}; a change equal to the stored one (a duplicate) is dropped too.
     *
     * @param source quoted name of the source table
     * @return the {@code DELETE ... USING} statement
     */
    public String deleteNotNewerSql(String source) {
        String state = "t";
        return "DELETE FROM " + source + " USING " + stateTable() + " AS " + state + "\n"
                + "WHERE " + source + "." + Identifiers.quote(RECORD_KEY) + " = " + ref(state, RECORD_KEY) + "\n"
                + "  AND (" + ref(state, COMMIT_TS_NS) + " > " + source + "." + Identifiers.quote(COMMIT_TS_NS) + "\n"
                + "       OR (" + ref(state, COMMIT_TS_NS) + " = " + source + "." + Identifiers.quote(COMMIT_TS_NS)
                + " AND " + ref(state, EVENT_ID) + " >= " + source + "." + Identifiers.quote(EVENT_ID) + "))";
    }

    /**
     * MERGE of {@code source} (typed changes, at most one per key, each newer than the stored row:
     * see {@link #deleteNotNewerSql}) into the state table: a key that exists takes the change's
     * values, tombstone flag included; a new key is inserted (a delete of an unseen key inserts its
     * tombstone).
     *
     * @param source quoted name of the source table
     * @return the MERGE statement (Redshift's form: no alias on the target, both clauses present)
     */
    public String mergeSql(String source) {
        String s = "s";
        List<String> set = new ArrayList<>();
        List<String> values = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String column : columns()) {
            names.add(Identifiers.quote(column));
            values.add(ref(s, column));
            if (!column.equals(RECORD_KEY)) {
                set.add(Identifiers.quote(column) + " = " + ref(s, column));
            }
        }
        return "MERGE INTO " + stateTable() + "\n"
                + "USING " + source + " AS " + s + "\n"
                + "ON " + stateTable() + "." + Identifiers.quote(RECORD_KEY) + " = " + ref(s, RECORD_KEY) + "\n"
                + "WHEN MATCHED THEN UPDATE SET\n"
                + INDENT + String.join(",\n" + INDENT, set) + "\n"
                + "WHEN NOT MATCHED THEN INSERT (" + String.join(", ", names) + ")\n"
                + "VALUES (" + String.join(", ", values) + ")";
    }

    /**
     * Rebuilds the state table from the log, for a table that is new or whose shape changed, as one
     * transaction (one BatchExecuteStatement): under the loader's lock (so no run merges into the old
     * table meanwhile), the new table is filled from the log's latest change per key before it takes
     * the old one's place, and the view is recreated over it in the same transaction. Readers see
     * the old view until the commit and the new one after: never an empty table.
     *
     * @param lockTable   the loader's lock table ({@code "cdc"."loader_state"})
     * @param shapesTable the table recording each state table's shape ({@code "cdc"."current_tables"})
     * @return the statements, in order
     */
    public List<String> rebuildStatements(String lockTable, String shapesTable) {
        List<String> statements = new ArrayList<>();
        statements.add("LOCK " + lockTable);
        statements.add("DROP TABLE IF EXISTS " + rebuildTable());
        statements.add(createTableSql("CREATE TABLE " + rebuildTable()));
        statements.add("INSERT INTO " + rebuildTable() + " (" + quotedColumns() + ")\n"
                + latestPerKeySql(CdcEventsTable.qualifiedName()));
        statements.add(dropCurrentViewSql());
        statements.add("DROP TABLE IF EXISTS " + stateTable());
        statements.add(
                "ALTER TABLE " + rebuildTable() + " RENAME TO " + Identifiers.quote(table.name() + STATE_SUFFIX));
        statements.add(createCurrentViewSql());
        statements.add("DELETE FROM " + shapesTable + " WHERE " + Identifiers.quote(CdcEventsTable.SOURCE_SCHEMA)
                + " = "
                + Identifiers.literal(table.schema()) + " AND " + Identifiers.quote(CdcEventsTable.SOURCE_TABLE) + " = "
                + Identifiers.literal(table.name()));
        statements.add("INSERT INTO " + shapesTable + " (" + Identifiers.quote(CdcEventsTable.SOURCE_SCHEMA) + ", "
                + Identifiers.quote(CdcEventsTable.SOURCE_TABLE) + ", " + Identifiers.quote(ControlTables.SHAPE) + ", "
                + Identifiers.quote(ControlTables.BUILT_AT) + ") VALUES (" + Identifiers.literal(table.schema()) + ", "
                + Identifiers.literal(table.name()) + ", '" + shape() + "', GETDATE())");
        return statements;
    }

    /** @return the state table's columns, quoted, comma-separated */
    public String quotedColumns() {
        return columns().stream().map(Identifiers::quote).collect(Collectors.joining(", "));
    }

    private static String ref(String alias, String column) {
        return alias + "." + Identifiers.quote(column);
    }
}
