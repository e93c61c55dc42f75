package com.dsqlcdc.replay;

import static com.dsqlcdc.replay.ReplayHarness.QUARANTINE_BUCKET;
import static com.dsqlcdc.replay.ReplayHarness.SHARD;
import static com.dsqlcdc.replay.ReplayHarness.quarantineLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.dsqlcdc.sql.EventRow;
import com.dsqlcdc.testing.KinesisEvents;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code replay quarantine}: quarantined records re-driven once their cause is fixed. */
class QuarantineReplayTest {

    private static final String KEY = "quarantine/2026/05/04/" + SHARD + "/" + seq(1) + "-" + seq(3) + ".jsonl";
    private static final String LEDGER = LedgerStore.key(KEY);

    private ReplayHarness harness;

    @BeforeEach
    void start() {
        harness = new ReplayHarness();
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private static String seq(long n) {
        return KinesisEvents.sequenceNumber(n);
    }

    /**
     * Records quarantined as table-not-in-catalog for tables the catalog now has (as if the table
     * was added since), and one that is still not JSON.
     */
    private void seedCatalogFixedSince() {
        harness.seedQuarantine(
                KEY,
                quarantineLine("table-not-in-catalog", seq(1), Changes.order(41)),
                quarantineLine("not-json", seq(2), "{\"type\":\"full\",\"op\":"),
                quarantineLine("table-not-in-catalog", seq(3), Changes.document(7, "hello")));
    }

    @Test
    void loadsTheRecordsWhoseCauseIsFixedAndLeavesTheOthersWhereTheyAre() {
        seedCatalogFixedSince();

        ReplayHarness.Run run = harness.quarantine();

        assertThat(run.exitCode()).isEqualTo(ReplayReport.LEFT);
        assertThat(harness.stagedRows())
                .extracting(EventRow::sourceTable, EventRow::recordKey)
                .containsExactlyInAnyOrder(tuple("orders", "[41]"), tuple("documents", "[7]"));
        assertThat(run.err()).contains("[1/1] " + KEY + ": 2 loaded, 1 left (not-json), 0 failed");
        assertThat(run.out())
                .contains("Loaded 2, parked 0, left 1, failed 0")
                .containsPattern(KEY + "  " + SHARD + "  " + seq(2) + "  not-json  .+");
        // Still-poison records stay in their object: no new quarantine object, only the ledger beside it.
        assertThat(harness.keys(QUARANTINE_BUCKET)).containsExactlyInAnyOrder(KEY, LEDGER);
        assertThat(harness.s3.objects(QUARANTINE_BUCKET).get(KEY).text().lines())
                .hasSize(3);

        JsonNode ledger = harness.ledger(QUARANTINE_BUCKET, KEY);
        assertThat(ledger.get("source").asText()).isEqualTo("s3://" + QUARANTINE_BUCKET + "/" + KEY);
        assertThat(ledger.get("finishedAt").asText()).isNotEmpty();
        assertThat(ledger.get("loaded").asLong()).isEqualTo(2);
        assertThat(ledger.get("parked").asLong()).isZero();
        assertThat(ledger.get("left")).hasSize(1);
        assertThat(ledger.get("left").get(0).get("sequenceNumber").asText()).isEqualTo(seq(2));
        assertThat(ledger.get("left").get(0).get("reason").asText()).isEqualTo("not-json");
        assertThat(ledger.get("left").get(0).get("detail").asText()).isNotBlank();
        assertThat(ledger.get("failed")).isEmpty();
    }

    @Test
    void aSecondRunLoadsNothingAndSaysAlreadyReplayed() {
        harness.seedQuarantine(KEY, quarantineLine("table-not-in-catalog", seq(1), Changes.order(41)));
        assertThat(harness.quarantine().exitCode()).isEqualTo(ReplayReport.OK);
        java.util.Set<String> staged = harness.keys(ReplayHarness.STAGING_BUCKET);

        ReplayHarness.Run again = harness.quarantine();

        assertThat(again.exitCode()).isEqualTo(ReplayReport.OK);
        assertThat(again.err()).contains("[1/1] " + KEY + ": already replayed");
        assertThat(again.out()).contains("1 object, 1 already replayed").contains("Loaded 0");
        assertThat(harness.keys(ReplayHarness.STAGING_BUCKET)).isEqualTo(staged);
        assertThat(harness.stagedRows()).hasSize(1);
    }

    @Test
    void recordsLeftEarlierStayLeftOnASecondRun() {
        seedCatalogFixedSince();
        harness.quarantine();

        ReplayHarness.Run again = harness.quarantine();

        assertThat(again.err()).contains("already replayed (1 left (not-json))");
        assertThat(again.exitCode()).isEqualTo(ReplayReport.LEFT);
        assertThat(harness.stagedRows()).hasSize(2);
    }

    @Test
    void theReasonFilterReplaysOnlyThatReasonAndALaterRunTakesTheRest() {
        String big = "x".repeat(70_000);
        harness.seedQuarantine(
                KEY,
                quarantineLine("table-not-in-catalog", seq(1), Changes.order(41)),
                quarantineLine("string-too-long", seq(2), Changes.document(8, big)));

        ReplayHarness.Run first = harness.quarantine("--reason", "table-not-in-catalog");

        assertThat(first.exitCode()).isEqualTo(ReplayReport.OK);
        assertThat(first.err()).contains("1 loaded, 0 left, 0 failed, 1 skipped (other reasons)");
        assertThat(harness.stagedRows()).extracting(EventRow::sourceTable).containsExactly("orders");
        assertThat(harness.ledger(QUARANTINE_BUCKET, KEY)
                        .get("skipped")
                        .get(0)
                        .get("reason")
                        .asText())
                .isEqualTo("string-too-long");

        // The warehouse has opted in to large strings since: the other record now loads, the first is not loaded again.
        ReplayHarness.Run second = harness.quarantine("--max-super-string-bytes", "16000000");

        assertThat(second.exitCode()).isEqualTo(ReplayReport.OK);
        assertThat(second.err()).contains("1 loaded, 0 left, 0 failed");
        assertThat(harness.stagedRows())
                .extracting(EventRow::sourceTable, EventRow::recordKey)
                .containsExactly(tuple("orders", "[41]"), tuple("documents", "[8]"));
        JsonNode ledger = harness.ledger(QUARANTINE_BUCKET, KEY);
        assertThat(ledger.get("loaded").asLong()).isEqualTo(2);
        assertThat(ledger.get("skipped")).isEmpty();
        assertThat(harness.quarantine().err()).contains("already replayed");
    }

    @Test
    void retryLeftReDrivesTheRecordsLeftEarlierOnceTheCauseIsFixed() {
        harness.seedQuarantine(
                KEY,
                quarantineLine("string-too-long", seq(1), Changes.document(8, "x".repeat(70_000))),
                quarantineLine("table-not-in-catalog", seq(2), Changes.invoice(3)));
        ReplayHarness.Run first = harness.quarantine();
        assertThat(first.err()).contains("0 loaded, 2 left (string-too-long 1, table-not-in-catalog 1), 0 failed");

        ReplayHarness.Run withoutRetry = harness.quarantine("--max-super-string-bytes", "16000000");
        assertThat(withoutRetry.err()).contains("already replayed");
        assertThat(harness.stagedRows()).isEmpty();

        ReplayHarness.Run retried = harness.quarantine("--max-super-string-bytes", "16000000", "--retry-left");

        assertThat(retried.exitCode()).isEqualTo(ReplayReport.LEFT);
        assertThat(retried.err()).contains("1 loaded, 1 left (table-not-in-catalog), 0 failed");
        assertThat(retried.out())
                .contains(seq(2) + "  table-not-in-catalog  public.invoices is not in sql/catalog.json");
        assertThat(harness.stagedRows()).extracting(EventRow::recordKey).containsExactly("[8]");
        JsonNode ledger = harness.ledger(QUARANTINE_BUCKET, KEY);
        assertThat(ledger.get("loaded").asLong()).isEqualTo(1);
        assertThat(ledger.get("left")).hasSize(1);
        assertThat(ledger.get("left").get(0).get("sequenceNumber").asText()).isEqualTo(seq(2));
    }

    @Test
    void aDryRunDecodesAndReportsButWritesNothing() {
        seedCatalogFixedSince();
        Set<String> before = harness.keys(QUARANTINE_BUCKET);

        ReplayHarness.Run run = harness.quarantine("--dry-run");

        assertThat(run.exitCode()).isEqualTo(ReplayReport.LEFT);
        assertThat(run.err())
                .contains("Dry run (nothing is written)")
                .contains(KEY + ": would load 2, would leave 1 (not-json)");
        assertThat(run.out())
                .contains("Would load 2, would park 0, would leave 1")
                .contains(seq(2) + "  not-json");
        assertThat(harness.keys(QUARANTINE_BUCKET)).isEqualTo(before);
        assertThat(harness.keys(ReplayHarness.STAGING_BUCKET)).isEmpty();
    }

    @Test
    void objectsAreReplayedInKeyOrderWithProgressAndOnlyQuarantineObjectsUnderThePrefix() {
        String may = "quarantine/2026/05/04/" + SHARD + "/" + seq(10) + "-" + seq(10) + ".jsonl";
        String june = "quarantine/2026/06/01/" + SHARD + "/" + seq(20) + "-" + seq(20) + ".jsonl";
        harness.seedQuarantine(may, quarantineLine("table-not-in-catalog", seq(10), Changes.order(1)));
        harness.seedQuarantine(june, quarantineLine("table-not-in-catalog", seq(20), Changes.order(2)));

        ReplayHarness.Run all = harness.quarantine();
        assertThat(all.err())
                .contains("Replaying 2 objects from s3://" + QUARANTINE_BUCKET + "/quarantine/")
                .contains("[1/2] " + may + ": 1 loaded")
                .contains("[2/2] " + june + ": 1 loaded");

        harness.seedQuarantine(
                "quarantine/2026/06/02/" + SHARD + "/" + seq(30) + "-" + seq(30) + ".jsonl",
                quarantineLine("table-not-in-catalog", seq(30), Changes.order(3)));
        ReplayHarness.Run june2 = harness.quarantine("--prefix", "quarantine/2026/06/");
        assertThat(june2.err())
                .contains("Replaying 2 objects")
                .contains("[1/2] " + june + ": already replayed")
                .contains("[2/2] quarantine/2026/06/02/");
        assertThat(harness.stagedRows()).extracting(EventRow::recordKey).containsExactly("[1]", "[2]", "[3]");
    }

    @Test
    void aCorruptQuarantineObjectIsReportedAsLeftAndNotMarkedReplayed() {
        harness.seedQuarantine(
                KEY, quarantineLine("table-not-in-catalog", seq(1), Changes.order(41)), "not a quarantine line");

        ReplayHarness.Run run = harness.quarantine();

        assertThat(run.exitCode()).isEqualTo(ReplayReport.LEFT);
        assertThat(run.err()).contains(KEY + ": left, not readable: line 2 of s3://" + QUARANTINE_BUCKET + "/" + KEY);
        assertThat(run.out()).contains(KEY + "  unreadable-source  line 2");
        assertThat(harness.keys(QUARANTINE_BUCKET)).doesNotContain(LEDGER);
        assertThat(List.of(harness.quarantine().err())).allMatch(err -> err.contains("left, not readable"));
    }
}
