package com.dsqlcdc.sql.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A catalog as the JSON document {@link TableCatalog#parse} reads ({@code sql/catalog.json}'s
 * format), in plain maps and lists: how the catalog travels where it must be data, e.g. in the
 * warehouse-schema custom resource's properties, to be parsed and validated again on the other
 * side. Only strings, lists and objects: CloudFormation hands every leaf over as a string anyway.
 */
public final class CatalogDocument {

    private CatalogDocument() {}

    /**
     * @param catalog a validated catalog
     * @return {@code {"tables": [{"schema", "name", "primaryKey", "columns": [{"name", "type"}]}]}},
     *         in catalog order, each type in its catalog spelling; {@link TableCatalog#parse} of its
     *         JSON gives the same tables
     */
    public static Map<String, Object> of(TableCatalog catalog) {
        List<Object> tables = new ArrayList<>();
        for (CatalogTable table : catalog.tables()) {
            List<Object> columns = new ArrayList<>();
            for (CatalogColumn column : table.columns()) {
                columns.add(ordered("name", column.name(), "type", column.type().spelling()));
            }
            tables.add(ordered(
                    "schema", table.schema(),
                    "name", table.name(),
                    "primaryKey", List.copyOf(table.primaryKey()),
                    "columns", List.copyOf(columns)));
        }
        return ordered("tables", List.copyOf(tables));
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
