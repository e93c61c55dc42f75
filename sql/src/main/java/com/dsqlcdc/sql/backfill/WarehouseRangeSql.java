package com.dsqlcdc.sql.backfill;

import com.dsqlcdc.sql.Identifiers;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.ColumnType;
import com.dsqlcdc.sql.current.StateTable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The warehouse side of a key range: the queries validation and resync send through the Data API,
 * over a table's typed key columns ({@code <table>_current} and {@code <table>_state} have the same
 * typed columns), with the range's bounds as named parameters ({@code :lo_0}, {@code :hi_1}, ...),
 * never as SQL text.
 *
 * <p>A composite key compares lexicographically, spelled out as {@code k0 > :lo_0 OR (k0 = :lo_0
 * AND k1 > :lo_1)} (Redshift has no row-value comparison), which is PostgreSQL's row order. Only key
 * types whose typed warehouse values keep the source's order can bound a range here ({@link
 * #ORDERED_KINDS}): integers, numeric, text (bytes, as DSQL's C collation orders them), uuid (its
 * lowercase text orders as its bytes), date, time, timestamp, timestamptz and boolean. A table whose
 * key has another type (real, double precision, bytea as base64 text, timetz and interval whose
 * encodings drop information, json) is planned as one range, which needs no bound.
 *
 * <p>Data API parameters are untyped, non-empty strings: each bound value is cast to its column's
 * warehouse type, and a text value is sent with one leading character ({@code v}) that the SQL strips
 * ({@code SUBSTRING(:lo_0 FROM 2)}), so that an empty string is a parameter too.
 */
public final class WarehouseRangeSql {

    /** Key types whose warehouse values order as the source's do: the only ones a range bound may use. */
    public static final Set<ColumnType.Kind> ORDERED_KINDS = EnumSet.of(
            ColumnType.Kind.SMALLINT,
            ColumnType.Kind.INTEGER,
            ColumnType.Kind.BIGINT,
            ColumnType.Kind.NUMERIC,
            ColumnType.Kind.TEXT,
            ColumnType.Kind.VARCHAR,
            ColumnType.Kind.CHAR,
            ColumnType.Kind.UUID,
            ColumnType.Kind.DATE,
            ColumnType.Kind.TIME,
            ColumnType.Kind.TIMESTAMP,
            ColumnType.Kind.TIMESTAMPTZ,
            ColumnType.Kind.BOOLEAN);

    /** The prefix every text parameter carries (a Data API parameter cannot be empty). */
    static final String TEXT_PREFIX = "v";

    private WarehouseRangeSql() {}

    /** A query and its named parameters. */
    public record Query(String sql, Map<String, String> parameters) {
        public Query {
            parameters = Map.copyOf(parameters);
        }
    }

    /**
     * @param table a catalog table
     * @return whether its key can bound ranges in the warehouse (every key column's type is in
     *         {@link #ORDERED_KINDS}); otherwise the table is one range
     */
    public static boolean keyOrdersInWarehouse(CatalogTable table) {
        return table.primaryKey().stream()
                .allMatch(k -> ORDERED_KINDS.contains(type(table, k).kind()));
    }

    /**
     * @param table a table whose key {@link #keyOrdersInWarehouse orders in the warehouse}, or any
     *              table with the unbounded range
     * @param range the range
     * @return the live keys ({@code _record_key}) of the table's state table within the range
     */
    public static Query liveKeys(StateTable table, KeyRange range) {
        Map<String, String> parameters = new LinkedHashMap<>();
        String filter = filter(table.catalogTable(), range, parameters);
        return new Query(
                "SELECT " + Identifiers.quote(StateTable.RECORD_KEY) + " FROM " + table.stateTable() + " WHERE NOT "
                        + Identifiers.quote(StateTable.DELETED) + (filter.isEmpty() ? "" : " AND (" + filter + ")"),
                parameters);
    }

    /**
     * @param table a table whose key orders in the warehouse, or any table with the unbounded range
     * @param range the range
     * @return one row, {@code rows} and {@code checksum} ({@link RowChecksum}; NULL when no row), of
     *         the table's {@code <table>_current} within the range
     */
    public static Query checksum(StateTable table, KeyRange range) {
        Map<String, String> parameters = new LinkedHashMap<>();
        String filter = filter(table.catalogTable(), range, parameters);
        return new Query(
                "SELECT COUNT(*) AS \"rows\", SUM(CAST(" + RowChecksum.rowHashSql(table.catalogTable())
                        + " AS DECIMAL(38,0))) AS \"checksum\" FROM " + table.currentView()
                        + (filter.isEmpty() ? "" : " WHERE " + filter),
                parameters);
    }

    /**
     * The range's condition over the typed key columns, adding its parameters.
     *
     * @return the condition, empty for the unbounded range
     * @throws IllegalArgumentException for a bounded range of a table whose key does not order in
     *         the warehouse
     */
    static String filter(CatalogTable table, KeyRange range, Map<String, String> parameters) {
        if (!range.hasLo() && !range.hasHi()) {
            return "";
        }
        if (!keyOrdersInWarehouse(table)) {
            throw new IllegalArgumentException(table.qualifiedName() + ": its key " + table.primaryKey()
                    + " has a type whose order the warehouse does not keep; such a table is one range");
        }
        List<String> parts = new ArrayList<>();
        if (range.hasLo()) {
            parts.add("(" + compare(table, range.lo(), "lo", 0, ">", ">", parameters) + ")");
        }
        if (range.hasHi()) {
            parts.add("(" + compare(table, range.hi(), "hi", 0, "<", "<=", parameters) + ")");
        }
        return String.join(" AND ", parts);
    }

    /** {@code k_i op v_i OR (k_i = v_i AND <the same from i+1>)}, {@code last} at the last column. */
    private static String compare(
            CatalogTable table,
            List<String> bound,
            String name,
            int i,
            String op,
            String last,
            Map<String, String> parameters) {
        String column = table.primaryKey().get(i);
        ColumnType type = type(table, column);
        String parameter = name + "_" + i;
        parameters.put(parameter, parameterValue(type, bound.get(i)));
        String key = Identifiers.quote(column);
        String value = parameterSql(type, parameter);
        if (i == table.primaryKey().size() - 1) {
            return key + " " + last + " " + value;
        }
        return key + " " + op + " " + value + " OR (" + key + " = " + value + " AND ("
                + compare(table, bound, name, i + 1, op, last, parameters) + "))";
    }

    /** @return the SQL reading parameter {@code name} as the column's warehouse type */
    static String parameterSql(ColumnType type, String name) {
        String p = ":" + name;
        return switch (type.kind()) {
            case SMALLINT, INTEGER, BIGINT -> "CAST(" + p + " AS BIGINT)";
            case NUMERIC -> "CAST(" + p + " AS DECIMAL(" + type.precision() + "," + type.scale() + "))";
            case TEXT, VARCHAR, CHAR -> "SUBSTRING(" + p + " FROM 2)";
            case UUID -> "CAST(" + p + " AS VARCHAR(36))";
            case DATE -> "CAST(" + p + " AS DATE)";
            case TIME -> "CAST(" + p + " AS TIME)";
            case TIMESTAMP -> "CAST(" + p + " AS TIMESTAMP)";
            case TIMESTAMPTZ -> "CAST(" + p + " AS TIMESTAMPTZ)";
            case BOOLEAN -> "CAST(" + p + " AS BOOLEAN)";
            default -> throw new IllegalArgumentException(type.spelling() + " cannot bound a range in the warehouse");
        };
    }

    /**
     * @param type    the key column's type
     * @param pgValue the key value as PostgreSQL writes it in text
     * @return the parameter's value for {@link #parameterSql}
     */
    static String parameterValue(ColumnType type, String pgValue) {
        return switch (type.kind()) {
            case TEXT, VARCHAR -> TEXT_PREFIX + pgValue;
            // The CDC encoding strips char(n)'s padding, so the warehouse holds the stripped text.
            case CHAR -> TEXT_PREFIX + stripTrailingSpaces(pgValue);
            case BOOLEAN -> pgValue.equals("t") || pgValue.equals("true") ? "true" : "false";
            default -> pgValue;
        };
    }

    /** @return {@code text} without its trailing spaces (char(n) padding) */
    public static String stripTrailingSpaces(String text) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == ' ') {
            end--;
        }
        return text.substring(0, end);
    }

    private static ColumnType type(CatalogTable table, String column) {
        return table.column(column)
                .orElseThrow(() -> new IllegalArgumentException(table.qualifiedName() + " has no column " + column))
                .type();
    }
}
