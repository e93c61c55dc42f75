package com.dsqlcdc.sql.views;

import java.util.Comparator;
import java.util.Objects;

/**
 * One row of one captured table: what a current-state view holds at most one row for.
 *
 * @param schema    the DSQL schema ({@code source_schema})
 * @param table     the DSQL table ({@code source_table})
 * @param recordKey the key column values in catalog key order, as JSON array text ({@code record_key})
 */
public record TableKey(String schema, String table, String recordKey) implements Comparable<TableKey> {

    private static final Comparator<TableKey> ORDER = Comparator.comparing(TableKey::schema)
            .thenComparing(TableKey::table)
            .thenComparing(TableKey::recordKey);

    public TableKey {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(recordKey, "recordKey");
    }

    @Override
    public int compareTo(TableKey other) {
        return ORDER.compare(this, other);
    }
}
