package com.dsqlcdc.customresource.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.clients.dataapi.DataApiTarget;
import com.dsqlcdc.customresource.schema.SchemaTable.TableRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The property contract with infra: every leaf arrives as a string; lists and objects as JSON. */
class WarehouseSchemaPropertiesTest {

    static final String SECRET =
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift!dev-cdc-namespace-admin-Ab1Cd2";
    static final String LOADER = "IAMR:dev-Stateless-LoaderRole1A2B3C";
    static final String QUOTED = "\"" + LOADER + "\"";
    static final String SHAPE = "0123456789abcdef".repeat(4);

    static Map<String, Object> table(String schema, String name, List<String> rebuild) {
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("Schema", schema);
        table.put("Name", name);
        table.put("Shape", SHAPE);
        table.put("Rebuild", rebuild);
        return table;
    }

    static Map<String, Object> valid() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(
                "ServiceToken",
                "arn:aws:lambda:us-east-1:123456789012:function:dev-Stateless-ProviderframeworkonEvent");
        props.put("WorkgroupName", "dev-cdc");
        props.put("Database", "dev");
        props.put("SecretArn", SECRET);
        props.put("LoaderUser", LOADER);
        props.put(
                "Statements", List.of("CREATE SCHEMA IF NOT EXISTS \"cdc\"", "CREATE SCHEMA IF NOT EXISTS \"public\""));
        props.put(
                "Tables",
                List.of(
                        table(
                                "public",
                                "orders",
                                List.of(
                                        "LOCK \"cdc\".\"loader_state\"",
                                        "GRANT SELECT ON \"public\".\"orders_state\" TO {{loader_user}}")),
                        table("sales$2", "Order_Lines", List.of("LOCK \"cdc\".\"loader_state\""))));
        props.put(
                "Grants",
                List.of(
                        "GRANT USAGE ON SCHEMA \"cdc\" TO {{loader_user}}",
                        "GRANT INSERT ON \"cdc\".\"cdc_events\" TO {{loader_user}}; -- {{loader_user}}"));
        return props;
    }

    @Test
    void parsesTheContractAndSubstitutesTheQuotedLoaderUserEverywhere() {
        WarehouseSchemaProperties props = WarehouseSchemaProperties.parse(valid());

        assertThat(props.target()).isEqualTo(DataApiTarget.withSecret("dev-cdc", "dev", SECRET));
        assertThat(props.physicalId()).isEqualTo("warehouse-schema:dev-cdc/dev");
        assertThat(props.loaderUser()).isEqualTo(LOADER);
        assertThat(props.statements())
                .containsExactly("CREATE SCHEMA IF NOT EXISTS \"cdc\"", "CREATE SCHEMA IF NOT EXISTS \"public\"");
        assertThat(props.tables())
                .containsExactly(
                        new SchemaTable(
                                "public",
                                "orders",
                                SHAPE,
                                List.of(
                                        "LOCK \"cdc\".\"loader_state\"",
                                        "GRANT SELECT ON \"public\".\"orders_state\" TO " + QUOTED)),
                        new SchemaTable("sales$2", "Order_Lines", SHAPE, List.of("LOCK \"cdc\".\"loader_state\"")));
        assertThat(props.tableRefs())
                .containsExactly(new TableRef("public", "orders"), new TableRef("sales$2", "Order_Lines"));
        assertThat(props.grants())
                .containsExactly(
                        "GRANT USAGE ON SCHEMA \"cdc\" TO " + QUOTED,
                        "GRANT INSERT ON \"cdc\".\"cdc_events\" TO " + QUOTED + "; -- " + QUOTED);
    }

    @Test
    void tablesAndGrantsMayBeEmptyAsCloudFormationDeliversThem() {
        Map<String, Object> props = valid();
        props.put("Tables", "");
        props.put("Grants", "");
        WarehouseSchemaProperties parsed = WarehouseSchemaProperties.parse(props);
        assertThat(parsed.tables()).isEmpty();
        assertThat(parsed.grants()).isEmpty();
    }

    @Test
    void everyProblemIsReportedTogetherAndNamesItsProperty() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("WorkgroupName", "Dev_CDC");
        props.put("Database", "1dev");
        props.put("SecretArn", "arn:aws:ssm:us-east-1:123456789012:parameter/admin");
        props.put("LoaderUser", "admin");
        props.put("Statements", "CREATE SCHEMA cdc");
        props.put("Tables", List.of("public.orders"));
        props.put("Grants", List.of(1));
        props.put("Statments", List.of());

        assertThatThrownBy(() -> WarehouseSchemaProperties.parse(props))
                .isInstanceOf(WarehouseSchemaException.class)
                .hasMessageContaining("Invalid properties of Custom::WarehouseSchema")
                .hasMessageContaining("WorkgroupName must be a Redshift Serverless workgroup name")
                .hasMessageContaining("got \"Dev_CDC\"")
                .hasMessageContaining("Database must be a database name")
                .hasMessageContaining("SecretArn must be a Secrets Manager secret ARN")
                .hasMessageContaining("LoaderUser: not an IAM role database user: 'admin'")
                .hasMessageContaining("Statements must be a list of strings")
                .hasMessageContaining("Tables[0] must be an object")
                .hasMessageContaining("Grants[0] must be a string")
                .hasMessageContaining("unknown property Statments");
    }

    @Test
    void missingPropertiesAreNamed() {
        assertThatThrownBy(() -> WarehouseSchemaProperties.parse(Map.of()))
                .hasMessageContaining("WorkgroupName is required")
                .hasMessageContaining("Database is required")
                .hasMessageContaining("SecretArn is required")
                .hasMessageContaining("LoaderUser is required")
                .hasMessageContaining("Statements is required")
                .hasMessageContaining("Grants is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"orders; DROP TABLE x", "or\"ders", "1orders", "", "orders\n"})
    void tableNamesAreValidatedStrictly(String name) {
        Map<String, Object> props = valid();
        props.put(
                "Tables",
                List.of(table("public", "ok", List.of("SELECT 1")), table("public", name, List.of("SELECT 1"))));

        assertThatThrownBy(() -> WarehouseSchemaProperties.parse(props))
                .hasMessageContaining("Tables[1].Name must be a name of letters, digits, _ or $");
    }

    @Test
    void aTableNeedsItsShapeAndARebuildOfOneBatchAndIsListedOnce() {
        Map<String, Object> props = valid();
        Map<String, Object> noShape = table("public", "a", List.of("SELECT 1"));
        noShape.put("Shape", "ABC");
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 41; i++) {
            tooMany.add("SELECT " + i);
        }
        Map<String, Object> extra = table("public", "c", List.of("SELECT 1"));
        extra.put("Columns", List.of());
        props.put(
                "Tables",
                List.of(
                        noShape,
                        table("public", "b", List.of()),
                        table("public", "d", tooMany),
                        extra,
                        table("public", "orders", List.of("SELECT 1")),
                        table("public", "orders", List.of("SELECT 2"))));

        assertThatThrownBy(() -> WarehouseSchemaProperties.parse(props))
                .hasMessageContaining("Tables[0].Shape must be 64 lowercase hex digits")
                .hasMessageContaining("Tables[1].Rebuild must hold at least one SQL statement")
                .hasMessageContaining("Tables[2].Rebuild has 41 statements; one BatchExecuteStatement takes at most 40")
                .hasMessageContaining("unknown member of Tables[3] Columns")
                .hasMessageContaining("Tables[5] lists public.orders twice");
    }

    @Test
    void statementsMustBeNonBlankAndWithinTheDataApiLimit() {
        Map<String, Object> props = valid();
        props.put("Statements", List.of());
        assertThatThrownBy(() -> WarehouseSchemaProperties.parse(props))
                .hasMessageContaining("Statements must hold at least one");

        props.put("Statements", List.of("SELECT 1", "  "));
        assertThatThrownBy(() -> WarehouseSchemaProperties.parse(props)).hasMessageContaining("Statements[1] is blank");

        props.put("Statements", List.of("SELECT 1", "-- " + "x".repeat(WarehouseSchemaProperties.MAX_STATEMENT_BYTES)));
        assertThatThrownBy(() -> WarehouseSchemaProperties.parse(props))
                .hasMessageContaining("Statements[1] is 100003 bytes")
                .hasMessageContaining("100 KB");
    }

    @Test
    void oldPropertiesOfThisVersionGiveTheLoaderUserAndTheTables() {
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
