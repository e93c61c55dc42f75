package com.dsqlcdc.sql.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.dsqlcdc.sql.catalog.ColumnType.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableCatalogTest {

    /** One valid table, with {@code %s} where a test splices in what it breaks. */
    private static String catalog(String tables) {
        return "{\"tables\": [" + tables + "]}";
    }

    private static final String ORDERS = """
            {"schema": "public", "name": "orders", "primaryKey": ["order_id"],
             "columns": [{"name": "order_id", "type": "bigint"}, {"name": "total", "type": "numeric(12,2)"}]}""";

    private static InvalidCatalogException invalid(String json) {
        return catchThrowableOfType(InvalidCatalogException.class, () -> TableCatalog.parse(json, "test.json"));
    }

    @Test
    void theCheckedInCatalogLoads() {
        TableCatalog catalog = TableCatalog.load();

        assertThat(catalog.tables())
                .extracting(CatalogTable::qualifiedName)
                .containsExactly("public.orders", "public.order_items", "public.accounts", "public.documents");
        CatalogTable items = catalog.find("public", "order_items").orElseThrow();
        assertThat(items.primaryKey()).containsExactly("order_id", "line_no");
        assertThat(items.column("attrs")).map(c -> c.type().kind()).contains(Kind.JSON);
        assertThat(catalog.find("public", "accounts").orElseThrow().column("code"))
                .map(CatalogColumn::type)
                .contains(new ColumnType(Kind.CHAR, 3, 0, 0));
        assertThat(catalog.find("public", "nope")).isEmpty();
    }

    @Test
    void aValidCatalogParses() {
        TableCatalog catalog = TableCatalog.parse(catalog(ORDERS), "test.json");

        CatalogTable orders = catalog.tables().get(0);
        assertThat(orders.columns())
                .containsExactly(
                        new CatalogColumn("order_id", new ColumnType(Kind.BIGINT, 0, 0, 0)),
                        new CatalogColumn("total", new ColumnType(Kind.NUMERIC, 0, 12, 2)));
    }

    @Test
    void aKeyColumnThatIsNotAColumnIsReportedWithItsPathAndFix() {
        InvalidCatalogException e = invalid(catalog(ORDERS.replace("[\"order_id\"]", "[\"order_id\", \"line_no\"]")));

        assertThat(e.problems())
                .containsExactly(
                        "tables[0].primaryKey[1]: line_no is not in columns; add it to columns or fix the name");
        assertThat(e).hasMessageContaining("Invalid table catalog test.json");
    }

    @Test
    void aMissingOrEmptyPrimaryKeyIsReported() {
        assertThat(invalid(catalog(ORDERS.replace("\"primaryKey\": [\"order_id\"],", "")))
                        .problems())
                .singleElement()
                .asString()
                .startsWith(
                        "tables[0].primaryKey: missing or empty; list the table's primary-key columns in key order");
        assertThat(invalid(catalog(ORDERS.replace("[\"order_id\"]", "[]"))).problems())
                .singleElement()
                .asString()
                .startsWith("tables[0].primaryKey: missing or empty");
    }

    @Test
    void anUnknownTypeIsReportedWithTheAcceptedTypes() {
        InvalidCatalogException e = invalid(catalog(ORDERS.replace("\"bigint\"", "\"money\"")));

        assertThat(e.problems())
                .singleElement()
                .asString()
                .startsWith(
                        "tables[0].columns[0].type: 'money' is not a supported type; use one of: smallint, integer,")
                .endsWith(ColumnType.ACCEPTED);
    }

    @Test
    void numericWithoutPrecisionIsReportedWithAnExample() {
        InvalidCatalogException e = invalid(catalog(ORDERS.replace("numeric(12,2)", "numeric")));

        assertThat(e.problems())
                .singleElement()
                .asString()
                .startsWith(
                        "tables[0].columns[1].type: 'numeric' needs an explicit precision and scale, e.g. numeric(18,2)");
    }

    @Test
    void numericBeyondRedshiftsDecimalIsReported() {
        assertThat(invalid(catalog(ORDERS.replace("numeric(12,2)", "numeric(40,2)")))
                        .problems())
                .singleElement()
                .asString()
                .contains("numeric(40,2) is outside Redshift's DECIMAL: precision 1-38 and scale 0-precision");
        assertThat(invalid(catalog(ORDERS.replace("numeric(12,2)", "numeric(4,5)")))
                        .problems())
                .singleElement()
                .asString()
                .contains("numeric(4,5) is outside");
    }

    @Test
    void anOutOfRangeLengthGetsTheRangeMessageEvenWithManyDigits() {
        // Regression: lengths of 7 or more digits used to fall through to "not a supported type".
        assertThat(invalid(catalog(ORDERS.replace("numeric(12,2)", "varchar(99999999)")))
                        .problems())
                .singleElement()
                .asString()
                .isEqualTo("tables[0].columns[1].type: length 99999999 is out of range 1-10485760");
        assertThat(invalid(catalog(ORDERS.replace("numeric(12,2)", "char(0)"))).problems())
                .singleElement()
                .asString()
                .endsWith("length 0 is out of range 1-10485760");
    }

    @Test
    void aDuplicateTableIsReportedAtItsSecondEntry() {
        InvalidCatalogException e = invalid(catalog(ORDERS + ", " + ORDERS));

        assertThat(e.problems())
                .containsExactly(
                        "tables[1]: public.orders is listed twice (first at tables[0]); keep one entry per table");
    }

    @Test
    void aHostileTableNameIsRefused() {
        String hostile = "orders\\\"; DROP TABLE x; --";
        InvalidCatalogException e = invalid(catalog(ORDERS.replace("\"orders\"", "\"" + hostile + "\"")));

        assertThat(e.problems())
                .singleElement()
                .asString()
                .isEqualTo("tables[0].name: 'orders\"; DROP TABLE x; --' is not a supported name; use letters, digits,"
                        + " _ or $, not starting with a digit, at most 127 bytes");
    }

    @Test
    void hostileSchemaColumnAndKeyNamesAreRefused() {
        String json = catalog("""
                {"schema": "pub lic", "name": "orders", "primaryKey": ["id'--"],
                 "columns": [{"name": "id'--", "type": "bigint"}, {"name": "1st", "type": "text"}]}""");

        assertThat(invalid(json).problems())
                .containsExactly(
                        "tables[0].schema: 'pub lic' is not a supported name; use letters, digits, _ or $, not starting with a"
                                + " digit, at most 127 bytes",
                        "tables[0].columns[0].name: 'id'--' is not a supported name; use letters, digits, _ or $, not starting"
                                + " with a digit, at most 127 bytes",
                        "tables[0].columns[1].name: '1st' is not a supported name; use letters, digits, _ or $, not starting"
                                + " with a digit, at most 127 bytes",
                        "tables[0].primaryKey[0]: id'-- is not in columns; add it to columns or fix the name");
    }

    @Test
    void unknownKeysAreReportedWithTheAllowedOnes() {
        String json =
                "{\"tables\": [" + ORDERS.replace("\"primaryKey\"", "\"primary_key\": [\"order_id\"], \"primaryKey\"")
                        + "], \"version\": 2}";

        assertThat(invalid(json).problems())
                .containsExactly(
                        "version: unknown key; allowed: $comment, tables",
                        "tables[0].primary_key: unknown key; allowed: columns, name, primaryKey, schema");
        assertThat(invalid(catalog(ORDERS.replace("\"type\": \"bigint\"", "\"type\": \"bigint\", \"nullable\": true")))
                        .problems())
                .containsExactly("tables[0].columns[0].nullable: unknown key; allowed: name, type");
    }

    @Test
    void aColumnNamedLikeAGeneratedMetadataColumnIsRefused() {
        InvalidCatalogException e = invalid(catalog(ORDERS.replace("\"total\"", "\"_op\"")));

        assertThat(e.problems())
                .singleElement()
                .asString()
                .startsWith(
                        "tables[0].columns[1].name: _op is the name of a metadata column of the generated tables and views"
                                + " (_record_key, _commit_ts, _commit_ts_ns, _event_id, _op, _deleted)");
    }

    @Test
    void aTableNameTooLongForItsGeneratedNamesIsRefused() {
        String name = "t".repeat(117);
        assertThat(invalid(catalog(ORDERS.replace("\"orders\"", "\"" + name + "\"")))
                        .problems())
                .singleElement()
                .asString()
                .startsWith("tables[0].name: '" + name + "' is too long for its generated name " + name + "_log_latest;"
                        + " table names may have at most 116 bytes");
        // 116 bytes is fine.
        TableCatalog.parse(catalog(ORDERS.replace("\"orders\"", "\"" + "t".repeat(116) + "\"")), "test.json");
    }

    @Test
    void aSystemSchemaIsRefused() {
        assertThat(invalid(catalog(ORDERS.replace("\"public\"", "\"pg_catalog\"")))
                        .problems())
                .singleElement()
                .asString()
                .startsWith("tables[0].schema: 'pg_catalog' is a system schema name in Redshift");
        assertThat(invalid(catalog(ORDERS.replace("\"public\"", "\"information_schema\"")))
                        .problems())
                .hasSize(1);
    }

    @Test
    void everyProblemIsReportedTogether() {
        String json = """
                {"tables": [
                  {"schema": "public", "name": "orders", "primaryKey": ["order_id", "missing"],
                   "columns": [{"name": "order_id", "type": "bigint"}, {"name": "total", "type": "numeric"},
                               {"name": "status", "type": "money"}, {"name": "order_id", "type": "text"}]},
                  {"schema": "public", "name": "orders\\"; DROP TABLE x; --", "primaryKey": ["id"],
                   "columns": [{"name": "id", "type": "bigint"}], "extra": 1},
                  {"schema": "public", "name": "items", "primaryKey": ["id"], "columns": [{"name": "id"}]},
                  "not an object"
                ]}""";

        InvalidCatalogException e = invalid(json);

        assertThat(e.problems())
                .containsExactly(
                        "tables[0].columns[1].type: 'numeric' needs an explicit precision and scale, e.g. numeric(18,2): Redshift's"
                                + " DECIMAL holds at most 38 digits, so an unbounded numeric cannot be typed exactly",
                        "tables[0].columns[2].type: 'money' is not a supported type; use one of: "
                                + ColumnType.ACCEPTED,
                        "tables[0].columns[3].name: column order_id is listed twice; keep one",
                        "tables[0].primaryKey[1]: missing is not in columns; add it to columns or fix the name",
                        "tables[1].extra: unknown key; allowed: columns, name, primaryKey, schema",
                        "tables[1].name: 'orders\"; DROP TABLE x; --' is not a supported name; use letters, digits, _ or $, not"
                                + " starting with a digit, at most 127 bytes",
                        "tables[2].columns[0].type: missing; give the DSQL type, one of: " + ColumnType.ACCEPTED,
                        "tables[3]: expected an object with schema, name, primaryKey and columns");
        assertThat(e.getMessage()).contains(String.join("\n  - ", e.problems()));
    }

    @Test
    void aDocumentThatIsNotACatalogIsReported() {
        assertThat(invalid("[]").problems())
                .singleElement()
                .asString()
                .startsWith("expected an object with a \"tables\" array");
        assertThat(invalid("{\"tables\": []}").problems())
                .containsExactly("tables: is empty; list at least one captured table");
        assertThat(invalid(catalog(ORDERS.replace("\"columns\": [", "\"columns\": [] , \"x\": [")))
                        .problems())
                .contains("tables[0].columns: missing or empty; list every column as {\"name\": ..., \"type\": ...}");
    }

    @Test
    void malformedJsonIsReportedWithItsLocation() {
        assertThat(invalid("{\"tables\": [\n  {\"schema\": }\n]}").problems())
                .singleElement()
                .asString()
                .startsWith("not valid JSON at line 2, column ");
    }

    @Test
    void aRepeatedJsonKeyIsAnErrorNotLastOneWins() {
        String json = catalog(ORDERS.replace("\"type\": \"bigint\"", "\"type\": \"bigint\", \"type\": \"text\""));

        assertThat(invalid(json).problems())
                .singleElement()
                .asString()
                .startsWith("not valid JSON at line ")
                .contains("Duplicate field 'type'");
    }

    @Test
    void contentAfterTheDocumentIsAnError() {
        assertThat(invalid(catalog(ORDERS) + " {}").problems())
                .singleElement()
                .asString()
                .startsWith("not valid JSON at line ");
    }

    @Test
    void typeSpellingsAndAliasesParse() {
        assertThat(List.of(
                                "int2",
                                "INT",
                                "int8",
                                "float4",
                                "float8",
                                "bool",
                                "character varying(10)",
                                "character(2)",
                                "timestamp with time zone",
                                "time without time zone",
                                "DECIMAL( 10 , 0 )",
                                "varchar")
                        .stream()
                        .map(t -> ColumnType.parse(t).type().orElseThrow().spelling()))
                .containsExactly(
                        "smallint",
                        "integer",
                        "bigint",
                        "real",
                        "double precision",
                        "boolean",
                        "varchar(10)",
                        "char(2)",
                        "timestamptz",
                        "time",
                        "numeric(10,0)",
                        "text");
    }

    @Test
    void theParsedCatalogIsImmutable() {
        TableCatalog catalog = TableCatalog.load();
        assertThatThrownBy(() -> catalog.tables().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> catalog.tables().get(0).columns().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
