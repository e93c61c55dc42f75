package com.dsqlcdc.customresource.schema;

import java.util.List;
import java.util.Objects;

/**
 * One catalog table as {@code Custom::WarehouseSchema} is told about it: its name, the shape its
 * state table must have ({@code StateTable.shape()} in the sql module) and the statements that
 * rebuild it from the log as one transaction (placeholders already substituted).
 *
 * @param schema  the table's schema
 * @param name    the table's name
 * @param shape   SHA-256 (64 lowercase hex digits) of what its state table is built for
 * @param rebuild the rebuild, 1-40 statements (one BatchExecuteStatement)
 */
public record SchemaTable(String schema, String name, String shape, List<String> rebuild) {

    public SchemaTable {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        rebuild = List.copyOf(rebuild);
    }

    /** @return the schema and name, without shape or statements */
    public TableRef ref() {
        return new TableRef(schema, name);
    }

    /**
     * A captured table by name: what is compared between the previous and the new catalog, and
     * what {@code cdc.current_tables} records.
     *
     * @param schema the schema
     * @param name   the table
     */
    public record TableRef(String schema, String name) {

        public TableRef {
            Objects.requireNonNull(schema, "schema");
            Objects.requireNonNull(name, "name");
        }

        /** @return {@code schema.name}, as logs and messages show it */
        @Override
        public String toString() {
            return schema + "." + name;
        }
    }
}
