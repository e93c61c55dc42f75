package com.dsqlcdc.infra.stateless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.infra.PipelineStage;
import com.dsqlcdc.infra.Policies;
import com.dsqlcdc.infra.TestStages;
import com.dsqlcdc.infra.TestSupport;
import com.dsqlcdc.infra.stateful.StatefulStack;
import com.dsqlcdc.sql.SchemaFingerprint;
import com.dsqlcdc.sql.WarehouseSchema;
import com.dsqlcdc.sql.catalog.CatalogDocument;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * stage (which prunes its log): what it is told to apply and where, how it reaches the Java handler
 * (asynchronously, one function for onEvent and isComplete), and the handler's permissions.
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

    /** What the stage's catalog and settings render (the CREATED stage prunes its log after 30 days). */
    private static final WarehouseSchema SCHEMA = WarehouseSchema.of(TestSupport.catalog(), true);

    @Test
    void propertiesNameTheWarehouseTheAdminSecretAndTheLoaderUser() {
        Capture workgroupOutput = new Capture();
        Capture secretOutput = new Capture();
        Capture loaderRole = new Capture();
        Capture readerRole = new Capture();

        template.resourceCountIs(WarehouseSchemaResource.RESOURCE_TYPE, 1);
        template.hasResourceProperties(
                WarehouseSchemaResource.RESOURCE_TYPE,
                Match.objectEquals(Map.of(
                        "ServiceToken", Match.anyValue(),
                        "WorkgroupName", stackOutput(workgroupOutput),
                        "Database", "analytics",
                        "SecretArn", stackOutput(secretOutput),
                        "LoaderUser", Map.of("Fn::Join", List.of("", List.of("IAMR:", Map.of("Ref", loaderRole)))),
                        "ReaderUser", Map.of("Fn::Join", List.of("", List.of("IAMR:", Map.of("Ref", readerRole)))),
                        "Catalog", CatalogDocument.of(TestSupport.catalog()),
                        "LogPruning", true,
                        "SchemaFingerprint", SchemaFingerprint.of(SCHEMA))));

        // the workgroup's name and the admin secret's ARN, as the stateful stack publishes them
        stateful.hasOutput(
                workgroupOutput.asString(),
                Match.objectLike(
                        Map.of("Value", producer.resolve(producer.getWarehouse().getWorkgroupName()))));
        stateful.hasOutput(
                secretOutput.asString(),
                Match.objectLike(
                        Map.of("Value", producer.resolve(producer.getWarehouse().getAdminSecretArn()))));
        // the loader's role, not a handler's nor the consumer's
        assertThat(loaderRole.asString()).isEqualTo(stack.getLogicalId((CfnElement)
                stack.getLoader().getRole().getNode().getDefaultChild()));
        // the backfill range worker's role: validation and resync read the current state as it
        assertThat(readerRole.asString()).isEqualTo(stack.getLogicalId((CfnElement)
                stack.getBackfill().getWorkerRole().getNode().getDefaultChild()));
    }

    @Test
    void theLogRetentionDecidesThePruningAndTheFingerprintFollowsTheGeneratedSql() {
        // pruning on (this stage prunes its log): the loader may delete superseded events
        assertThat(SCHEMA.grantStatements())
                .contains("GRANT SELECT, INSERT, DELETE ON \"cdc\".\"cdc_events\" TO "
                        + WarehouseSchema.LOADER_USER_PLACEHOLDER);
        // with the default (keep the whole log) it may not, and the fingerprint differs with the SQL
        WarehouseSchema keepAll = WarehouseSchema.of(TestSupport.catalog(), false);
        assertThat(keepAll.grantStatements())
                .contains("GRANT INSERT ON \"cdc\".\"cdc_events\" TO " + WarehouseSchema.LOADER_USER_PLACEHOLDER);
        assertThat(SchemaFingerprint.of(keepAll)).isNotEqualTo(SchemaFingerprint.of(SCHEMA));
        Template.fromStack(TestStages.get().stage(TestStages.EXISTING).getStateless())
                .hasResourceProperties(
                        WarehouseSchemaResource.RESOURCE_TYPE,
                        Match.objectLike(
                                Map.of("LogPruning", false, "SchemaFingerprint", SchemaFingerprint.of(keepAll))));
    }

    @Test
    void thePropertiesStaySmallWhateverTheGeneratedSqlWeighs() throws Exception {
        // the catalog, not the SQL: the Provider framework passes new and old properties in 256 KB payloads
        int propertiesBytes = new ObjectMapper()
                .writeValueAsBytes(template.findResources(WarehouseSchemaResource.RESOURCE_TYPE))
                .length;
        int sqlBytes = SCHEMA.tables().stream()
                .flatMap(t -> SCHEMA.rebuildStatements(t).stream())
                .mapToInt(String::length)
                .sum();
        assertThat(propertiesBytes).isLessThan(sqlBytes / 5);
    }

    @Test
    void customResourceGoesThroughAnAsynchronousProviderToOneJavaHandler() {
        Capture frameworkOnEvent = new Capture();
        template.hasResourceProperties(
                WarehouseSchemaResource.RESOURCE_TYPE,
                Match.objectLike(Map.of("ServiceToken", Map.of("Fn::GetAtt", List.of(frameworkOnEvent, "Arn")))));

        String handler = stack.getLogicalId(
                (CfnElement) schemaResource.getHandler().getNode().getDefaultChild());
        Map<String, Object> handlerArn = Map.of("Fn::GetAtt", List.of(handler, "Arn"));
        // the framework's onEvent calls the same handler function as onEvent and as isComplete
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
                                                Match.objectLike(Map.of(
                                                        "USER_ON_EVENT_FUNCTION_ARN",
                                                        handlerArn,
                                                        "USER_IS_COMPLETE_FUNCTION_ARN",
                                                        handlerArn)))))))))
                .containsOnlyKeys(frameworkOnEvent.asString());
        assertThat(template.findResources(
                        "AWS::Lambda::Function",
                        Match.objectLike(Map.of(
                                "Properties", Match.objectLike(Map.of("Handler", WarehouseSchemaResource.HANDLER))))))
                .containsOnlyKeys(handler);
        // a waiter state machine each: the CDC stream's and this one's; and the backfill job
        template.resourceCountIs("AWS::StepFunctions::StateMachine", 3);
    }

    @Test
    void theWaiterPollsEveryThirtySecondsForFortyMinutesInsideCloudFormationsHour() {
        // 40 minutes / 30 s = 80 attempts; with onEvent's 15 minutes, under CloudFormation's 60
        // (the CDC stream's waiter polls every 15 s, 120 times)
        template.hasResourceProperties("AWS::StepFunctions::StateMachine", TestSupport.providerWaiter(30, 80));
        assertThat(WarehouseSchemaResource.TOTAL_TIMEOUT_MINUTES + 15).isLessThan(60);
    }

    @Test
    void handlerIsJava25OnArmWithFifteenMinutesAndItsServiceName() {
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler",
                        "com.dsqlcdc.customresource.WarehouseSchemaHandler::handleRequest",
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
    void handlerMayRunStatementsInThisWorkgroupAsItsAdminAndSeeOnlyItsOwnStatements() {
        Object role = stack.resolve(schemaResource.getHandler().getRole().getRoleName());
        Policies.assertOnlyPolicy(
                template,
                role,
                List.of(
                        Policies.writesItsLogGroup("WarehouseSchemaHandlerLogs"),
                        Policies.submitsStatementsIn(
                                refs.of(producer.getWarehouse().getWorkgroupArn())),
                        Policies.ownStatementsOnly(),
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
        Role loaderRole = Role.Builder.create(scratch, "Loader")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .build();

        assertThatThrownBy(() -> new WarehouseSchemaResource(
                        scratch,
                        "Schema",
                        new WarehouseSchemaResourceProps(
                                producer.getWarehouse(),
                                loaderRole,
                                java.util.Optional.empty(),
                                huge,
                                false,
                                Code.fromAsset(TestSupport.CUSTOM_RESOURCE_JAR.toString()),
                                RetentionDays.ONE_WEEK)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("over the Data API's limit");
    }
}
