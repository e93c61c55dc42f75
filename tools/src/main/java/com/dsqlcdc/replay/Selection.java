package com.dsqlcdc.replay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which records of a source object this run replays, given what its ledger says earlier runs did,
 * {@code --retry-left} and {@code --reason}; and how this run's outcome updates the ledger.
 *
 * <p>Without a ledger every record is replayed (those the reason filter passes over are noted as
 * skipped). With one, only its failed and skipped records are (and its left ones with
 * {@code --retry-left}): records it does not list were loaded or parked, and are not loaded again.
 */
final class Selection {

    /** What to do with one record. */
    enum Verdict {
        /** Replay it. */
        REPLAY,
        /** Pass it over and note it in the ledger as skipped (the reason filter excludes it). */
        SKIP,
        /** Leave it as the ledger has it (done earlier, or listed and not selected this time). */
        KEEP
    }

    private final Ledger previous;
    private final String reason;
    private final Set<RecordId> wanted = new LinkedHashSet<>();
    private final List<Left> wantedRanges = new ArrayList<>();

    private Selection(Ledger previous, boolean retryLeft, String reason) {
        this.previous = previous;
        this.reason = reason;
        if (previous != null) {
            wanted.addAll(previous.failed());
            previous.skipped().stream()
                    .filter(s -> matches(s.reason()))
                    .map(Ledger.Skipped::id)
                    .forEach(wanted::add);
            if (retryLeft) {
                for (Left left : previous.left()) {
                    if (left.untilSequenceNumber() != null) {
                        wantedRanges.add(left);
                    } else if (matches(left.reason())) {
                        wanted.add(left.id());
                    }
                }
            }
        }
    }

    /**
     * @param previous  the object's ledger, if it was replayed before
     * @param retryLeft whether records left by earlier runs are tried again
     * @param reason    only records quarantined for this reason ({@code PoisonReason} label), or null for all
     */
    static Selection of(Optional<Ledger> previous, boolean retryLeft, String reason) {
        return new Selection(previous.orElse(null), retryLeft, reason);
    }

    /** @return whether the ledger shows nothing this run would replay */
    boolean nothingToDo() {
        return previous != null && wanted.isEmpty() && wantedRanges.isEmpty();
    }

    Verdict verdict(SourceRecord record) {
        if (previous == null) {
            return matches(record.reason()) ? Verdict.REPLAY : Verdict.SKIP;
        }
        RecordId id = record.id();
        boolean listed = wanted.contains(id) || wantedRanges.stream().anyMatch(r -> inRange(r, id));
        return listed && matches(record.reason()) ? Verdict.REPLAY : Verdict.KEEP;
    }

    /**
     * @param gaps     ranges the source could not read
     * @param produced the records it did read
     * @return the left entries for what this run wanted and could not read
     */
    List<Left> missing(List<Gap> gaps, Set<RecordId> produced) {
        if (previous == null) {
            return gaps.stream().map(Gap::toLeft).toList();
        }
        List<Left> out = new ArrayList<>();
        for (RecordId id : wanted) {
            if (!produced.contains(id)) {
                gaps.stream()
                        .filter(g -> g.contains(id))
                        .findFirst()
                        .ifPresent(g -> out.add(Left.record(id, Left.BEYOND_RETENTION, g.detail())));
            }
        }
        for (Left range : wantedRanges) {
            gaps.stream()
                    .filter(g -> g.overlaps(range))
                    .findFirst()
                    .ifPresent(g -> out.add(new Left(
                            range.shardId(),
                            range.sequenceNumber(),
                            range.untilSequenceNumber(),
                            range.records(),
                            Left.BEYOND_RETENTION,
                            g.detail())));
        }
        return out;
    }

    /**
     * @param source   the object, {@code s3://bucket/key}
     * @param now      when this run finished with it
     * @param outcome  what this run did
     * @return the ledger after this run: this run's outcome for what it replayed, the earlier one for the rest
     */
    Ledger next(String source, String now, SourceOutcome outcome) {
        Set<RecordId> replayed = outcome.replayed();
        Map<String, Left> left = new LinkedHashMap<>();
        Set<RecordId> failed = new LinkedHashSet<>();
        List<Ledger.Skipped> skipped = new ArrayList<>();
        long loaded = outcome.loaded();
        long parked = outcome.parked();
        if (previous != null) {
            loaded += previous.loaded();
            parked += previous.parked();
            previous.left().stream().filter(l -> !retried(l, replayed)).forEach(l -> left.put(l.key(), l));
            previous.failed().stream().filter(id -> !replayed.contains(id)).forEach(failed::add);
            previous.skipped().stream().filter(s -> !replayed.contains(s.id())).forEach(skipped::add);
        }
        outcome.left().forEach(l -> left.put(l.key(), l));
        failed.addAll(outcome.failed());
        skipped.addAll(outcome.skipped());
        return new Ledger(source, now, loaded, parked, List.copyOf(left.values()), List.copyOf(failed), skipped);
    }

    /** Whether this run took up an earlier left entry again (its record replayed, or its range retried). */
    private boolean retried(Left earlier, Set<RecordId> replayed) {
        return earlier.untilSequenceNumber() == null ? replayed.contains(earlier.id()) : wantedRanges.contains(earlier);
    }

    private boolean matches(String recordReason) {
        return reason == null || reason.equals(recordReason);
    }

    private static boolean inRange(Left range, RecordId id) {
        return new Gap(range.shardId(), range.sequenceNumber(), range.untilSequenceNumber(), 0, "").contains(id);
    }
}
