package com.dsqlcdc.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.sql.views.CurrentViewGenerator;
import com.dsqlcdc.sql.views.GenerateCurrentViews;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class WarehouseSchemaTest {

    private static final WarehouseSchema SCHEMA = WarehouseSchema.of(TableCatalog.load());
    private static final String USER = WarehouseSchema.CONSUMER_USER_PLACEHOLDER;

    private static String twoTables(String secondSchema) {
        return """
                {"tables": [
                  {"schema": "public", "name": "orders", "primaryKey": ["id"], "columns": [{"name": "id", "type": "bigint"}]},
                  {"schema": "%s", "name": "events", "primaryKey": ["id"], "columns": [{"name": "id", "type": "uuid"}]},
                  {"schema": "public", "name": "items", "primaryKey": ["id"], "columns": [{"name": "id", "type": "int"}]}
                ]}""".formatted(secondSchema);
    }

    @Test
    void theStatementsComeInOrderDdlSchemasViewsGrants() {
        WarehouseSchema schema = WarehouseSchema.of(TableCatalog.parse(twoTables("Audit"), "test"));

        List<String> firstLines = schema.statements().stream()
                .map(s -> s.lines()
                        .filter(l -> !l.isBlank() && !l.strip().startsWith("--"))
                        .findFirst()
                        .orElseThrow())
                .toList();
        assertThat(firstLines)
                .containsExactly(
                        "CREATE SCHEMA IF NOT EXISTS \"cdc\"",
                        "CREATE TABLE IF NOT EXISTS \"cdc\".\"cdc_events\" (",
                        "REVOKE ALL ON \"cdc\".\"cdc_events\" FROM PUBLIC",
                        "CREATE SCHEMA IF NOT EXISTS \"public\"",
                        "CREATE SCHEMA IF NOT EXISTS \"Audit\"",
                        "DROP VIEW IF EXISTS \"public\".\"orders_current\"",
                        "CREATE VIEW \"public\".\"orders_current\" AS",
                        "DROP VIEW IF EXISTS \"Audit\".\"events_current\"",
                        "CREATE VIEW \"Audit\".\"events_current\" AS",
                        "DROP VIEW IF EXISTS \"public\".\"items_current\"",
                        "CREATE VIEW \"public\".\"items_current\" AS",
                        "GRANT USAGE ON SCHEMA \"cdc\" TO " + USER,
                        "GRANT INSERT ON \"cdc\".\"cdc_events\" TO " + USER);
        assertThat(schema.viewNames())
                .containsExactly(
                        "\"public\".\"orders_current\"",
                        "\"Audit\".\"events_current\"",
                        "\"public\".\"items_current\"");
        assertThat(schema.viewSchemas()).containsExactly("\"public\"", "\"Audit\"");
    }

    @Test
    void theCheckedInCatalogGivesOneViewPerTable() {
        assertThat(SCHEMA.viewNames())
                .containsExactly(
                        "\"public\".\"orders_current\"",
                        "\"public\".\"order_items_current\"",
                        "\"public\".\"accounts_current\"",
                        "\"public\".\"documents_current\"");
        assertThat(SCHEMA.viewSchemas()).containsExactly("\"public\"");
        for (var table : TableCatalog.load().tables()) {
            assertThat(SCHEMA.statements())
                    .containsSubsequence(
                            CurrentViewGenerator.dropViewSql(table), CurrentViewGenerator.createViewSql(table));
        }
    }

    @Test
    void theDdlIsCdcEventsSqlSplitAtItsSeparatorLines() throws IOException {
        String ddl;
        try (var in = WarehouseSchema.class.getResourceAsStream(CdcEventsTable.DDL_RESOURCE)) {
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> pieces = WarehouseSchema.splitStatements(ddl);

        assertThat(pieces).hasSize(3);
        assertThat(SCHEMA.statements().subList(0, 3)).isEqualTo(pieces);
        assertThat(pieces.get(1)).contains("DISTKEY (\"record_key\")").doesNotContain("\n;");
        // The DDL names the same columns as CdcEventsTable.
        for (String column : CdcEventsTable.INSERT_COLUMNS) {
            assertThat(pieces.get(1)).contains("\"" + column + "\"");
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
    void everyStatementIsIdempotent() {
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
            } else {
                assertThat(sql)
                        .matches("(?s)(CREATE (SCHEMA|TABLE) IF NOT EXISTS |DROP VIEW IF EXISTS |REVOKE |GRANT ).*");
            }
        }
    }

    @Test
    void nothingIsGrantedToPublic() {
        Pattern grantToPublic = Pattern.compile("(?is)\\bGRANT\\b.*\\bTO\\s+(GROUP\\s+)?PUBLIC\\b");
        for (String statement : SCHEMA.statements()) {
            assertThat(grantToPublic.matcher(statement).find()).as(statement).isFalse();
        }
        // PUBLIC appears only in the REVOKE, and unquoted nowhere else.
        assertThat(SCHEMA.statements())
                .filteredOn(s -> Pattern.compile("(?<![\"'])\\bPUBLIC\\b(?![\"'])", Pattern.CASE_INSENSITIVE)
                        .matcher(s.replaceAll("(?m)--.*$", ""))
                        .find())
                .containsExactly("-- Nobody but the owner and the explicit grants below may read or write the log.\n"
                        + "REVOKE ALL ON \"cdc\".\"cdc_events\" FROM PUBLIC");
    }

    @Test
    void thePlaceholderIsOnlyInTheGrantsAndEveryGrantHasIt() {
        List<String> withPlaceholder =
                SCHEMA.statements().stream().filter(s -> s.contains(USER)).toList();
        List<String> grants =
                SCHEMA.statements().stream().filter(s -> s.startsWith("GRANT ")).toList();

        assertThat(withPlaceholder)
                .isEqualTo(grants)
                .containsExactly(
                        "GRANT USAGE ON SCHEMA \"cdc\" TO {{consumer_user}}",
                        "GRANT INSERT ON \"cdc\".\"cdc_events\" TO {{consumer_user}}");
        assertThat(USER).isEqualTo("{{consumer_user}}");
        // Substituting a quoted IAM role user gives valid grants.
        assertThat(grants.get(1).replace(USER, Identifiers.quoteIamRoleUser("IAMR:dev-consumer")))
                .isEqualTo("GRANT INSERT ON \"cdc\".\"cdc_events\" TO \"IAMR:dev-consumer\"");
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
    void aViewTooLargeForOneDataApiStatementIsRefused() {
        StringBuilder columns = new StringBuilder("{\"name\": \"id\", \"type\": \"bigint\"}");
        for (int i = 0; i < 400; i++) {
            columns.append(", {\"name\": \"c").append(i).append("\", \"type\": \"timestamptz\"}");
        }
        TableCatalog wide = TableCatalog.parse(
                "{\"tables\": [{\"schema\": \"public\", \"name\": \"wide\","
                        + " \"primaryKey\": [\"id\"], \"columns\": [" + columns + "]}]}",
                "test");

        assertThatThrownBy(() -> WarehouseSchema.of(wide))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("over the Data API's limit (100000): CREATE VIEW \"public\".\"wide_current\" AS");
    }

    @Test
    void theListsAreImmutable() {
        assertThatThrownBy(() -> SCHEMA.statements().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> SCHEMA.viewNames().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> SCHEMA.viewSchemas().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theSameCatalogGivesTheSameStatements() {
        assertThat(WarehouseSchema.of(TableCatalog.load()).statements()).isEqualTo(SCHEMA.statements());
    }

    /** {@code sql/generated/current_views.sql} is what the generator writes for the checked-in catalog. */
    @Test
    void theGeneratedFileIsUpToDate() throws IOException {
        Path file = generatedFile();
        String expected = GenerateCurrentViews.render(SCHEMA);
        String actual = Files.exists(file)
                ? Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n")
                : "";

        assertThat(actual)
                .withFailMessage(
                        "sql/%s is stale (or missing): it must be the output of the generator for the"
                                + " checked-in catalog. Regenerate it from the repository root with%n  %s%nand commit it.",
                        GenerateCurrentViews.FILE, GenerateCurrentViews.REGENERATE_COMMAND)
                .isEqualTo(expected);
    }

    @Test
    void theGeneratedFileSplitsBackIntoTheStatements() throws IOException {
        String content = Files.readString(generatedFile(), StandardCharsets.UTF_8);
        List<String> split = WarehouseSchema.splitStatements(content);
        List<String> expected = new ArrayList<>(SCHEMA.statements());
        // The file's header comment joins the first statement.
        assertThat(split.get(0)).startsWith("-- GENERATED by ").endsWith(expected.get(0));
        assertThat(split.subList(1, split.size())).isEqualTo(expected.subList(1, expected.size()));
        assertThat(GenerateCurrentViews.REGENERATE_COMMAND)
                .contains("-Dexec.skip=false", "-Dexec.mainClass=" + GenerateCurrentViews.class.getName(), "-pl sql");
    }

    /** Surefire runs in the module directory; from the repository root the module is sql/. */
    private static Path generatedFile() {
        Path inModule = Path.of(GenerateCurrentViews.FILE);
        return Files.isRegularFile(Path.of("catalog.json"))
                ? inModule
                : Path.of("sql").resolve(inModule);
    }
}
