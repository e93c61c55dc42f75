package com.dsqlcdc.consumer.write;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.dsqlcdc.consumer.BatchResult;
import com.dsqlcdc.consumer.decode.PoisonReason;
import com.dsqlcdc.consumer.testing.ConsumerHarness;
import com.dsqlcdc.consumer.testing.TestContext;
import com.dsqlcdc.contract.retry.Backoff;
import com.dsqlcdc.sql.EventRow;
import com.dsqlcdc.testing.ExecutedStatement;
import com.dsqlcdc.testing.KinesisEvents;
import com.dsqlcdc.testing.KinesisEvents.Item;
import com.dsqlcdc.testing.Outcome;
import com.dsqlcdc.testing.StoredObject;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bulk path end to end: the handler picks COPY for large batches, stages the file, and acknowledges only what landed. */
class BulkLoadTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SHARD = "shardId-000000000001";
    private static final int MIN_ROWS = 50;

    private final ConsumerHarness harness = new ConsumerHarness(
            Duration.ofSeconds(5),
            8,
            new Backoff(Duration.ofMillis(2), 1.5, Duration.ofMillis(50), Backoff.Jitter.NONE),
            MIN_ROWS,
            200_000);

    @AfterEach
    void close() {
        harness.close();
        assertThat(harness.dataApi.signatureProblems()).isEmpty();
        assertThat(harness.s3.signatureProblems()).isEmpty();
    }

    private static String document(int id, String body) {
        return "{\"type\":\"full\",\"op\":\"c\",\"before\":null,\"after\":{\"doc_id\":" + id + ",\"title\":\"t" + id
                + "\",\"body\":\"" + body + "\"},\"source\":{\"version\":\"1.0\",\"ts_ms\":1763700000000,"
                + "\"ts_ns\":" + (1_763_700_000_000_000_000L + id) + ",\"txId\":\"tx\",\"schema\":\"public\","
                + "\"table\":\"documents\",\"db\":\"postgres\",\"cluster\":\"c\"},\"ts_ms\":1763700000001,\"ts_ns\":1}";
    }

    private static List<Item> documents(int count, int bodyBytes) {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(Item.of(SHARD, i, document(i, "b".repeat(bodyBytes))));
        }
        return items;
    }

    private StreamsEventResponse handle(List<Item> items) {
        return harness.handler().handleRequest(KinesisEvents.event(items), new TestContext());
    }

    private static List<String> gunzipLines(StoredObject object) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(object.body()))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void aBatchUnderTheThresholdsStaysOnInserts() {
        assertThat(handle(documents(MIN_ROWS - 1, 100)).getBatchItemFailures()).isEmpty();
        assertThat(harness.dataApi.landed()).allSatisfy(s -> assertThat(s.sql()).startsWith("INSERT INTO"));
        assertThat(harness.s3.objects(ConsumerHarness.STAGING_BUCKET)).isEmpty();
        assertThat(harness.landedRows()).hasSize(MIN_ROWS - 1);
    }

    @Test
    void aBatchAtTheRowThresholdLoadsWithOneCopyOfOneStagedObject() throws IOException {
        List<Item> items = documents(MIN_ROWS, 100);
        assertThat(handle(items).getBatchItemFailures()).isEmpty();

        assertThat(harness.dataApi.statements()).hasSize(1);
        ExecutedStatement copy = harness.dataApi.landed().get(0);
        Map<String, StoredObject> staged = harness.s3.objects(ConsumerHarness.STAGING_BUCKET);
        assertThat(staged).hasSize(1);
        String key = staged.keySet().iterator().next();
        assertThat(key)
                .matches("staging/\\d{4}/\\d{2}/\\d{2}/\\d{2}/" + SHARD + "/"
                        + items.get(0).sequenceNumber() + "-"
                        + items.get(items.size() - 1).sequenceNumber() + "-[0-9a-f]{16}\\.jsonl\\.gz");
        assertThat(copy.sql())
                .contains("FROM 's3://" + ConsumerHarness.STAGING_BUCKET + "/" + key + "'")
                .contains("IAM_ROLE '" + ConsumerHarness.COPY_ROLE + "'")
                .contains("FORMAT JSON 'auto'")
                .contains("GZIP");
        assertThat(copy.parameters()).isEmpty();
        assertThat(gunzipLines(staged.get(key))).hasSize(MIN_ROWS);
        List<EventRow> rows = harness.landedRows();
        assertThat(rows).hasSize(MIN_ROWS);
        assertThat(rows)
                .extracting(EventRow::recordKey)
                .containsExactlyElementsOf(
                        items.stream().map(i -> "[" + items.indexOf(i) + "]").toList());
        BatchResult result = harness.published.get(0);
        assertThat(result.copies()).isEqualTo(1);
        assertThat(result.landed()).isEqualTo(MIN_ROWS);
    }

    @Test
    void aSmallBatchOverTheByteThresholdGoesToCopy() {
        assertThat(handle(documents(5, 50_000)).getBatchItemFailures()).isEmpty();
        assertThat(harness.dataApi.landed())
                .singleElement()
                .satisfies(s -> assertThat(s.sql()).startsWith("COPY "));
    }

    @Test
    void aRowTooLargeForAnyStatementTakesItsWholeBatchToCopy() throws IOException {
        List<Item> items = documents(3, 10);
        // Two 50 KB strings: each under SUPER's 65,535, together over one statement's 96,000 bytes.
        String big = "{\"type\":\"full\",\"op\":\"c\",\"after\":{\"doc_id\":99,\"title\":\"" + "t".repeat(50_000)
                + "\",\"body\":\"" + "b".repeat(50_000)
                + "\"},\"source\":{\"schema\":\"public\",\"table\":\"documents\",\"ts_ns\":7}}";
        items.add(Item.of(SHARD, 3, big));
        assertThat(handle(items).getBatchItemFailures()).isEmpty();

        assertThat(harness.dataApi.statements())
                .singleElement()
                .satisfies(s -> assertThat(s.sql()).startsWith("COPY "));
        assertThat(harness.landedRows()).hasSize(4);
        EventRow row = harness.landedRows().stream()
                .filter(r -> r.recordKey().equals("[99]"))
                .findFirst()
                .orElseThrow();
        assertThat(MAPPER.readTree(row.rowImageJson()).get("body").asText()).hasSize(50_000);
        assertThat(harness.quarantined()).isEmpty();
    }

    @Test
    void aRowOverTheCopyRecordLimitIsQuarantinedWithTheExactReasonAndTheRestLoads() {
        StringBuilder columns = new StringBuilder();
        for (int c = 0; c < 70; c++) {
            columns.append(",\"extra")
                    .append(c)
                    .append("\":\"")
                    .append("x".repeat(60_000))
                    .append('"');
        }
        String huge = "{\"type\":\"full\",\"op\":\"c\",\"after\":{\"doc_id\":5" + columns
                + "},\"source\":{\"schema\":\"public\"," + "\"table\":\"documents\",\"ts_ns\":7}}";
        List<Item> items = documents(2, 10);
        items.add(Item.of(SHARD, 2, huge));
        assertThat(handle(items).getBatchItemFailures()).isEmpty();

        assertThat(harness.landedRows()).hasSize(2);
        JsonNode q = harness.quarantined().get(0);
        assertThat(harness.quarantined()).hasSize(1);
        assertThat(q.get("reason").asText()).isEqualTo(PoisonReason.ROW_TOO_LARGE.label());
        assertThat(q.get("detail").asText())
                .contains("over the 4194304 bytes Redshift's COPY accepts for one JSON record");
        assertThat(q.get("sequenceNumber").asText()).isEqualTo(items.get(2).sequenceNumber());
    }

    @Test
    void aFailedCopyAcknowledgesNothingOfItsRows() {
        harness.dataApi.outcomes(statement -> Outcome.failed("ERROR: Load into table 'cdc_events' failed."));
        List<Item> items = documents(MIN_ROWS, 10);
        StreamsEventResponse response = handle(items);
        assertThat(response.getBatchItemFailures())
                .extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(items.get(0).sequenceNumber());
        assertThat(harness.published.get(0).failures())
                .anySatisfy(f -> assertThat(f).contains("Load into table"));
    }

    @Test
    void aStagingBucketThatCannotBeWrittenAcknowledgesNothingAndSendsNoCopy() {
        harness.s3.failNextPuts(20, 500, "InternalError");
        List<Item> items = documents(MIN_ROWS, 10);
        StreamsEventResponse response = handle(items);
        assertThat(response.getBatchItemFailures())
                .extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(items.get(0).sequenceNumber());
        assertThat(harness.dataApi.statements()).isEmpty();
        assertThat(harness.published.get(0).failures())
                .anySatisfy(f -> assertThat(f).startsWith("staging " + MIN_ROWS + " rows"));
    }

    @Test
    void aRedeliveredBatchStagesTheSameObjectAgainInsteadOfAddingOne() {
        List<Item> items = documents(MIN_ROWS, 10);
        handle(items);
        handle(items);
        assertThat(harness.s3.objects(ConsumerHarness.STAGING_BUCKET)).hasSize(1);
        assertThat(harness.landedRows()).hasSize(2 * MIN_ROWS);
    }
}
