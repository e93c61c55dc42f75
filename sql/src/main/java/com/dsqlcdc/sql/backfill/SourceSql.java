package com.dsqlcdc.sql.backfill;

import com.dsqlcdc.sql.Identifiers;
import com.dsqlcdc.sql.catalog.CatalogColumn;
import com.dsqlcdc.sql.catalog.CatalogTable;
import java.util.stream.Collectors;

/**
 * The SQL the backfill sends to the source (Aurora DSQL, PostgreSQL 16 compatible; a PostgreSQL in
 * tests), each statement in a short read-only transaction of its own: DSQL bounds a transaction to 5
 * minutes and 128 MiB of query memory, and a {@code COUNT(*)} of a large table does not finish in
 * time, so nothing here reads more than one page or one range's worth of the key.
 *
 * <p>Key bounds travel as JDBC parameters holding the key values' PostgreSQL text, each cast to its
 * column's catalog type ({@code CAST(? AS numeric(12,2))}): text output and input are exact inverses
 * for every type, so a bound read from one page is exactly the key it names. Composite keys compare
 * as row values, {@code ("a", "b") > (CAST(? AS bigint), CAST(? AS text))}, which is PostgreSQL's
 * lexicographic key order, and every query orders by the key columns: the primary key's index serves
 * the order and the bounds. Text compares by bytes (DSQL has only the C collation). Identifiers come
 * from the validated catalog, quoted; no value is ever in the SQL text.
 */
public final class SourceSql {

    private SourceSql() {}

    /** @return the quoted, comma-separated key columns, in key order */
    static String keyColumns(CatalogTable table) {
        return table.primaryKey().stream().map(Identifiers::quote).collect(Collectors.joining(", "));
    }

    /** @return {@code (CAST(? AS t1), CAST(? AS t2), ...)}: one bound's parameters, in key order */
    static String keyParameters(CatalogTable table) {
        return "("
                + table.primaryKey().stream()
                        .map(k -> "CAST(? AS "
                                + table.column(k).orElseThrow().type().spelling() + ")")
                        .collect(Collectors.joining(", "))
                + ")";
    }

    private static String where(CatalogTable table, boolean hasLo, boolean hasHi) {
        String keys = "(" + keyColumns(table) + ")";
        if (hasLo && hasHi) {
            return " WHERE " + keys + " > " + keyParameters(table) + " AND " + keys + " <= " + keyParameters(table);
        }
        if (hasLo) {
            return " WHERE " + keys + " > " + keyParameters(table);
        }
        if (hasHi) {
            return " WHERE " + keys + " <= " + keyParameters(table);
        }
        return "";
    }

    /** @return {@code "schema"."table"} */
    static String from(CatalogTable table) {
        return Identifiers.qualified(table.schema(), table.name());
    }

    /**
     * One page of a range: every catalog column, in catalog order, of the first {@code ?} rows after
     * the lower bound and up to the upper bound, in key order. Parameters: the lower bound's key values
     * (when {@code hasLo}), the upper bound's (when {@code hasHi}), then the page size.
     *
     * @param table the table
     * @param hasLo whether the page starts after a key (else at the table's first)
     * @param hasHi whether the page stops at a key (else at the table's last)
     * @return the query
     */
    public static String pageSql(CatalogTable table, boolean hasLo, boolean hasHi) {
        String columns = table.columns().stream()
                .map(CatalogColumn::name)
                .map(Identifiers::quote)
                .collect(Collectors.joining(", "));
        return "SELECT " + columns + " FROM " + from(table) + where(table, hasLo, hasHi) + " ORDER BY "
                + keyColumns(table) + " LIMIT ?";
    }

    /**
     * The key {@code n} rows after a key (or after the table's start): the next split point, read
     * from the data. Parameters: the lower bound's key values (when {@code hasLo}), then {@code n - 1}
     * (the OFFSET). No row: fewer than {@code n} rows are left, the last range runs to the end.
     *
     * @param table the table
     * @param hasLo whether to start after a key
     * @return the query, answering the key columns of at most one row
     */
    public static String splitPointSql(CatalogTable table, boolean hasLo) {
        return "SELECT " + keyColumns(table) + " FROM " + from(table) + where(table, hasLo, false) + " ORDER BY "
                + keyColumns(table) + " OFFSET ? LIMIT 1";
    }

    /**
     * How many rows are left after a key, counting at most {@code ?} of them (so it reads at most a
     * range's worth of the key, never the table). Parameters: the lower bound's key values (when
     * {@code hasLo}), then the limit.
     *
     * @param table the table
     * @param hasLo whether to count after a key
     * @return the query, answering one row with column {@code n}
     */
    public static String boundedCountSql(CatalogTable table, boolean hasLo) {
        return "SELECT COUNT(*) AS n FROM (SELECT 1 FROM " + from(table) + where(table, hasLo, false) + " ORDER BY "
                + keyColumns(table) + " LIMIT ?) AS bounded";
    }

    /**
     * @return the transaction's start time: in PostgreSQL and DSQL {@code now()} is the start of the
     *         transaction, not of the statement, so read first in a page's transaction it dates the
     *         page's snapshot
     */
    public static String transactionStartSql() {
        return "SELECT now()";
    }

    /**
     * Every column of every table outside the system schemas, with its type as PostgreSQL spells it
     * ({@code format_type}: {@code numeric(12,2)}, {@code character varying(32)}, {@code timestamp(3)
     * with time zone}, {@code integer[]}), in column order: {@code table_schema, table_name,
     * column_name, data_type}.
     */
    public static String columnsSql() {
        return "SELECT n.nspname AS table_schema, c.relname AS table_name, a.attname AS column_name,"
                + " format_type(a.atttypid, a.atttypmod) AS data_type"
                + " FROM pg_catalog.pg_attribute a"
                + " JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped"
                + " AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'sys')"
                + " AND n.nspname NOT LIKE 'pg\\_%'"
                + " ORDER BY n.nspname, c.relname, a.attnum";
    }

    /**
     * Every primary-key column, in key order: {@code table_schema, table_name, column_name,
     * ordinal_position}.
     */
    public static String primaryKeysSql() {
        return "SELECT kcu.table_schema, kcu.table_name, kcu.column_name, kcu.ordinal_position"
                + " FROM information_schema.table_constraints tc"
                + " JOIN information_schema.key_column_usage kcu"
                + " ON kcu.constraint_schema = tc.constraint_schema AND kcu.constraint_name = tc.constraint_name"
                + " AND kcu.table_schema = tc.table_schema AND kcu.table_name = tc.table_name"
                + " WHERE tc.constraint_type = 'PRIMARY KEY'"
                + " ORDER BY kcu.table_schema, kcu.table_name, kcu.ordinal_position";
    }
}
