package com.dsqlcdc.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.sql.current.ControlTables;
import com.dsqlcdc.sql.current.StateTable;
import com.dsqlcdc.sql.views.LogLatestViewGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class WarehouseSchemaTest {

    private static final WarehouseSchema SCHEMA = WarehouseSchema.of(TableCatalog.load(), false);
    private static final String USER = WarehouseSchema.LOADER_USER_PLACEHOLDER;

    private static String twoTables(String secondSchema) {
        return """
                {"tables": [
                  {"schema": "public", "name": "orders", "primaryKey": ["id"], "columns": [{"name": "id", "type": "bigint"}]},
                  {"schema": "%s", "name": "events", "primaryKey": ["id"], "columns": [{"name": "id", "type": "uuid"}]},
                  {"schema": "public", "name": "items", "primaryKey": ["id"], "columns": [{"name": "id", "type": "int"}]}
                ]}""".formatted(secondSchema);
    }

    private static List<String> firstLines(List<String> statements) {
        return statements.stream()
                .map(s -> s.lines()
                        .filter(l -> !l.isBlank() && !l.strip().startsWith("--"))
                        .findFirst()
                        .orElseThrow())
                .toList();
    }

    @Test
    void theStatementsComeInOrderLogControlTablesSchemasAuditViews() {
        WarehouseSchema schema = WarehouseSchema.of(TableCatalog.parse(twoTables("Audit"), "test"), false);

        assertThat(firstLines(schema.statements()))
                .containsExactly(
                        "CREATE SCHEMA IF NOT EXISTS \"cdc\"",
                        "CREATE TABLE IF NOT EXISTS \"cdc\".\"cdc_events\" (",
                        "REVOKE ALL ON \"cdc\".\"cdc_events\" FROM PUBLIC",
                        "CREATE TABLE IF NOT EXISTS \"cdc\".\"loader_state\" (",
                        "INSERT INTO \"cdc\".\"loader_state\" (\"id\", \"runs\", \"batches_loaded\", \"rows_loaded\", \"max_commit_ts_ns\")",
                        "CREATE TABLE IF NOT EXISTS \"cdc\".\"loaded_batches\" (",
                        "CREATE TABLE IF NOT EXISTS \"cdc\".\"current_tables\" (",
                        "REVOKE ALL ON \"cdc\".\"loader_state\" FROM PUBLIC",
                        "REVOKE ALL ON \"cdc\".\"loaded_batches\" FROM PUBLIC",
                        "REVOKE ALL ON \"cdc\".\"current_tables\" FROM PUBLIC",
                        "CREATE SCHEMA IF NOT EXISTS \"public\"",
                        "CREATE SCHEMA IF NOT EXISTS \"Audit\"",
                        "DROP VIEW IF EXISTS \"public\".\"orders_log_latest\"",
                        "CREATE VIEW \"public\".\"orders_log_latest\" AS",
                        "DROP VIEW IF EXISTS \"Audit\".\"events_log_latest\"",
                        "CREATE VIEW \"Audit\".\"events_log_latest\" AS",
                        "DROP VIEW IF EXISTS \"public\".\"items_log_latest\"",
                        "CREATE VIEW \"public\".\"items_log_latest\" AS");
        assertThat(schema.tables())
                .extracting(StateTable::stateTable)
                .containsExactly(
                        "\"public\".\"orders_state\"", "\"Audit\".\"events_state\"", "\"public\".\"items_state\"");
        assertThat(schema.schemas()).containsExactly("\"public\"", "\"Audit\"");
    }

    @Test
    void theLoaderGetsWhatItsStatementsNeedAndDeleteOnTheLogOnlyWhenItPrunes() {
        WarehouseSchema schema = WarehouseSchema.of(TableCatalog.parse(twoTables("Audit"), "test"), false);
        assertThat(schema.grantStatements())
                .containsExactly(
                        "GRANT USAGE ON SCHEMA \"cdc\" TO " + USER,
                        "GRANT INSERT ON \"cdc\".\"cdc_events\" TO " + USER,
                        "GRANT SELECT, UPDATE ON \"cdc\".\"loader_state\" TO " + USER,
                        "GRANT SELECT, INSERT, DELETE ON \"cdc\".\"loaded_batches\" TO " + USER,
                        "GRANT SELECT ON \"cdc\".\"current_tables\" TO " + USER,
                        "GRANT USAGE ON SCHEMA \"public\" TO " + USER,
                        "GRANT USAGE ON SCHEMA \"Audit\" TO " + USER,
                        "GRANT SELECT, INSERT, UPDATE ON \"public\".\"orders_state\" TO " + USER,
                        "GRANT SELECT, INSERT, UPDATE ON \"Audit\".\"events_state\" TO " + USER,
                        "GRANT SELECT, INSERT, UPDATE ON \"public\".\"items_state\" TO " + USER);
        assertThat(WarehouseSchema.of(TableCatalog.parse(twoTables("Audit"), "test"), true)
                        .grantStatements())
                .contains("GRANT SELECT, INSERT, DELETE ON \"cdc\".\"cdc_events\" TO " + USER);
    }

    @Test
    void aRebuildIsOneTransactionUnderTheLoadersLockEndingWithTheShapeAndTheGrant() {
        StateTable orders = SCHEMA.tables().get(0);
        assertThat(firstLines(SCHEMA.rebuildStatements(orders)))
                .containsExactly(
                        "LOCK \"cdc\".\"loader_state\"",
                        "DROP TABLE IF EXISTS \"public\".\"orders_state$new\"",
                        "CREATE TABLE \"public\".\"orders_state$new\" (",
                        "INSERT INTO \"public\".\"orders_state$new\" (" + orders.quotedColumns() + ")",
                        "DROP VIEW IF EXISTS \"public\".\"orders_current\"",
                        "DROP TABLE IF EXISTS \"public\".\"orders_state\"",
                        "ALTER TABLE \"public\".\"orders_state$new\" RENAME TO \"orders_state\"",
                        "CREATE VIEW \"public\".\"orders_current\" AS",
                        "DELETE FROM \"cdc\".\"current_tables\" WHERE \"source_schema\" = 'public' AND \"source_table\" = 'orders'",
                        "INSERT INTO \"cdc\".\"current_tables\" (\"source_schema\", \"source_table\", \"shape\", \"built_at\") VALUES"
                                + " ('public', 'orders', '" + orders.shape() + "', GETDATE())",
                        "GRANT SELECT, INSERT, UPDATE ON \"public\".\"orders_state\" TO " + USER);
        assertThat(SCHEMA.rebuildStatements(orders).size()).isLessThanOrEqualTo(40);
    }

    @Test
    void aTableDroppedFromTheCatalogLeavesNothingButItsEvents() {
        assertThat(WarehouseSchema.dropTableStatements("public", "gone"))
                .containsExactly(
                        "DROP VIEW IF EXISTS \"public\".\"gone_current\"",
                        "DROP VIEW IF EXISTS \"public\".\"gone_log_latest\"",
                        "DROP TABLE IF EXISTS \"public\".\"gone_state\"",
                        "DELETE FROM \"cdc\".\"current_tables\" WHERE \"source_schema\" = 'public' AND \"source_table\" = 'gone'");
        assertThatThrownBy(() -> WarehouseSchema.dropTableStatements("public", "x'; DROP TABLE y; --"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(WarehouseSchema.recordedShapesSql())
                .isEqualTo("SELECT \"source_schema\", \"source_table\", \"shape\" FROM \"cdc\".\"current_tables\"");
    }

    @Test
    void theCheckedInCatalogGivesAnAuditViewPerTable() {
        for (var table : TableCatalog.load().tables()) {
            assertThat(SCHEMA.statements())
                    .containsSubsequence(
                            LogLatestViewGenerator.dropViewSql(table), LogLatestViewGenerator.createViewSql(table));
        }
        assertThat(SCHEMA.tables()).hasSize(4);
    }

    @Test
    void theDdlIsTheCheckedInFilesSplitAtTheirSeparatorLines() throws IOException {
        List<String> log = WarehouseSchema.splitStatements(resource(CdcEventsTable.DDL_RESOURCE));
        List<String> control = WarehouseSchema.splitStatements(resource(ControlTables.DDL_RESOURCE));

        assertThat(log).hasSize(3);
        assertThat(control).hasSize(7);
        List<String> expected = new ArrayList<>(log);
        expected.addAll(control);
        assertThat(SCHEMA.statements().subList(0, expected.size())).isEqualTo(expected);
        assertThat(log.get(1)).contains("DISTKEY (\"record_key\")").doesNotContain("\n;");
        for (String column : CdcEventsTable.INSERT_COLUMNS) {
            assertThat(log.get(1)).contains("\"" + column + "\"");
        }
    }

    /** The sizes CdcEventsTable states (what the consumer enforces) are the DDL's. */
    @Test
    void theColumnSizesTheConsumerEnforcesAreTheDdls() throws IOException {
        String ddl = resource(CdcEventsTable.DDL_RESOURCE);
        assertThat(ddl)
                .containsPattern("\"record_key\"\\s+VARCHAR\\(" + CdcEventsTable.MAX_RECORD_KEY_BYTES + "\\)")
                .containsPattern("\"op\"\\s+VARCHAR\\(" + CdcEventsTable.MAX_OP_BYTES + "\\)")
                .containsPattern("\"tx_id\"\\s+VARCHAR\\(" + CdcEventsTable.MAX_TX_ID_BYTES + "\\)");
    }

    private static String resource(String name) throws IOException {
        try (var in = WarehouseSchema.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void splittingDropsCommentOnlyPiecesAndKeepsCommentsInsideStatements() {
        assertThat(WarehouseSchema.splitStatements(
                        "-- header\n\nSELECT 1\n;\n  -- trailer only\n;\r\nSELECT ';'\n-- c\n ; \n"))
                .containsExactly("-- header\n\nSELECT 1", "SELECT ';'\n-- c");
        assertThat(WarehouseSchema.splitStatements("SELECT 1; SELECT 2")).containsExactly("SELECT 1; SELECT 2");
    }

    @Test
    void everyDeployStatementIsIdempotent() {
        List<String> statements = SCHEMA.statements();
        for (int i = 0; i < statements.size(); i++) {
            String sql = statements
                    .get(i)
                    .lines()
                    .filter(l -> !l.strip().startsWith("--") && !l.isBlank())
                    .reduce("", (a, b) -> a + b + "\n");
            if (sql.startsWith("CREATE VIEW ")) {
                String view = sql.substring("CREATE VIEW ".length(), sql.indexOf(" AS\n"));
                assertThat(statements.get(i - 1)).isEqualTo("DROP VIEW IF EXISTS " + view);
            } else if (sql.startsWith("INSERT ")) {
                assertThat(sql).as("the one-row insert happens once").contains("WHERE \"existing\".\"n\" = 0");
            } else {
                assertThat(sql).matches("(?s)(CREATE (SCHEMA|TABLE) IF NOT EXISTS |DROP VIEW IF EXISTS |REVOKE ).*");
            }
        }
    }

    @Test
    void nothingIsGrantedToPublic() {
        Pattern grantToPublic = Pattern.compile("(?is)\\bGRANT\\b.*\\bTO\\s+(GROUP\\s+)?PUBLIC\\b");
        List<String> all = new ArrayList<>(SCHEMA.statements());
        all.addAll(SCHEMA.grantStatements());
        SCHEMA.tables().forEach(t -> all.addAll(SCHEMA.rebuildStatements(t)));
        for (String statement : all) {
            assertThat(grantToPublic.matcher(statement).find()).as(statement).isFalse();
        }
    }

    @Test
    void thePlaceholderIsOnlyInTheGrantsAndEveryGrantHasIt() {
        List<String> all = new ArrayList<>(SCHEMA.statements());
        SCHEMA.tables().forEach(t -> all.addAll(SCHEMA.rebuildStatements(t)));
        all.addAll(SCHEMA.grantStatements());
        assertThat(all.stream().filter(s -> s.contains(USER)).toList())
                .isEqualTo(all.stream().filter(s -> s.startsWith("GRANT ")).toList());
        assertThat(USER).isEqualTo("{{loader_user}}");
        assertThat(SCHEMA.grantStatements().get(1).replace(USER, Identifiers.quoteIamRoleUser("IAMR:dev-loader")))
                .isEqualTo("GRANT INSERT ON \"cdc\".\"cdc_events\" TO \"IAMR:dev-loader\"");
    }

    @Test
    void statementsFitTheDataApiAndContainNoSeparatorLine() {
        for (String statement : SCHEMA.statements()) {
            assertThat(statement.getBytes(StandardCharsets.UTF_8).length)
                    .isLessThanOrEqualTo(WarehouseSchema.MAX_STATEMENT_BYTES);
            assertThat(statement).isEqualTo(statement.strip()).doesNotContainPattern("(?m)^\\s*;\\s*$");
        }
    }

    @Test
    void aTableTooWideForOneDataApiStatementIsRefused() {
        StringBuilder columns = new StringBuilder("{\"name\": \"id\", \"type\": \"bigint\"}");
        for (int i = 0; i < 400; i++) {
            columns.append(", {\"name\": \"c").append(i).append("\", \"type\": \"timestamptz\"}");
        }
        TableCatalog wide = TableCatalog.parse(
                "{\"tables\": [{\"schema\": \"public\", \"name\": \"wide\","
                        + " \"primaryKey\": [\"id\"], \"columns\": [" + columns + "]}]}",
                "test");

        assertThatThrownBy(() -> WarehouseSchema.of(wide, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "over the Data API's limit (100000): CREATE VIEW \"public\".\"wide_log_latest\" AS");
    }

    @Test
    void theListsAreImmutable() {
        assertThatThrownBy(() -> SCHEMA.statements().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> SCHEMA.grantStatements().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> SCHEMA.tables().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theSameCatalogGivesTheSameStatements() {
        assertThat(WarehouseSchema.of(TableCatalog.load(), false).statements()).isEqualTo(SCHEMA.statements());
    }

    /** {@code sql/generated/warehouse.sql} is what the generator writes for the checked-in catalog. */
    @Test
    void theGeneratedFileIsUpToDate() throws IOException {
        Path file = generatedFile();
        String expected = GenerateWarehouseSql.render(TableCatalog.load());
        String actual = Files.exists(file)
                ? Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n")
                : "";

        assertThat(actual)
                .withFailMessage(
                        "sql/%s is stale (or missing): it must be the output of the generator for the"
                                + " checked-in catalog. Regenerate it from the repository root with%n  %s%nand commit it.",
                        GenerateWarehouseSql.FILE, GenerateWarehouseSql.REGENERATE_COMMAND)
                .isEqualTo(expected);
        assertThat(GenerateWarehouseSql.REGENERATE_COMMAND)
                .contains("-Dexec.skip=false", "-Dexec.mainClass=" + GenerateWarehouseSql.class.getName(), "-pl sql");
    }

    /** Surefire runs in the module directory; from the repository root the module is sql/. */
    private static Path generatedFile() {
        Path inModule = Path.of(GenerateWarehouseSql.FILE);
        return Files.isRegularFile(Path.of("catalog.json"))
                ? inModule
                : Path.of("sql").resolve(inModule);
    }
}
