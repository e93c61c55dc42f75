package com.dsqlcdc.loader.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.dsqlcdc.clients.dataapi.DataApiStatements;
import com.dsqlcdc.clients.dataapi.DataApiTarget;
import com.dsqlcdc.clients.dataapi.Statement;
import com.dsqlcdc.clients.dataapi.StatementOutcome;
import com.dsqlcdc.consumer.AwsClients;
import com.dsqlcdc.consumer.BatchProcessors;
import com.dsqlcdc.consumer.ConsumerHandler;
import com.dsqlcdc.consumer.ConsumerSettings;
import com.dsqlcdc.consumer.quarantine.S3QuarantineStore;
import com.dsqlcdc.consumer.testing.TestContext;
import com.dsqlcdc.contract.StagingLayout;
import com.dsqlcdc.contract.env.ConsumerEnvironment;
import com.dsqlcdc.contract.retry.Sleeper;
import com.dsqlcdc.loader.DataApiWarehouse;
import com.dsqlcdc.loader.LoadRun;
import com.dsqlcdc.loader.Loader;
import com.dsqlcdc.loader.LoaderHandler;
import com.dsqlcdc.loader.LoaderMetrics;
import com.dsqlcdc.loader.S3StagingStore;
import com.dsqlcdc.sql.WarehouseSchema;
import com.dsqlcdc.sql.catalog.CatalogColumn;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.sql.current.StateTable;
import com.dsqlcdc.sql.load.LoadRunSql;
import com.dsqlcdc.sql.views.LogLatestViewGenerator;
import com.dsqlcdc.testing.ExecutedStatement;
import com.dsqlcdc.testing.FakeRedshiftDataApi;
import com.dsqlcdc.testing.FakeS3;
import com.dsqlcdc.testing.Fixtures;
import com.dsqlcdc.testing.KinesisEvents;
import com.dsqlcdc.testing.Outcome;
import com.dsqlcdc.testing.SigV4Verifier;
import com.dsqlcdc.testing.StoredObject;
import com.dsqlcdc.testing.pg.RedshiftOnPostgres;
import com.dsqlcdc.testing.pg.WarehouseOnPostgres;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/**
 * The whole path after Kinesis, through the real wire protocols: the consumer's handler stages
 * Kinesis batches in S3 (its real SDK client against the S3 fake), the loader's handler loads them
 * (its real SDK clients: S3 listing, manifest and deletes against the S3 fake; Data API sessions,
 * batches, long polls and results against the Data API fake, which runs the SQL on PostgreSQL and
 * COPYs from the S3 fake), and each {@code <table>_current} view, read back through the Data API
 * (GetStatementResult, typed fields), holds the state of the history applied in commit order.
 * Failures (a COPY that cannot read an object, a commit that fails) leave every object staged and
 * the next invocation loads them.
 */
class LoaderEndToEndTest {

    private static final TableCatalog CATALOG = TableCatalog.load();
    private static final WarehouseSchema SCHEMA = WarehouseSchema.of(CATALOG, true);
    private static final String STAGING = "cdc-staging";
    private static final String QUARANTINE = "cdc-quarantine";
    private static final String COPY_ROLE = "arn:aws:iam::123456789012:role/cdc-copy";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedPostgres postgres;

    private FakeS3 s3;
    private FakeRedshiftDataApi dataApi;
    private S3Client s3Client;
    private RedshiftDataClient dataClient;
    private DataApiStatements statements;
    private ConsumerHandler consumer;
    private LoaderHandler loader;

    @BeforeAll
    static void deploy() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        WarehouseOnPostgres.deploy(new RedshiftOnPostgres(postgres, url -> java.util.Optional.empty()), SCHEMA);
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @BeforeEach
    void start() {
        s3 = FakeS3.start().createBucket(STAGING).createBucket(QUARANTINE);
        RedshiftOnPostgres redshift = new RedshiftOnPostgres(postgres, s3::read);
        WarehouseOnPostgres.empty(redshift, SCHEMA);
        dataApi = FakeRedshiftDataApi.start().postgres(redshift).copySource(s3).copyRoles(COPY_ROLE);
        s3Client = S3Client.builder()
                .endpointOverride(s3.endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(SigV4Verifier.credentialsProvider())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        dataClient = RedshiftDataClient.builder()
                .endpointOverride(dataApi.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(SigV4Verifier.credentialsProvider())
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        Clock clock = Clock.systemUTC();
        JsonFactory json = new JsonFactory();
        ConsumerSettings consumerSettings =
                new ConsumerSettings(QUARANTINE, STAGING, "e2e", ConsumerEnvironment.SUPER_STRING_BYTES);
        consumer = new ConsumerHandler(
                new BatchProcessors(consumerSettings, new AwsClients(s3Client), json, CATALOG, clock)
                        .create(new S3QuarantineStore(s3Client, QUARANTINE, json, clock)),
                result -> {},
                () -> {});
        statements = new DataApiStatements(
                dataClient, DataApiTarget.asCaller("cdc-wg", "dev"), DataApiStatements.Settings.defaults());
        Map<String, StateTable> tables = new LinkedHashMap<>();
        SCHEMA.tables().forEach(t -> tables.put(t.catalogTable().qualifiedName(), t));
        S3StagingStore staging = new S3StagingStore(s3Client, STAGING);
        LoadRun run = new LoadRun(
                tables, staging, new DataApiWarehouse(statements), COPY_ROLE, new LoadRunSql.Pruning(0, 14), clock);
        loader = new LoaderHandler(
                new Loader(staging, run, new Loader.Limits(2000, 1L << 31, Duration.ofMinutes(4)), clock),
                new LoaderMetrics(MetricsFactory.getMetricsInstance(), "e2e"),
                Duration.ofMinutes(5),
                Sleeper.SYSTEM,
                clock);
    }

    @AfterEach
    void close() {
        assertThat(dataApi.signatureProblems()).isEmpty();
        assertThat(dataApi.internalErrors()).isEmpty();
        assertThat(s3.signatureProblems()).isEmpty();
        assertThat(s3.internalErrors()).isEmpty();
        statements.close();
        dataClient.close();
        s3Client.close();
        dataApi.close();
        s3.close();
    }

    /** The delivered history in three batches over two shards, each through the consumer's handler. */
    private void stageDeliveredHistory() {
        List<String> delivered = Fixtures.lines("history-as-delivered.jsonl").stream()
                .filter(l -> !l.isBlank())
                .toList();
        int third = (delivered.size() + 2) / 3;
        long sequence = 1;
        for (int b = 0; b * third < delivered.size(); b++) {
            List<KinesisEvents.Item> items = new ArrayList<>();
            for (String line : delivered.subList(b * third, Math.min(delivered.size(), (b + 1) * third))) {
                items.add(KinesisEvents.Item.of("shardId-00000000000" + (b % 2), sequence++, line));
            }
            StreamsEventResponse response = consumer.handleRequest(KinesisEvents.event(items), new TestContext());
            assertThat(response.getBatchItemFailures())
                    .as("batch %d staged whole", b)
                    .isEmpty();
        }
    }

    private Map<String, Object> load() {
        return loader.handleRequest(Map.of(), new TestContext(900_000));
    }

    private List<String> staged() {
        return s3.objects(STAGING).keySet().stream()
                .filter(k -> k.startsWith(StagingLayout.STAGED))
                .toList();
    }

    @Test
    void stagedByTheConsumerLoadedByTheLoaderReadBackThroughTheDataApiIsTheHistorysFinalState() {
        stageDeliveredHistory();
        List<String> objects = staged();
        assertThat(objects).hasSize(3);

        Map<String, Object> summary = load();
        List<ExecutedStatement> sent = dataApi.statements();

        assertThat(summary).containsEntry("runs", 1).containsEntry("objectsLoaded", 3);
        assertThat(sent)
                .extracting(ExecutedStatement::sessionId)
                .as("a run is one Data API session (its temporary tables live from call to call)")
                .doesNotContainNull()
                .containsOnly(sent.get(0).sessionId());
        assertThat(sent)
                .filteredOn(s -> s.sqls().stream().anyMatch(q -> q.startsWith("MERGE INTO")))
                .as("one committing transaction merges every table the changes belong to")
                .singleElement()
                .satisfies(s -> assertThat(s.sqls())
                        .filteredOn(q -> q.startsWith("MERGE INTO"))
                        .hasSize(finalState().size()));
        assertThat(s3.objects(STAGING).keySet())
                .as("the loaded objects and the run's manifest are deleted")
                .noneMatch(k -> k.startsWith(StagingLayout.STAGED) || k.startsWith(StagingLayout.MANIFESTS));
        assertCurrentStateIsTheHistorysFinalState();
    }

    @Test
    void aCopyThatCannotReadAnObjectLeavesEveryObjectStagedAndTheNextRunLoadsThem() {
        stageDeliveredHistory();
        List<String> objects = staged();
        String victim = objects.get(1);
        StoredObject saved = s3.objects(STAGING).get(victim);
        AtomicBoolean removed = new AtomicBoolean();
        // After the loader listed and wrote its manifest, before its COPY reads the objects.
        dataApi.outcomes(statement -> {
            if (statement.sql().contains("COPY ") && removed.compareAndSet(false, true)) {
                s3Client.deleteObject(r -> r.bucket(STAGING).key(victim));
            }
            return Outcome.finished();
        });

        assertThatThrownBy(this::load).hasMessageContaining(victim);

        assertThat(staged())
                .as("every object still staged but the one that went missing")
                .containsExactlyInAnyOrderElementsOf(
                        objects.stream().filter(k -> !k.equals(victim)).toList());
        assertThat(logRows()).isZero();
        assertThat(s3.objects(STAGING).keySet())
                .as("the failed run's manifest is gone")
                .noneMatch(k -> k.startsWith(StagingLayout.MANIFESTS));
        // The batch is delivered again: the consumer rewrites its own object.
        s3.seedObject(STAGING, victim, saved.body(), saved.contentType());

        assertThat(load()).containsEntry("objectsLoaded", 3);
        assertThat(staged()).isEmpty();
        assertCurrentStateIsTheHistorysFinalState();
    }

    @Test
    void aFailedCommitLeavesEveryObjectStagedAndTheNextRunLoadsThem() {
        stageDeliveredHistory();
        List<String> objects = staged();
        AtomicBoolean failed = new AtomicBoolean();
        dataApi.outcomes(statement ->
                statement.sqls().stream().anyMatch(s -> s.startsWith("MERGE INTO")) && failed.compareAndSet(false, true)
                        ? Outcome.failed("ERROR: 1023 DETAIL: Serializable isolation violation on table - 100001")
                        : Outcome.finished());

        assertThatThrownBy(this::load).hasMessageContaining("Serializable isolation violation");

        assertThat(staged()).containsExactlyInAnyOrderElementsOf(objects);
        assertThat(logRows()).as("the commit appended nothing").isZero();
        assertThat(s3.objects(STAGING).keySet()).noneMatch(k -> k.startsWith(StagingLayout.MANIFESTS));

        assertThat(load()).containsEntry("objectsLoaded", 3);
        assertThat(staged()).isEmpty();
        assertCurrentStateIsTheHistorysFinalState();
    }

    // ---- the check -----------------------------------------------------------------------------------

    /**
     * Every {@code <table>_current} view, read through the Data API, has exactly the live keys of
     * the history applied in commit order, with their final values (every column whose text form
     * is the JSON's: integers, strings, booleans), and equals the log's latest-per-key view.
     */
    private void assertCurrentStateIsTheHistorysFinalState() {
        Map<String, Map<String, JsonNode>> expected = finalState();
        for (StateTable table : SCHEMA.tables()) {
            CatalogTable catalogTable = table.catalogTable();
            List<Map<String, String>> current = read("SELECT * FROM " + table.currentView());
            List<Map<String, String>> log = read("SELECT * FROM " + LogLatestViewGenerator.viewName(catalogTable));
            assertThat(current)
                    .as("%s equals the log's latest per key", table.currentView())
                    .containsExactlyInAnyOrderElementsOf(log);
            Map<String, JsonNode> want = expected.getOrDefault(catalogTable.name(), Map.of());
            Map<String, Map<String, String>> got = new TreeMap<>();
            current.forEach(row -> got.put(key(catalogTable, row::get), row));
            assertThat(got.keySet()).as("live keys of %s", catalogTable.name()).isEqualTo(want.keySet());
            for (Map.Entry<String, JsonNode> row : want.entrySet()) {
                for (CatalogColumn column : catalogTable.columns()) {
                    JsonNode value = row.getValue().get(column.name());
                    if (value != null && sameText(column)) {
                        assertThat(got.get(row.getKey()).get(column.name()))
                                .as("%s %s.%s", catalogTable.name(), row.getKey(), column.name())
                                .isEqualTo(value.isNull() ? null : value.asText());
                    }
                }
            }
        }
    }

    /**
     * Whether the view shows the column as the record's JSON writes it: integers, booleans, text (not
     * CHAR, which pads; not numeric, time, JSON or bytes, which the casts reformat: those are checked
     * by the view's equality with the log's).
     */
    private static boolean sameText(CatalogColumn column) {
        return switch (column.type().kind()) {
            case SMALLINT, INTEGER, BIGINT, BOOLEAN, TEXT, VARCHAR -> true;
            default -> false;
        };
    }

    /** The history in commit order, applied: per table, key text → the final row image. */
    private static Map<String, Map<String, JsonNode>> finalState() {
        Map<String, Map<String, JsonNode>> state = new HashMap<>();
        try {
            for (String line : Fixtures.lines("history-in-commit-order.jsonl")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode record = JSON.readTree(line);
                CatalogTable table = CATALOG.find(
                                record.at("/source/schema").asText(),
                                record.at("/source/table").asText())
                        .orElseThrow();
                boolean delete = record.path("op").asText().equals("d");
                JsonNode image = delete ? record.get("before") : record.get("after");
                String key = key(table, c -> image.get(c).asText());
                Map<String, JsonNode> rows = state.computeIfAbsent(table.name(), t -> new TreeMap<>());
                if (delete) {
                    rows.remove(key);
                } else {
                    rows.put(key, image);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return state;
    }

    private static String key(CatalogTable table, java.util.function.Function<String, String> value) {
        return table.primaryKey().stream().map(value).collect(Collectors.joining(","));
    }

    /** A query through the Data API: ExecuteStatement, long poll, GetStatementResult's pages. */
    private List<Map<String, String>> read(String sql) {
        StatementOutcome outcome =
                statements.run(Statement.of(sql, Map.of()), Instant.now().plusSeconds(60));
        assertThat(outcome.status()).as(sql).isEqualTo(StatementOutcome.Status.FINISHED);
        return statements.result(outcome.id().orElseThrow()).records();
    }

    private long logRows() {
        return Long.parseLong(
                read("SELECT COUNT(*) AS n FROM \"cdc\".\"cdc_events\"").get(0).get("n"));
    }
}
