package com.dsqlcdc.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.dsqlcdc.consumer.testing.ConsumerHarness;
import com.dsqlcdc.consumer.testing.TestContext;
import com.dsqlcdc.contract.retry.Backoff;
import com.dsqlcdc.sql.views.CurrentStateRule;
import com.dsqlcdc.sql.views.TableKey;
import com.dsqlcdc.testing.KinesisEvents;
import com.dsqlcdc.testing.KinesisEvents.Item;
import com.dsqlcdc.testing.Outcome;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * The pipeline's promise, as a property: whatever the history (rows too large for a statement
 * and oversized changes split into chunked records and fragments among them), however Kinesis
 * delivers it (duplicated, reordered, spread over shards, cut into any batches), whichever load
 * path each batch takes (INSERTs or COPY, by a random threshold) and whatever the Data API and S3
 * do (FAILED, ABORTED, throttled, 5xx, committed but never seen FINISHED, failed PUTs), once the
 * event source mapping has re-driven every batch the way Lambda does, the current state computed
 * from what landed, by the views' own rule, equals the true final state.
 */
class CurrentStatePropertyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Tables of the checked-in catalog, with their key columns: one composite, one with keys above 2^53. */
    private static final Map<String, List<String>> TABLES = Map.of(
            "order_items", List.of("order_id", "line_no"),
            "accounts", List.of("id"),
            "documents", List.of("doc_id"));

    private static final List<String> TABLE_NAMES = List.of("order_items", "accounts", "documents");
    private static final int MAX_REDRIVES = 2_000;

    @Property(tries = 100, shrinking = ShrinkingMode.OFF)
    void theCurrentStateOfWhatLandedIsTheTrueFinalState(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 10) int keysPerTable,
            @ForAll @IntRange(min = 1, max = 150) int changes,
            @ForAll @IntRange(min = 1, max = 4) int shards,
            @ForAll @IntRange(min = 1, max = 60) int maxBatch,
            @ForAll @DoubleRange(min = 0.0, max = 0.35) double faultRate,
            @ForAll @IntRange(min = 1, max = 80) int bulkMinRows)
            throws Exception {
        Random random = new Random(seed);
        History history = History.generate(random, keysPerTable, changes);
        List<List<Item>> delivery = deliver(random, history.records, shards);

        try (ConsumerHarness harness = new ConsumerHarness(
                Duration.ofMillis(150),
                4,
                new Backoff(Duration.ofMillis(2), 1.5, Duration.ofMillis(50), Backoff.Jitter.NONE),
                bulkMinRows,
                256 * 1024)) {
            Random faults = new Random(seed ^ 0x5DEECE66DL);
            harness.dataApi.outcomes(statement -> {
                synchronized (faults) {
                    if (faults.nextDouble() >= faultRate) {
                        return Outcome.finished();
                    }
                    return switch (faults.nextInt(3)) {
                        case 0 -> Outcome.failed("ERROR: injected failure");
                        case 1 -> Outcome.aborted();
                        default -> Outcome.landsButStaysStarted();
                    };
                }
            });
            redrive(harness, delivery, random, maxBatch, faultRate);

            Map<TableKey, JsonNode> landed = new HashMap<>();
            for (Map.Entry<TableKey, String> row :
                    CurrentStateRule.apply(harness.landedRows()).entrySet()) {
                landed.put(row.getKey(), MAPPER.readTree(row.getValue()));
            }
            assertThat(landed).isEqualTo(history.finalState);
            assertThat(harness.quarantined())
                    .extracting(q -> q.get("reason").asText())
                    .hasSizeGreaterThanOrEqualTo(history.poison)
                    .allMatch("table-not-in-catalog"::equals);
            assertThat(harness.dataApi.signatureProblems()).isEmpty();
        }
    }

    /** Plays the event source mapping: per shard, batches from the checkpoint, re-driven from the reported failure. */
    private static void redrive(
            ConsumerHarness harness, List<List<Item>> shards, Random random, int maxBatch, double faultRate) {
        int[] checkpoint = new int[shards.size()];
        int[] batchSize = new int[shards.size()];
        java.util.Arrays.fill(batchSize, maxBatch);
        int invocations = 0;
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int s = 0; s < shards.size(); s++) {
                List<Item> shard = shards.get(s);
                if (checkpoint[s] >= shard.size()) {
                    continue;
                }
                progress = true;
                assertThat(++invocations).as("batches re-driven").isLessThan(MAX_REDRIVES);
                if (random.nextDouble() < faultRate / 6) {
                    harness.s3.failNextPuts(1 + random.nextInt(10), 503, "SlowDown");
                }
                if (random.nextDouble() < faultRate / 3) {
                    harness.dataApi.failNextCalls(
                            "ExecuteStatement",
                            1 + random.nextInt(2),
                            random.nextBoolean() ? 400 : 500,
                            random.nextBoolean() ? "ThrottlingException" : "InternalServerException",
                            "injected");
                }
                int size = 1 + random.nextInt(batchSize[s]);
                List<Item> batch = shard.subList(checkpoint[s], Math.min(shard.size(), checkpoint[s] + size));
                StreamsEventResponse response =
                        harness.handler().handleRequest(KinesisEvents.event(batch), new TestContext());
                if (response.getBatchItemFailures().isEmpty()) {
                    checkpoint[s] += batch.size();
                    batchSize[s] = maxBatch;
                } else {
                    String failed = response.getBatchItemFailures().get(0).getItemIdentifier();
                    int at = batch.stream().map(Item::sequenceNumber).toList().indexOf(failed);
                    assertThat(at)
                            .as("the reported failure is a record of the batch")
                            .isGreaterThanOrEqualTo(0);
                    checkpoint[s] += at;
                    // Bisect on error: the retried batch is at most half the failed one.
                    batchSize[s] = Math.max(1, batch.size() / 2);
                }
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
