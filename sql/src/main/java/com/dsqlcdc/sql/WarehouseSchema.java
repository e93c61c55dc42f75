package com.dsqlcdc.sql;

import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.sql.views.CurrentViewGenerator;
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
 * Everything the warehouse needs, as SQL statements in the order to run them: what the
 * warehouse-schema custom resource applies to Redshift Serverless at deploy time, one Data API
 * statement each, and again on every change (so each statement is idempotent).
 *
 * <ol>
 *   <li>the change log DDL, {@code sql/cdc_events.sql} (schema {@code "cdc"}, table
 *       {@code "cdc"."cdc_events"}, {@code REVOKE ALL ... FROM PUBLIC});
 *   <li>{@code CREATE SCHEMA IF NOT EXISTS} for each schema that holds views;
 *   <li>for each catalog table, {@code DROP VIEW IF EXISTS} then {@code CREATE VIEW} of its
 *       current-state view ({@code CREATE OR REPLACE VIEW} cannot change a view's columns);
 *   <li>the consumer's grants: {@code USAGE} on schema {@code "cdc"} and {@code INSERT} on
 *       {@code "cdc"."cdc_events"}, to {@link #CONSUMER_USER_PLACEHOLDER}.
 * </ol>
 *
 * <p>Nothing is granted to PUBLIC. The consumer user must exist before the grants run (the custom
 * resource creates it). The views need {@code enable_case_sensitive_identifier} on when they are
 * created (the workgroup sets it): their quoted names and SUPER attribute names are case-sensitive.
 */
public final class WarehouseSchema {

    /** Placeholder the schema custom resource replaces, at deploy time, with the quoted consumer user ("IAMR:&lt;role&gt;"), whose role name CloudFormation only knows then. */
    public static final String CONSUMER_USER_PLACEHOLDER = "{{consumer_user}}";

    /** The Data API's limit on one statement's SQL text is 100 KB; kept with a margin. */
    public static final int MAX_STATEMENT_BYTES = 100_000;

    /** Separates statements in {@code cdc_events.sql}: a line holding only {@code ;}. */
    private static final Pattern SEPARATOR = Pattern.compile("(?m)^[ \\t]*;[ \\t]*\\r?$");
    /** A line that is blank or only a {@code --} comment. */
    private static final Pattern NOT_SQL_LINE = Pattern.compile("[ \\t]*(--.*)?\\r?");

    private final List<String> statements;
    private final List<String> viewNames;
    private final List<String> viewSchemas;

    private WarehouseSchema(List<String> statements, List<String> viewNames, List<String> viewSchemas) {
        this.statements = List.copyOf(statements);
        this.viewNames = List.copyOf(viewNames);
        this.viewSchemas = List.copyOf(viewSchemas);
    }

    /**
     * @param catalog the captured tables (validated: every name is a valid identifier)
     * @throws IllegalArgumentException if a statement would exceed {@link #MAX_STATEMENT_BYTES}
     *         (a table with very many columns)
     */
    public static WarehouseSchema of(TableCatalog catalog) {
        Objects.requireNonNull(catalog, "catalog");
        List<String> statements = new ArrayList<>(splitStatements(readDdl()));

        Set<String> schemas = new LinkedHashSet<>();
        List<String> views = new ArrayList<>();
        for (CatalogTable table : catalog.tables()) {
            schemas.add(Identifiers.quote(table.schema()));
            views.add(CurrentViewGenerator.viewName(table));
        }
        for (String schema : schemas) {
            statements.add("CREATE SCHEMA IF NOT EXISTS " + schema);
        }
        for (CatalogTable table : catalog.tables()) {
            statements.add(CurrentViewGenerator.dropViewSql(table));
            statements.add(CurrentViewGenerator.createViewSql(table));
        }
        statements.add("GRANT USAGE ON SCHEMA " + Identifiers.quote(CdcEventsTable.SCHEMA) + " TO "
                + CONSUMER_USER_PLACEHOLDER);
        statements.add("GRANT INSERT ON " + CdcEventsTable.qualifiedName() + " TO " + CONSUMER_USER_PLACEHOLDER);

        for (String statement : statements) {
            int bytes = statement.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_STATEMENT_BYTES) {
                throw new IllegalArgumentException(
                        "a warehouse schema statement is " + bytes + " bytes, over the Data API's"
                                + " limit (" + MAX_STATEMENT_BYTES + "): "
                                + statement.lines().findFirst().orElse("")
                                + " ... (capture fewer columns of that table)");
            }
        }
        return new WarehouseSchema(statements, views, new ArrayList<>(schemas));
    }

    /** Every statement, in order: the cdc_events DDL (from cdc_events.sql), for each view: DROP VIEW IF EXISTS then CREATE VIEW (CREATE OR REPLACE cannot change a view's columns), then grants: USAGE on schema "cdc" and INSERT on "cdc"."cdc_events" to the consumer user (placeholder). Each statement idempotent. No GRANT to PUBLIC anywhere. */
    public List<String> statements() {
        return statements;
    }

    /** The views as quoted qualified names ("public"."orders_current"), in catalog order: lets the resource drop views of tables removed from the catalog. */
    public List<String> viewNames() {
        return viewNames;
    }

    /** Schemas the views live in (CREATE SCHEMA IF NOT EXISTS is part of statements()), quoted like {@link #viewNames()} ({@code "public"}), each once, in catalog order. */
    public List<String> viewSchemas() {
        return viewSchemas;
    }

    private static String readDdl() {
        try (InputStream in = WarehouseSchema.class.getResourceAsStream(CdcEventsTable.DDL_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        CdcEventsTable.DDL_RESOURCE + " is not on the classpath: build the sql module");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CdcEventsTable.DDL_RESOURCE, e);
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
