package com.dsqlcdc.sql.catalog;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One captured table: where it lives in DSQL, its primary key and its columns.
 *
 * @param schema     the DSQL schema ({@code source.schema} in records)
 * @param name       the DSQL table name ({@code source.table} in records)
 * @param primaryKey the key columns, in key order (composite keys allowed); never empty
 * @param columns    every column, key columns included, in view order
 */
public record CatalogTable(String schema, String name, List<String> primaryKey, List<CatalogColumn> columns) {

    public CatalogTable {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
        primaryKey = List.copyOf(primaryKey);
        columns = List.copyOf(columns);
    }

    /** @return {@code schema.name}, for messages and lookups */
    public String qualifiedName() {
        return schema + "." + name;
    }

    /** @return the column called {@code column}, if captured */
    public Optional<CatalogColumn> column(String column) {
        return columns.stream().filter(c -> c.name().equals(column)).findFirst();
    }
}
