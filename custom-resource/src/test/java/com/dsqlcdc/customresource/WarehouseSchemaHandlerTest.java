package com.dsqlcdc.customresource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.dsqlcdc.clients.SdkClients;
import com.dsqlcdc.clients.dataapi.DataApiStatements;
import com.dsqlcdc.contract.retry.Backoff;
import com.dsqlcdc.customresource.schema.SchemaStatements;
import com.dsqlcdc.customresource.schema.WarehouseSchemaApplier;
import com.dsqlcdc.customresource.schema.WarehouseSchemaException;
import com.dsqlcdc.customresource.testing.CloudFormationEvents;
import com.dsqlcdc.sql.WarehouseSchema;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.testing.ExecutedStatement;
import com.dsqlcdc.testing.FakeRedshiftDataApi;
import com.dsqlcdc.testing.Outcome;
import com.dsqlcdc.testing.SigV4Verifier;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;

/**
 * The warehouse-schema resource end to end: the real handler with realistic CloudFormation events
 * carrying the real generated schema (sql/catalog.json through WarehouseSchema), the real SDK
 * RedshiftDataClient, and a local fake of the Redshift Data API that keeps a model of pg_user.
 */
class WarehouseSchemaHandlerTest {

    static final String REGION = SigV4Verifier.DEFAULT_REGION;
    static final String STACK_ID =
            "arn:aws:cloudformation:us-east-1:123456789012:stack/dev-Stateless/5b6f3f10-c6d8-11f0-8f0e-0a1b2c3d4e5f";
    static final String WORKGROUP = "dev-cdc";
    static final String DATABASE = "dev";
    static final String SECRET =
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift!dev-cdc-namespace-admin-Ab1Cd2";
    static final String CONSUMER = "IAMR:dev-Stateless-ConsumerFunctionServiceRole1A2B3C";
    static final String NEW_CONSUMER = "IAMR:dev-Stateless-ConsumerFunctionServiceRole9Z8Y7X";
    static final String PHYSICAL_ID = "warehouse-schema:dev-cdc/dev";
    static final String LOOKUP = "pg_user";

    private static final Pattern CREATE_USER = Pattern.compile("CREATE USER \"([^\"]+)\" PASSWORD DISABLE");
    private static final Pattern DROP_USER = Pattern.compile("DROP USER IF EXISTS \"([^\"]+)\"");

    private FakeRedshiftDataApi fake;
    private SdkHttpClient http;
    private RedshiftDataClient client;
    private WarehouseSchemaOnEventHandler handler;
    /** The fake warehouse's pg_user: what landed CREATE USER / DROP USER statements left. */
    private final Set<String> users = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() {
        fake = FakeRedshiftDataApi.start().statementLatency(Duration.ofMillis(10));
        fake.onLanded(this::trackUsers);
        fake.resultRows(
                s -> s.sql().contains(LOOKUP) && users.contains(s.parameters().get("user")), 1);
        http = UrlConnectionHttpClient.create();
        client = client(fake, http);
        handler = handler(client, WarehouseSchemaOnEventHandler.SAFETY_MARGIN);
    }

    @AfterEach
    void stop() {
        client.close();
        http.close();
        fake.close();
        assertThat(fake.signatureProblems())
                .as("every request carries a valid SigV4 signature")
                .isEmpty();
        assertThat(fake.internalErrors()).isEmpty();
    }

    /** The production retry strategy (same bounded attempts), with short waits to keep tests fast. */
    static RedshiftDataClient client(FakeRedshiftDataApi fake, SdkHttpClient http) {
        BackoffStrategy fast = BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(5));
        return RedshiftDataClient.builder()
                .region(Region.of(REGION))
                .endpointOverride(fake.endpoint())
                .credentialsProvider(SigV4Verifier.credentialsProvider())
                .httpClient(http)
                .overrideConfiguration(o ->
                        o.retryStrategy(SdkClients.retries(WarehouseSchemaOnEventHandler.DATA_API_ATTEMPTS).toBuilder()
                                .backoffStrategy(fast)
                                .throttlingBackoffStrategy(fast)
                                .build()))
                .build();
    }

    static WarehouseSchemaOnEventHandler handler(RedshiftDataClient client, Duration safetyMargin) {
        SchemaStatements runner = new SchemaStatements(
                client,
                DataApiStatements.Settings.defaults()
                        .polls(
                                Backoff.doubling(Duration.ofMillis(5), Duration.ofMillis(40)),
                                DataApiStatements.Settings.DEFAULT_LONG_POLL));
        return new WarehouseSchemaOnEventHandler(new WarehouseSchemaApplier(runner), Clock.systemUTC(), safetyMargin);
    }

    private void trackUsers(ExecutedStatement statement) {
        Matcher created = CREATE_USER.matcher(statement.sql());
        if (created.matches()) {
            users.add(created.group(1));
        }
        Matcher dropped = DROP_USER.matcher(statement.sql());
        if (dropped.matches()) {
            users.remove(dropped.group(1));
        }
    }

    // ---- events, as the CDK Provider framework hands them to onEvent -----------------------------

    static final WarehouseSchema SCHEMA = WarehouseSchema.of(TableCatalog.load());

    static Map<String, Object> properties(WarehouseSchema schema, String consumer, String database) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(
                "ServiceToken",
                "arn:aws:lambda:us-east-1:123456789012:function:dev-Stateless-ProviderframeworkonEvent");
        props.put("WorkgroupName", WORKGROUP);
        props.put("Database", database);
        props.put("SecretArn", SECRET);
        props.put("ConsumerUser", consumer);
        props.put("Statements", schema.statements());
        props.put("Views", schema.viewNames());
        return props;
    }

    static Map<String, Object> defaultProperties() {
        return properties(SCHEMA, CONSUMER, DATABASE);
    }

    static Map<String, Object> event(
            String type, String requestId, String physicalId, Map<String, Object> props, Map<String, Object> oldProps) {
        return CloudFormationEvents.event(
                "Custom::WarehouseSchema",
                "WarehouseSchema7C3D2E1F",
                STACK_ID,
                type,
                requestId,
                physicalId,
                props,
                oldProps);
    }

    static Map<String, Object> create(Map<String, Object> props) {
        return event("Create", "0d3c6a2e-5b1f-4c8e-9a7d-2f4e6b8c0a1d", null, props, null);
    }

    static Map<String, Object> update(Map<String, Object> props, Map<String, Object> oldProps) {
        return event("Update", "7e9f1b3d-2c4a-4e6f-8b0d-1a3c5e7f9b2d", PHYSICAL_ID, props, oldProps);
    }

    /** The schema of the shipped catalog without its last table (a table removed from capture). */
    static WarehouseSchema schemaWithoutLastTable() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode catalog;
        try (InputStream in = TableCatalog.class.getResourceAsStream(TableCatalog.RESOURCE)) {
            catalog = (ObjectNode) json.readTree(in);
        }
        ArrayNode tables = (ArrayNode) catalog.get("tables");
        tables.remove(tables.size() - 1);
        return WarehouseSchema.of(TableCatalog.parse(json.writeValueAsString(catalog), "test catalog"));
    }

    private List<String> sqls() {
        return fake.statements().stream().map(ExecutedStatement::sql).toList();
    }

    /** The statements, substituted as the resource must run them. */
    private static List<String> expectedStatements(WarehouseSchema schema, String consumer) {
        return schema.statements().stream()
                .map(s -> s.replace(WarehouseSchema.CONSUMER_USER_PLACEHOLDER, "\"" + consumer + "\""))
                .toList();
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    // ---- create ---------------------------------------------------------------------------------

    @Test
    void createLooksUpTheConsumerCreatesItWhenAbsentThenRunsEveryStatementInOrder() {
        Map<String, Object> result = handler.handleRequest(create(defaultProperties()), null);

        assertThat(result).containsEntry("PhysicalResourceId", PHYSICAL_ID);
        assertThat(result.get("Data"))
                .isEqualTo(Map.of(
                        "ConsumerUser",
                        CONSUMER,
                        "StatementCount",
                        String.valueOf(SCHEMA.statements().size())));
        List<String> sqls = sqls();
        assertThat(sqls.get(0)).contains("FROM pg_user").doesNotContain("IAMR").doesNotContain(CONSUMER);
        assertThat(fake.statements().get(0).parameters()).isEqualTo(Map.of("user", CONSUMER));
        assertThat(sqls.subList(1, sqls.size()))
                .containsExactlyElementsOf(concat(
                        List.of("CREATE USER \"" + CONSUMER + "\" PASSWORD DISABLE"),
                        expectedStatements(SCHEMA, CONSUMER)));
        assertThat(sqls).noneMatch(s -> s.contains(WarehouseSchema.CONSUMER_USER_PLACEHOLDER));
        assertThat(sqls).contains("GRANT INSERT ON \"cdc\".\"cdc_events\" TO \"" + CONSUMER + "\"");
        assertThat(fake.statements()).allSatisfy(s -> {
            assertThat(s.workgroupName()).isEqualTo(WORKGROUP);
            assertThat(s.database()).isEqualTo(DATABASE);
            assertThat(s.secretArn()).isEqualTo(SECRET);
            assertThat(s.clientToken()).isNotBlank();
        });
        assertThat(fake.landed()).as("every statement FINISHED").hasSize(sqls.size());
        assertThat(users).containsExactly(CONSUMER);
    }

    @Test
    void anExistingConsumerUserIsNotCreatedAgain() {
        users.add(CONSUMER);

        handler.handleRequest(create(defaultProperties()), null);

        List<String> sqls = sqls();
        assertThat(sqls.get(0)).contains("FROM pg_user");
        assertThat(sqls.subList(1, sqls.size())).containsExactlyElementsOf(expectedStatements(SCHEMA, CONSUMER));
    }

    @Test
    void theSameCreateTwiceRunsTheSameStatementsAndCreatesTheUserOnce() {
        Map<String, Object> request = create(defaultProperties());

        Map<String, Object> first = handler.handleRequest(request, null);
        List<String> firstRun = sqls();
        Map<String, Object> second = handler.handleRequest(request, null);
        List<String> secondRun = sqls().subList(firstRun.size(), sqls().size());

        assertThat(second).isEqualTo(first);
        assertThat(secondRun)
                .containsExactlyElementsOf(concat(List.of(firstRun.get(0)), expectedStatements(SCHEMA, CONSUMER)));
        assertThat(sqls()).filteredOn(s -> s.startsWith("CREATE USER")).hasSize(1);
        assertThat(fake.statements().stream().map(ExecutedStatement::clientToken))
                .doesNotHaveDuplicates();
    }

    @Test
    void aFailedStatementFailsTheDeployWithTheDatabaseErrorAndRunsNothingAfterIt() {
        String error = "ERROR: permission denied for schema cdc";
        int failing = SCHEMA.statements()
                .indexOf(SCHEMA.statements().stream()
                        .filter(s -> s.startsWith("CREATE TABLE"))
                        .findFirst()
                        .orElseThrow());
        fake.outcomes(s -> s.sql().startsWith("CREATE TABLE") ? Outcome.failed(error) : Outcome.finished());

        assertThatThrownBy(() -> handler.handleRequest(create(defaultProperties()), null))
                .isInstanceOf(WarehouseSchemaException.class)
                .hasMessageContaining("statement " + (failing + 1) + " of "
                        + SCHEMA.statements().size() + " failed: " + error)
                .hasMessageContaining("SQL: CREATE TABLE IF NOT EXISTS \"cdc\".\"cdc_events\"")
                .hasMessageContaining(" …")
                .hasMessageContaining("deploy again");
        List<String> sqls = sqls();
        assertThat(sqls.get(sqls.size() - 1)).startsWith("CREATE TABLE");
        assertThat(sqls).hasSize(2 + failing + 1);
    }

    @Test
    void anAbortedStatementFailsTheDeploy() {
        fake.outcomes(s -> s.sql().startsWith("GRANT USAGE") ? Outcome.aborted() : Outcome.finished());

        assertThatThrownBy(() -> handler.handleRequest(create(defaultProperties()), null))
                .hasMessageContaining("failed: it was ABORTED")
                .hasMessageContaining("SQL: GRANT USAGE ON SCHEMA \"cdc\" TO \"" + CONSUMER + "\"");
        assertThat(sqls()).noneMatch(s -> s.startsWith("GRANT INSERT"));
    }

    @Test
    void aStatementStillRunningAtTheDeadlineIsCancelledAndFailsTheDeploy() {
        String stuck = SCHEMA.statements().stream()
                .filter(s -> s.startsWith("CREATE VIEW"))
                .findFirst()
                .orElseThrow();
        int index = SCHEMA.statements().indexOf(stuck);
        fake.outcomes(s -> s.sql().equals(stuck) ? Outcome.stuck() : Outcome.finished());
        // Lambda has the safety margin plus 1.5 s left: the stuck view must not outlive that.
        Context context = context(WarehouseSchemaOnEventHandler.SAFETY_MARGIN.plusMillis(1500));

        long started = System.nanoTime();
        assertThatThrownBy(() -> handler.handleRequest(create(defaultProperties()), context))
                .isInstanceOf(WarehouseSchemaException.class)
                .hasMessageContaining("statement " + (index + 1) + " of "
                        + SCHEMA.statements().size() + " is still running")
                .hasMessageContaining("it was cancelled")
                .hasMessageContaining("The schema is not fully applied");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

        assertThat(fake.calls("CancelStatement")).isEqualTo(1);
        ExecutedStatement last = fake.statements().get(fake.statements().size() - 1);
        assertThat(last.sql()).as("nothing ran after it").isEqualTo(stuck);
        assertThat(fake.statusOf(last.id())).isEqualTo("ABORTED");
    }

    @Test
    void noStatementStartsWhenTheInvocationHasNoTimeLeft() {
        assertThatThrownBy(() -> handler.handleRequest(create(defaultProperties()), context(Duration.ofSeconds(5))))
                .hasMessageContaining("Out of time before the lookup of consumer user " + CONSUMER + " could start");
        assertThat(fake.calls("ExecuteStatement")).isZero();
    }

    @Test
    void throttlingAndServerErrorsAreRetriedAndEveryStatementRunsOnce() {
        fake.failNextCalls("ExecuteStatement", 2, 400, "ThrottlingException", "Rate exceeded");
        fake.failNextCalls("DescribeStatement", 2, 500, "InternalServerException", "Internal error");
        fake.failNextCallsAfterApplying(
                "ExecuteStatement", 1, 503, "ServiceUnavailableException", "Service unavailable");

        handler.handleRequest(create(defaultProperties()), null);

        assertThat(sqls().subList(1, sqls().size()))
                .containsExactlyElementsOf(concat(
                        List.of("CREATE USER \"" + CONSUMER + "\" PASSWORD DISABLE"),
                        expectedStatements(SCHEMA, CONSUMER)));
        assertThat(fake.calls("ExecuteStatement")).isEqualTo(sqls().size() + 3);
    }

    @Test
    void throttlingThatDoesNotStopFailsAfterBoundedRetriesNamingTheStatement() {
        fake.failNextCalls("ExecuteStatement", 100, 400, "ThrottlingException", "Rate exceeded");

        assertThatThrownBy(() -> handler.handleRequest(create(defaultProperties()), null))
                .hasMessageContaining("the lookup of consumer user " + CONSUMER + " could not be submitted")
                .hasMessageContaining("ThrottlingException: Rate exceeded");
        assertThat(fake.calls("ExecuteStatement")).isEqualTo(5);
    }

    @Test
    void accessDeniedNamesThePermissionsNeeded() {
        fake.failNextCalls(
                "ExecuteStatement", 1, 400, "AccessDeniedException", "User is not authorized to access secret");

        assertThatThrownBy(() -> handler.handleRequest(create(defaultProperties()), null))
                .hasMessageContaining("AccessDeniedException: User is not authorized to access secret")
                .hasMessageContaining("secretsmanager:GetSecretValue");
        assertThat(fake.calls("ExecuteStatement")).isEqualTo(1);
    }

    @Test
    void invalidPropertiesFailNamingThePropertyAndCallNothing() {
        Map<String, Object> props = defaultProperties();
        props.put("ConsumerUser", "consumer");
        props.put("SecretArn", "my-secret");
        props.put("Views", List.of("public.orders_current"));

        assertThatThrownBy(() -> handler.handleRequest(create(props), null))
                .isInstanceOf(WarehouseSchemaException.class)
                .hasMessageContaining("ConsumerUser: not an IAM role database user: 'consumer'")
                .hasMessageContaining("SecretArn must be a Secrets Manager secret ARN")
                .hasMessageContaining("Views[0] must be a quoted qualified view name");
        assertThat(fake.calls("ExecuteStatement")).isZero();
    }

    // ---- update ---------------------------------------------------------------------------------

    @Test
    void anUpdateDropsTheViewsThatLeftTheCatalogBeforeRunningTheStatements() throws Exception {
        users.add(CONSUMER);
        WarehouseSchema smaller = schemaWithoutLastTable();
        String removed = SCHEMA.viewNames().get(SCHEMA.viewNames().size() - 1);
        assertThat(smaller.viewNames())
                .doesNotContain(removed)
                .hasSize(SCHEMA.viewNames().size() - 1);

        Map<String, Object> result =
                handler.handleRequest(update(properties(smaller, CONSUMER, DATABASE), defaultProperties()), null);

        assertThat(result).containsEntry("PhysicalResourceId", PHYSICAL_ID);
        List<String> sqls = sqls();
        assertThat(sqls.subList(1, sqls.size()))
                .containsExactlyElementsOf(
                        concat(List.of("DROP VIEW IF EXISTS " + removed), expectedStatements(smaller, CONSUMER)));
        assertThat(sqls).filteredOn(s -> s.contains(removed)).hasSize(1);
    }

    @Test
    void anUpdateToAnotherConsumerGrantsTheNewOneThenRevokesAndDropsTheOld() {
        users.add(CONSUMER);

        handler.handleRequest(update(properties(SCHEMA, NEW_CONSUMER, DATABASE), defaultProperties()), null);

        List<String> sqls = sqls();
        int n = sqls.size();
        assertThat(fake.statements().get(0).parameters()).isEqualTo(Map.of("user", NEW_CONSUMER));
        assertThat(sqls.subList(1, n - 4))
                .containsExactlyElementsOf(concat(
                        List.of("CREATE USER \"" + NEW_CONSUMER + "\" PASSWORD DISABLE"),
                        expectedStatements(SCHEMA, NEW_CONSUMER)));
        assertThat(sqls.get(n - 4)).contains("FROM pg_user");
        assertThat(fake.statements().get(n - 4).parameters()).isEqualTo(Map.of("user", CONSUMER));
        assertThat(sqls.subList(n - 3, n))
                .containsExactly(
                        "REVOKE ALL ON \"cdc\".\"cdc_events\" FROM \"" + CONSUMER + "\"",
                        "REVOKE USAGE ON SCHEMA \"cdc\" FROM \"" + CONSUMER + "\"",
                        "DROP USER IF EXISTS \"" + CONSUMER + "\"");
        assertThat(users).containsExactly(NEW_CONSUMER);
    }

    @Test
    void anOldConsumerThatCannotBeDroppedFailsTheUpdateWithTheReason() {
        users.add(CONSUMER);
        String error =
                "ERROR: user \"" + CONSUMER + "\" cannot be dropped because the user has a privilege on some object";
        fake.outcomes(s -> s.sql().startsWith("DROP USER") ? Outcome.failed(error) : Outcome.finished());

        assertThatThrownBy(() -> handler.handleRequest(
                        update(properties(SCHEMA, NEW_CONSUMER, DATABASE), defaultProperties()), null))
                .isInstanceOf(WarehouseSchemaException.class)
                .hasMessageContaining("retiring previous consumer user " + CONSUMER + ": dropping it failed: " + error)
                .hasMessageContaining("SVV_RELATION_PRIVILEGES");
        assertThat(users).contains(CONSUMER, NEW_CONSUMER);
    }

    @Test
    void aRepeatedConsumerChangeWhoseOldUserIsAlreadyGoneSucceeds() {
        users.add(NEW_CONSUMER);

        handler.handleRequest(update(properties(SCHEMA, NEW_CONSUMER, DATABASE), defaultProperties()), null);

        List<String> sqls = sqls();
        assertThat(sqls.get(sqls.size() - 1)).contains("FROM pg_user");
        assertThat(sqls)
                .noneMatch(s -> s.startsWith("REVOKE ALL ON \"cdc\".\"cdc_events\" FROM") || s.startsWith("DROP USER"));
    }

    @Test
    void anUpdateToAnotherDatabaseIsANewResourceAndLeavesTheOldDatabaseAlone() throws Exception {
        users.add(CONSUMER);
        Map<String, Object> moved = properties(schemaWithoutLastTable(), NEW_CONSUMER, "analytics");

        Map<String, Object> result = handler.handleRequest(update(moved, defaultProperties()), null);

        assertThat(result).containsEntry("PhysicalResourceId", "warehouse-schema:dev-cdc/analytics");
        assertThat(fake.statements()).allSatisfy(s -> assertThat(s.database()).isEqualTo("analytics"));
        assertThat(sqls())
                .noneMatch(s -> s.startsWith("DROP USER") || s.startsWith("REVOKE ALL ON \"cdc\".\"cdc_events\" FROM"));
        assertThat(sqls())
                .filteredOn(s -> s.startsWith("DROP VIEW IF EXISTS"))
                .as("only the schema's own drop-and-recreate")
                .hasSize(SCHEMA.viewNames().size() - 1);
    }

    // ---- delete ---------------------------------------------------------------------------------

    @Test
    void deleteLeavesTheWarehouseAloneAndCallsNothing() {
        Map<String, Object> result = handler.handleRequest(
                event("Delete", "3b5d7f9a-1c2e-4a6b-8d0f-2e4a6c8e0b1d", PHYSICAL_ID, defaultProperties(), null), null);

        assertThat(result).isEqualTo(Map.of("PhysicalResourceId", PHYSICAL_ID));
        assertThat(List.of("ExecuteStatement", "DescribeStatement", "CancelStatement", "BatchExecuteStatement"))
                .allSatisfy(op -> assertThat(fake.calls(op)).as(op).isZero());
    }

    @Test
    void deleteAfterAFailedCreateWithInvalidPropertiesIsANoOpToo() {
        Map<String, Object> invalid = defaultProperties();
        invalid.put("ConsumerUser", "nobody");
        String marker = "AWSCDK::CustomResourceProviderFramework::CREATE_FAILED";

        Map<String, Object> result = handler.handleRequest(event("Delete", "rollback-1", marker, invalid, null), null);

        assertThat(result).isEqualTo(Map.of("PhysicalResourceId", marker));
        assertThat(fake.calls("ExecuteStatement")).isZero();
    }

    // ---- production wiring ----------------------------------------------------------------------

    @Test
    void theNoArgHandlerReachesTheDataApiThroughTheStandardSettings() {
        String[] properties = {"aws.region", "aws.endpointUrlRedshiftData", "aws.accessKeyId", "aws.secretAccessKey"};
        System.setProperty("aws.region", REGION);
        System.setProperty("aws.endpointUrlRedshiftData", fake.endpoint().toString());
        System.setProperty("aws.accessKeyId", SigV4Verifier.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SigV4Verifier.SECRET_KEY);
        try {
            Map<String, Object> result = new WarehouseSchemaOnEventHandler()
                    .handleRequest(create(defaultProperties()), context(Duration.ofMinutes(15)));

            assertThat(result).containsEntry("PhysicalResourceId", PHYSICAL_ID);
            assertThat(fake.landed()).hasSize(2 + SCHEMA.statements().size());
        } finally {
            for (String property : properties) {
                System.clearProperty(property);
            }
        }
    }

    // ---- a Lambda context with a given remaining time -------------------------------------------

    static Context context(Duration remaining) {
        long end = System.nanoTime() + remaining.toNanos();
        return new Context() {
            @Override
            public String getAwsRequestId() {
                return "c6af9ac6-7b61-11e6-9a41-93e8deadbeef";
            }

            @Override
            public String getLogGroupName() {
                return "/aws/lambda/dev-Stateless-WarehouseSchemaOnEvent";
            }

            @Override
            public String getLogStreamName() {
                return "2025/11/21/[$LATEST]0123456789abcdef";
            }

            @Override
            public String getFunctionName() {
                return "dev-Stateless-WarehouseSchemaOnEvent";
            }

            @Override
            public String getFunctionVersion() {
                return "$LATEST";
            }

            @Override
            public String getInvokedFunctionArn() {
                return "arn:aws:lambda:us-east-1:123456789012:function:dev-Stateless-WarehouseSchemaOnEvent";
            }

            @Override
            public CognitoIdentity getIdentity() {
                return null;
            }

            @Override
            public ClientContext getClientContext() {
                return null;
            }

            @Override
            public int getRemainingTimeInMillis() {
                return (int) Math.max(0, (end - System.nanoTime()) / 1_000_000);
            }

            @Override
            public int getMemoryLimitInMB() {
                return 512;
            }

            @Override
            public LambdaLogger getLogger() {
                return null;
            }
        };
    }
}
