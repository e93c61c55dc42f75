package com.dsqlcdc.customresource.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.clients.dataapi.DataApiTarget;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The property contract with infra: every property arrives as a string or a list of strings. */
class WarehouseSchemaPropertiesTest {

    static final String SECRET =
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift!dev-cdc-namespace-admin-Ab1Cd2";

    static Map<String, Object> valid() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(
                "ServiceToken",
                "arn:aws:lambda:us-east-1:123456789012:function:dev-Stateless-ProviderframeworkonEvent");
        props.put("WorkgroupName", "dev-cdc");
        props.put("Database", "dev");
        props.put("SecretArn", SECRET);
        props.put("ConsumerUser", "IAMR:dev-Stateless-ConsumerRole1A2B3C");
        props.put(
                "Statements",
                List.of(
                        "CREATE SCHEMA IF NOT EXISTS \"cdc\"",
                        "GRANT USAGE ON SCHEMA \"cdc\" TO {{consumer_user}}",
                        "GRANT SELECT, INSERT ON \"cdc\".\"cdc_events\" TO {{consumer_user}}; -- {{consumer_user}}"));
        props.put("Views", List.of("\"public\".\"orders_current\"", "\"sales$2\".\"Order_Lines\""));
        return props;
    }

    @Test
    void parsesTheContractAndSubstitutesTheQuotedConsumerUserEverywhere() {
        WarehouseSchemaProperties props = WarehouseSchemaProperties.parse(valid());

        assertThat(props.target()).isEqualTo(DataApiTarget.withSecret("dev-cdc", "dev", SECRET));
        assertThat(props.physicalId()).isEqualTo("warehouse-schema:dev-cdc/dev");
        assertThat(props.consumerUser()).isEqualTo("IAMR:dev-Stateless-ConsumerRole1A2B3C");
        assertThat(props.quotedConsumerUser()).isEqualTo("\"IAMR:dev-Stateless-ConsumerRole1A2B3C\"");
        assertThat(props.statements())
                .containsExactly(
                        "CREATE SCHEMA IF NOT EXISTS \"cdc\"",
                        "GRANT USAGE ON SCHEMA \"cdc\" TO \"IAMR:dev-Stateless-ConsumerRole1A2B3C\"",
                        "GRANT SELECT, INSERT ON \"cdc\".\"cdc_events\" TO \"IAMR:dev-Stateless-ConsumerRole1A2B3C\";"
                                + " -- \"IAMR:dev-Stateless-ConsumerRole1A2B3C\"");
        assertThat(props.views()).containsExactly("\"public\".\"orders_current\"", "\"sales$2\".\"Order_Lines\"");
    }

    @Test
    void viewsMayBeEmptyOrAbsent() {
        Map<String, Object> props = valid();
        props.put("Views", List.of());
        assertThat(WarehouseSchemaProperties.parse(props).views()).isEmpty();
        props.remove("Views");
        assertThat(WarehouseSchemaProperties.parse(props).views()).isEmpty();
    }

    @Test
    void everyProblemIsReportedTogetherAndNamesItsProperty() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("WorkgroupName", "Dev_CDC");
        props.put("Database", "1dev");
        props.put("SecretArn", "arn:aws:ssm:us-east-1:123456789012:parameter/admin");
        props.put("ConsumerUser", "admin");
        props.put("Statements", "CREATE SCHEMA cdc");
        props.put("Views", List.of("public.orders_current"));
        props.put("Statments", List.of());

        assertThatThrownBy(() -> WarehouseSchemaProperties.parse(props))
                .isInstanceOf(WarehouseSchemaException.class)
                .hasMessageContaining("Invalid properties of Custom::WarehouseSchema")
                .hasMessageContaining("WorkgroupName must be a Redshift Serverless workgroup name")
                .hasMessageContaining("got \"Dev_CDC\"")
                .hasMessageContaining("Database must be a database name")
                .hasMessageContaining("SecretArn must be a Secrets Manager secret ARN")
                .hasMessageContaining("ConsumerUser: not an IAM role database user: 'admin'")
                .hasMessageContaining("Statements must be a list of strings")
                .hasMessageContaining("Views[0] must be a quoted qualified view name")
                .hasMessageContaining("unknown property Statments");
    }

    @Test
    void missingPropertiesAreNamed() {
        assertThatThrownBy(() -> WarehouseSchemaProperties.parse(Map.of()))
                .hasMessageContaining("WorkgroupName is required")
                .hasMessageContaining("Database is required")
                .hasMessageContaining("SecretArn is required")
                .hasMessageContaining("ConsumerUser is required")
                .hasMessageContaining("Statements is required");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"public\".orders",
                "\"public\".\"orders\"; DROP TABLE x",
                "\"public\".\"or\"\"ders\"",
                "\"public\".\"1orders\"",
                "\"public\".\"orders\".\"x\"",
                "\"public\" . \"orders\"",
                "\"\".\"orders\"",
                "\"public\".\"orders\n\""
            })
    void viewNamesAreValidatedStrictly(String view) {
        Map<String, Object> props = valid();
        props.put("Views", List.of("\"public\".\"ok\"", view));

        assertThatThrownBy(() -> WarehouseSchemaProperties.parse(props))
                .hasMessageContaining("Views[1] must be a quoted qualified view name");
    }

    @Test
    void aDuplicatedViewOrANonStringEntryIsRefused() {
        Map<String, Object> props = valid();
        props.put("Views", List.of("\"public\".\"a\"", "\"public\".\"a\""));
        assertThatThrownBy(() -> WarehouseSchemaProperties.parse(props))
                .hasMessageContaining("Views[1] lists \"public\".\"a\" twice");

        props.put("Views", List.of("\"public\".\"a\"", Map.of("x", "y")));
        assertThatThrownBy(() -> WarehouseSchemaProperties.parse(props))
                .hasMessageContaining("Views[1] must be a string");
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
    void oldPropertiesTolerateAPropertyThisVersionNoLongerKnows() {
        Map<String, Object> old = valid();
        old.put("RetiredProperty", "x");

        assertThat(WarehouseSchemaProperties.parseOld(old).views()).hasSize(2);
        assertThatThrownBy(() -> WarehouseSchemaProperties.parse(old))
                .hasMessageContaining("unknown property RetiredProperty");
    }
}
