package com.dsqlcdc.infra.stateless;

import com.dsqlcdc.contract.env.CustomResourceEnvironment;
import com.dsqlcdc.infra.Nag;
import com.dsqlcdc.infra.Ordered;
import com.dsqlcdc.infra.stateful.IWarehouse;
import com.dsqlcdc.sql.SchemaFingerprint;
import com.dsqlcdc.sql.WarehouseSchema;
import com.dsqlcdc.sql.catalog.CatalogDocument;
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
 * The warehouse schema, applied at deploy time ({@code Custom::WarehouseSchema}): the change log,
 * the loader's control tables, the catalog's schemas and audit views, each table's state table and
 * current view (rebuilt from the log when the table is new or its shape changed), the dropping of
 * tables that left the catalog, and the loader's database user with its grants. The SQL is generated
 * from the table catalog by the {@code sql} module ({@link WarehouseSchema}): at synth, for its
 * fingerprint (and its checks), and again by the Java handler in {@code custom-resource/}, which
 * runs it through the Redshift Data API as the namespace's admin user (its secret). Any change of
 * the catalog or of the generated SQL changes the properties, so the next deploy applies it.
 *
 * <p>Asynchronous: a rebuild reads the table's whole log and may outlast a Lambda invocation, so
 * onEvent submits the rebuilds and isComplete waits for them ({@value #QUERY_INTERVAL_SECONDS} s
 * apart, for at most {@value #TOTAL_TIMEOUT_MINUTES} minutes: with onEvent's own at most 15 minutes,
 * inside CloudFormation's one hour for a custom resource). onEvent and isComplete are one function:
 * the Data API lets a role session describe only its own statements, and a Lambda function's
 * session is named after the function.
 */
public final class WarehouseSchemaResource extends Construct {

    /** CloudFormation type of the schema resource. */
    public static final String RESOURCE_TYPE = "Custom::WarehouseSchema";

    static final String HANDLER = "com.dsqlcdc.customresource.WarehouseSchemaHandler::handleRequest";
    /** Prefix of the database user of an IAM role (what the Data API maps the loader's role to). */
    static final String IAM_ROLE_USER_PREFIX = "IAMR:";
    /** Between two isComplete calls. */
    static final int QUERY_INTERVAL_SECONDS = 30;
    /**
     * The longest wait for the rebuilds: CloudFormation waits at most an hour for a custom resource,
     * and onEvent may take up to 15 minutes before the waiting starts.
     */
    static final int TOTAL_TIMEOUT_MINUTES = 40;

    private final Function handler;
    private final CustomResource resource;

    /**
     * @param scope parent construct
     * @param id    construct id
     * @param props warehouse, loader role, catalog, handler jar, log retention
     */
    public WarehouseSchemaResource(Construct scope, String id, WarehouseSchemaResourceProps props) {
        super(scope, id);
        IWarehouse warehouse = props.warehouse();
        WarehouseSchema schema = WarehouseSchema.of(props.catalog(), props.logPruning());

        this.handler = HandlerFunctions.javaHandler(
                this,
                "Handler",
                HANDLER,
                Duration.minutes(15),
                "Redshift warehouse schema custom resource (onEvent and isComplete): the change log, control"
                        + " tables, state tables and views, the loader's user and grants",
                props.handlerCode(),
                props.logRetention(),
                CustomResourceEnvironment.WAREHOUSE_SCHEMA_SERVICE);
        // Statements of its own session only; no Data API sessions.
        DataApiGrants.grant(handler.getRole(), warehouse.getWorkgroupArn(), false);
        handler.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("secretsmanager:GetSecretValue"))
                .resources(List.of(warehouse.getAdminSecretArn()))
                .build());
        // The admin secret is encrypted with the warehouse key; Secrets Manager decrypts it for the caller.
        Stack stack = Stack.of(this);
        handler.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("kms:Decrypt"))
                .resources(List.of(warehouse.getEncryptionKey().getKeyArn()))
                .conditions(Ordered.map(
                        "StringEquals",
                        Ordered.map(
                                "kms:ViaService", "secretsmanager." + stack.getRegion() + "." + stack.getUrlSuffix())))
                .build());

        Provider provider = Provider.Builder.create(this, "Provider")
                .onEventHandler(handler)
                .isCompleteHandler(handler)
                .queryInterval(Duration.seconds(QUERY_INTERVAL_SECONDS))
                .totalTimeout(Duration.minutes(TOTAL_TIMEOUT_MINUTES))
                .logGroup(HandlerFunctions.logGroup(this, "ProviderLogs", props.logRetention()))
                // Off (the framework's default, made explicit): see suppressWaiterStateMachine.
                .disableWaiterStateMachineLogging(true)
                .build();
        HandlerFunctions.suppressProviderFramework(provider);
        HandlerFunctions.suppressWaiterStateMachine(provider);
        Nag.suppress(handler.getRole(), DataApiGrants.resourceStar(false));

        this.resource = CustomResource.Builder.create(this, "Resource")
                .resourceType(RESOURCE_TYPE)
                .serviceToken(provider.getServiceToken())
                .properties(properties(props, schema))
                // Delete changes nothing in the warehouse (the change log and the tables stay for
                // their users), so there is nothing to retain here.
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
    }

    /**
     * The resource's properties (see the handler's {@code WarehouseSchemaProperties}): the catalog
     * and the log-pruning flag, from which the handler generates the SQL, and the fingerprint of
     * the SQL generated here, so that a change of the generated SQL alone changes the resource. Not
     * the SQL itself: about 7 KB per table, twice (old and new properties) in the Provider
     * framework's Lambda and Step Functions payloads (256 KB), it would cap the catalog's size.
     */
    private static Map<String, Object> properties(WarehouseSchemaResourceProps props, WarehouseSchema schema) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("WorkgroupName", props.warehouse().getWorkgroupName());
        properties.put("Database", props.warehouse().getDatabaseName());
        properties.put("SecretArn", props.warehouse().getAdminSecretArn());
        properties.put("LoaderUser", IAM_ROLE_USER_PREFIX + props.loaderRole().getRoleName());
        props.readerRole()
                .ifPresent(reader -> properties.put("ReaderUser", IAM_ROLE_USER_PREFIX + reader.getRoleName()));
        properties.put("Catalog", CatalogDocument.of(props.catalog()));
        properties.put("LogPruning", props.logPruning());
        properties.put("SchemaFingerprint", SchemaFingerprint.of(schema));
        return properties;
    }

    /** @return the handler function (onEvent and isComplete) */
    public IFunction getHandler() {
        return handler;
    }

    /** @return the custom resource (depend on it to run after the schema and grants exist) */
    public CustomResource getResource() {
        return resource;
    }
}
