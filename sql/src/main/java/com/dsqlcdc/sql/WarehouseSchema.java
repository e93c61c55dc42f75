package com.dsqlcdc.sql;

import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.sql.current.ControlTables;
import com.dsqlcdc.sql.current.StateTable;
import com.dsqlcdc.sql.views.LogLatestViewGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything the warehouse needs, as SQL: what the warehouse-schema custom resource applies to
 * Redshift Serverless at deploy time, and again on every change (so each statement is idempotent).
 *
 * <ol>
 *   <li>{@link #statements()}, one Data API statement each: the change log DDL
 *       ({@code sql/cdc_events.sql}), the loader's control tables ({@code sql/control_tables.sql}),
 *       {@code CREATE SCHEMA IF NOT EXISTS} for each schema of the catalog's tables, and each table's
 *       audit view {@code <table>_log_latest} (dropped and created: {@code CREATE OR REPLACE VIEW}
 *       cannot change a view's columns);
 *   <li>{@link StateTable#rebuildStatements} of each table whose state table is missing or was built
 *       for another shape (the resource reads {@code cdc.current_tables} to decide), each as one
 *       transaction;
 *   <li>{@link #grantStatements()}: the loader's grants, to {@link #LOADER_USER_PLACEHOLDER}: what
 *       its COPY, MERGE and control-table statements need, nothing more.
 * </ol>
 *
 * <p>Nothing is granted to PUBLIC. The loader user must exist before the grants run (the custom
 * resource creates it). The views need {@code enable_case_sensitive_identifier} on when they are
 * created (the workgroup sets it): their quoted names and SUPER attribute names are case-sensitive.
 */
public final class WarehouseSchema {

    /**
     * Placeholder the schema custom resource replaces, at deploy time, with the quoted loader user
     * ("IAMR:&lt;role&gt;"), whose role name CloudFormation only knows then.
     */
    public static final String LOADER_USER_PLACEHOLDER = "{{loader_user}}";

    /** The Data API's limit on one statement's SQL text is 100 KB; kept with a margin. */
    public static final int MAX_STATEMENT_BYTES = 100_000;

    /** Separates statements in the checked-in SQL files: a line holding only {@code ;}. */
    private static final Pattern SEPARATOR = Pattern.compile("(?m)^[ \\t]*;[ \\t]*\\r?$");
    /** A line that is blank or only a {@code --} comment. */
    private static final Pattern NOT_SQL_LINE = Pattern.compile("[ \\t]*(--.*)?\\r?");

    private final List<StateTable> tables;
    private final List<String> statements;
    private final List<String> grantStatements;
    private final List<String> schemas;

    private WarehouseSchema(
            List<StateTable> tables, List<String> statements, List<String> grantStatements, List<String> schemas) {
        this.tables = List.copyOf(tables);
        this.statements = List.copyOf(statements);
        this.grantStatements = List.copyOf(grantStatements);
        this.schemas = List.copyOf(schemas);
    }

    /**
     * @param catalog    the captured tables (validated: every name is a valid identifier)
     * @param logPruning whether the loader prunes the log ({@code warehouse.logRetentionDays}): only
     *                   then may it delete from {@code cdc_events}
     * @throws IllegalArgumentException if a statement would exceed {@link #MAX_STATEMENT_BYTES}
     *         (a table with very many columns)
     */
    public static WarehouseSchema of(TableCatalog catalog, boolean logPruning) {
        Objects.requireNonNull(catalog, "catalog");
        List<StateTable> tables = catalog.tables().stream().map(StateTable::new).toList();
        List<String> statements = new ArrayList<>(splitStatements(readResource(CdcEventsTable.DDL_RESOURCE)));
        statements.addAll(splitStatements(readResource(ControlTables.DDL_RESOURCE)));

        Set<String> schemas = new LinkedHashSet<>();
        for (CatalogTable table : catalog.tables()) {
            schemas.add(Identifiers.quote(table.schema()));
        }
        for (String schema : schemas) {
            statements.add("CREATE SCHEMA IF NOT EXISTS " + schema);
        }
        for (CatalogTable table : catalog.tables()) {
            statements.add(LogLatestViewGenerator.dropViewSql(table));
            statements.add(LogLatestViewGenerator.createViewSql(table));
        }

        String user = LOADER_USER_PLACEHOLDER;
        List<String> grants = new ArrayList<>();
        grants.add("GRANT USAGE ON SCHEMA " + Identifiers.quote(CdcEventsTable.SCHEMA) + " TO " + user);
        // INSERT ... SELECT from the run's staged changes; SELECT because the prune reads the log, and
        // DELETE only when pruning is on.
        grants.add("GRANT " + (logPruning ? "SELECT, INSERT, DELETE" : "INSERT") + " ON "
                + CdcEventsTable.qualifiedName() + " TO " + user);
        // UPDATE: the totals and high-water mark, and what LOCK needs.
        grants.add("GRANT SELECT, UPDATE ON " + ControlTables.loaderState() + " TO " + user);
        grants.add("GRANT SELECT, INSERT, DELETE ON " + ControlTables.loadedBatches() + " TO " + user);
        grants.add("GRANT SELECT ON " + ControlTables.currentTables() + " TO " + user);
        for (String schema : schemas) {
            grants.add("GRANT USAGE ON SCHEMA " + schema + " TO " + user);
        }
        for (StateTable table : tables) {
            grants.addAll(stateTableGrants(table));
        }

        for (String statement : concat(statements, grants, tables)) {
            int bytes = statement.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_STATEMENT_BYTES) {
                throw new IllegalArgumentException(
                        "a warehouse schema statement is " + bytes + " bytes, over the Data API's"
                                + " limit (" + MAX_STATEMENT_BYTES + "): "
                                + statement.lines().findFirst().orElse("")
                                + " ... (capture fewer columns of that table)");
            }
        }
        return new WarehouseSchema(tables, statements, grants, new ArrayList<>(schemas));
    }

    /** The MERGE reads, updates and inserts; it never deletes (a delete leaves a tombstone). */
    private static List<String> stateTableGrants(StateTable table) {
        return List.of("GRANT SELECT, INSERT, UPDATE ON " + table.stateTable() + " TO " + LOADER_USER_PLACEHOLDER);
    }

    private static List<String> concat(List<String> statements, List<String> grants, List<StateTable> tables) {
        List<String> all = new ArrayList<>(statements);
        all.addAll(grants);
        for (StateTable table : tables) {
            all.addAll(table.rebuildStatements(ControlTables.loaderState(), ControlTables.currentTables()));
        }
        return all;
    }

    /**
     * The change log and control tables DDL, the schemas, and the audit views, in order; each
     * statement idempotent. No GRANT to PUBLIC anywhere.
     */
    public List<String> statements() {
        return statements;
    }

    /** The state tables, one per catalog table, in catalog order. */
    public List<StateTable> tables() {
        return tables;
    }

    /**
     * @param table one of {@link #tables()}
     * @return its rebuild, one transaction: see {@link StateTable#rebuildStatements}; the loader's
     *         grants on the new table are part of it
     */
    public List<String> rebuildStatements(StateTable table) {
        List<String> statements =
                new ArrayList<>(table.rebuildStatements(ControlTables.loaderState(), ControlTables.currentTables()));
        statements.addAll(stateTableGrants(table));
        return statements;
    }

    /**
     * @return {@code SELECT source_schema, source_table, shape FROM cdc.current_tables}: what the
     *         resource compares with each table's {@link StateTable#shape()}
     */
    public static String recordedShapesSql() {
        return "SELECT " + Identifiers.quote(CdcEventsTable.SOURCE_SCHEMA) + ", "
                + Identifiers.quote(CdcEventsTable.SOURCE_TABLE) + ", " + Identifiers.quote(ControlTables.SHAPE)
                + " FROM " + ControlTables.currentTables();
    }

    /**
     * What a table dropped from the catalog leaves behind: its views, its state table and its
     * recorded shape (the log keeps its events; adding the table back rebuilds it from them).
     *
     * @param schema the table's schema
     * @param name   the table's name
     * @return the statements, each idempotent
     */
    public static List<String> dropTableStatements(String schema, String name) {
        return List.of(
                "DROP VIEW IF EXISTS " + Identifiers.qualified(schema, name + StateTable.CURRENT_SUFFIX),
                "DROP VIEW IF EXISTS " + Identifiers.qualified(schema, name + LogLatestViewGenerator.VIEW_SUFFIX),
                "DROP TABLE IF EXISTS " + Identifiers.qualified(schema, name + StateTable.STATE_SUFFIX),
                "DELETE FROM " + ControlTables.currentTables() + " WHERE "
                        + Identifiers.quote(CdcEventsTable.SOURCE_SCHEMA)
                        + " = " + Identifiers.literal(schema) + " AND "
                        + Identifiers.quote(CdcEventsTable.SOURCE_TABLE) + " = " + Identifiers.literal(name));
    }

    /** The loader's grants, in order, to {@link #LOADER_USER_PLACEHOLDER}. */
    public List<String> grantStatements() {
        return grantStatements;
    }

    /** Schemas of the catalog's tables, quoted ({@code "public"}), each once, in catalog order. */
    public List<String> schemas() {
        return schemas;
    }

    private static String readResource(String resource) {
        try (InputStream in = WarehouseSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath: build the sql module");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /**
     * Splits a SQL file into statements at lines holding only {@code ;}. Pieces holding nothing but
     * blank lines and {@code --} comments are dropped; comments inside a statement are kept.
     */
    static List<String> splitStatements(String sql) {
        List<String> statements = new ArrayList<>();
        for (String piece : SEPARATOR.split(sql.replace("\r\n", "\n"), -1)) {
            boolean hasSql =
                    piece.lines().anyMatch(line -> !NOT_SQL_LINE.matcher(line).matches());
            if (hasSql) {
                statements.add(piece.strip());
            }
        }
        return statements;
    }
}
