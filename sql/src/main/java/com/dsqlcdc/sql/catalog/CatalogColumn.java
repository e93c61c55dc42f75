package com.dsqlcdc.sql.catalog;

import java.util.Objects;

/**
 * One captured column.
 *
 * @param name the column name as DSQL writes it in a record's {@code after}/{@code before}
 * @param type its DSQL type
 */
public record CatalogColumn(String name, ColumnType type) {
    public CatalogColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
