package com.dsqlcdc.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.sql.catalog.CatalogDocument;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The fingerprint follows every generated statement, and the catalog document round-trips. */
class SchemaFingerprintTest {

    private static final String CATALOG = """
            {"tables": [
              {"schema": "public", "name": "orders", "primaryKey": ["id"],
               "columns": [{"name": "id", "type": "int8"}, {"name": "total", "type": "decimal(12, 2)"},
                           {"name": "note", "type": "character varying(40)"}, {"name": "at", "type": "float"}]}
            ]}""";

    @Test
    void theSameSchemaGivesTheSameFingerprintAndAnyChangeAnother() {
        TableCatalog catalog = TableCatalog.parse(CATALOG, "test");
        String print = SchemaFingerprint.of(WarehouseSchema.of(catalog, false));

        assertThat(print).matches("[0-9a-f]{64}");
        assertThat(SchemaFingerprint.of(WarehouseSchema.of(TableCatalog.parse(CATALOG, "again"), false)))
                .isEqualTo(print);
        // pruning changes a grant
        assertThat(SchemaFingerprint.of(WarehouseSchema.of(catalog, true))).isNotEqualTo(print);
        // a type changes a table's shape and rebuild
        assertThat(SchemaFingerprint.of(WarehouseSchema.of(
                        TableCatalog.parse(CATALOG.replace("decimal(12, 2)", "decimal(14, 2)"), "changed"), false)))
                .isNotEqualTo(print);
    }

    @Test
    void theCatalogDocumentParsesBackToTheSameCatalogInItsCanonicalSpelling() throws Exception {
        TableCatalog catalog = TableCatalog.parse(CATALOG, "test");

        String json = new ObjectMapper().writeValueAsString(CatalogDocument.of(catalog));
        TableCatalog again = TableCatalog.parse(json, "document");

        assertThat(again.tables()).isEqualTo(catalog.tables());
        assertThat(json)
                .contains("\"type\":\"bigint\"", "\"type\":\"numeric(12,2)\"", "\"type\":\"varchar(40)\"")
                .contains("\"type\":\"double precision\"");
        assertThat(SchemaFingerprint.of(WarehouseSchema.of(again, false)))
                .isEqualTo(SchemaFingerprint.of(WarehouseSchema.of(catalog, false)));
        // and the shipped catalog
        TableCatalog shipped = TableCatalog.load();
        assertThat(TableCatalog.parse(new ObjectMapper().writeValueAsString(CatalogDocument.of(shipped)), "shipped")
                        .tables())
                .isEqualTo(shipped.tables());
    }
}
