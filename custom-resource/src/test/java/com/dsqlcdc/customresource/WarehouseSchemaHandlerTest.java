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
import com.dsqlcdc.sql.SchemaFingerprint;
import com.dsqlcdc.sql.WarehouseSchema;
import com.dsqlcdc.sql.catalog.CatalogDocument;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.sql.current.StateTable;
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
import java.util.function.Consumer;
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
 * carrying the real catalog (sql/catalog.json, rendered into properties as infra renders it, with
 * the fingerprint of its generated schema), the real SDK RedshiftDataClient, and a local fake of the
 * Redshift Data API that keeps a model of {@code pg_user} and of {@code cdc.current_tables}.
 * onEvent and isComplete are driven as the Provider framework drives them: isComplete gets the
 * request plus what onEvent returned, and is polled until it says complete.
 */
class WarehouseSchemaHandlerTest {

    static final String REGION = SigV4Verifier.DEFAULT_REGION;
    static final String STACK_ID =
            "arn:aws:cloudformation:us-east-1:123456789012:stack/dev-Stateless/5b6f3f10-c6d8-11f0-8f0e-0a1b2c3d4e5f";
    static final String WORKGROUP = "dev-cdc";
    static final String DATABASE = "dev";
    static final String SECRET =
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift!dev-cdc-namespace-admin-Ab1Cd2";
    static final String LOADER = "IAMR:dev-Stateless-LoaderRole1A2B3C";
    static final String NEW_LOADER = "IAMR:dev-Stateless-LoaderRole9Z8Y7X";
    static final String OLD_CONSUMER = "IAMR:dev-Stateless-ConsumerFunctionServiceRole1A2B3C";
    static final String PHYSICAL_ID = "warehouse-schema:dev-cdc/dev";
    static final String LOOKUP = "pg_user";
    static final String RECORDED_SHAPES = WarehouseSchema.recordedShapesSql();

    private static final Pattern CREATE_USER = Pattern.compile("CREATE USER \"([^\"]+)\" PASSWORD DISABLE");
    private static final Pattern DROP_USER = Pattern.compile("DROP USER IF EXISTS \"([^\"]+)\"");
    private static final Pattern RECORD_SHAPE = Pattern.compile(
            "INSERT INTO \"cdc\"\\.\"current_tables\" .* VALUES \\('([^']+)', '([^']+)', '([0-9a-f]{64})', GETDATE\\(\\)\\)");
    private static final Pattern FORGET_SHAPE =
            Pattern.compile("DELETE FROM \"cdc\"\\.\"current_tables\" WHERE .* = '([^']+)' AND .* = '([^']+)'");

    private FakeRedshiftDataApi fake;
    private SdkHttpClient http;
    private RedshiftDataClient client;
    private WarehouseSchemaHandler handler;
    /** The fake warehouse's pg_user: what landed CREATE USER / DROP USER statements left. */
    private final Set<String> users = ConcurrentHashMap.newKeySet();
    /** The fake warehouse's cdc.current_tables: "schema.table" to shape, as landed statements left it. */
    private final Map<String, String> recorded = new ConcurrentHashMap<>();

    @BeforeEach
    void start() {
        fake = FakeRedshiftDataApi.start().statementLatency(Duration.ofMillis(10));
        fake.onLanded(this::trackWarehouse);
        fake.resultRows(
                s -> s.sql().contains(LOOKUP) && users.contains(s.parameters().get("user")), 1);
        publishShapes();
        http = UrlConnectionHttpClient.create();
        client = client(fake, http);
        handler = handler(client, WarehouseSchemaHandler.SAFETY_MARGIN);
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
                .overrideConfiguration(
                        o -> o.retryStrategy(SdkClients.retries(WarehouseSchemaHandler.DATA_API_ATTEMPTS).toBuilder()
                                .backoffStrategy(fast)
                                .throttlingBackoffStrategy(fast)
                                .build()))
                .build();
    }

    static WarehouseSchemaHandler handler(RedshiftDataClient client, Duration safetyMargin) {
        SchemaStatements runner = new SchemaStatements(
                client,
                DataApiStatements.Settings.defaults()
                        .polls(
                                Backoff.doubling(Duration.ofMillis(5), Duration.ofMillis(40)),
                                DataApiStatements.Settings.DEFAULT_LONG_POLL));
        return new WarehouseSchemaHandler(new WarehouseSchemaApplier(runner), Clock.systemUTC(), safetyMargin);
    }

    /** Keeps pg_user and cdc.current_tables as the landed statements leave them (called under the fake's lock). */
    private void trackWarehouse(ExecutedStatement statement) {
        for (String sql : statement.sqls()) {
            Matcher created = CREATE_USER.matcher(sql);
            if (created.matches()) {
                users.add(created.group(1));
            }
            Matcher dropped = DROP_USER.matcher(sql);
            if (dropped.matches()) {
                users.remove(dropped.group(1));
            }
            Matcher forget = FORGET_SHAPE.matcher(sql);
            if (forget.matches()) {
                recorded.remove(forget.group(1) + "." + forget.group(2));
            }
            Matcher record = RECORD_SHAPE.matcher(sql.replace("\n", " "));
            if (record.matches()) {
                recorded.put(record.group(1) + "." + record.group(2), record.group(3));
            }
        }
        publishShapes();
    }

    /** What the recorded-shapes query answers from now on (the latest rule wins). */
    private void publishShapes() {
        List<List<String>> rows = new ArrayList<>();
        recorded.forEach((table, shape) -> {
            String[] parts = table.split("\\.", 2);
            rows.add(List.of(parts[0], parts[1], shape));
        });
        fake.results(s -> s.sql().equals(RECORDED_SHAPES), rows);
    }

    /** Records {@code schema}'s tables in cdc.current_tables as if they had been built for their shapes. */
    private void alreadyBuilt(WarehouseSchema schema) {
        for (StateTable table : schema.tables()) {
            recorded.put(
                    table.catalogTable().schema() + "." + table.catalogTable().name(), table.shape());
        }
        publishShapes();
    }

    // ---- events, as the CDK Provider framework hands them to the handler ------------------------

    static final TableCatalog CATALOG = TableCatalog.load();
    static final WarehouseSchema SCHEMA = WarehouseSchema.of(CATALOG, false);

    /** The properties infra renders from a catalog (without log pruning). */
    static Map<String, Object> properties(TableCatalog catalog, String loader, String database) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(
                "ServiceToken",
                "arn:aws:lambda:us-east-1:123456789012:function:dev-Stateless-ProviderframeworkonEvent");
        props.put("WorkgroupName", WORKGROUP);
        props.put("Database", database);
        props.put("SecretArn", SECRET);
        props.put("LoaderUser", loader);
        props.put("Catalog", CatalogDocument.of(catalog));
        props.put("LogPruning", "false");
        props.put("SchemaFingerprint", SchemaFingerprint.of(WarehouseSchema.of(catalog, false)));
        return props;
    }

    static Map<String, Object> defaultProperties() {
        return properties(CATALOG, LOADER, DATABASE);
    }

    /** The properties of the resource's first version (before the loader): a consumer user and log views. */
    static Map<String, Object> firstVersionProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("ServiceToken", defaultProperties().get("ServiceToken"));
        props.put("WorkgroupName", WORKGROUP);
        props.put("Database", DATABASE);
        props.put("SecretArn", SECRET);
        props.put("ConsumerUser", OLD_CONSUMER);
        props.put("Statements", List.of("GRANT INSERT ON \"cdc\".\"cdc_events\" TO {{consumer_user}}"));
        props.put("Views", SCHEMA.tables().stream().map(StateTable::currentView).toList());
        return props;
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

    /** isComplete's request: the onEvent request plus what onEvent returned, as the framework merges them. */
    static Map<String, Object> followUp(Map<String, Object> request, Map<String, Object> onEventResult) {
        Map<String, Object> event = new LinkedHashMap<>(request);
        event.putAll(onEventResult);
        return event;
    }

    /** The shipped catalog, changed by {@code edit} (its "tables" array). */
    static TableCatalog catalogOf(Consumer<ArrayNode> edit) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode catalog;
        try (InputStream in = TableCatalog.class.getResourceAsStream(TableCatalog.RESOURCE)) {
            catalog = (ObjectNode) json.readTree(in);
        }
        edit.accept((ArrayNode) catalog.get("tables"));
        return TableCatalog.parse(json.writeValueAsString(catalog), "test catalog");
    }

    /** Runs onEvent, then isComplete until it says complete (at most 200 polls, 20 ms apart). */
    private Map<String, Object> deploy(Map<String, Object> request) throws InterruptedException {
        Map<String, Object> onEvent = handler.handleRequest(request, null);
        Map<String, Object> followUp = followUp(request, onEvent);
        for (int i = 0; i < 200; i++) {
            Map<String, Object> result = handler.handleRequest(followUp, null);
            if (Boolean.TRUE.equals(result.get("IsComplete"))) {
                Map<String, Object> done = new LinkedHashMap<>(onEvent);
                done.put("IsCompleteData", result.get("Data"));
                return done;
            }
            assertThat(result).isEqualTo(Map.of("IsComplete", false));
            Thread.sleep(20);
        }
        throw new AssertionError("not complete after 200 polls");
    }

    private List<ExecutedStatement> batches() {
        return fake.statements().stream().filter(s -> s.sqls().size() > 1).toList();
    }

    private List<String> singles() {
        return fake.statements().stream()
                .filter(s -> s.sqls().size() == 1)
                .map(ExecutedStatement::sql)
                .toList();
    }

    private static String quoted(String user) {
        return "\"" + user + "\"";
    }

    /** The statements, substituted as the resource must run them. */
    private static List<String> substituted(List<String> statements, String loader) {
        return statements.stream()
                .map(s -> s.replace(WarehouseSchema.LOADER_USER_PLACEHOLDER, quoted(loader)))
                .toList();
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> list : lists) {
            all.addAll(list);
        }
        return all;
    }

    // ---- create ---------------------------------------------------------------------------------

    @Test
    void theFirstDeployCreatesTheLoaderRunsTheStatementsRebuildsEveryTableThenGrants() throws Exception {
        Map<String, Object> result = deploy(create(defaultProperties()));

        assertThat(result).containsEntry("PhysicalResourceId", PHYSICAL_ID);
        assertThat(result.get("Data"))
                .isEqualTo(Map.of(
                        "LoaderUser",
                        LOADER,
                        "StatementCount",
                        String.valueOf(SCHEMA.statements().size()),
                        "TablesRebuilt",
                        String.valueOf(SCHEMA.tables().size()),
                        "TablesDropped",
                        "0"));
        assertThat(fake.statements().get(0).parameters()).isEqualTo(Map.of("user", LOADER));
        List<String> singles = singles();
        assertThat(singles.get(0)).contains("FROM pg_user").doesNotContain("IAMR");
        assertThat(singles.subList(1, singles.size()))
                .containsExactlyElementsOf(concat(
                        List.of("CREATE USER " + quoted(LOADER) + " PASSWORD DISABLE"),
                        substituted(SCHEMA.statements(), LOADER),
                        List.of(RECORDED_SHAPES),
                        substituted(SCHEMA.grantStatements(), LOADER)));
        // one transaction per table, each the table's whole rebuild, submitted before any grant
        assertThat(batches().stream().map(ExecutedStatement::sqls).toList())
                .containsExactlyElementsOf(SCHEMA.tables().stream()
                        .map(t -> substituted(SCHEMA.rebuildStatements(t), LOADER))
                        .toList());
        assertThat(batches()).allSatisfy(b -> assertThat(b.sqls().get(0)).isEqualTo("LOCK \"cdc\".\"loader_state\""));
        assertThat(fake.statements()).allSatisfy(s -> {
            assertThat(s.workgroupName()).isEqualTo(WORKGROUP);
            assertThat(s.database()).isEqualTo(DATABASE);
            assertThat(s.secretArn()).isEqualTo(SECRET);
            assertThat(s.clientToken()).isNotBlank();
            assertThat(s.sql()).doesNotContain(WarehouseSchema.LOADER_USER_PLACEHOLDER);
        });
        assertThat(fake.landed()).as("every statement FINISHED").hasSameSizeAs(fake.statements());
        assertThat(users).containsExactly(LOADER);
        assertThat(recorded).hasSize(SCHEMA.tables().size());
        SCHEMA.tables()
                .forEach(t -> assertThat(recorded)
                        .containsEntry(
                                t.catalogTable().schema() + "."
                                        + t.catalogTable().name(),
                                t.shape()));
    }

    @Test
    void theGrantsGoToTheLoaderUserOnly() throws Exception {
        deploy(create(defaultProperties()));

        List<String> grants = fake.statements().stream()
                .flatMap(s -> s.sqls().stream())
                .filter(s -> s.startsWith("GRANT"))
                .toList();
        assertThat(grants).isNotEmpty().allSatisfy(g -> assertThat(g).endsWith(" TO " + quoted(LOADER)));
        assertThat(grants)
                .contains(
                        "GRANT USAGE ON SCHEMA \"cdc\" TO " + quoted(LOADER),
                        "GRANT SELECT, INSERT, UPDATE ON \"public\".\"orders_state\" TO " + quoted(LOADER));
        assertThat(fake.statements().stream().flatMap(s -> s.sqls().stream()))
                .noneMatch(s -> s.contains("PUBLIC") && s.startsWith("GRANT"));
    }

    @Test
    void isCompleteSaysNotYetWhileARebuildRunsAndOnEventWaitsForNone() {
        String slow = "\"public\".\"orders_state$new\"";
        fake.outcomes(s -> s.sqls().size() > 1 && s.sql().contains(slow) ? Outcome.stuck() : Outcome.finished());
        Map<String, Object> request = create(defaultProperties());

        Map<String, Object> onEvent = handler.handleRequest(request, null);
        Map<String, Object> followUp = followUp(request, onEvent);

        for (int i = 0; i < 3; i++) {
            assertThat(handler.handleRequest(followUp, null)).isEqualTo(Map.of("IsComplete", false));
        }
        assertThat(fake.calls("CancelStatement"))
                .as("a running rebuild is left to run")
                .isZero();
        assertThat(singles()).noneMatch(s -> s.startsWith("GRANT"));
    }

    @Test
    void aRetriedOnEventWhileTheRebuildsRunGetsTheSameStatementsBack() {
        fake.outcomes(s -> s.sqls().size() > 1 ? Outcome.stuck() : Outcome.finished());
        Map<String, Object> request = create(defaultProperties());

        Map<String, Object> first = handler.handleRequest(request, null);
        Map<String, Object> second = handler.handleRequest(request, null);

        assertThat((List<?>) first.get(WarehouseSchemaApplier.SUBMITTED_FIELD))
                .hasSize(SCHEMA.tables().size());
        assertThat(second.get(WarehouseSchemaApplier.SUBMITTED_FIELD))
                .isEqualTo(first.get(WarehouseSchemaApplier.SUBMITTED_FIELD));
        assertThat(batches())
                .as("the client tokens made the second submissions no-ops")
                .hasSize(SCHEMA.tables().size());
        assertThat(fake.calls("BatchExecuteStatement"))
                .isEqualTo(2 * SCHEMA.tables().size());
        assertThat(singles()).filteredOn(s -> s.startsWith("CREATE USER")).hasSize(1);
    }

    @Test
    void aRetriedOnEventAfterTheRebuildsFinishedSubmitsNothing() throws Exception {
        Map<String, Object> request = create(defaultProperties());
        deploy(request);

        Map<String, Object> again = handler.handleRequest(request, null);

        assertThat(again.get(WarehouseSchemaApplier.SUBMITTED_FIELD)).isEqualTo(List.of());
        assertThat(fake.calls("BatchExecuteStatement"))
                .isEqualTo(SCHEMA.tables().size());
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
                .hasMessageContaining("deploy again");
        List<String> sqls = singles();
        assertThat(sqls.get(sqls.size() - 1)).startsWith("CREATE TABLE");
        assertThat(sqls).hasSize(2 + failing + 1);
        assertThat(fake.calls("BatchExecuteStatement")).isZero();
    }

    @Test
    void aFailedRebuildFailsTheDeployWithRedshiftsTextAndTheFailingStatement() {
        String error = "ERROR: Invalid digit, Value 'x', Pos 0, Type: Long";
        fake.outcomes(s -> s.sqls().size() > 1 && s.sql().contains("\"public\".\"orders_state$new\"")
                ? Outcome.failedAt(3, error)
                : Outcome.finished());

        assertThatThrownBy(() -> deploy(create(defaultProperties())))
                .isInstanceOf(WarehouseSchemaException.class)
                .hasMessageContaining("rebuilding public.orders (new) failed: " + error)
                .hasMessageContaining("SQL: INSERT INTO \"public\".\"orders_state$new\"")
                .hasMessageContaining("nothing of it took effect")
                .hasMessageContaining("deploy again");
        assertThat(singles()).noneMatch(s -> s.startsWith("GRANT"));
        assertThat(recorded).doesNotContainKey("public.orders");
    }

    @Test
    void aStatementStillRunningAtTheDeadlineIsCancelledAndFailsTheDeploy() {
        String stuck = SCHEMA.statements().stream()
                .filter(s -> s.startsWith("CREATE VIEW"))
                .findFirst()
                .orElseThrow();
        int index = SCHEMA.statements().indexOf(stuck);
        fake.outcomes(s -> s.sql().equals(stuck) ? Outcome.stuck() : Outcome.finished());
        // Lambda has the safety margin plus 4 s left: the stuck view must not outlive that.
        Context context = context(WarehouseSchemaHandler.SAFETY_MARGIN.plusSeconds(4));

        long started = System.nanoTime();
        assertThatThrownBy(() -> handler.handleRequest(create(defaultProperties()), context))
                .isInstanceOf(WarehouseSchemaException.class)
                .hasMessageContaining("statement " + (index + 1) + " of "
                        + SCHEMA.statements().size() + " is still running")
                .hasMessageContaining("it was cancelled")
                .hasMessageContaining("The schema is not fully applied");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));

        assertThat(fake.calls("CancelStatement")).isEqualTo(1);
        ExecutedStatement last = fake.statements().get(fake.statements().size() - 1);
        assertThat(last.sql()).as("nothing ran after it").isEqualTo(stuck);
        assertThat(fake.statusOf(last.id())).isEqualTo("ABORTED");
    }

    @Test
    void throttlingAndServerErrorsAreRetriedAndEveryStatementRunsOnce() throws Exception {
        fake.failNextCalls("ExecuteStatement", 2, 400, "ThrottlingException", "Rate exceeded");
        fake.failNextCalls("DescribeStatement", 2, 500, "InternalServerException", "Internal error");
        fake.failNextCallsAfterApplying(
                "BatchExecuteStatement", 1, 503, "ServiceUnavailableException", "Service unavailable");

        deploy(create(defaultProperties()));

        assertThat(batches()).hasSize(SCHEMA.tables().size());
        assertThat(fake.calls("BatchExecuteStatement"))
                .isEqualTo(SCHEMA.tables().size() + 1);
        assertThat(fake.calls("ExecuteStatement")).isEqualTo(singles().size() + 2);
        assertThat(recorded).hasSize(SCHEMA.tables().size());
    }

    @Test
    void accessDeniedNamesThePermissionsNeeded() {
        fake.failNextCalls(
                "ExecuteStatement", 1, 400, "AccessDeniedException", "User is not authorized to access secret");

        assertThatThrownBy(() -> handler.handleRequest(create(defaultProperties()), null))
                .hasMessageContaining("AccessDeniedException: User is not authorized to access secret")
                .hasMessageContaining("BatchExecuteStatement on the workgroup")
                .hasMessageContaining("statement-owner-iam-userid")
                .hasMessageContaining("secretsmanager:GetSecretValue");
        assertThat(fake.calls("ExecuteStatement")).isEqualTo(1);
    }

    @Test
    void invalidPropertiesFailNamingThePropertyAndCallNothing() {
        Map<String, Object> props = defaultProperties();
        props.put("LoaderUser", "loader");
        props.put("SecretArn", "my-secret");

        assertThatThrownBy(() -> handler.handleRequest(create(props), null))
                .isInstanceOf(WarehouseSchemaException.class)
                .hasMessageContaining("LoaderUser: not an IAM role database user: 'loader'")
                .hasMessageContaining("SecretArn must be a Secrets Manager secret ARN");
        assertThat(fake.calls("ExecuteStatement")).isZero();
    }

    // ---- update ---------------------------------------------------------------------------------

    @Test
    void anUnchangedCatalogRebuildsNothing() throws Exception {
        users.add(LOADER);
        alreadyBuilt(SCHEMA);

        Map<String, Object> result = deploy(update(defaultProperties(), defaultProperties()));

        assertThat(result.get(WarehouseSchemaApplier.SUBMITTED_FIELD)).isEqualTo(List.of());
        assertThat(fake.calls("BatchExecuteStatement")).isZero();
        List<String> singles = singles();
        assertThat(singles.get(0)).contains("FROM pg_user");
        assertThat(singles.subList(1, singles.size()))
                .containsExactlyElementsOf(concat(
                        substituted(SCHEMA.statements(), LOADER),
                        List.of(RECORDED_SHAPES),
                        substituted(SCHEMA.grantStatements(), LOADER)));
    }

    @Test
    void aChangedColumnRebuildsExactlyThatTable() throws Exception {
        users.add(LOADER);
        alreadyBuilt(SCHEMA);
        TableCatalog changedCatalog = catalogOf(tables -> {
            ObjectNode column = (ObjectNode) tables.get(0).get("columns").get(3);
            column.put("type", "varchar(64)");
        });
        WarehouseSchema changed = WarehouseSchema.of(changedCatalog, false);
        StateTable orders = changed.tables().get(0);
        assertThat(orders.shape()).isNotEqualTo(SCHEMA.tables().get(0).shape());

        Map<String, Object> result = deploy(update(properties(changedCatalog, LOADER, DATABASE), defaultProperties()));

        assertThat(batches()).hasSize(1);
        assertThat(batches().get(0).sqls()).isEqualTo(substituted(changed.rebuildStatements(orders), LOADER));
        assertThat(((Map<?, ?>) result.get("Data")).get("TablesRebuilt")).isEqualTo("1");
        assertThat(recorded).containsEntry("public.orders", orders.shape());
        assertThat(recorded).hasSize(SCHEMA.tables().size());
    }

    @Test
    void aNewTableIsBuiltAndTheOthersAreLeftAlone() throws Exception {
        users.add(LOADER);
        TableCatalog smallerCatalog = catalogOf(tables -> tables.remove(tables.size() - 1));
        WarehouseSchema smaller = WarehouseSchema.of(smallerCatalog, false);
        alreadyBuilt(smaller);

        deploy(update(defaultProperties(), properties(smallerCatalog, LOADER, DATABASE)));

        StateTable added = SCHEMA.tables().get(SCHEMA.tables().size() - 1);
        assertThat(batches()).hasSize(1);
        assertThat(batches().get(0).sqls()).isEqualTo(substituted(SCHEMA.rebuildStatements(added), LOADER));
    }

    @Test
    void aTableRemovedFromTheCatalogIsDroppedUnderTheLoadersLock() throws Exception {
        users.add(LOADER);
        alreadyBuilt(SCHEMA);
        TableCatalog smallerCatalog = catalogOf(tables -> tables.remove(tables.size() - 1));
        WarehouseSchema smaller = WarehouseSchema.of(smallerCatalog, false);
        StateTable removed = SCHEMA.tables().get(SCHEMA.tables().size() - 1);
        String schema = removed.catalogTable().schema();
        String name = removed.catalogTable().name();

        Map<String, Object> result = deploy(update(properties(smallerCatalog, LOADER, DATABASE), defaultProperties()));

        assertThat(batches()).hasSize(1);
        assertThat(batches().get(0).sqls())
                .containsExactlyElementsOf(concat(
                        List.of("LOCK \"cdc\".\"loader_state\""), WarehouseSchema.dropTableStatements(schema, name)));
        assertThat(((Map<?, ?>) result.get("Data")).get("TablesDropped")).isEqualTo("1");
        assertThat(recorded)
                .doesNotContainKey(schema + "." + name)
                .hasSize(SCHEMA.tables().size() - 1);
        assertThat(singles()).containsAll(substituted(smaller.grantStatements(), LOADER));
    }

    @Test
    void anUpgradeFromTheConsumerUserRebuildsEveryTableAndRetiresTheConsumer() throws Exception {
        users.add(OLD_CONSUMER);

        deploy(update(defaultProperties(), firstVersionProperties()));

        assertThat(batches()).hasSize(SCHEMA.tables().size());
        assertThat(users).containsExactly(LOADER);
        List<String> sqls = singles();
        int n = sqls.size();
        String q = quoted(OLD_CONSUMER);
        List<String> grants = substituted(SCHEMA.grantStatements(), LOADER);
        // after the loader's grants: the old user's lookup, its revokes schema by schema, its drop
        assertThat(sqls.subList(n - 6 - grants.size(), n - 6)).isEqualTo(grants);
        assertThat(sqls.get(n - 6)).contains("FROM pg_user");
        ExecutedStatement lookup = fake.statements().stream()
                .filter(s -> s.sql().contains(LOOKUP))
                .reduce((first, second) -> second)
                .orElseThrow();
        assertThat(lookup.parameters()).isEqualTo(Map.of("user", OLD_CONSUMER));
        assertThat(sqls.subList(n - 5, n))
                .containsExactly(
                        "REVOKE ALL ON ALL TABLES IN SCHEMA \"cdc\" FROM " + q,
                        "REVOKE USAGE ON SCHEMA \"cdc\" FROM " + q,
                        "REVOKE ALL ON ALL TABLES IN SCHEMA \"public\" FROM " + q,
                        "REVOKE USAGE ON SCHEMA \"public\" FROM " + q,
                        "DROP USER IF EXISTS " + q);
    }

    @Test
    void aNewLoaderRoleIsGrantedThenTheOldLoaderUserIsRevokedAndDropped() throws Exception {
        users.add(LOADER);
        alreadyBuilt(SCHEMA);

        deploy(update(properties(CATALOG, NEW_LOADER, DATABASE), defaultProperties()));

        assertThat(users).containsExactly(NEW_LOADER);
        assertThat(singles())
                .contains("CREATE USER " + quoted(NEW_LOADER) + " PASSWORD DISABLE")
                .containsAll(substituted(SCHEMA.grantStatements(), NEW_LOADER))
                .contains("REVOKE ALL ON ALL TABLES IN SCHEMA \"cdc\" FROM " + quoted(LOADER))
                .endsWith("DROP USER IF EXISTS " + quoted(LOADER));
    }

    @Test
    void anOldUserThatCannotBeDroppedFailsTheUpdateWithTheReason() {
        users.add(LOADER);
        alreadyBuilt(SCHEMA);
        String error = "ERROR: user \"" + LOADER + "\" cannot be dropped because the user owns some object";
        fake.outcomes(s -> s.sql().startsWith("DROP USER") ? Outcome.failed(error) : Outcome.finished());

        assertThatThrownBy(() -> deploy(update(properties(CATALOG, NEW_LOADER, DATABASE), defaultProperties())))
                .isInstanceOf(WarehouseSchemaException.class)
                .hasMessageContaining("retiring previous user " + LOADER + ": dropping it failed: " + error)
                .hasMessageContaining("SVV_RELATION_PRIVILEGES");
        assertThat(users).contains(LOADER, NEW_LOADER);
    }

    @Test
    void aRepeatedRoleChangeWhoseOldUserIsAlreadyGoneSucceeds() throws Exception {
        users.add(NEW_LOADER);
        alreadyBuilt(SCHEMA);

        deploy(update(properties(CATALOG, NEW_LOADER, DATABASE), defaultProperties()));

        List<String> sqls = singles();
        assertThat(sqls.get(sqls.size() - 1)).contains("FROM pg_user");
        assertThat(sqls).noneMatch(s -> s.startsWith("REVOKE ALL ON ALL TABLES") || s.startsWith("DROP USER"));
    }

    @Test
    void anUpdateToAnotherDatabaseIsANewResourceAndLeavesTheOldDatabaseAlone() throws Exception {
        users.add(LOADER);
        TableCatalog smaller = catalogOf(tables -> tables.remove(tables.size() - 1));
        Map<String, Object> moved = properties(smaller, NEW_LOADER, "analytics");

        Map<String, Object> result = deploy(update(moved, defaultProperties()));

        assertThat(result).containsEntry("PhysicalResourceId", "warehouse-schema:dev-cdc/analytics");
        assertThat(fake.statements()).allSatisfy(s -> assertThat(s.database()).isEqualTo("analytics"));
        assertThat(fake.statements().stream().flatMap(s -> s.sqls().stream()))
                .noneMatch(s -> s.startsWith("DROP USER")
                        || s.startsWith("REVOKE ALL ON ALL TABLES")
                        || s.startsWith("DROP TABLE IF EXISTS \"public\".\""
                                + SCHEMA.tables()
                                        .get(SCHEMA.tables().size() - 1)
                                        .catalogTable()
                                        .name()));
    }

    // ---- delete ---------------------------------------------------------------------------------

    @Test
    void deleteLeavesTheWarehouseAloneAndCallsNothing() {
        Map<String, Object> request =
                event("Delete", "3b5d7f9a-1c2e-4a6b-8d0f-2e4a6c8e0b1d", PHYSICAL_ID, defaultProperties(), null);

        Map<String, Object> result = handler.handleRequest(request, null);
        Map<String, Object> complete = handler.handleRequest(followUp(request, result), null);

        assertThat(result)
                .isEqualTo(
                        Map.of("PhysicalResourceId", PHYSICAL_ID, WarehouseSchemaApplier.SUBMITTED_FIELD, List.of()));
        assertThat(complete).isEqualTo(Map.of("IsComplete", true));
        assertThat(List.of("ExecuteStatement", "DescribeStatement", "CancelStatement", "BatchExecuteStatement"))
                .allSatisfy(op -> assertThat(fake.calls(op)).as(op).isZero());
    }

    @Test
    void deleteAfterAFailedCreateWithInvalidPropertiesIsANoOpToo() {
        Map<String, Object> invalid = defaultProperties();
        invalid.put("LoaderUser", "nobody");
        String marker = "AWSCDK::CustomResourceProviderFramework::CREATE_FAILED";

        Map<String, Object> result = handler.handleRequest(event("Delete", "rollback-1", marker, invalid, null), null);

        assertThat(result).containsEntry("PhysicalResourceId", marker);
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
            Map<String, Object> result = new WarehouseSchemaHandler()
                    .handleRequest(create(defaultProperties()), context(Duration.ofMinutes(15)));

            assertThat(result).containsEntry("PhysicalResourceId", PHYSICAL_ID);
            assertThat(fake.statements())
                    .hasSize(
                            2 + SCHEMA.statements().size() + 1 + SCHEMA.tables().size());
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
                return "/aws/lambda/dev-Stateless-WarehouseSchemaHandler";
            }

            @Override
            public String getLogStreamName() {
                return "2025/11/21/[$LATEST]0123456789abcdef";
            }

            @Override
            public String getFunctionName() {
                return "dev-Stateless-WarehouseSchemaHandler";
            }

            @Override
            public String getFunctionVersion() {
                return "$LATEST";
            }

            @Override
            public String getInvokedFunctionArn() {
                return "arn:aws:lambda:us-east-1:123456789012:function:dev-Stateless-WarehouseSchemaHandler";
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
