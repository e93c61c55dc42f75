package com.dsqlcdc.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.consumer.InputRecord;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a run replays from an object, given its ledger, and the ledger it leaves. */
class SelectionTest {

    private static final String SHARD = "shardId-000000000001";

    private static RecordId id(int n) {
        return new RecordId(SHARD, String.valueOf(100 + n));
    }

    private static SourceRecord record(int n, String reason) {
        return new SourceRecord(new InputRecord(SHARD, String.valueOf(100 + n), new byte[0], null, null), reason);
    }

    private static Ledger ledger(List<Left> left, List<RecordId> failed, List<Ledger.Skipped> skipped) {
        return new Ledger("s3://b/k", "2026-05-04T10:00:00Z", 10, 1, left, failed, skipped);
    }

    @Test
    void withoutALedgerEveryRecordOfTheReasonIsReplayedAndTheOthersSkipped() {
        Selection selection = Selection.of(Optional.empty(), false, "table-not-in-catalog");

        assertThat(selection.nothingToDo()).isFalse();
        assertThat(selection.verdict(record(1, "table-not-in-catalog"))).isEqualTo(Selection.Verdict.REPLAY);
        assertThat(selection.verdict(record(2, "not-json"))).isEqualTo(Selection.Verdict.SKIP);
        assertThat(Selection.of(Optional.empty(), false, null).verdict(record(2, "not-json")))
                .isEqualTo(Selection.Verdict.REPLAY);
    }

    @Test
    void aLedgerWithOnlyLeftRecordsIsDoneUnlessTheyAreRetried() {
        Ledger done = ledger(List.of(Left.record(id(3), "not-json", "bad")), List.of(), List.of());

        assertThat(Selection.of(Optional.of(done), false, null).nothingToDo()).isTrue();
        Selection retry = Selection.of(Optional.of(done), true, null);
        assertThat(retry.nothingToDo()).isFalse();
        assertThat(retry.verdict(record(3, "not-json"))).isEqualTo(Selection.Verdict.REPLAY);
        assertThat(retry.verdict(record(4, "not-json"))).as("loaded earlier").isEqualTo(Selection.Verdict.KEEP);
    }

    @Test
    void theNextLedgerTakesThisRunsOutcomeForWhatItReplayedAndKeepsTheRest() {
        Ledger before = ledger(
                List.of(Left.record(id(3), "not-json", "bad")),
                List.of(id(5), id(6)),
                List.of(new Ledger.Skipped(SHARD, id(7).sequenceNumber(), "string-too-long")));
        Selection selection = Selection.of(Optional.of(before), false, "table-not-in-catalog");
        SourceOutcome run = new SourceOutcome();
        assertThat(selection.verdict(record(6, "string-too-long")))
                .as("failed, other reason")
                .isEqualTo(Selection.Verdict.KEEP);
        assertThat(selection.verdict(record(5, "table-not-in-catalog"))).isEqualTo(Selection.Verdict.REPLAY);
        run.replaying(id(5));
        run.add(new SliceOutcome(1, 0, List.of(), List.of(), List.of()));

        Ledger after = selection.next("s3://b/k", "2026-05-05T10:00:00Z", run);

        assertThat(after.loaded()).isEqualTo(11);
        assertThat(after.parked()).isEqualTo(1);
        assertThat(after.left()).extracting(Left::id).containsExactly(id(3));
        assertThat(after.failed()).containsExactly(id(6));
        assertThat(after.skipped()).extracting(Ledger.Skipped::id).containsExactly(id(7));
        assertThat(after.finishedAt()).isEqualTo("2026-05-05T10:00:00Z");
    }

    @Test
    void aRecordWantedAgainButGoneFromTheShardIsLeftBeyondRetention() {
        Ledger before = ledger(List.of(), List.of(id(5)), List.of());
        Selection selection = Selection.of(Optional.of(before), false, null);
        Gap gap = new Gap(SHARD, id(1).sequenceNumber(), id(6).sequenceNumber(), 0, "trimmed");
        SourceOutcome run = new SourceOutcome();

        run.missing(selection.missing(List.of(gap), run.produced()));
        Ledger after = selection.next("s3://b/k", "now", run);

        assertThat(after.failed()).isEmpty();
        assertThat(after.left()).singleElement().satisfies(left -> {
            assertThat(left.id()).isEqualTo(id(5));
            assertThat(left.reason()).isEqualTo(Left.BEYOND_RETENTION);
            assertThat(left.detail()).isEqualTo("trimmed");
        });
    }
}
