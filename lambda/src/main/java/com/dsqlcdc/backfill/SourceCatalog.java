package com.dsqlcdc.backfill;

import com.dsqlcdc.sql.backfill.SourceSql;
import com.dsqlcdc.sql.catalog.CatalogColumn;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.ColumnType;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The source's own catalog: every table outside the system schemas, its columns with their types as
 * PostgreSQL spells them, and its primary key in key order (read from {@code pg_catalog} and
 * {@code information_schema} in one read-only transaction). What {@code tools/backfill catalog}
 * writes into sql/catalog.json, and what validation's drift check compares the captured catalog with.
 *
 * @param tables the tables, by {@code schema.table}, in schema and name order
 */
public record SourceCatalog(Map<String, Table> tables) {

    /** A time, timestamp or interval's precision or fields: they do not change the CDC encoding. */
    private static final Pattern TIME_PRECISION =
            Pattern.compile("^(time|timestamp)\\(\\d+\\)( with(out)? time zone)$");

    private static final Pattern INTERVAL = Pattern.compile("^interval( .*)?(\\(\\d+\\))?$");

    public SourceCatalog {
        tables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    }

    /** A source column: its name and PostgreSQL's spelling of its type. */
    public record Column(String name, String type) {}

    /** A source table: its columns in column order and its primary key (empty when it has none). */
    public record Table(String schema, String name, List<Column> columns, List<String> primaryKey) {
        public Table {
            columns = List.copyOf(columns);
            primaryKey = List.copyOf(primaryKey);
        }

        /** @return {@code schema.name} */
        public String qualifiedName() {
            return schema + "." + name;
        }

        /** @return the column called {@code name} */
        public Optional<Column> column(String column) {
            return columns.stream().filter(c -> c.name().equals(column)).findFirst();
        }
    }

    /**
     * @param source the source reader
     * @return the source's catalog
     * @throws SQLException when the source refuses
     */
    public static SourceCatalog read(SourceReader source) throws SQLException {
        return source.readOnly(null, c -> {
            Map<String, List<Column>> columns = new LinkedHashMap<>();
            Map<String, String[]> names = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement(SourceSql.columnsSql());
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(1) + "." + rs.getString(2);
                    names.putIfAbsent(key, new String[] {rs.getString(1), rs.getString(2)});
                    columns.computeIfAbsent(key, k -> new ArrayList<>())
                            .add(new Column(rs.getString(3), rs.getString(4)));
                }
            }
            Map<String, List<String>> keys = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement(SourceSql.primaryKeysSql());
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    keys.computeIfAbsent(rs.getString(1) + "." + rs.getString(2), k -> new ArrayList<>())
                            .add(rs.getString(3));
                }
            }
            Map<String, Table> tables = new LinkedHashMap<>();
            names.forEach((key, name) ->
                    tables.put(key, new Table(name[0], name[1], columns.get(key), keys.getOrDefault(key, List.of()))));
            return new SourceCatalog(tables);
        });
    }

    /** @return the table {@code schema.name}, if the source has it */
    public Optional<Table> table(String qualifiedName) {
        return Optional.ofNullable(tables.get(qualifiedName));
    }

    /**
     * @param postgresType the type as PostgreSQL's {@code format_type} spells it
     * @return the catalog type, or why it cannot be captured
     */
    public static ColumnType.Parsed catalogType(String postgresType) {
        String t = postgresType.trim().toLowerCase(java.util.Locale.ROOT);
        var time = TIME_PRECISION.matcher(t);
        if (time.matches()) {
            t = time.group(1) + time.group(2);
        } else if (INTERVAL.matcher(t).matches()) {
            t = "interval";
        } else if (t.equals("bpchar") || t.equals("character")) {
            t = "char(1)";
        }
        return ColumnType.parse(t);
    }

    /**
     * The drift check: how the captured tables differ from the source's.
     *
     * @param captured the catalog tables a job works on
     * @return one line per difference, naming the table (and column) and what differs; empty when
     *         none. Every source table without a primary key in the captured tables' schemas is one too
     *         (the pipeline cannot capture it)
     */
    public List<String> drift(List<CatalogTable> captured) {
        List<String> problems = new ArrayList<>();
        java.util.Set<String> schemas = new java.util.LinkedHashSet<>();
        for (CatalogTable table : captured) {
            schemas.add(table.schema());
            Optional<Table> source = table(table.qualifiedName());
            if (source.isEmpty()) {
                problems.add(table.qualifiedName() + ": in the catalog, not in the source");
                continue;
            }
            if (!source.get().primaryKey().equals(table.primaryKey())) {
                problems.add(table.qualifiedName() + ": primary key " + table.primaryKey() + " in the catalog, "
                        + (source.get().primaryKey().isEmpty()
                                ? "none"
                                : source.get().primaryKey())
                        + " in the source");
            }
            for (CatalogColumn column : table.columns()) {
                Optional<Column> sourceColumn = source.get().column(column.name());
                if (sourceColumn.isEmpty()) {
                    problems.add(table.qualifiedName() + "." + column.name() + ": in the catalog, not in the source");
                    continue;
                }
                ColumnType.Parsed type = catalogType(sourceColumn.get().type());
                if (type.type().isEmpty() || !type.type().get().equals(column.type())) {
                    problems.add(table.qualifiedName() + "." + column.name() + ": "
                            + column.type().spelling() + " in the catalog, "
                            + sourceColumn.get().type() + " in the source");
                }
            }
            for (Column column : source.get().columns()) {
                if (table.column(column.name()).isEmpty()) {
                    problems.add(table.qualifiedName() + "." + column.name() + ": in the source (" + column.type()
                            + "), not in the catalog: its values stay out of the typed tables");
                }
            }
        }
        for (Table table : tables.values()) {
            if (schemas.contains(table.schema()) && table.primaryKey().isEmpty()) {
                problems.add(table.qualifiedName() + ": has no primary key, so it cannot be captured (CDC deletes"
                        + " carry no key)");
            }
        }
        return problems;
    }
}
