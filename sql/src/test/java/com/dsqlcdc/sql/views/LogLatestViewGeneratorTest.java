package com.dsqlcdc.sql.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.sql.catalog.CatalogColumn;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.ColumnType;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.sql.current.StateTable;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogLatestViewGeneratorTest {

    private static CatalogColumn column(String name, String type) {
        return new CatalogColumn(name, ColumnType.parse(type).type().orElseThrow());
    }

    private static final CatalogTable ITEMS = new CatalogTable(
            "sales",
            "OrderItems",
            List.of("order_id", "line_no"),
            List.of(column("order_id", "bigint"), column("line_no", "integer"), column("Sku", "varchar(64)")));

    @Test
    void theAuditViewIsNamedSoNobodyTakesItForTheFastPath() {
        assertThat(LogLatestViewGenerator.viewName(ITEMS)).isEqualTo("\"sales\".\"OrderItems_log_latest\"");
        assertThat(LogLatestViewGenerator.dropViewSql(ITEMS))
                .isEqualTo("DROP VIEW IF EXISTS \"sales\".\"OrderItems_log_latest\"");
    }

    @Test
    void theViewIsTheStateTablesLatestPerKeyQueryOverTheWholeLogWithoutTombstones() {
        StateTable state = new StateTable(ITEMS);
        assertThat(LogLatestViewGenerator.createViewSql(ITEMS))
                .isEqualTo("CREATE VIEW \"sales\".\"OrderItems_log_latest\" AS\n"
                        + "SELECT l.\"order_id\", l.\"line_no\", l.\"Sku\", l.\"_commit_ts\", l.\"_commit_ts_ns\", l.\"_op\"\n"
                        + "FROM (\n" + state.latestPerKeySql("\"cdc\".\"cdc_events\"") + "\n) AS l\n"
                        + "WHERE NOT l.\"_deleted\"");
    }

    @Test
    void itHasTheColumnsOfTheCurrentView() {
        for (CatalogTable table : TableCatalog.load().tables()) {
            String view = LogLatestViewGenerator.createViewSql(table);
            String current = new StateTable(table).createCurrentViewSql();
            String viewColumns = view.substring(
                            view.indexOf("SELECT ") + 7, view.indexOf('\n', view.indexOf("SELECT ")))
                    .replace("l.", "");
            String currentColumns = current.substring(
                    current.indexOf("SELECT ") + 7, current.indexOf('\n', current.indexOf("SELECT ")));
            assertThat(viewColumns).isEqualTo(currentColumns);
        }
    }

    @Test
    void aHostileNameCannotReachSql() {
        for (String hostile :
                List.of("orders\"; DROP TABLE x; --", "orders'; DROP TABLE x; --", "a b", "x\\", "1abc", "")) {
            CatalogTable badTable = new CatalogTable("public", hostile, List.of("id"), List.of(column("id", "bigint")));
            CatalogTable badColumn = new CatalogTable(
                    "public", "orders", List.of("id"), List.of(column("id", "bigint"), column(hostile, "text")));
            for (CatalogTable table : List.of(badTable, badColumn)) {
                assertThatThrownBy(() -> LogLatestViewGenerator.createViewSql(table))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("not a valid identifier");
            }
        }
    }
}
