package com.dsqlcdc.loader;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.dsqlcdc.consumer.testing.ConsumerHarness;
import com.dsqlcdc.consumer.testing.TestContext;
import com.dsqlcdc.contract.StagingLayout;
import com.dsqlcdc.sql.WarehouseSchema;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.sql.current.ControlTables;
import com.dsqlcdc.sql.current.StateTable;
import com.dsqlcdc.sql.load.LoadRunSql;
import com.dsqlcdc.sql.views.CurrentStateRule;
import com.dsqlcdc.sql.views.LogLatestViewGenerator;
import com.dsqlcdc.sql.views.TableKey;
import com.dsqlcdc.testing.KinesisEvents;
import com.dsqlcdc.testing.KinesisEvents.Item;
import com.dsqlcdc.testing.StoredObject;
import com.dsqlcdc.testing.pg.RedshiftOnPostgres;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32C;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The pipeline's promise, as a property, from Kinesis records to the current-state tables on a
 * real SQL engine: whatever the history (deletes, re-inserts after deletes, equal commit times,
 * composite keys and keys above 2^53, rows too large for a statement and oversized changes split
 * into chunked records and fragments among them), however Kinesis delivers it (duplicated,
 * reordered, spread over shards, cut into any batches), with every shard's batches staged by
 * concurrent consumer invocations through failing S3 PUTs, and the loader running at random
 * points meanwhile, its runs dying anywhere (before a statement, or after a commit and before the
 * staged objects are deleted) and being repeated: once every batch is staged and the loader has
 * drained the staging bucket, every {@code <table>_current} view holds exactly the true final
 * state, and equals the log's {@code <table>_log_latest} view.
 *
 * <p>The consumer is the real handler with its real S3 client against the fake S3; the loader is
 * the real {@link Loader} and {@link LoadRun} with the real {@link S3StagingStore} over the same
 * fake, and the warehouse is embedded PostgreSQL running the loader's Redshift SQL
 * ({@link RedshiftOnPostgres}; COPY reads the staged objects from the fake S3).
 */
class PipelinePropertyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Tables of the checked-in catalog, with their key columns: one composite, one with keys above 2^53. */
    private static final Map<String, List<String>> TABLES = Map.of(
            "order_items", List.of("order_id", "line_no"),
            "accounts", List.of("id"),
            "documents", List.of("doc_id"));

    private static final List<String> TABLE_NAMES = List.of("order_items", "accounts", "documents");
    private static final int MAX_REDRIVES = 2_000;
    private static final String COPY_ROLE = "arn:aws:iam::123456789012:role/copy";
    private static final TableCatalog CATALOG = TableCatalog.load();
    private static final WarehouseSchema SCHEMA = WarehouseSchema.of(CATALOG, false);

    private static EmbeddedPostgres postgres;
    private static RedshiftOnPostgres redshift;
    /** The staging bucket COPY reads from: the current try's fake S3. */
    private static volatile ConsumerHarness current;

    @BeforeContainer
    static void deployWarehouse() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        redshift = new RedshiftOnPostgres(postgres, PipelinePropertyTest::readStaged);
        try (RedshiftOnPostgres.Session admin = redshift.openSession()) {
            admin.execute("CREATE ROLE \"IAMR:loader\"");
            SCHEMA.statements().forEach(admin::execute);
            for (StateTable table : SCHEMA.tables()) {
                admin.batch(grants(SCHEMA.rebuildStatements(table)));
            }
            admin.batch(grants(SCHEMA.grantStatements()));
        }
    }

    @AfterContainer
    static void stopWarehouse() throws IOException {
        postgres.close();
    }

    private static List<String> grants(List<String> statements) {
        return statements.stream()
                .map(s -> s.replace(WarehouseSchema.LOADER_USER_PLACEHOLDER, "\"IAMR:loader\""))
                .toList();
    }

    private static Optional<byte[]> readStaged(String url) {
        String prefix = "s3://" + ConsumerHarness.STAGING_BUCKET + "/";
        if (!url.startsWith(prefix)) {
            return Optional.empty();
        }
        StoredObject object = current.s3.objects(ConsumerHarness.STAGING_BUCKET).get(url.substring(prefix.length()));
        return Optional.ofNullable(object).map(StoredObject::body);
    }

    private static void emptyWarehouse() {
        try (RedshiftOnPostgres.Session admin = redshift.openSession()) {
            List<String> statements = new ArrayList<>(List.of(
                    "DELETE FROM \"cdc\".\"cdc_events\"",
                    "DELETE FROM " + ControlTables.loadedBatches(),
                    "UPDATE " + ControlTables.loaderState() + " SET \"last_pruned_at\" = NULL"));
            SCHEMA.tables().forEach(t -> statements.add("DELETE FROM " + t.stateTable()));
            admin.batch(statements);
        }
    }

    @Property(tries = 40, shrinking = ShrinkingMode.OFF)
    void theCurrentTablesHoldTheTrueFinalState(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 10) int keysPerTable,
            @ForAll @IntRange(min = 1, max = 150) int changes,
            @ForAll @IntRange(min = 1, max = 4) int shards,
            @ForAll @IntRange(min = 1, max = 60) int maxBatch,
            @ForAll @DoubleRange(min = 0.0, max = 0.3) double s3FaultRate,
            @ForAll @DoubleRange(min = 0.0, max = 0.4) double crashRate,
            @ForAll @IntRange(min = 1, max = 8) int objectsPerRun)
            throws Exception {
        Random random = new Random(seed);
        History history = History.generate(random, keysPerTable, changes);
        List<List<Item>> delivery = deliver(random, history.records, shards);

        emptyWarehouse();
        try (ConsumerHarness harness = new ConsumerHarness(16_000_000)) {
            current = harness;
            CrashingWarehouse warehouse = new CrashingWarehouse(new PostgresWarehouse(redshift), seed, crashRate);
            Map<String, StateTable> tables = new LinkedHashMap<>();
            SCHEMA.tables().forEach(t -> tables.put(t.catalogTable().qualifiedName(), t));
            StagingStore staging = new S3StagingStore(harness.s3Client(), ConsumerHarness.STAGING_BUCKET);
            Clock clock = Clock.systemUTC();
            LoadRun run = new LoadRun(tables, staging, warehouse, COPY_ROLE, new LoadRunSql.Pruning(0, 14), clock);
            Loader loader =
                    new Loader(staging, run, new Loader.Limits(objectsPerRun, Long.MAX_VALUE, Duration.ZERO), clock);

            // The shards' consumers run concurrently; the loader runs beside them until they are done.
            AtomicBoolean consumersDone = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(shards + 1);
            try {
                Future<?> loading = pool.submit(() -> {
                    Random loads = new Random(seed ^ 0x9E3779B97F4A7C15L);
                    while (!consumersDone.get()) {
                        loader.drain(Instant.MAX);
                        sleepQuietly(loads.nextInt(20));
                    }
                    return null;
                });
                List<Future<?>> consumers = new ArrayList<>();
                for (int s = 0; s < shards; s++) {
                    List<Item> shard = delivery.get(s);
                    long shardSeed = seed + s;
                    consumers.add(pool.submit(() -> {
                        redrive(harness, shard, new Random(shardSeed), maxBatch, s3FaultRate);
                        return null;
                    }));
                }
                for (Future<?> consumer : consumers) {
                    consumer.get();
                }
                consumersDone.set(true);
                loading.get();
            } finally {
                pool.shutdownNow();
            }

            // The last runs: no more crashes, until nothing is staged.
            warehouse.stopCrashing();
            Loader.Report last;
            int drains = 0;
            do {
                last = loader.drain(Instant.MAX);
                assertThat(++drains).as("drains to empty the staging bucket").isLessThan(100);
            } while (last.stagedAfter() > 0 || last.failure().isPresent());
            assertThat(harness.s3.objects(ConsumerHarness.STAGING_BUCKET).keySet())
                    .noneMatch(k -> k.startsWith(StagingLayout.STAGED) || k.startsWith(StagingLayout.MANIFESTS));

            // What was staged gives the true final state (the consumer's half) ...
            Map<TableKey, JsonNode> staged = new HashMap<>();
            for (Map.Entry<TableKey, String> row :
                    CurrentStateRule.apply(loggedRows()).entrySet()) {
                staged.put(row.getKey(), MAPPER.readTree(row.getValue()));
            }
            assertThat(staged).isEqualTo(history.finalState);
            // ... and the current tables hold exactly those keys, row for row the log's latest (the loader's half).
            assertThat(liveKeys()).isEqualTo(new java.util.TreeSet<>(history.finalState.keySet()));
            assertCurrentEqualsLogLatest();
            assertThat(harness.quarantined())
                    .extracting(q -> q.get("reason").asText())
                    .hasSizeGreaterThanOrEqualTo(history.poison)
                    .allMatch("table-not-in-catalog"::equals);
            assertThat(harness.s3.signatureProblems()).isEmpty();
        }
    }

    /** Every row of the log, as the rule reads them. */
    private static List<com.dsqlcdc.sql.EventRow> loggedRows() {
        List<com.dsqlcdc.sql.EventRow> rows = new ArrayList<>();
        try (RedshiftOnPostgres.Session s = redshift.openSession()) {
            for (Map<String, String> r : s.execute("SELECT \"source_schema\", \"source_table\", \"record_key\","
                            + " \"commit_ts_ns\", \"event_id\", \"is_delete\", \"row_image\"::text AS \"image\""
                            + " FROM \"cdc\".\"cdc_events\"")
                    .records()) {
                rows.add(new com.dsqlcdc.sql.EventRow(
                        r.get("source_schema"),
                        r.get("source_table"),
                        r.get("record_key"),
                        Long.parseLong(r.get("commit_ts_ns")),
                        r.get("event_id").strip(),
                        "t".equals(r.get("is_delete")),
                        r.get("image")));
            }
        }
        return rows;
    }

    private static java.util.TreeSet<TableKey> liveKeys() {
        java.util.TreeSet<TableKey> keys = new java.util.TreeSet<>();
        try (RedshiftOnPostgres.Session s = redshift.openSession()) {
            for (StateTable table : SCHEMA.tables()) {
                for (List<String> row : s.execute(
                                "SELECT \"_record_key\" FROM " + table.stateTable() + " WHERE NOT \"_deleted\"")
                        .rows()) {
                    keys.add(new TableKey(
                            table.catalogTable().schema(), table.catalogTable().name(), row.get(0)));
                }
            }
        }
        return keys;
    }

    private static void assertCurrentEqualsLogLatest() {
        try (RedshiftOnPostgres.Session s = redshift.openSession()) {
            for (StateTable table : SCHEMA.tables()) {
                String current = table.currentView();
                String log = LogLatestViewGenerator.viewName(table.catalogTable());
                for (String[] pair : new String[][] {{current, log}, {log, current}}) {
                    assertThat(s.execute("SELECT COUNT(*) FROM (SELECT * FROM " + pair[0] + " EXCEPT SELECT * FROM "
                                            + pair[1] + ") d")
                                    .rows()
                                    .get(0)
                                    .get(0))
                            .as("rows of %s not in %s", pair[0], pair[1])
                            .isEqualTo("0");
                }
            }
        }
    }

    private static void sleepQuietly(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A warehouse whose runs die at random: before a statement reaches the warehouse, or after a
     * batch committed (before the run could delete its staged objects), as a Lambda that times out
     * or crashes would.
     */
    private static final class CrashingWarehouse implements Warehouse {
        private final Warehouse real;
        private final Random random;
        private final double rate;
        private volatile boolean crashing = true;

        CrashingWarehouse(Warehouse real, long seed, double rate) {
            this.real = real;
            this.random = new Random(seed ^ 0xC2B2AE3D27D4EB4FL);
            this.rate = rate;
        }

        void stopCrashing() {
            crashing = false;
        }

        private synchronized double roll() {
            return random.nextDouble();
        }

        @Override
        public Session open(Instant deadline) {
            Session session = real.open(deadline);
            return new Session() {
                @Override
                public List<Long> batch(List<String> statements) {
                    double roll = roll();
                    if (crashing && roll < rate / 2) {
                        throw new WarehouseException("injected: the run died before this batch");
                    }
                    List<Long> counts = session.batch(statements);
                    if (crashing && roll < rate) {
                        throw new WarehouseException("injected: the run died after this batch");
                    }
                    return counts;
                }

                @Override
                public List<Map<String, String>> query(String sql) {
                    if (crashing && roll() < rate / 4) {
                        throw new WarehouseException("injected: the run died before this query");
                    }
                    return session.query(sql);
                }

                @Override
                public void close() {
                    session.close();
                }
            };
        }
    }

    /** Plays the event source mapping for one shard: batches from the checkpoint, re-driven from the reported failure. */
    private static void redrive(
            ConsumerHarness harness, List<Item> shard, Random random, int maxBatch, double faultRate) {
        int checkpoint = 0;
        int batchSize = maxBatch;
        int invocations = 0;
        while (checkpoint < shard.size()) {
            assertThat(++invocations).as("batches re-driven").isLessThan(MAX_REDRIVES);
            if (random.nextDouble() < faultRate) {
                harness.s3.failNextPuts(1 + random.nextInt(10), 503, "SlowDown");
            }
            int size = 1 + random.nextInt(batchSize);
            List<Item> batch = shard.subList(checkpoint, Math.min(shard.size(), checkpoint + size));
            StreamsEventResponse response =
                    harness.handler().handleRequest(KinesisEvents.event(batch), new TestContext());
            if (response.getBatchItemFailures().isEmpty()) {
                checkpoint += batch.size();
                batchSize = maxBatch;
            } else {
                String failed = response.getBatchItemFailures().get(0).getItemIdentifier();
                int at = batch.stream().map(Item::sequenceNumber).toList().indexOf(failed);
                assertThat(at)
                        .as("the reported failure is a record of the batch")
                        .isGreaterThanOrEqualTo(0);
                checkpoint += at;
                // Bisect on error: the retried batch is at most half the failed one.
                batchSize = Math.max(1, batch.size() / 2);
            }
        }
    }

    /** Duplicates, shuffles and spreads the records over shards, each shard in sequence-number order. */
    private static List<List<Item>> deliver(Random random, List<String> records, int shards) {
        List<String> delivered = new ArrayList<>();
        for (String record : records) {
            delivered.add(record);
            while (random.nextDouble() < 0.3) {
                // A duplicate: same change, another processing time (top-level ts_ms/ts_ns).
                delivered.add(record.replaceFirst(
                        "\"ts_ms\":\\d+,\"ts_ns\":\\d+}$",
                        "\"ts_ms\":" + random.nextInt(1_000_000) + ",\"ts_ns\":" + random.nextInt(1_000_000) + "}"));
            }
        }
        Collections.shuffle(delivered, random);
        List<List<Item>> byShard = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            byShard.add(new ArrayList<>());
        }
        long sequence = 0;
        for (String record : delivered) {
            int s = random.nextInt(shards);
            byShard.get(s).add(Item.of(String.format("shardId-%012d", s), sequence++, record));
        }
        return byShard;
    }

    /** A random change history, its records in commit order, and the state it leaves. */
    private record History(List<String> records, Map<TableKey, JsonNode> finalState, int poison) {

        static History generate(Random random, int keysPerTable, int changes) throws Exception {
            List<String> records = new ArrayList<>();
            Map<TableKey, JsonNode> state = new LinkedHashMap<>();
            long tsNs = 1_763_700_000_000_000_000L;
            int poison = 0;
            for (int i = 0; i < changes; i++) {
                tsNs += 1 + random.nextInt(3) * 1_000L;
                if (random.nextDouble() < 0.03) {
                    records.add(record("c", "not_captured", null, after(random, Map.of("id", 1)), tsNs));
                    poison++;
                    continue;
                }
                String table = TABLE_NAMES.get(random.nextInt(TABLE_NAMES.size()));
                Map<String, Object> key = key(random, table, keysPerTable);
                TableKey tableKey = new TableKey(
                        "public",
                        table,
                        MAPPER.writeValueAsString(
                                TABLES.get(table).stream().map(key::get).toList()));
                boolean exists = state.containsKey(tableKey);
                double roll = random.nextDouble();
                if (exists && roll < 0.3) {
                    records.add(record("d", table, MAPPER.valueToTree(key), null, tsNs));
                    state.remove(tableKey);
                } else {
                    // Updates come as u, as c (the early form), or as an op the consumer does not know.
                    String op = exists ? (roll < 0.7 ? "u" : roll < 0.9 ? "c" : "x") : (roll < 0.85 ? "c" : "r");
                    ObjectNode after = after(random, key);
                    double size = random.nextDouble();
                    if (size < 0.05) {
                        // Too large for one statement (two strings of 50 KB): only COPY can load it.
                        after.put("blob1", "a".repeat(50_000)).put("blob2", "b".repeat(50_000));
                    }
                    if (size > 0.95) {
                        records.addAll(chunked(random, op, table, after, tsNs));
                    } else {
                        records.add(record(op, table, null, after, tsNs));
                    }
                    state.put(tableKey, after);
                }
            }
            return new History(records, state, poison);
        }

        /** The change as DSQL sends an oversized one: a chunked main record and its image cut into fragments. */
        private static List<String> chunked(Random random, String op, String table, JsonNode after, long tsNs)
                throws Exception {
            String image = MAPPER.writeValueAsString(after);
            String chunkId = "c" + Long.toUnsignedString(random.nextLong(), 36);
            int fragments = 1 + random.nextInt(5);
            CRC32C crc = new CRC32C();
            crc.update(image.getBytes(StandardCharsets.UTF_8));
            ObjectNode main = (ObjectNode) MAPPER.readTree(record(op, table, null, null, tsNs));
            main.put("type", "chunked");
            main.putObject("chunked")
                    .putObject("after")
                    .put("chunk_id", chunkId)
                    .put("total_fragments", fragments)
                    .put("crc32c", Long.toString(crc.getValue()));
            List<String> pieces = new ArrayList<>();
            pieces.add(MAPPER.writeValueAsString(main));
            int step = (image.length() + fragments - 1) / fragments;
            for (int i = 0; i < fragments; i++) {
                String slice =
                        image.substring(Math.min(image.length(), i * step), Math.min(image.length(), (i + 1) * step));
                ObjectNode fragment = MAPPER.createObjectNode()
                        .put("type", "fragment")
                        .put("chunk_id", chunkId)
                        .put("index", i)
                        .put("data", slice);
                pieces.add(MAPPER.writeValueAsString(fragment));
            }
            return pieces;
        }

        private static Map<String, Object> key(Random random, String table, int keysPerTable) {
            int k = random.nextInt(keysPerTable);
            return switch (table) {
                case "order_items" -> Map.of("order_id", 1000 + k / 3, "line_no", k % 3);
                case "accounts" -> Map.of("id", 9_007_199_254_740_993L + 2L * k);
                default -> Map.of("doc_id", k);
            };
        }

        private static ObjectNode after(Random random, Map<String, Object> key) {
            ObjectNode after = MAPPER.valueToTree(key);
            after.put("v", random.nextInt(1_000));
            after.put("note", random.nextBoolean() ? "ünïcödé \"quoted\" ✓" : "'); DROP TABLE cdc_events; --");
            after.put("amount", random.nextInt(100_000) + ".50");
            return after;
        }

        private static String record(String op, String table, JsonNode before, JsonNode after, long tsNs)
                throws Exception {
            ObjectNode record = MAPPER.createObjectNode();
            record.put("type", "full").put("op", op);
            record.set("before", before);
            record.set("after", after);
            ObjectNode source = record.putObject("source");
            source.put("version", "1.0")
                    .put("ts_ms", tsNs / 1_000_000)
                    .put("ts_ns", tsNs)
                    .put("txId", "tx" + tsNs)
                    .put("schema", "public")
                    .put("table", table)
                    .put("db", "postgres")
                    .put("cluster", "c");
            record.put("ts_ms", tsNs / 1_000_000 + 300).put("ts_ns", tsNs + 300_000_000L);
            return MAPPER.writeValueAsString(record);
        }
    }
}
