package com.dsqlcdc.infra.stateless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.infra.PipelineStage;
import com.dsqlcdc.infra.Policies;
import com.dsqlcdc.infra.TestStages;
import com.dsqlcdc.infra.TestSupport;
import com.dsqlcdc.infra.stateful.StatefulStack;
import com.dsqlcdc.sql.WarehouseSchema;
import com.dsqlcdc.sql.catalog.TableCatalog;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.logs.RetentionDays;

/**
 * The warehouse schema custom resource ({@code Custom::WarehouseSchema}) of the fixed-environment
 * stage: what it is told to apply and where, how it reaches the Java handler, and the handler's
 * permissions.
 */
class WarehouseSchemaResourceTest {

    private static StatelessStack stack;
    private static WarehouseSchemaResource schemaResource;
    private static Template template;
    private static StatefulStack producer;
    private static Template stateful;
    private static CrossStackRefs refs;

    @BeforeAll
    static void synth() {
        PipelineStage stage = TestStages.get().stage(TestStages.CREATED);
        stack = stage.getStateless();
        schemaResource = stack.getWarehouseSchema();
        template = Template.fromStack(stack);
        producer = stage.getStateful();
        stateful = Template.fromStack(producer);
        refs = new CrossStackRefs(stage, stateful);
    }

    private static Map<String, Object> stackOutput(Capture outputName) {
        return Map.of(
                "Fn::GetStackOutput",
                Map.of("StackName", producer.getStackName(), "Region", "eu-west-1", "OutputName", outputName));
    }

    @Test
    void propertiesNameTheWarehouseTheAdminSecretAndTheConsumerUser() {
        Capture workgroupOutput = new Capture();
        Capture secretOutput = new Capture();
        Capture consumerRole = new Capture();
        WarehouseSchema schema = WarehouseSchema.of(TestSupport.catalog());

        template.resourceCountIs(WarehouseSchemaResource.RESOURCE_TYPE, 1);
        template.hasResourceProperties(
                WarehouseSchemaResource.RESOURCE_TYPE,
                Match.objectEquals(Map.of(
                        "ServiceToken", Match.anyValue(),
                        "WorkgroupName", stackOutput(workgroupOutput),
                        "Database", "analytics",
                        "SecretArn", stackOutput(secretOutput),
                        "ConsumerUser", Map.of("Fn::Join", List.of("", List.of("IAMR:", Map.of("Ref", consumerRole)))),
                        "Statements", schema.statements(),
                        "Views", schema.viewNames())));

        // the workgroup's name and the admin secret's ARN, as the stateful stack publishes them
        stateful.hasOutput(
                workgroupOutput.asString(),
                Match.objectLike(
                        Map.of("Value", producer.resolve(producer.getWarehouse().getWorkgroupName()))));
        stateful.hasOutput(
                secretOutput.asString(),
                Match.objectLike(
                        Map.of("Value", producer.resolve(producer.getWarehouse().getAdminSecretArn()))));
        // the consumer's role, not a handler's
        assertThat(consumerRole.asString()).isEqualTo(stack.getLogicalId((CfnElement)
                stack.getConsumer().getRole().getNode().getDefaultChild()));
    }

    @Test
    void statementsCreateTheTableViewsAndGrantsOfTheCatalog() {
        WarehouseSchema schema = WarehouseSchema.of(TestSupport.catalog());
        assertThat(schema.viewNames()).hasSize(TestSupport.catalog().tables().size());
        template.hasResourceProperties(
                WarehouseSchemaResource.RESOURCE_TYPE,
                Match.objectLike(Map.of(
                        "Statements",
                        Match.arrayWith(List.of(
                                Match.stringLikeRegexp("CREATE TABLE IF NOT EXISTS \"cdc\"\\.\"cdc_events\""),
                                "GRANT INSERT ON \"cdc\".\"cdc_events\" TO "
                                        + WarehouseSchema.CONSUMER_USER_PLACEHOLDER)))));
    }

    @Test
    void customResourceGoesThroughAnOnEventOnlyProviderToTheJavaHandler() {
        Capture frameworkOnEvent = new Capture();
        template.hasResourceProperties(
                WarehouseSchemaResource.RESOURCE_TYPE,
                Match.objectLike(Map.of("ServiceToken", Map.of("Fn::GetAtt", List.of(frameworkOnEvent, "Arn")))));

        Capture userOnEvent = new Capture();
        assertThat(template.findResources(
                        "AWS::Lambda::Function",
                        Match.objectLike(Map.of(
                                "Properties",
                                Match.objectLike(Map.of(
                                        "Handler",
                                        "framework.onEvent",
                                        "Environment",
                                        Map.of(
                                                "Variables",
                                                Match.objectEquals(Map.of(
                                                        "USER_ON_EVENT_FUNCTION_ARN",
                                                        Map.of("Fn::GetAtt", List.of(userOnEvent, "Arn")))))))))))
                .containsOnlyKeys(frameworkOnEvent.asString());
        assertThat(template.findResources(
                        "AWS::Lambda::Function",
                        Match.objectLike(Map.of(
                                "Properties",
                                Match.objectLike(Map.of("Handler", WarehouseSchemaResource.ON_EVENT_HANDLER))))))
                .containsOnlyKeys(userOnEvent.asString());
        // the only waiter state machine is the CDC stream's: this provider has no isComplete
        template.resourceCountIs("AWS::StepFunctions::StateMachine", 1);
    }

    @Test
    void handlerIsJava25OnArmWithFifteenMinutesAndItsServiceName() {
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler",
                        "com.dsqlcdc.customresource.WarehouseSchemaOnEventHandler::handleRequest",
                        "Runtime",
                        "java25",
                        "Architectures",
                        List.of("arm64"),
                        "MemorySize",
                        1024,
                        "Timeout",
                        900,
                        "Environment",
                        Map.of("Variables", Map.of("POWERTOOLS_SERVICE_NAME", "dsql-cdc-warehouse-schema")),
                        "LoggingConfig",
                        Map.of("LogGroup", Map.of("Ref", Match.anyValue())))));
    }

    @Test
    void handlerMayRunStatementsAsTheAdminOfThisWarehouseOnly() {
        Object role = stack.resolve(schemaResource.getOnEventHandler().getRole().getRoleName());
        Policies.assertOnlyPolicy(
                template,
                role,
                List.of(
                        Policies.writesItsLogGroup("WarehouseSchemaOnEventLogs"),
                        Map.of(
                                "Effect",
                                "Allow",
                                "Action",
                                List.of(
                                        "redshift-data:CancelStatement",
                                        "redshift-data:DescribeStatement",
                                        "redshift-data:ExecuteStatement"),
                                "Resource",
                                "*"),
                        Map.of(
                                "Effect",
                                "Allow",
                                "Action",
                                "secretsmanager:GetSecretValue",
                                "Resource",
                                refs.of(producer.getWarehouse().getAdminSecretArn())),
                        Map.of(
                                "Effect",
                                "Allow",
                                "Action",
                                "kms:Decrypt",
                                "Resource",
                                refs.of(producer.getWarehouse()
                                        .getEncryptionKey()
                                        .getKeyArn()),
                                "Condition",
                                Policies.viaService("secretsmanager"))));
    }

    @Test
    void deletingTheResourceLeavesTheWarehouseAlone() {
        template.hasResource(
                WarehouseSchemaResource.RESOURCE_TYPE,
                Match.objectLike(Map.of("DeletionPolicy", "Delete", "UpdateReplacePolicy", "Delete")));
    }

    @Test
    void aCatalogTheDataApiCannotTakeFailsTheSynthWithTheSqlModulesMessage() {
        // one table with so many columns that its view exceeds the Data API's 100 KB per statement
        String columns = IntStream.range(0, 1500)
                .mapToObj(
                        i -> "{\"name\": \"a_rather_long_column_name_to_fill_the_view_" + i + "\", \"type\": \"text\"}")
                .collect(Collectors.joining(", "));
        TableCatalog huge = TableCatalog.parse(
                "{\"tables\": [{\"schema\": \"public\", \"name\": \"wide\","
                        + " \"primaryKey\": [\"a_rather_long_column_name_to_fill_the_view_0\"], \"columns\": ["
                        + columns + "]}]}",
                "test catalog");
        Stack scratch = new Stack(TestSupport.newApp(), "Scratch");
        Role consumerRole = Role.Builder.create(scratch, "Consumer")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .build();

        assertThatThrownBy(() -> new WarehouseSchemaResource(
                        scratch,
                        "Schema",
                        new WarehouseSchemaResourceProps(
                                producer.getWarehouse(),
                                consumerRole,
                                huge,
                                Code.fromAsset(TestSupport.CUSTOM_RESOURCE_JAR.toString()),
                                RetentionDays.ONE_WEEK)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("over the Data API's limit");
    }
}
