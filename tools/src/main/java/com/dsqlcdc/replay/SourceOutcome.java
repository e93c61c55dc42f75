package com.dsqlcdc.replay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What one run did with one source object, gathered slice by slice. */
final class SourceOutcome {

    private final Set<RecordId> produced = new LinkedHashSet<>();
    private final Set<RecordId> replayed = new LinkedHashSet<>();
    private final Map<String, Left> left = new LinkedHashMap<>();
    private final Set<RecordId> failed = new LinkedHashSet<>();
    private final List<Ledger.Skipped> skipped = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private long loaded;
    private long parked;

    /** A record the source yielded, replayed or not. */
    void produced(RecordId id) {
        produced.add(id);
    }

    /** A record this run replays. */
    void replaying(RecordId id) {
        replayed.add(id);
    }

    void skipped(SourceRecord record) {
        skipped.add(
                new Ledger.Skipped(record.record().shardId(), record.record().sequenceNumber(), record.reason()));
    }

    void add(SliceOutcome slice) {
        loaded += slice.loaded();
        parked += slice.parked();
        slice.left().forEach(l -> left.put(l.key(), l));
        failed.addAll(slice.failed());
        failures.addAll(slice.failures());
    }

    /** Records this run wanted but the source no longer has: they count as replayed, with this outcome. */
    void missing(List<Left> entries) {
        for (Left entry : entries) {
            left.put(entry.key(), entry);
            replayed.add(entry.id());
        }
    }

    Set<RecordId> produced() {
        return produced;
    }

    Set<RecordId> replayed() {
        return replayed;
    }

    long loaded() {
        return loaded;
    }

    long parked() {
        return parked;
    }

    List<Left> left() {
        return List.copyOf(left.values());
    }

    List<RecordId> failed() {
        return List.copyOf(failed);
    }

    List<Ledger.Skipped> skipped() {
        return List.copyOf(skipped);
    }

    /** @return why records failed, one line per failed statement or store */
    List<String> failures() {
        return List.copyOf(failures);
    }
}
