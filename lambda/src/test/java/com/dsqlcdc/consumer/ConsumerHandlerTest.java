package com.dsqlcdc.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.dsqlcdc.consumer.decode.PoisonReason;
import com.dsqlcdc.consumer.testing.ConsumerHarness;
import com.dsqlcdc.consumer.testing.TestContext;
import com.dsqlcdc.contract.StagingLayout;
import com.dsqlcdc.sql.CdcEventsTable;
import com.dsqlcdc.sql.current.ControlTables;
import com.dsqlcdc.sql.load.LoadRunSql;
import com.dsqlcdc.sql.views.CurrentStateRule;
import com.dsqlcdc.sql.views.TableKey;
import com.dsqlcdc.testing.EventRows;
import com.dsqlcdc.testing.Fixtures;
import com.dsqlcdc.testing.KinesisEvents;
import com.dsqlcdc.testing.KinesisEvents.Item;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The handler end to end: realistic Kinesis events in, real SDK clients against the local fakes. */
class ConsumerHandlerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SHARD = "shardId-000000000003";
    private final ConsumerHarness harness = new ConsumerHarness();

    @AfterEach
    void close() {
        harness.close();
        assertThat(harness.s3.signatureProblems()).isEmpty();
    }

    private static List<Item> items(List<String> lines) {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            items.add(Item.of(SHARD, i, lines.get(i)));
        }
        return items;
    }

    private StreamsEventResponse handle(List<Item> items) {
        return harness.handler().handleRequest(KinesisEvents.event(items), new TestContext());
    }

    /** The state after applying the in-order history one record at a time: the truth to compare with. */
    private static Map<TableKey, JsonNode> stateInCommitOrder() throws Exception {
        Map<TableKey, JsonNode> state = new LinkedHashMap<>();
        Map<String, List<String>> keys = Map.of(
                "orders",
                List.of("order_id"),
                "order_items",
                List.of("order_id", "line_no"),
                "accounts",
                List.of("id"),
                "documents",
                List.of("doc_id"));
        for (String line : Fixtures.lines("history-in-commit-order.jsonl")) {
            JsonNode r = MAPPER.readTree(line);
            String table = r.at("/source/table").asText();
            boolean delete = r.get("op").asText().equals("d");
            JsonNode image = delete ? r.get("before") : r.get("after");
            List<String> values =
                    keys.get(table).stream().map(c -> image.get(c).toString()).toList();
            TableKey key = new TableKey("public", table, "[" + String.join(",", values) + "]");
            if (delete) {
                state.remove(key);
            } else {
                state.put(key, image);
            }
        }
        return state;
    }

    private Map<TableKey, JsonNode> currentState() throws Exception {
        Map<TableKey, JsonNode> state = new LinkedHashMap<>();
        for (Map.Entry<TableKey, String> e :
                CurrentStateRule.apply(harness.stagedRows()).entrySet()) {
            state.put(e.getKey(), MAPPER.readTree(e.getValue()));
        }
        return state;
    }

    /** Every record before the resume point must be staged or in the quarantine. */
    private void assertNothingUnstagedIsAcknowledged(List<Item> items, StreamsEventResponse response) throws Exception {
        Set<String> handled = new HashSet<>();
        for (String line : EventRows.stagedLines(harness.s3, ConsumerHarness.STAGING_BUCKET)) {
            handled.add(MAPPER.readTree(line)
                    .get(CdcEventsTable.KINESIS_SEQUENCE_NUMBER)
                    .asText());
        }
        harness.quarantined().forEach(q -> handled.add(q.get("sequenceNumber").asText()));
        int resume = response.getBatchItemFailures().isEmpty()
                ? items.size()
                : items.stream()
                        .map(Item::sequenceNumber)
                        .toList()
                        .indexOf(response.getBatchItemFailures().get(0).getItemIdentifier());
        assertThat(resume).isGreaterThanOrEqualTo(0);
        for (int i = 0; i < resume; i++) {
            assertThat(handled)
                    .as("record %d is acknowledged, so it must be staged or quarantined", i)
                    .contains(items.get(i).sequenceNumber());
        }
    }

    private Set<String> stagedKeys() {
        return new TreeSet<>(harness.s3.objects(ConsumerHarness.STAGING_BUCKET).keySet().stream()
                .filter(k -> k.startsWith(StagingLayout.STAGED))
                .toList());
    }

    @Test
    void theDeliveredHistoryIsStagedAsOneObjectThatGivesTheInOrderState() throws Exception {
        List<Item> items = items(Fixtures.lines("history-as-delivered.jsonl"));
        StreamsEventResponse response = handle(items);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(currentState()).isEqualTo(stateInCommitOrder());
        BatchResult result = harness.published.get(0);
        assertThat(result.recordsIn()).isEqualTo(items.size());
        assertThat(result.staged()).isEqualTo(items.size());
        assertThat(result.quarantinedTotal()).isZero();
        assertThat(result.maxCommitToStagedMs()).isPresent();
        assertThat(stagedKeys())
                .singleElement()
                .asString()
                .matches("staged/" + SHARD + "/"
                        + items.get(0).sequenceNumber() + "-"
                        + items.get(items.size() - 1).sequenceNumber()
                        + "-[0-9a-f]{64}\\.jsonl\\.gz");
        assertThat(result.object().orElseThrow().key())
                .isEqualTo(stagedKeys().iterator().next());
    }

    @Test
    void everyStagedLineHasTheColumnsTheLoaderCopiesAndTheBatchIdOfItsLines() throws Exception {
        handle(items(Fixtures.lines("history-in-commit-order.jsonl")));

        List<String> lines = EventRows.stagedLines(harness.s3, ConsumerHarness.STAGING_BUCKET);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        Set<String> batchIds = new HashSet<>();
        for (String line : lines) {
            JsonNode json = MAPPER.readTree(line);
            Set<String> keys = new TreeSet<>();
            json.fieldNames().forEachRemaining(keys::add);
            assertThat(LoadRunSql.STAGED_COLUMNS).containsAll(keys);
            assertThat(keys).contains(ControlTables.BATCH_ID, CdcEventsTable.COMMIT_TS_NS, CdcEventsTable.ROW_IMAGE);
            assertThat(line).startsWith("{\"" + ControlTables.BATCH_ID + "\":");
            batchIds.add(json.get(ControlTables.BATCH_ID).asText());
            // The batch id hashes each line as it is without the id.
            String withoutId = "{" + line.substring(line.indexOf(',') + 1);
            digest.update((withoutId + "\n").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(batchIds).containsExactly(HexFormat.of().formatHex(digest.digest()));
        assertThat(stagedKeys().iterator().next()).contains(batchIds.iterator().next());
    }

    @Test
    void aRedeliveredBatchRewritesItsOwnObject() throws Exception {
        List<Item> items = items(Fixtures.lines("history-as-delivered.jsonl"));
        handle(items);
        Set<String> first = stagedKeys();
        handle(items);
        assertThat(stagedKeys()).isEqualTo(first);
        handle(items.subList(10, 30));
        assertThat(stagedKeys()).hasSize(2);
        assertThat(currentState()).isEqualTo(stateInCommitOrder());
    }

    @Test
    void poisonRecordsAreQuarantinedWithTheirReasonAndTheRestIsStaged() throws Exception {
        List<byte[]> records = new ArrayList<>();
        List<byte[]> malformed =
                Fixtures.malformed().stream().map(Fixtures.Malformed::data).toList();
        List<String> history = Fixtures.lines("history-in-commit-order.jsonl");
        assertThat(malformed.size()).as("every malformed record is interleaved").isLessThanOrEqualTo(history.size());
        for (int i = 0; i < history.size(); i++) {
            records.add(history.get(i).getBytes(StandardCharsets.UTF_8));
            if (i < malformed.size()) {
                records.add(malformed.get(i));
            }
        }
        records.add(
                "{\"op\":\"c\",\"after\":{\"id\":1},\"source\":{\"schema\":\"public\",\"table\":\"not_captured\",\"ts_ns\":5}}"
                        .getBytes(StandardCharsets.UTF_8));
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            items.add(new Item(SHARD, KinesisEvents.sequenceNumber(i), records.get(i)));
        }

        StreamsEventResponse response = handle(items);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(currentState()).isEqualTo(stateInCommitOrder());
        List<JsonNode> quarantined = harness.quarantined();
        int poison = malformed.size() + 1;
        assertThat(quarantined).hasSize(poison);
        Map<String, Item> bySequence = new LinkedHashMap<>();
        items.forEach(item -> bySequence.put(item.sequenceNumber(), item));
        for (JsonNode q : quarantined) {
            Item original = bySequence.get(q.get("sequenceNumber").asText());
            assertThat(original).isNotNull();
            assertThat(Base64.getDecoder().decode(q.get("data").asText())).isEqualTo(original.data());
            assertThat(q.get("shardId").asText()).isEqualTo(SHARD);
            assertThat(q.get("reason").asText()).isNotBlank();
            assertThat(q.get("detail").asText()).isNotBlank();
            assertThat(q.get("eventSourceArn").asText()).isEqualTo(KinesisEvents.STREAM_ARN);
        }
        BatchResult result = harness.published.get(0);
        assertThat(result.quarantinedTotal()).isEqualTo(poison);
        assertThat(result.quarantined()).containsEntry(PoisonReason.TABLE_NOT_IN_CATALOG, 1);
        assertThat(result.staged()).isEqualTo(history.size());
        assertThat(harness.s3.objects(ConsumerHarness.BUCKET).keySet())
                .allMatch(key -> key.matches("quarantine/\\d{4}/\\d{2}/\\d{2}/" + SHARD + "/\\d+-\\d+\\.jsonl"));
    }

    /** Rows of ~1 KB. */
    private static List<Item> documents(int count, int firstSequence) {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String line = "{\"type\":\"full\",\"op\":\"c\",\"before\":null,\"after\":{\"doc_id\":" + i
                    + ",\"title\":\"t" + i
                    + "\",\"body\":\"" + "b".repeat(1_000)
                    + "\"},\"source\":{\"version\":\"1.0\",\"ts_ms\":1763700000000,"
                    + "\"ts_ns\":" + (1_763_700_000_000_000_000L + i) + ",\"txId\":\"tx\",\"schema\":\"public\","
                    + "\"table\":\"documents\",\"db\":\"postgres\",\"cluster\":\"c\"},\"ts_ms\":1763700000001,\"ts_ns\":1}";
            items.add(Item.of(SHARD, firstSequence + i, line));
        }
        return items;
    }

    @Test
    void aStagingPutThatFailsAfterTheRetriesFailsEveryRecordThatIsNotQuarantined() throws Exception {
        harness.s3.failNextPuts(1_000, 500, "InternalError");
        List<Item> items = documents(50, 0);

        StreamsEventResponse response = handle(items);

        assertThat(response.getBatchItemFailures())
                .extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(items.get(0).sequenceNumber());
        assertThat(stagedKeys()).isEmpty();
        assertNothingUnstagedIsAcknowledged(items, response);
        BatchResult result = harness.published.get(0);
        assertThat(result.staged()).isZero();
        assertThat(result.failed()).isEqualTo(50);
        assertThat(result.failures()).singleElement().asString().contains("staging 50 rows failed");
    }

    @Test
    void transientS3ErrorsAreRetriedUntilTheBatchIsStaged() {
        harness.s3.failNextPuts(2, 503, "SlowDown");
        List<Item> items = documents(100, 0);
        StreamsEventResponse response = handle(items);
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(harness.stagedRows()).hasSize(100);
        assertThat(harness.published.get(0).failures()).isEmpty();
    }

    @Test
    void aQuarantineThatCannotBeWrittenFailsThePoisonRecordsAndWhatFollows() throws Exception {
        List<Item> items = new ArrayList<>(documents(5, 0));
        items.add(2, Item.of(SHARD, 100, "not json"));
        // The quarantine's PUT comes first and fails through every attempt; the staging PUT after it works.
        harness.s3.failNextPuts(ConsumerHarness.S3_ATTEMPTS, 500, "InternalError");
        StreamsEventResponse response = handle(items);
        assertThat(response.getBatchItemFailures())
                .extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(items.get(2).sequenceNumber());
        assertThat(harness.stagedRows()).hasSize(5);
        assertNothingUnstagedIsAcknowledged(items, response);
        assertThat(harness.published.get(0).failures())
                .anySatisfy(f -> assertThat(f).contains("quarantine store failed"));
    }

    @Test
    void aRowTooLargeForCopyIsQuarantinedAndTheRestStaged() {
        String big = "{\"type\":\"full\",\"op\":\"c\",\"before\":null,\"after\":{\"doc_id\":9,\"body\":\""
                + "x".repeat(4 * 1024 * 1024) + "\"},\"source\":{\"ts_ns\":5,\"txId\":\"tx\",\"schema\":\"public\","
                + "\"table\":\"documents\"}}";
        try (ConsumerHarness large = new ConsumerHarness(16_000_000)) {
            List<Item> items = new ArrayList<>(documents(3, 0));
            items.add(Item.of(SHARD, 3, big));
            StreamsEventResponse response =
                    large.handler().handleRequest(KinesisEvents.event(items), new TestContext());
            assertThat(response.getBatchItemFailures()).isEmpty();
            assertThat(large.stagedRows()).hasSize(3);
            assertThat(large.quarantined()).singleElement().satisfies(q -> {
                assertThat(q.get("reason").asText()).isEqualTo(PoisonReason.ROW_TOO_LARGE.label());
                assertThat(q.get("detail").asText()).contains("4194304 bytes Redshift's COPY accepts");
            });
        }
    }

    @Test
    void anEmptyBatchStagesNothing() {
        StreamsEventResponse response = handle(List.of());
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(harness.s3.calls("PutObject")).isZero();
        assertThat(harness.published.get(0).object()).isEmpty();
    }
}
