package com.dsqlcdc.sql.current;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.sql.Identifiers;
import com.dsqlcdc.sql.catalog.CatalogColumn;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.ColumnType;
import com.dsqlcdc.sql.catalog.TableCatalog;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The SQL of one state table; what it does on a SQL engine is LoadRunSqlOnPostgresTest's. */
class StateTableTest {

    private static CatalogColumn column(String name, String type) {
        return new CatalogColumn(name, ColumnType.parse(type).type().orElseThrow());
    }

    private static final CatalogTable ITEMS = new CatalogTable(
            "sales",
            "OrderItems",
            List.of("order_id", "line_no"),
            List.of(column("order_id", "bigint"), column("line_no", "integer"), column("Sku", "varchar(64)")));
    private static final StateTable STATE = new StateTable(ITEMS);

    @Test
    void namesFollowTheTable() {
        assertThat(STATE.stateTable()).isEqualTo("\"sales\".\"OrderItems_state\"");
        assertThat(STATE.currentView()).isEqualTo("\"sales\".\"OrderItems_current\"");
        assertThat(STATE.columns())
                .containsExactly(
                        "_record_key",
                        "order_id",
                        "line_no",
                        "Sku",
                        "_commit_ts",
                        "_commit_ts_ns",
                        "_event_id",
                        "_op",
                        "_deleted");
    }

    @Test
    void theTableIsTypedDistributedOnTheMergeKeyAndSortedOnTheTypedKey() {
        assertThat(STATE.createStateTableSql()).isEqualTo("""
                CREATE TABLE IF NOT EXISTS "sales"."OrderItems_state" (
                    "_record_key" VARCHAR(2048) NOT NULL,
                    "order_id" BIGINT,
                    "line_no" INTEGER,
                    "Sku" VARCHAR(256),
                    "_commit_ts" TIMESTAMP NOT NULL,
                    "_commit_ts_ns" BIGINT NOT NULL,
                    "_event_id" CHAR(64) NOT NULL,
                    "_op" VARCHAR(16) NOT NULL,
                    "_deleted" BOOLEAN NOT NULL
                )
                DISTSTYLE KEY
                DISTKEY ("_record_key")
                COMPOUND SORTKEY ("order_id", "line_no")""");
    }

    @Test
    void theViewHidesTombstonesAndShowsTheCatalogColumnsAndTheCommit() {
        assertThat(STATE.createCurrentViewSql()).isEqualTo("""
                CREATE VIEW "sales"."OrderItems_current" AS
                SELECT "order_id", "line_no", "Sku", "_commit_ts", "_commit_ts_ns", "_op"
                FROM "sales"."OrderItems_state"
                WHERE NOT "_deleted\"""");
    }

    @Test
    void theMergeAppliesTheSourceRowsWhichTheDeleteLeftNewerThanTheStoredOnes() {
        assertThat(STATE.deleteNotNewerSql("\"merge_src_0\"")).isEqualTo("""
                DELETE FROM "merge_src_0" USING "sales"."OrderItems_state" AS t
                WHERE "merge_src_0"."_record_key" = t."_record_key"
                  AND (t."_commit_ts_ns" > "merge_src_0"."_commit_ts_ns"
                       OR (t."_commit_ts_ns" = "merge_src_0"."_commit_ts_ns" AND t."_event_id" >= "merge_src_0"."_event_id"))""");
        assertThat(STATE.mergeSql("\"merge_src_0\"")).isEqualTo("""
                MERGE INTO "sales"."OrderItems_state"
                USING "merge_src_0" AS s
                ON "sales"."OrderItems_state"."_record_key" = s."_record_key"
                WHEN MATCHED THEN UPDATE SET
                    "order_id" = s."order_id",
                    "line_no" = s."line_no",
                    "Sku" = s."Sku",
                    "_commit_ts" = s."_commit_ts",
                    "_commit_ts_ns" = s."_commit_ts_ns",
                    "_event_id" = s."_event_id",
                    "_op" = s."_op",
                    "_deleted" = s."_deleted"
                WHEN NOT MATCHED THEN INSERT ("_record_key", "order_id", "line_no", "Sku", "_commit_ts", "_commit_ts_ns", \
                "_event_id", "_op", "_deleted")
                VALUES (s."_record_key", s."order_id", s."line_no", s."Sku", s."_commit_ts", s."_commit_ts_ns", s."_event_id", \
                s."_op", s."_deleted")""");
    }

    @Test
    void theLatestChangePerKeyIsFilteredToTheTableBeforeTheWindow() {
        String sql = STATE.latestPerKeySql("\"staged\"");
        assertThat(sql)
                .contains("ROW_NUMBER() OVER (PARTITION BY c.\"record_key\" ORDER BY c.\"commit_ts_ns\" DESC,"
                        + " c.\"event_id\" DESC) AS \"_rn\"");
        assertThat(sql.indexOf("c.\"source_table\" = 'OrderItems'")).isLessThan(sql.indexOf(") AS l"));
        assertThat(sql).endsWith("WHERE l.\"_rn\" = 1").contains("l.\"is_delete\" AS \"_deleted\"");
    }

    @Test
    void theShapeChangesWithAnythingTheTableDependsOnAndOnlyThen() {
        String shape = STATE.shape();
        assertThat(shape).matches("[0-9a-f]{64}").isEqualTo(new StateTable(ITEMS).shape());
        CatalogTable addedColumn = new CatalogTable(
                "sales",
                "OrderItems",
                ITEMS.primaryKey(),
                List.of(
                        ITEMS.columns().get(0),
                        ITEMS.columns().get(1),
                        ITEMS.columns().get(2),
                        column("qty", "integer")));
        CatalogTable changedType = new CatalogTable(
                "sales",
                "OrderItems",
                ITEMS.primaryKey(),
                List.of(ITEMS.columns().get(0), ITEMS.columns().get(1), column("Sku", "text")));
        CatalogTable otherKey = new CatalogTable("sales", "OrderItems", List.of("order_id"), ITEMS.columns());
        for (CatalogTable changed : List.of(addedColumn, changedType, otherKey)) {
            assertThat(new StateTable(changed).shape()).isNotEqualTo(shape);
        }
    }

    @Test
    void aColumnNamedLikeAGeneratedColumnIsRefused() {
        for (String reserved : StateTable.RESERVED_COLUMNS) {
            CatalogTable table = new CatalogTable(
                    "public", "t", List.of("id"), List.of(column("id", "bigint"), column(reserved, "text")));
            assertThatThrownBy(() -> new StateTable(table))
                    .hasMessage("public.t." + reserved + " collides with the generated column of that name");
        }
    }

    @Test
    void aNameTooLongForTheGeneratedNamesIsRefused() {
        String longest = "t".repeat(Identifiers.MAX_BYTES - StateTable.LONGEST_SUFFIX_BYTES);
        assertThat(new StateTable(new CatalogTable("public", longest, List.of("id"), List.of(column("id", "bigint"))))
                        .stateTable())
                .endsWith("_state\"");
        assertThatThrownBy(() -> new StateTable(
                        new CatalogTable("public", longest + "t", List.of("id"), List.of(column("id", "bigint")))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theOnlyStringLiteralsAreNamesShapesAndTheCastsConstants() {
        for (CatalogTable table : TableCatalog.load().tables()) {
            StateTable state = new StateTable(table);
            String sql = String.join(
                    "\n", state.rebuildStatements(ControlTables.loaderState(), ControlTables.currentTables()));
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
                                            "'(" + table.schema() + "|" + table.name() + "|" + state.shape()
                                                    + "|number|NaN|Infinity|-Infinity|epoch"
                                                    + "|1970-01-01|1970-01-01 00:00:00\\+00|24:00:00|1 second|1 microsecond|\\^-\\?\\(0\\|\\[1-9\\].*\\$)'"));
        }
    }
}
