package com.dsqlcdc.customresource.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.clients.dataapi.DataApiTarget;
import com.dsqlcdc.customresource.schema.SchemaTable.TableRef;
import com.dsqlcdc.sql.SchemaFingerprint;
import com.dsqlcdc.sql.WarehouseSchema;
import com.dsqlcdc.sql.catalog.CatalogDocument;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.sql.current.StateTable;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The property contract with infra: every leaf arrives as a string; lists and objects as JSON. The
 * properties carry the catalog, not the SQL; the handler generates the SQL from it.
 */
class WarehouseSchemaPropertiesTest {

    static final String SECRET =
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift!dev-cdc-namespace-admin-Ab1Cd2";
    static final String LOADER = "IAMR:dev-Stateless-LoaderRole1A2B3C";
    static final String QUOTED = "\"" + LOADER + "\"";
    static final TableCatalog CATALOG = TableCatalog.parse("""
            {"tables": [
              {"schema": "public", "name": "orders", "primaryKey": ["order_id"],
               "columns": [{"name": "order_id", "type": "bigint"}, {"name": "status", "type": "varchar(32)"}]},
              {"schema": "sales$2", "name": "Order_Lines", "primaryKey": ["id"],
               "columns": [{"name": "id", "type": "integer"}, {"name": "qty", "type": "numeric(12,2)"}]}
            ]}
            """, "test catalog");

    static Map<String, Object> valid(TableCatalog catalog, boolean pruning) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(
                "ServiceToken",
                "arn:aws:lambda:us-east-1:123456789012:function:dev-Stateless-ProviderframeworkonEvent");
        props.put("WorkgroupName", "dev-cdc");
        props.put("Database", "dev");
        props.put("SecretArn", SECRET);
        props.put("LoaderUser", LOADER);
        props.put("Catalog", CatalogDocument.of(catalog));
        props.put("LogPruning", String.valueOf(pruning));
        props.put("SchemaFingerprint", SchemaFingerprint.of(WarehouseSchema.of(catalog, pruning)));
        return props;
    }

    static Map<String, Object> valid() {
        return valid(CATALOG, false);
    }

    static List<String> substituted(List<String> sqls) {
        return sqls.stream()
                .map(sql -> sql.replace(WarehouseSchema.LOADER_USER_PLACEHOLDER, QUOTED))
                .toList();
    }

    @Test
    void generatesTheSchemaOfTheCatalogWithTheQuotedLoaderUserEverywhere() {
        WarehouseSchemaProperties props = WarehouseSchemaProperties.parse(valid());
        WarehouseSchema schema = WarehouseSchema.of(CATALOG, false);

        assertThat(props.target()).isEqualTo(DataApiTarget.withSecret("dev-cdc", "dev", SECRET));
        assertThat(props.physicalId()).isEqualTo("warehouse-schema:dev-cdc/dev");
        assertThat(props.loaderUser()).isEqualTo(LOADER);
        assertThat(props.statements()).isEqualTo(substituted(schema.statements()));
        assertThat(props.tables())
                .containsExactlyElementsOf(schema.tables().stream()
                        .map(t -> new SchemaTable(
                                t.catalogTable().schema(),
                                t.catalogTable().name(),
                                t.shape(),
                                substituted(schema.rebuildStatements(t))))
                        .toList());
        assertThat(props.tableRefs())
                .containsExactly(new TableRef("public", "orders"), new TableRef("sales$2", "Order_Lines"));
        assertThat(props.grants())
                .isEqualTo(substituted(schema.grantStatements()))
                .isNotEmpty();
        assertThat(String.join("\n", props.grants())).contains(QUOTED);
        assertThat(String.join("\n", props.grants()) + props.statements() + props.tables())
                .doesNotContain(WarehouseSchema.LOADER_USER_PLACEHOLDER);
    }

    @Test
    void aReaderUserGetsTheBackfillReadersGrantsAfterTheLoadersAndIsOneOfTheUsersItKeeps() {
        Map<String, Object> input = valid();
        input.put("ReaderUser", "IAMR:dev-Stateless-BackfillWorkerFunctionRole");
        WarehouseSchemaProperties props = WarehouseSchemaProperties.parse(input);
        String reader = "\"IAMR:dev-Stateless-BackfillWorkerFunctionRole\"";

        List<String> loaderGrants =
                substituted(WarehouseSchema.of(CATALOG, false).grantStatements());
        List<String> readerGrants = com.dsqlcdc.sql.backfill.WarehouseReaderGrants.statements(CATALOG).stream()
                .map(sql -> sql.replace(com.dsqlcdc.sql.backfill.WarehouseReaderGrants.USER_PLACEHOLDER, reader))
                .toList();
        assertThat(props.readerUser()).contains("IAMR:dev-Stateless-BackfillWorkerFunctionRole");
        assertThat(props.grants()).startsWith(loaderGrants.toArray(String[]::new));
        assertThat(props.grants().subList(loaderGrants.size(), props.grants().size()))
                .isEqualTo(readerGrants)
                .allSatisfy(grant -> assertThat(grant)
                        .as("usage or select only")
                        .matches("GRANT (USAGE ON SCHEMA|SELECT ON) .* TO " + java.util.regex.Pattern.quote(reader)));
        assertThat(props.names("IAMR:dev-Stateless-BackfillWorkerFunctionRole")).isTrue();
        assertThat(props.names(LOADER)).isTrue();
        assertThat(props.names("IAMR:someone-else")).isFalse();
        assertThat(WarehouseSchemaProperties.parse(valid()).readerUser()).isEmpty();

        input.put("ReaderUser", "dev-Stateless-BackfillWorkerFunctionRole");
        assertThatThrownBy(() -> WarehouseSchemaProperties.parse(input))
                .isInstanceOf(WarehouseSchemaException.class)
                .hasMessageContaining("ReaderUser");
    }

    @Test
    void logPruningChangesTheGrantsAndAcceptsABooleanToo() {
        Map<String, Object> props = valid(CATALOG, true);
        props.put("LogPruning", true);

        assertThat(WarehouseSchemaProperties.parse(props).grants())
                .isEqualTo(substituted(WarehouseSchema.of(CATALOG, true).grantStatements()))
                .isNotEqualTo(WarehouseSchemaProperties.parse(valid()).grants());
    }

    @Test
    void theCatalogSurvivesCloudFormationsJsonRoundTrip() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, Object> props = valid(TableCatalog.load(), false);
        @SuppressWarnings("unchecked")
        Map<String, Object> delivered = json.readValue(json.writeValueAsString(props), Map.class);

        WarehouseSchemaProperties parsed = WarehouseSchemaProperties.parse(delivered);

        assertThat(parsed.tables()).hasSize(TableCatalog.load().tables().size());
        assertThat(parsed.tables().stream().map(SchemaTable::shape))
                .containsExactlyElementsOf(WarehouseSchema.of(TableCatalog.load(), false).tables().stream()
                        .map(StateTable::shape)
                        .toList());
    }

    @Test
    void thePropertiesStaySmallWhateverTheSqlWeighs() throws Exception {
        Map<String, Object> props = valid(TableCatalog.load(), true);
        int bytes = new ObjectMapper().writeValueAsString(props).getBytes(StandardCharsets.UTF_8).length;
        WarehouseSchemaProperties parsed = WarehouseSchemaProperties.parse(props);
        int sqlBytes = parsed.tables().stream()
                .flatMap(t -> t.rebuild().stream())
                .mapToInt(s -> s.getBytes(StandardCharsets.UTF_8).length)
                .sum();

        assertThat(bytes).isLessThan(sqlBytes / 5);
    }

    @Test
    void aFingerprintOfAnotherBuildIsLoggedAndTheSchemaThisHandlerGeneratesIsApplied() {
        Map<String, Object> props = valid();
        props.put("SchemaFingerprint", "0".repeat(64));

        assertThat(WarehouseSchemaProperties.parse(props).statements())
                .isEqualTo(substituted(WarehouseSchema.of(CATALOG, false).statements()));
    }

    @Test
    void everyProblemIsReportedTogetherAndNamesItsProperty() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("WorkgroupName", "Dev_CDC");
        props.put("Database", "1dev");
        props.put("SecretArn", "arn:aws:ssm:us-east-1:123456789012:parameter/admin");
        props.put("LoaderUser", "admin");
        props.put("Catalog", "public.orders");
        props.put("LogPruning", "yes");
        props.put("SchemaFingerprint", "ABC");
        props.put("Statements", List.of());

        assertThatThrownBy(() -> WarehouseSchemaProperties.parse(props))
                .isInstanceOf(WarehouseSchemaException.class)
                .hasMessageContaining("Invalid properties of Custom::WarehouseSchema")
                .hasMessageContaining("WorkgroupName must be a Redshift Serverless workgroup name")
                .hasMessageContaining("got \"Dev_CDC\"")
                .hasMessageContaining("Database must be a database name")
                .hasMessageContaining("SecretArn must be a Secrets Manager secret ARN")
                .hasMessageContaining("LoaderUser: not an IAM role database user: 'admin'")
                .hasMessageContaining("Catalog is required: expected the table catalog as an object")
                .hasMessageContaining("LogPruning must be \"true\" or \"false\", got \"yes\"")
                .hasMessageContaining("SchemaFingerprint must be 64 lowercase hex digits")
                .hasMessageContaining("unknown property Statements");
    }

    @Test
    void missingPropertiesAreNamed() {
        assertThatThrownBy(() -> WarehouseSchemaProperties.parse(Map.of()))
                .hasMessageContaining("WorkgroupName is required")
                .hasMessageContaining("Database is required")
                .hasMessageContaining("SecretArn is required")
                .hasMessageContaining("LoaderUser is required")
                .hasMessageContaining("Catalog is required")
                .hasMessageContaining("LogPruning must be")
                .hasMessageContaining("SchemaFingerprint is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"orders; DROP TABLE x", "or\"ders", "1orders", ""})
    void theCatalogIsValidatedAgainAsSqlCatalogJsonIs(String name) {
        Map<String, Object> props = valid();
        props.put(
                "Catalog",
                Map.of(
                        "tables",
                        List.of(Map.of(
                                "schema",
                                "public",
                                "name",
                                name,
                                "primaryKey",
                                List.of("id"),
                                "columns",
                                List.of(Map.of("name", "id", "type", "bigint"))))));

        assertThatThrownBy(() -> WarehouseSchemaProperties.parse(props))
                .isInstanceOf(WarehouseSchemaException.class)
                .hasMessageContaining("Catalog: ")
                .hasMessageContaining("the Catalog property");
    }

    @Test
    void oldPropertiesOfThisVersionGiveTheLoaderUserAndTheTablesOfTheCatalog() {
        Map<String, Object> old = valid();
        old.put("RetiredProperty", "x");

        WarehouseSchemaProperties.Previous previous = WarehouseSchemaProperties.parseOld(old);

        assertThat(previous.physicalId()).isEqualTo("warehouse-schema:dev-cdc/dev");
        assertThat(previous.users()).containsExactly(LOADER);
        assertThat(previous.tables())
                .containsExactly(new TableRef("public", "orders"), new TableRef("sales$2", "Order_Lines"));
        assertThatThrownBy(() -> WarehouseSchemaProperties.parse(old))
                .hasMessageContaining("unknown property RetiredProperty");
    }

    @Test
    void oldPropertiesOfTheFirstVersionGiveTheConsumerUserAndTheTablesOfItsViews() {
        Map<String, Object> old = new LinkedHashMap<>();
        old.put("WorkgroupName", "dev-cdc");
        old.put("Database", "dev");
        old.put("SecretArn", SECRET);
        old.put("ConsumerUser", "IAMR:dev-Stateless-ConsumerRole1A2B3C");
        old.put("Statements", List.of("GRANT INSERT ON \"cdc\".\"cdc_events\" TO {{consumer_user}}"));
        old.put(
                "Views",
                List.of("\"public\".\"orders_current\"", "\"sales$2\".\"Order_Lines_current\"", "\"x\".\"y\""));

        WarehouseSchemaProperties.Previous previous = WarehouseSchemaProperties.parseOld(old);

        assertThat(previous.users()).containsExactly("IAMR:dev-Stateless-ConsumerRole1A2B3C");
        assertThat(previous.tables())
                .containsExactly(new TableRef("public", "orders"), new TableRef("sales$2", "Order_Lines"));
    }
}
