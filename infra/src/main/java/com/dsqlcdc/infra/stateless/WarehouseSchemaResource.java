package com.dsqlcdc.infra.stateless;

import com.dsqlcdc.contract.env.CustomResourceEnvironment;
import com.dsqlcdc.infra.Nag;
import com.dsqlcdc.infra.Ordered;
import com.dsqlcdc.infra.stateful.IWarehouse;
import com.dsqlcdc.sql.WarehouseSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CustomResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.customresources.Provider;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.IFunction;
import software.constructs.Construct;

/**
 * The warehouse schema, applied at deploy time: the {@code cdc_events} table, the current-state
 * views of the catalog's tables, the consumer's database user and its grants
 * ({@code Custom::WarehouseSchema}). The SQL is rendered at synth from the table catalog by the
 * {@code sql} module ({@link WarehouseSchema}); the Java onEvent handler in {@code custom-resource/}
 * runs it through the Redshift Data API as the namespace's admin user (its secret), one statement
 * at a time, synchronously (no isComplete). A change of the catalog changes the properties, so
 * the schema is applied again on the next deploy; every statement is idempotent.
 */
public final class WarehouseSchemaResource extends Construct {

    /** CloudFormation type of the schema resource. */
    public static final String RESOURCE_TYPE = "Custom::WarehouseSchema";

    static final String ON_EVENT_HANDLER = "com.dsqlcdc.customresource.WarehouseSchemaOnEventHandler::handleRequest";
    /** Prefix of the database user of an IAM role (what the Data API maps the consumer's role to). */
    static final String IAM_ROLE_USER_PREFIX = "IAMR:";

    private final Function onEventHandler;
    private final CustomResource resource;

    /**
     * @param scope parent construct
     * @param id    construct id
     * @param props warehouse, consumer role, catalog, handler jar, log retention
     */
    public WarehouseSchemaResource(Construct scope, String id, WarehouseSchemaResourceProps props) {
        super(scope, id);
        IWarehouse warehouse = props.warehouse();
        WarehouseSchema schema = WarehouseSchema.of(props.catalog());

        // Lambda's longest timeout: the statements run one after the other, each polled until FINISHED.
        this.onEventHandler = HandlerFunctions.javaHandler(
                this,
                "OnEvent",
                ON_EVENT_HANDLER,
                Duration.minutes(15),
                "Redshift warehouse schema custom resource: applies the cdc_events DDL, views and grants",
                props.handlerCode(),
                props.logRetention(),
                CustomResourceEnvironment.WAREHOUSE_SCHEMA_SERVICE);
        // The Redshift Data API's statement actions accept only Resource "*" (they have no resource
        // type of their own). The secret below is what limits them: the handler can only act as
        // this namespace's admin user, and only in this workgroup.
        onEventHandler.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of(
                        "redshift-data:ExecuteStatement",
                        "redshift-data:DescribeStatement",
                        "redshift-data:CancelStatement"))
                .resources(List.of("*"))
                .build());
        onEventHandler.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("secretsmanager:GetSecretValue"))
                .resources(List.of(warehouse.getAdminSecretArn()))
                .build());
        // The admin secret is encrypted with the warehouse key; Secrets Manager decrypts it for the caller.
        Stack stack = Stack.of(this);
        onEventHandler.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("kms:Decrypt"))
                .resources(List.of(warehouse.getEncryptionKey().getKeyArn()))
                .conditions(Ordered.map(
                        "StringEquals",
                        Ordered.map(
                                "kms:ViaService", "secretsmanager." + stack.getRegion() + "." + stack.getUrlSuffix())))
                .build());

        Provider provider = Provider.Builder.create(this, "Provider")
                .onEventHandler(onEventHandler)
                .logGroup(HandlerFunctions.logGroup(this, "ProviderLogs", props.logRetention()))
                .build();
        HandlerFunctions.suppressProviderFramework(provider);
        Nag.suppress(
                onEventHandler.getRole(),
                Nag.findings("AwsSolutions-IAM5", HandlerFunctions.DATA_API_STATEMENTS_REASON, "Resource::\\*"));

        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("WorkgroupName", warehouse.getWorkgroupName());
        properties.put("Database", warehouse.getDatabaseName());
        properties.put("SecretArn", warehouse.getAdminSecretArn());
        properties.put(
                "ConsumerUser", IAM_ROLE_USER_PREFIX + props.consumerRole().getRoleName());
        properties.put("Statements", schema.statements());
        properties.put("Views", schema.viewNames());
        this.resource = CustomResource.Builder.create(this, "Resource")
                .resourceType(RESOURCE_TYPE)
                .serviceToken(provider.getServiceToken())
                .properties(properties)
                // Delete changes nothing in the warehouse (the change log and views stay for their
                // users), so there is nothing to retain here.
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
    }

    /** @return the onEvent handler function */
    public IFunction getOnEventHandler() {
        return onEventHandler;
    }

    /** @return the custom resource (depend on it to run after the schema and grants exist) */
    public CustomResource getResource() {
        return resource;
    }
}
