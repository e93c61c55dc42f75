package com.dsqlcdc.consumer.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.dsqlcdc.consumer.decode.PoisonReason;
import com.dsqlcdc.consumer.testing.ConsumerHarness;
import com.dsqlcdc.consumer.testing.TestContext;
import com.dsqlcdc.contract.StagingLayout;
import com.dsqlcdc.sql.EventRow;
import com.dsqlcdc.testing.Fixtures;
import com.dsqlcdc.testing.KinesisEvents;
import com.dsqlcdc.testing.KinesisEvents.Item;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Chunked changes end to end through the handler, with the real S3 client against the fake:
 * {@code chunked-record.jsonl} (a main record and five fragments) in every arrival order, split
 * across batches and shards, with duplicates, concurrently, and corrupted.
 */
class ChunkReassemblyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String FIXTURE_CHUNK_ID = "ijk5jikfqpwukr6te3jw4gjuel6ccmwx";
    private static final List<String> PIECES = Fixtures.lines("chunked-record.jsonl");
    private static final String EXPECTED_AFTER =
            Fixtures.text("chunked-record-expected-after.json").strip();

    private final ConsumerHarness harness = new ConsumerHarness();
    private final AtomicLong sequence = new AtomicLong();

    @AfterEach
    void close() {
        harness.close();
        assertThat(harness.s3.signatureProblems()).isEmpty();
    }

    /** The fixture's pieces with their chunk id replaced, so each scenario has a set of its own. */
    private static List<String> piecesOfSet(String chunkId) {
        return PIECES.stream().map(p -> p.replace(FIXTURE_CHUNK_ID, chunkId)).toList();
    }

    private StreamsEventResponse deliver(List<String> lines, String shard) {
        List<Item> items = new ArrayList<>();
        for (String line : lines) {
            items.add(Item.of(shard, sequence.incrementAndGet(), line));
        }
        return harness.handler().handleRequest(KinesisEvents.event(items), new TestContext());
    }

    private List<EventRow> documentRows() {
        return harness.stagedRows().stream()
                .filter(r -> r.sourceTable().equals("documents"))
                .toList();
    }

    private Set<String> stagingKeys(String prefix) {
        return harness.s3.objects(ConsumerHarness.STAGING_BUCKET).keySet().stream()
                .filter(k -> k.startsWith(prefix))
                .collect(Collectors.toSet());
    }

    private void assertStagedOnceAsTheExpectedRow(String chunkId) throws Exception {
        List<EventRow> rows = documentRows();
        assertThat(rows).as("rows staged for chunk %s", chunkId).isNotEmpty();
        assertThat(rows.stream().map(EventRow::eventId).distinct()).hasSize(1);
        EventRow row = rows.get(0);
        assertThat(MAPPER.readTree(row.rowImageJson())).isEqualTo(MAPPER.readTree(EXPECTED_AFTER));
        assertThat(row.rowImageJson()).isEqualTo(EXPECTED_AFTER);
        assertThat(row.recordKey()).isEqualTo("[7]");
        assertThat(row.commitTsNs()).isEqualTo(1_763_700_109_079_889_104L);
        assertThat(stagingKeys(ChunkStore.PIECES + chunkId + "/"))
                .as("pieces are removed once staged")
                .isEmpty();
        assertThat(harness.s3
                        .objects(ConsumerHarness.STAGING_BUCKET)
                        .get(ChunkStore.DONE + chunkId)
                        .text())
                .contains("\"outcome\":\"staged\"");
        assertThat(harness.quarantined()).isEmpty();
    }

    @Test
    void everyArrivalOrderOfThePiecesOneBatchEachOverTwoShardsLoadsTheChangeExactlyOnce() throws Exception {
        List<List<Integer>> orders = new ArrayList<>();
        permutations(new ArrayList<>(List.of(0, 1, 2, 3, 4, 5)), 0, orders);
        assertThat(orders).hasSize(720);
        for (int n = 0; n < orders.size(); n++) {
            String chunkId = "perm" + n;
            List<String> pieces = piecesOfSet(chunkId);
            // Staged objects, not rows, counted per step: one object per completed set, and cheap to count.
            int stagedBefore = stagingKeys(StagingLayout.STAGED).size();
            for (int k = 0; k < 6; k++) {
                StreamsEventResponse response =
                        deliver(List.of(pieces.get(orders.get(n).get(k))), "shardId-00000000000" + (k % 2));
                assertThat(response.getBatchItemFailures()).isEmpty();
                int stagedNow = stagingKeys(StagingLayout.STAGED).size() - stagedBefore;
                assertThat(stagedNow)
                        .as("order %s after %d pieces", orders.get(n), k + 1)
                        .isEqualTo(k == 5 ? 1 : 0);
            }
            assertThat(stagingKeys(ChunkStore.PIECES + chunkId + "/")).isEmpty();
        }
        assertThat(harness.quarantined()).isEmpty();
        assertThat(harness.s3.objects(ConsumerHarness.STAGING_BUCKET).keySet())
                .noneMatch(k -> k.startsWith(ChunkStore.PIECES));
        List<EventRow> rows = documentRows();
        assertThat(rows).hasSize(720);
        assertThat(rows).allSatisfy(row -> assertThat(row.rowImageJson()).isEqualTo(EXPECTED_AFTER));
    }

    private static void permutations(List<Integer> items, int from, List<List<Integer>> out) {
        if (from == items.size()) {
            out.add(List.copyOf(items));
            return;
        }
        for (int i = from; i < items.size(); i++) {
            Collections.swap(items, from, i);
            permutations(items, from + 1, out);
            Collections.swap(items, from, i);
        }
    }

    @Test
    void theWholeSetInOneBatchLoadsAtOnce() throws Exception {
        StreamsEventResponse response = deliver(piecesOfSet("oneBatch"), "shardId-000000000000");
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertStagedOnceAsTheExpectedRow("oneBatch");
        assertThat(documentRows()).hasSize(1);
    }

    @Test
    void duplicatedPiecesInRandomOrderAndRandomBatchesStillGiveTheOneChange() throws Exception {
        Random random = new Random(42);
        for (int trial = 0; trial < 40; trial++) {
            String chunkId = "dup" + trial;
            List<String> pieces = new ArrayList<>(piecesOfSet(chunkId));
            for (int extra = random.nextInt(8); extra >= 0; extra--) {
                pieces.add(pieces.get(random.nextInt(6)));
            }
            Collections.shuffle(pieces, random);
            int at = 0;
            while (at < pieces.size()) {
                int size = 1 + random.nextInt(4);
                List<String> batch = pieces.subList(at, Math.min(pieces.size(), at + size));
                assertThat(deliver(batch, "shardId-00000000000" + random.nextInt(3))
                                .getBatchItemFailures())
                        .isEmpty();
                at += size;
            }
            assertThat(stagingKeys(ChunkStore.PIECES + chunkId + "/"))
                    .as("trial %d", trial)
                    .isEmpty();
            assertThat(harness.s3.objects(ConsumerHarness.STAGING_BUCKET)).containsKey(ChunkStore.DONE + chunkId);
        }
        // Duplicates may load the change more than once (the log absorbs it); it is always the same row.
        assertThat(documentRows().stream().map(EventRow::eventId).distinct()).hasSize(1);
        assertThat(harness.quarantined()).isEmpty();
    }

    @Test
    void aPieceDeliveredAgainAfterItsSetLoadedIsDroppedAndStartsNoNewSet() throws Exception {
        List<String> pieces = piecesOfSet("late");
        deliver(pieces, "shardId-000000000000");
        assertStagedOnceAsTheExpectedRow("late");

        assertThat(deliver(List.of(pieces.get(3)), "shardId-000000000001").getBatchItemFailures())
                .isEmpty();
        assertThat(deliver(List.of(pieces.get(0)), "shardId-000000000002").getBatchItemFailures())
                .isEmpty();

        assertThat(stagingKeys(ChunkStore.PIECES)).isEmpty();
        assertThat(documentRows()).hasSize(1);
    }

    @Test
    void aCorruptedFragmentFailsTheCrcAndEveryPieceIsQuarantinedWithTheReason() throws Exception {
        List<String> pieces = new ArrayList<>(piecesOfSet("corrupt"));
        pieces.set(3, pieces.get(3).replaceFirst("Lorem", "Lorem!"));
        deliver(pieces.subList(0, 4), "shardId-000000000000");
        StreamsEventResponse response = deliver(pieces.subList(4, 6), "shardId-000000000001");

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(documentRows()).isEmpty();
        List<JsonNode> quarantined = harness.quarantined();
        assertThat(quarantined).hasSize(6);
        assertThat(quarantined).allSatisfy(q -> {
            assertThat(q.get("reason").asText()).isEqualTo(PoisonReason.CHUNK_CRC_MISMATCH.label());
            assertThat(q.get("detail").asText())
                    .contains("chunk corrupt (after): CRC32C of the 5 reassembled fragments is")
                    .contains("the chunked record says 2964919034");
        });
        assertThat(quarantined.stream()
                        .map(q -> new String(
                                Base64.getDecoder().decode(q.get("data").asText()))))
                .containsExactlyInAnyOrderElementsOf(pieces);
        assertThat(stagingKeys(ChunkStore.PIECES)).isEmpty();
        assertThat(harness.s3
                        .objects(ConsumerHarness.STAGING_BUCKET)
                        .get(ChunkStore.DONE + "corrupt")
                        .text())
                .contains("\"outcome\":\"quarantined\"");
    }

    @Test
    void whenStagingACompletedSetFailsTheCompletingRecordIsRetriedAndStagedOnRedelivery() throws Exception {
        List<String> pieces = piecesOfSet("retry");
        deliver(pieces.subList(0, 5), "shardId-000000000000");
        harness.s3.failNextPutsUnder(StagingLayout.STAGED, ConsumerHarness.S3_ATTEMPTS, 500, "InternalError");
        List<Item> last = List.of(Item.of("shardId-000000000000", sequence.incrementAndGet(), pieces.get(5)));
        StreamsEventResponse failed = harness.handler().handleRequest(KinesisEvents.event(last), new TestContext());
        assertThat(failed.getBatchItemFailures())
                .extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(last.get(0).sequenceNumber());
        assertThat(stagingKeys(ChunkStore.PIECES + "retry/")).hasSize(6);
        assertThat(harness.s3.objects(ConsumerHarness.STAGING_BUCKET)).doesNotContainKey(ChunkStore.DONE + "retry");

        assertThat(harness.handler()
                        .handleRequest(KinesisEvents.event(last), new TestContext())
                        .getBatchItemFailures())
                .isEmpty();
        assertStagedOnceAsTheExpectedRow("retry");
    }

    @Test
    void twoShardsParkingTheLastPiecesAtOnceStillLoadTheChange() throws Exception {
        for (int trial = 0; trial < 10; trial++) {
            String chunkId = "race" + trial;
            List<String> pieces = piecesOfSet(chunkId);
            deliver(pieces.subList(0, 4), "shardId-000000000000");
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<StreamsEventResponse>> results = new ArrayList<>();
                for (int k = 4; k < 6; k++) {
                    String piece = pieces.get(k);
                    String shard = "shardId-00000000000" + k;
                    results.add(pool.submit(() -> {
                        start.await();
                        return deliver(List.of(piece), shard);
                    }));
                }
                start.countDown();
                for (Future<StreamsEventResponse> result : results) {
                    assertThat(result.get().getBatchItemFailures()).isEmpty();
                }
            } finally {
                pool.shutdown();
            }
            assertThat(harness.s3.objects(ConsumerHarness.STAGING_BUCKET))
                    .as("trial %d", trial)
                    .containsKey(ChunkStore.DONE + chunkId);
        }
        assertThat(documentRows()).hasSizeBetween(10, 20);
        assertThat(stagingKeys(ChunkStore.PIECES)).isEmpty();
    }

    @Test
    void aReassembledChangeOfATableOutsideTheCatalogIsQuarantinedWholeSoItCanBeReplayed() throws Exception {
        List<String> pieces = piecesOfSet("uncaptured").stream()
                .map(p -> p.replace("\"table\":\"documents\"", "\"table\":\"archived_documents\""))
                .toList();
        assertThat(deliver(pieces, "shardId-000000000000").getBatchItemFailures())
                .isEmpty();

        assertThat(documentRows()).isEmpty();
        JsonNode q = harness.quarantined().get(0);
        assertThat(harness.quarantined()).hasSize(1);
        assertThat(q.get("reason").asText()).isEqualTo(PoisonReason.TABLE_NOT_IN_CATALOG.label());
        assertThat(q.get("detail").asText()).startsWith("reassembled from chunk uncaptured: ");
        JsonNode full = MAPPER.readTree(Base64.getDecoder().decode(q.get("data").asText()));
        assertThat(full.get("type").asText()).isEqualTo("full");
        assertThat(full.has("chunked")).isFalse();
        assertThat(full.get("after")).isEqualTo(MAPPER.readTree(EXPECTED_AFTER));
        assertThat(stagingKeys(ChunkStore.PIECES)).isEmpty();
    }

    @Test
    void parkingThatFailsLeavesThePieceUnacknowledged() {
        List<String> pieces = piecesOfSet("s3down");
        harness.s3.failNextPuts(20, 503, "SlowDown");
        StreamsEventResponse response = deliver(pieces.subList(0, 2), "shardId-000000000000");
        assertThat(response.getBatchItemFailures()).hasSize(1);
        assertThat(documentRows()).isEmpty();
    }
}
