package com.dsqlcdc.sql.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.sql.catalog.CatalogColumn;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.ColumnType;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CurrentViewGeneratorTest {

    private static CatalogColumn column(String name, String type) {
        return new CatalogColumn(name, ColumnType.parse(type).type().orElseThrow());
    }

    private static final CatalogTable ITEMS = new CatalogTable(
            "sales",
            "OrderItems",
            List.of("order_id", "line_no"),
            List.of(column("order_id", "bigint"), column("line_no", "integer"), column("Sku", "varchar(64)")));

    @Test
    void theViewIsNamedAfterTheTableInTheSchemaOfTheSameName() {
        assertThat(CurrentViewGenerator.viewName(ITEMS)).isEqualTo("\"sales\".\"OrderItems_current\"");
        assertThat(CurrentViewGenerator.viewTableName(ITEMS)).isEqualTo("OrderItems_current");
        assertThat(CurrentViewGenerator.dropViewSql(ITEMS))
                .isEqualTo("DROP VIEW IF EXISTS \"sales\".\"OrderItems_current\"");
    }

    @Test
    void theWholeViewOfACompositeKeyTable() {
        assertThat(CurrentViewGenerator.createViewSql(ITEMS)).isEqualTo("""
                CREATE VIEW "sales"."OrderItems_current" AS
                SELECT
                    CASE WHEN IS_BIGINT(e."row_image"."order_id") THEN CAST(e."row_image"."order_id" AS BIGINT) END AS "order_id",
                    CASE WHEN IS_INTEGER(e."row_image"."line_no") THEN CAST(e."row_image"."line_no" AS INTEGER) END AS "line_no",
                    CASE WHEN IS_VARCHAR(e."row_image"."Sku") THEN CAST(e."row_image"."Sku" AS VARCHAR(256)) END AS "Sku",
                    e."commit_ts" AS "_commit_ts",
                    e."commit_ts_ns" AS "_commit_ts_ns",
                    e."op" AS "_op"
                FROM (
                    SELECT
                        c."row_image",
                        c."commit_ts",
                        c."commit_ts_ns",
                        c."op",
                        c."is_delete",
                        ROW_NUMBER() OVER (PARTITION BY c."record_key" ORDER BY c."commit_ts_ns" DESC, c."event_id" DESC) AS "_rn"
                    FROM "cdc"."cdc_events" AS c
                    WHERE c."source_schema" = 'sales'
                      AND c."source_table" = 'OrderItems'
                ) AS e
                WHERE e."_rn" = 1
                  AND NOT e."is_delete\"""");
    }

    @Test
    void theLatestChangePerKeyWinsWithADeterministicTieBreakAndDeletesAreHidden() {
        String sql = CurrentViewGenerator.createViewSql(ITEMS);

        assertThat(sql)
                .contains("ROW_NUMBER() OVER (PARTITION BY c.\"record_key\" ORDER BY c.\"commit_ts_ns\" DESC,"
                        + " c.\"event_id\" DESC) AS \"_rn\"");
        assertThat(sql).contains("WHERE e.\"_rn\" = 1\n  AND NOT e.\"is_delete\"");
        // Only the table's own changes: the filter is inside the window's input, not after it.
        assertThat(sql.indexOf("c.\"source_table\" = 'OrderItems'")).isLessThan(sql.indexOf(") AS e"));
        assertThat(sql).doesNotContain("ingested_at").doesNotContain("kinesis_");
    }

    @Test
    void everyCatalogViewHasItsColumnsInCatalogOrderThenTheMetadata() {
        for (CatalogTable table : TableCatalog.load().tables()) {
            String sql = CurrentViewGenerator.createViewSql(table);
            int at = 0;
            for (CatalogColumn column : table.columns()) {
                int next = sql.indexOf(" AS \"" + column.name() + "\",\n", at);
                assertThat(next).as(table.qualifiedName() + "." + column.name()).isGreaterThan(at);
                at = next;
            }
            assertThat(sql.indexOf(" AS \"_commit_ts\",\n")).isGreaterThan(at);
            assertThat(sql).contains("e.\"commit_ts_ns\" AS \"_commit_ts_ns\",\n    e.\"op\" AS \"_op\"\nFROM (");
            assertThat(sql)
                    .contains("c.\"source_schema\" = '" + table.schema() + "'")
                    .contains("c.\"source_table\" = '" + table.name() + "'");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"orders\"; DROP TABLE x; --", "orders'; DROP TABLE x; --", "a b", "x\\", "1abc", "", "é"})
    void aHostileNameCannotReachSql(String hostile) {
        CatalogTable badTable = new CatalogTable("public", hostile, List.of("id"), List.of(column("id", "bigint")));
        CatalogTable badSchema = new CatalogTable(hostile, "orders", List.of("id"), List.of(column("id", "bigint")));
        CatalogTable badColumn = new CatalogTable(
                "public", "orders", List.of("id"), List.of(column("id", "bigint"), column(hostile, "text")));

        for (CatalogTable table : List.of(badTable, badSchema, badColumn)) {
            assertThatThrownBy(() -> CurrentViewGenerator.createViewSql(table))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a valid identifier");
        }
        assertThatThrownBy(() -> CurrentViewGenerator.viewName(badTable)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CurrentViewGenerator.dropViewSql(badSchema))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CurrentViewGenerator.nameLiteral(hostile))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CurrentViewGenerator.nameLiteral(null)).isInstanceOf(IllegalArgumentException.class);
        // And the catalog never holds such a name in the first place.
        assertThatThrownBy(() -> TableCatalog.parse(
                        "{\"tables\": [{\"schema\": \"public\", \"name\": "
                                + TextNode.valueOf(hostile) + ", \"primaryKey\": [\"id\"],"
                                + " \"columns\": [{\"name\": \"id\", \"type\": \"bigint\"}]}]}",
                        "test"))
                .hasMessageContaining("tables[0].name:");
    }

    @Test
    void theNameLiteralIsTheValidatedNameInSingleQuotes() {
        assertThat(CurrentViewGenerator.nameLiteral("order_items")).isEqualTo("'order_items'");
        assertThat(CurrentViewGenerator.nameLiteral("Sales$2")).isEqualTo("'Sales$2'");
    }

    @Test
    void aColumnNamedLikeAMetadataColumnIsRefused() {
        CatalogTable table = new CatalogTable(
                "public", "t", List.of("id"), List.of(column("id", "bigint"), column("_commit_ts", "timestamp")));

        assertThatThrownBy(() -> CurrentViewGenerator.createViewSql(table))
                .hasMessage("public.t._commit_ts collides with the view's metadata column of that name");
    }

    @Test
    void theOnlyStringLiteralsAreTheNameFilterAndTheCastsConstants() {
        // No data value can be in the SQL: every quoted literal is a name of the catalog or a constant.
        for (CatalogTable table : TableCatalog.load().tables()) {
            String sql = CurrentViewGenerator.createViewSql(table);
            List<String> literals = Pattern.compile("'[^']*'")
                    .matcher(sql)
                    .results()
                    .map(MatchResult::group)
                    .distinct()
                    .toList();
            assertThat(literals)
                    .allSatisfy(
                            literal -> assertThat(literal)
                                    .matches(
                                            "'(" + table.schema() + "|" + table.name()
                                                    + "|number|NaN|Infinity|-Infinity|epoch|1970-01-01"
                                                    + "|1970-01-01 00:00:00\\+00|24:00:00|1 second|1 microsecond|\\^-\\?\\(0\\|\\[1-9\\].*\\$)'"));
        }
    }
}
