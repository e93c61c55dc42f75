package com.dsqlcdc.replay;

import java.util.List;

/**
 * Where one source object stands after this run.
 *
 * @param key     the object's key
 * @param status  what happened to it
 * @param loaded  records this run loaded
 * @param parked  pieces this run parked
 * @param left    records left, this run's and earlier runs' (the ledger's list)
 * @param failed  records failed (the ledger's list)
 * @param skipped records the reason filter passed over (the ledger's list)
 * @param problem why the object could not be replayed ({@link Status#UNREADABLE}, {@link Status#FAILED}),
 *                or why records failed; empty otherwise
 */
record SourceResult(
        String key,
        Status status,
        long loaded,
        long parked,
        List<Left> left,
        List<RecordId> failed,
        int skipped,
        List<String> problem) {

    /** What happened to a source object. */
    enum Status {
        /** Its records were replayed (or, in a dry run, examined). */
        REPLAYED,
        /** Its ledger shows nothing left to do. */
        ALREADY_REPLAYED,
        /** It is not a record of its kind: left as it is, reported every run. */
        UNREADABLE,
        /** Reading it or writing its ledger failed: run again. */
        FAILED
    }

    SourceResult {
        left = List.copyOf(left);
        failed = List.copyOf(failed);
        problem = List.copyOf(problem);
    }

    static SourceResult replayed(String key, SourceOutcome run, Ledger ledger) {
        return new SourceResult(
                key,
                Status.REPLAYED,
                run.loaded(),
                run.parked(),
                ledger.left(),
                ledger.failed(),
                ledger.skipped().size(),
                run.failures());
    }

    static SourceResult alreadyReplayed(String key, Ledger ledger) {
        return new SourceResult(
                key,
                Status.ALREADY_REPLAYED,
                0,
                0,
                ledger.left(),
                List.of(),
                ledger.skipped().size(),
                List.of());
    }

    static SourceResult unreadable(String key, SourceOutcome run, String problem) {
        return new SourceResult(
                key, Status.UNREADABLE, run.loaded(), run.parked(), List.of(), List.of(), 0, List.of(problem));
    }

    static SourceResult failed(String key, SourceOutcome run, String problem) {
        return new SourceResult(
                key, Status.FAILED, run.loaded(), run.parked(), run.left(), run.failed(), 0, List.of(problem));
    }

    /** @return records left (a range counts its missing records) */
    long leftRecords() {
        return left.stream().mapToLong(Left::records).sum();
    }
}
