package com.dsqlcdc.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.dsqlcdc.consumer.decode.PoisonReason;
import com.dsqlcdc.consumer.testing.ConsumerHarness;
import com.dsqlcdc.consumer.testing.TestContext;
import com.dsqlcdc.consumer.write.InsertStatementBuilder;
import com.dsqlcdc.sql.CdcEventsTable;
import com.dsqlcdc.sql.EventRow;
import com.dsqlcdc.sql.views.CurrentStateRule;
import com.dsqlcdc.sql.views.TableKey;
import com.dsqlcdc.testing.ExecutedStatement;
import com.dsqlcdc.testing.Fixtures;
import com.dsqlcdc.testing.KinesisEvents;
import com.dsqlcdc.testing.KinesisEvents.Item;
import com.dsqlcdc.testing.Outcome;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The handler end to end: realistic Kinesis events in, real SDK clients against the local fakes. */
class ConsumerHandlerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SHARD = "shardId-000000000003";
    /** The INSERT path: the bulk path has its own tests (BulkLoadTest). */
    private ConsumerHarness harness = ConsumerHarness.insertsOnly(Duration.ofSeconds(5), 8);

    @AfterEach
    void close() {
        harness.close();
        assertThat(harness.dataApi.signatureProblems()).isEmpty();
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
                CurrentStateRule.apply(harness.landedRows()).entrySet()) {
            state.put(e.getKey(), MAPPER.readTree(e.getValue()));
        }
        return state;
    }

    /** Every record before the resume point must have landed or be in the quarantine. */
    private void assertNothingUnlandedIsAcknowledged(List<Item> items, StreamsEventResponse response) {
        Set<String> handled = new HashSet<>();
        for (ExecutedStatement statement : harness.dataApi.landed()) {
            for (String envelope : statement.parameters().values()) {
                handled.add(envelope.replaceAll(
                        ".*\"" + InsertStatementBuilder.envelopeKey(CdcEventsTable.KINESIS_SEQUENCE_NUMBER)
                                + "\":\"(\\d+)\".*",
                        "$1"));
            }
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
                    .as("record %d is acknowledged, so it must have landed or be quarantined", i)
                    .contains(items.get(i).sequenceNumber());
        }
    }

    @Test
    void theDeliveredHistoryLandsAndGivesTheInOrderState() throws Exception {
        List<Item> items = items(Fixtures.lines("history-as-delivered.jsonl"));
        StreamsEventResponse response = handle(items);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(currentState()).isEqualTo(stateInCommitOrder());
        BatchResult result = harness.published.get(0);
        assertThat(result.recordsIn()).isEqualTo(items.size());
        assertThat(result.landed()).isEqualTo(items.size());
        assertThat(result.quarantinedTotal()).isZero();
        assertThat(result.statements())
                .isEqualTo(harness.dataApi.statements().size())
                .isEqualTo(1);
        assertThat(result.maxCommitToLandedMs()).isPresent();
        ExecutedStatement statement = harness.dataApi.statements().get(0);
        assertThat(statement.workgroupName()).isEqualTo(ConsumerHarness.WORKGROUP);
        assertThat(statement.database()).isEqualTo(ConsumerHarness.DATABASE);
        assertThat(statement.secretArn()).isNull();
        assertThat(statement.sql()).doesNotContain("SHIPPED", "1000", "leave at door", "'");
    }

    @Test
    void redeliveringTheSameBatchChangesNothing() throws Exception {
        List<Item> items = items(Fixtures.lines("history-as-delivered.jsonl"));
        handle(items);
        handle(items);
        handle(items.subList(10, 30));
        assertThat(currentState()).isEqualTo(stateInCommitOrder());
    }

    @Test
    void poisonRecordsAreQuarantinedWithTheirReasonAndTheRestLands() throws Exception {
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
        assertThat(result.landed()).isEqualTo(history.size());
        assertThat(harness.s3.objects(ConsumerHarness.BUCKET).keySet())
                .allMatch(key -> key.matches("quarantine/\\d{4}/\\d{2}/\\d{2}/" + SHARD + "/\\d+-\\d+\\.jsonl"));
    }

    /** Rows of ~1 KB: enough to need several statements. */
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

    private void failStatementNumber(int n, Outcome outcome) {
        AtomicInteger seen = new AtomicInteger();
        harness.dataApi.outcomes(statement -> seen.incrementAndGet() == n ? outcome : Outcome.finished());
    }

    @Test
    void aFailedStatementFailsExactlyTheRecordsNotYetLanded() {
        harness.close();
        harness =
                ConsumerHarness.insertsOnly(Duration.ofSeconds(5), 1); // one at a time: statement order = record order
        List<Item> items = documents(300, 0);
        failStatementNumber(2, Outcome.failed("ERROR: value too long for type character varying(2048)"));

        StreamsEventResponse response = handle(items);

        List<ExecutedStatement> statements = harness.dataApi.statements();
        assertThat(statements.size()).isGreaterThan(2);
        int firstOfSecond = harness.dataApi.landed().get(0).parameters().size();
        assertThat(response.getBatchItemFailures())
                .extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(items.get(firstOfSecond).sequenceNumber());
        assertNothingUnlandedIsAcknowledged(items, response);
        BatchResult result = harness.published.get(0);
        assertThat(result.failures()).singleElement().asString().contains("value too long");
        assertThat(result.statementsFailed()).isEqualTo(1);
        assertThat(result.landed())
                .isEqualTo(300 - statements.get(1).parameters().size());
    }

    @Test
    void anAbortedStatementIsNotLanded() {
        List<Item> items = documents(200, 0);
        // Statements run concurrently, so pick the one holding the first record by its content.
        harness.dataApi.outcomes(statement -> statement.parameters().values().stream()
                        .anyMatch(p -> p.contains(items.get(0).sequenceNumber()))
                ? Outcome.aborted()
                : Outcome.finished());
        StreamsEventResponse response = handle(items);
        assertThat(response.getBatchItemFailures())
                .extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(items.get(0).sequenceNumber());
        assertNothingUnlandedIsAcknowledged(items, response);
        assertThat(harness.published.get(0).failures())
                .singleElement()
                .asString()
                .contains("ABORTED");
        assertThat(harness.published.get(0).statementsFailed()).isEqualTo(1);
    }

    @Test
    void throttlingAndServerErrorsAreRetriedUntilTheyLand() {
        harness.dataApi.failNextCalls("ExecuteStatement", 3, 400, "ThrottlingException", "Rate exceeded");
        harness.dataApi.failNextCalls("DescribeStatement", 2, 500, "InternalServerException", "try again");
        List<Item> items = documents(100, 0);
        StreamsEventResponse response = handle(items);
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(harness.landedRows()).hasSize(100);
        assertThat(harness.dataApi.calls("ExecuteStatement"))
                .isEqualTo(harness.dataApi.statements().size() + 3);
        assertThat(harness.published.get(0).statementsFailed()).isZero();
    }

    @Test
    void errorsThatOutlastTheRetriesFailTheRecordsInsteadOfLosingThem() {
        harness.dataApi.failNextCalls("ExecuteStatement", 1_000, 500, "InternalServerException", "down");
        List<Item> items = documents(50, 0);
        StreamsEventResponse response = handle(items);
        assertThat(response.getBatchItemFailures())
                .extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(items.get(0).sequenceNumber());
        assertThat(harness.landedRows()).isEmpty();
        assertThat(harness.published.get(0).failures())
                .singleElement()
                .asString()
                .contains("ExecuteStatement failed");
    }

    @Test
    void aStatementThatNeverFinishesIsCancelledAndItsRecordsRetried() {
        harness.close();
        harness = ConsumerHarness.insertsOnly(Duration.ofMillis(300), 4);
        List<Item> items = documents(10, 0);
        harness.dataApi.outcomes(statement -> Outcome.stuck());
        StreamsEventResponse response = handle(items);
        assertThat(response.getBatchItemFailures())
                .extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(items.get(0).sequenceNumber());
        assertThat(harness.dataApi.calls("CancelStatement")).isEqualTo(1);
        assertThat(harness.published.get(0).failures())
                .singleElement()
                .asString()
                .contains("cancelled");
    }

    @Test
    void aStatementThatLandedButWasNeverSeenFinishedIsRetriedAndTheDuplicateIsHarmless() throws Exception {
        harness.close();
        harness = ConsumerHarness.insertsOnly(Duration.ofMillis(300), 4);
        List<Item> items = items(Fixtures.lines("history-as-delivered.jsonl"));
        failStatementNumber(1, Outcome.landsButStaysStarted());
        StreamsEventResponse first = handle(items);
        assertThat(first.getBatchItemFailures()).isNotEmpty();
        StreamsEventResponse retry = handle(items); // Lambda re-delivers from the reported record
        assertThat(retry.getBatchItemFailures()).isEmpty();
        assertThat(currentState()).isEqualTo(stateInCommitOrder());
    }

    @Test
    void aQuarantineThatCannotBeWrittenFailsThePoisonRecords() {
        harness.s3.failNextPuts(1_000, 500, "InternalError");
        List<Item> items = new ArrayList<>(documents(5, 0));
        items.add(2, Item.of(SHARD, 100, "not json"));
        StreamsEventResponse response = handle(items);
        assertThat(response.getBatchItemFailures())
                .extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(items.get(2).sequenceNumber());
        assertThat(harness.landedRows()).hasSize(5);
        assertThat(harness.published.get(0).failures())
                .singleElement()
                .asString()
                .contains("quarantine store failed");
    }

    @Test
    void statementsRunConcurrentlyButNeverMoreThanTheLimit() {
        harness.close();
        harness = ConsumerHarness.insertsOnly(Duration.ofSeconds(5), 3);
        harness.dataApi.statementLatency(Duration.ofMillis(100));
        handle(documents(1_000, 0));
        assertThat(harness.dataApi.statements().size()).isGreaterThan(6);
        assertThat(harness.dataApi.maxConcurrentRunning()).isEqualTo(3);
        assertThat(harness.landedRows()).hasSize(1_000);
    }

    @Test
    void hostileValuesTravelOnlyAsParameters() throws Exception {
        String hostile = "'); DROP TABLE cdc_events; --";
        String line = MAPPER.writeValueAsString(Map.of(
                "op",
                "c",
                "after",
                // doc_id is a bigint: a hostile key travels through ChangeDecoderTest's text-keyed table
                Map.of("doc_id", 1, hostile, hostile, "title", "\\'\"; --"),
                "source",
                Map.of("schema", "public", "table", "documents", "ts_ns", 5, "txId", hostile)));
        StreamsEventResponse response = handle(List.of(Item.of(SHARD, 0, line)));
        assertThat(response.getBatchItemFailures()).isEmpty();
        ExecutedStatement statement = harness.dataApi.statements().get(0);
        assertThat(statement.sql())
                .doesNotContain(hostile)
                .doesNotContain("DROP")
                .doesNotContain("--");
        assertThat(statement.parameters().values()).singleElement().asString().contains(hostile);
        EventRow row = harness.landedRows().get(0);
        assertThat(row.recordKey()).isEqualTo("[1]");
        assertThat(MAPPER.readTree(row.rowImageJson()).get(hostile).asText()).isEqualTo(hostile);
    }

    @Test
    void anEmptyBatchSendsNothing() {
        StreamsEventResponse response = handle(List.of());
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(harness.dataApi.calls("ExecuteStatement")).isZero();
    }
}
