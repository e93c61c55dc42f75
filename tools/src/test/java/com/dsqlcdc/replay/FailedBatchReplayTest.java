package com.dsqlcdc.replay;

import static com.dsqlcdc.replay.ReplayHarness.FAILED_BATCH_BUCKET;
import static com.dsqlcdc.replay.ReplayHarness.SHARD;
import static com.dsqlcdc.replay.ReplayHarness.STREAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.dsqlcdc.sql.EventRow;
import com.dsqlcdc.testing.Fixtures;
import com.dsqlcdc.testing.KinesisEvents;
import com.dsqlcdc.testing.KinesisEvents.Item;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code replay failed-batches}: the batches the event source mapping sent to its S3 on-failure destination. */
class FailedBatchReplayTest {

    private static final String KEY = "aws/lambda/6b4f1c2e-7a9d-4e3b-8c5f-0d1e2f3a4b5c/" + SHARD
            + "/2026/05/04/2026-05-04T10.16.06-0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    private static final Instant ARRIVAL = Instant.parse("2026-05-04T10:15:30Z");
    private static final int MIB = 1024 * 1024;

    private ReplayHarness harness;

    @BeforeEach
    void start() {
        harness = new ReplayHarness();
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    /** Puts the records on the shard; returns their sequence numbers. */
    private List<String> put(String... records) {
        List<String> sequenceNumbers = new ArrayList<>();
        for (String record : records) {
            sequenceNumbers.add(harness.kinesis.put(STREAM, SHARD, record.getBytes(StandardCharsets.UTF_8), ARRIVAL));
        }
        return sequenceNumbers;
    }

    private static String payload(List<String> sequenceNumbers, List<String> records) {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            items.add(new Item(SHARD, sequenceNumbers.get(i), records.get(i).getBytes(StandardCharsets.UTF_8)));
        }
        return KinesisEvents.json(items);
    }

    @Test
    void replaysABatchFromItsStoredPayloadWithoutReadingTheShard() {
        List<String> records = List.of(Changes.order(1), Changes.document(2, "two"), Changes.order(3));
        List<String> seqs = List.of(
                KinesisEvents.sequenceNumber(11), KinesisEvents.sequenceNumber(12), KinesisEvents.sequenceNumber(13));
        harness.seedFailedBatch(KEY, seqs.get(0), seqs.get(2), 3, payload(seqs, records));

        ReplayHarness.Run run = harness.failedBatches();

        assertThat(run.exitCode()).isEqualTo(ReplayReport.OK);
        assertThat(run.err()).contains("[1/1] " + KEY + ": 3 loaded, 0 left, 0 failed");
        assertThat(harness.stagedRows())
                .extracting(EventRow::sourceTable, EventRow::recordKey)
                .containsExactlyInAnyOrder(tuple("orders", "[1]"), tuple("documents", "[2]"), tuple("orders", "[3]"));
        assertThat(harness.kinesis.calls("GetShardIterator") + harness.kinesis.calls("GetRecords"))
                .isZero();
        assertThat(harness.ledger(FAILED_BATCH_BUCKET, KEY).get("loaded").asLong())
                .isEqualTo(3);
        assertThat(harness.failedBatches().err()).contains("already replayed");
    }

    /**
     * A batch whose on-failure record carries no payload, because one of its records (5 MiB of
     * raw data, about 6.7 MiB in base64) could never be part of an invocation. Its records are
     * read back from the shard: a small one and a 3.5 MiB one (too large for any INSERT: both go
     * through COPY, with large strings) load; the 5 MiB one cannot load by any path, because a
     * CDC record's row image is nearly all of it and one COPY record holds at most 4 MiB, so it is
     * left as row-too-large. (No full CDC record over the invocation limit fits a COPY record:
     * the record is its row image plus a few hundred bytes of metadata.)
     */
    @Test
    void readsABatchWithoutPayloadBackFromItsShardRecordsTooLargeForAnInvocationIncluded() {
        List<String> seqs = put(
                Changes.document(1, "small"),
                Changes.document(2, "b".repeat(7 * MIB / 2)),
                Changes.document(3, "c".repeat(5 * MIB)));
        harness.seedFailedBatch(KEY, seqs.get(0), seqs.get(2), 3, null);

        ReplayHarness.Run run = harness.failedBatches("--max-super-string-bytes", "16000000");

        assertThat(run.exitCode()).isEqualTo(ReplayReport.LEFT);
        assertThat(run.err()).contains("[1/1] " + KEY + ": 2 loaded, 1 left (row-too-large), 0 failed");
        assertThat(run.out()).contains(SHARD + "  " + seqs.get(2) + "  row-too-large  the row is ");
        List<EventRow> rows = harness.stagedRows();
        assertThat(rows).extracting(EventRow::recordKey).containsExactly("[1]", "[2]");
        assertThat(rows.get(1).rowImageJson()).hasSizeGreaterThan(7 * MIB / 2);
        assertThat(harness.kinesis.protocolProblems()).isEmpty();
        JsonNode left = harness.ledger(FAILED_BATCH_BUCKET, KEY).get("left");
        assertThat(left).hasSize(1);
        assertThat(left.get(0).get("reason").asText()).isEqualTo("row-too-large");
    }

    @Test
    void aPayloadShortOfTheBatchSizeIsCompletedFromTheShard() {
        List<String> records = List.of(Changes.order(1), Changes.order(2), Changes.order(3));
        List<String> seqs = put(records.toArray(String[]::new));
        harness.seedFailedBatch(KEY, seqs.get(0), seqs.get(2), 3, payload(seqs.subList(0, 2), records.subList(0, 2)));

        ReplayHarness.Run run = harness.failedBatches();

        assertThat(run.exitCode()).isEqualTo(ReplayReport.OK);
        assertThat(run.err()).contains("3 loaded, 0 left, 0 failed");
        assertThat(harness.stagedRows()).extracting(EventRow::recordKey).containsExactlyInAnyOrder("[1]", "[2]", "[3]");
        assertThat(harness.kinesis.calls("GetRecords")).isPositive();
    }

    @Test
    void recordsPastTheStreamsRetentionAreLeftAsBeyondRetention() {
        List<String> seqs = put(Changes.order(1), Changes.order(2), Changes.order(3), Changes.order(4));
        harness.kinesis.trimBefore(STREAM, SHARD, seqs.get(2));
        harness.seedFailedBatch(KEY, seqs.get(0), seqs.get(3), 4, null);

        ReplayHarness.Run run = harness.failedBatches();

        assertThat(run.exitCode()).isEqualTo(ReplayReport.LEFT);
        assertThat(run.err()).contains("[1/1] " + KEY + ": 2 loaded, 2 left (beyond-retention), 0 failed");
        assertThat(run.out())
                .contains(SHARD + "  " + seqs.get(0) + ".." + seqs.get(2) + " (2 records)  beyond-retention  " + SHARD
                        + " of " + harness.streamArn() + ", records from " + seqs.get(0) + " up to (not including) "
                        + seqs.get(2));
        assertThat(harness.stagedRows()).extracting(EventRow::recordKey).containsExactlyInAnyOrder("[3]", "[4]");
        JsonNode left = harness.ledger(FAILED_BATCH_BUCKET, KEY).get("left").get(0);
        assertThat(left.get("sequenceNumber").asText()).isEqualTo(seqs.get(0));
        assertThat(left.get("untilSequenceNumber").asText()).isEqualTo(seqs.get(2));
        assertThat(left.get("records").asInt()).isEqualTo(2);
        assertThat(left.get("reason").asText()).isEqualTo(Left.BEYOND_RETENTION);

        // Retrying what is left cannot bring it back, and does not load the rest again.
        ReplayHarness.Run retried = harness.failedBatches("--retry-left");
        assertThat(retried.err()).contains("0 loaded, 2 left (beyond-retention), 0 failed");
        assertThat(harness.stagedRows()).hasSize(2);
        assertThat(harness.ledger(FAILED_BATCH_BUCKET, KEY).get("loaded").asLong())
                .isEqualTo(2);
    }

    @Test
    void payloadRecordsFillWhatTheShardNoLongerHas() {
        List<String> records = List.of(Changes.order(1), Changes.order(2), Changes.order(3));
        List<String> seqs = put(records.toArray(String[]::new));
        harness.kinesis.trimBefore(STREAM, SHARD, seqs.get(2));
        harness.seedFailedBatch(KEY, seqs.get(0), seqs.get(2), 3, payload(seqs.subList(0, 1), records.subList(0, 1)));

        ReplayHarness.Run run = harness.failedBatches();

        assertThat(run.err()).contains("2 loaded, 1 left (beyond-retention), 0 failed");
        assertThat(harness.stagedRows()).extracting(EventRow::recordKey).containsExactlyInAnyOrder("[1]", "[3]");
    }

    @Test
    void aStreamThatNoLongerExistsLeavesTheWholeBatch() {
        List<String> seqs = put(Changes.order(1), Changes.order(2));
        harness.seedFailedBatch(
                KEY,
                seqs.get(0),
                seqs.get(1),
                2,
                null,
                "arn:aws:kinesis:us-east-1:123456789012:stream/dsql-cdc-deleted");

        ReplayHarness.Run run = harness.failedBatches();

        assertThat(run.exitCode()).isEqualTo(ReplayReport.LEFT);
        assertThat(run.err()).contains("0 loaded, 2 left (beyond-retention), 0 failed");
        assertThat(run.out())
                .contains("records " + seqs.get(0) + " through " + seqs.get(1)
                        + ": the shard cannot be read from the range's start any more (Stream dsql-cdc-deleted");
        assertThat(harness.stagedRows()).isEmpty();
    }

    @Test
    void whenStagingKeepsFailingTheRecordsFailAndALaterRunStagesThem() {
        List<String> records = List.of(Changes.order(1), Changes.order(2), Changes.order(3));
        List<String> seqs = List.of(
                KinesisEvents.sequenceNumber(11), KinesisEvents.sequenceNumber(12), KinesisEvents.sequenceNumber(13));
        harness.seedFailedBatch(KEY, seqs.get(0), seqs.get(2), 3, payload(seqs, records));
        harness.failStagingPuts(1_000);

        ReplayHarness.Run failed = harness.failedBatches();

        assertThat(failed.exitCode()).isEqualTo(ReplayReport.FAILED);
        assertThat(failed.err()).contains("0 loaded, 0 left, 3 failed");
        assertThat(failed.out())
                .contains("Failed (run the same command again):")
                .contains(SHARD + "  " + seqs.get(2))
                .contains("because: staging 3 rows failed")
                .contains("Status Code: 500");
        assertThat(harness.ledger(FAILED_BATCH_BUCKET, KEY).get("failed")).hasSize(3);
        assertThat(harness.stagedRows()).isEmpty();

        harness.s3.clearFaults();
        ReplayHarness.Run later = harness.failedBatches();

        assertThat(later.exitCode()).isEqualTo(ReplayReport.OK);
        assertThat(later.err()).contains("3 loaded, 0 left, 0 failed");
        assertThat(harness.stagedRows()).extracting(EventRow::recordKey).containsExactlyInAnyOrder("[1]", "[2]", "[3]");
        JsonNode ledger = harness.ledger(FAILED_BATCH_BUCKET, KEY);
        assertThat(ledger.get("failed")).isEmpty();
        assertThat(ledger.get("loaded").asLong()).isEqualTo(3);
        assertThat(harness.failedBatches().err()).contains("already replayed");
    }

    @Test
    void aSliceThatFailsPartWayIsRetriedFromTheFirstRecordNotDone() {
        // The slice's staging PUT fails once (every attempt of the call): the slice is tried again.
        List<String> records = new ArrayList<>();
        List<String> seqs = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            records.add(Changes.document(i, "d".repeat(2_000)));
            seqs.add(KinesisEvents.sequenceNumber(100 + i));
        }
        harness.seedFailedBatch(KEY, seqs.get(0), seqs.get(119), 120, payload(seqs, records));
        harness.failStagingPuts(1);

        ReplayHarness.Run run = harness.failedBatches();

        assertThat(run.exitCode()).isEqualTo(ReplayReport.OK);
        assertThat(run.err()).contains("120 loaded, 0 left, 0 failed");
        assertThat(harness.stagedRows())
                .extracting(EventRow::recordKey)
                .containsAll(records.stream()
                        .map(r -> "[" + records.indexOf(r) + "]")
                        .toList());
        assertThat(harness.ledger(FAILED_BATCH_BUCKET, KEY).get("failed")).isEmpty();
    }

    @Test
    void piecesOfAChunkedChangeAreParkedUntilALaterBatchCompletesTheSet() {
        List<String> pieces = Fixtures.lines("chunked-record.jsonl");
        List<String> seqs = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            seqs.add(KinesisEvents.sequenceNumber(200 + i));
        }
        String first = KEY + "-1";
        String second = KEY + "-2";
        harness.seedFailedBatch(first, seqs.get(0), seqs.get(3), 4, payload(seqs.subList(0, 4), pieces.subList(0, 4)));
        harness.seedFailedBatch(second, seqs.get(4), seqs.get(5), 2, payload(seqs.subList(4, 6), pieces.subList(4, 6)));

        ReplayHarness.Run run = harness.failedBatches();

        assertThat(run.exitCode()).isEqualTo(ReplayReport.OK);
        assertThat(run.err())
                .contains("[1/2] " + first + ": 0 loaded, 0 left, 0 failed, 4 parked")
                .contains("[2/2] " + second + ": 1 loaded, 0 left, 0 failed, 1 parked");
        assertThat(run.out()).contains("Loaded 1, parked 5, left 0, failed 0");
        assertThat(harness.stagedRows())
                .extracting(EventRow::sourceTable, EventRow::recordKey)
                .containsExactly(tuple("documents", "[7]"));
        assertThat(harness.ledger(FAILED_BATCH_BUCKET, first).get("parked").asLong())
                .isEqualTo(4);
    }

    @Test
    void anObjectThatIsNotAnOnFailureRecordIsLeftAsUnreadable() {
        harness.s3.seedObject(
                FAILED_BATCH_BUCKET, KEY, "{\"hello\":1}".getBytes(StandardCharsets.UTF_8), "application/json");

        ReplayHarness.Run run = harness.failedBatches();

        assertThat(run.exitCode()).isEqualTo(ReplayReport.LEFT);
        assertThat(run.err())
                .contains("left, not readable: s3://" + FAILED_BATCH_BUCKET + "/" + KEY + " has no KinesisBatchInfo");
    }
}
