package com.dsqlcdc.replay;

import com.dsqlcdc.consumer.InputRecord;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Replays every object of a source, one after the other: reads its ledger, streams its selected
 * records in slices of a Lambda batch's size through the loader, and writes the updated ledger
 * once the object is done. An object that fails half way keeps its old ledger, so the next run
 * does it again (what did land lands again as duplicates, which the current-state views ignore).
 */
final class Replayer {

    /** Records per slice: a large Lambda batch, enough to take the COPY path as the Lambda would. */
    static final int SLICE_RECORDS = 500;
    /** Data bytes per slice: about what one Lambda invocation carries. A larger record is a slice on its own. */
    static final long SLICE_BYTES = 5L * 1024 * 1024;

    private final ReplaySource source;
    private final SliceLoader loader;
    private final LedgerStore ledgers;
    private final ReplayReport report;
    private final Clock clock;
    private final boolean retryLeft;
    private final String reason;
    private final boolean dryRun;

    /**
     * @param source    the objects to replay
     * @param loader    loads slices (or, in a dry run, examines them)
     * @param ledgers   where each object's ledger is
     * @param report    progress and totals
     * @param clock     time source (the ledgers' finishedAt)
     * @param retryLeft whether records left by earlier runs are tried again
     * @param reason    only records quarantined for this reason, or null for all
     * @param dryRun    whether to write nothing (no ledgers; the loader is a dry-run one)
     */
    Replayer(
            ReplaySource source,
            SliceLoader loader,
            LedgerStore ledgers,
            ReplayReport report,
            Clock clock,
            boolean retryLeft,
            String reason,
            boolean dryRun) {
        this.source = source;
        this.loader = loader;
        this.ledgers = ledgers;
        this.report = report;
        this.clock = clock;
        this.retryLeft = retryLeft;
        this.reason = reason;
        this.dryRun = dryRun;
    }

    void run() {
        List<String> keys = source.keys();
        report.started(source, keys.size());
        for (int i = 0; i < keys.size(); i++) {
            report.finished(i + 1, keys.size(), replay(keys.get(i)));
        }
    }

    private SourceResult replay(String key) {
        String uri = "s3://" + source.bucket() + "/" + key;
        SourceOutcome run = new SourceOutcome();
        try {
            Optional<Ledger> previous = ledgers.read(source.bucket(), key);
            Selection selection = Selection.of(previous, retryLeft, reason);
            if (selection.nothingToDo()) {
                return SourceResult.alreadyReplayed(key, previous.orElseThrow());
            }
            SourceRecords records = source.read(key);
            List<InputRecord> slice = new ArrayList<>();
            long sliceBytes = 0;
            while (records.hasNext()) {
                SourceRecord record = records.next();
                run.produced(record.id());
                switch (selection.verdict(record)) {
                    case REPLAY -> {
                        if (!slice.isEmpty()
                                && (slice.size() >= SLICE_RECORDS
                                        || sliceBytes + record.record().data().length > SLICE_BYTES)) {
                            run.add(loader.load(slice));
                            slice = new ArrayList<>();
                            sliceBytes = 0;
                        }
                        run.replaying(record.id());
                        slice.add(record.record());
                        sliceBytes += record.record().data().length;
                    }
                    case SKIP -> run.skipped(record);
                    case KEEP -> {}
                }
            }
            if (!slice.isEmpty()) {
                run.add(loader.load(slice));
            }
            run.missing(selection.missing(records.gaps(), run.produced()));
            Ledger next = selection.next(uri, clock.instant().toString(), run);
            if (!dryRun) {
                ledgers.write(source.bucket(), key, next);
            }
            return SourceResult.replayed(key, run, next);
        } catch (UnreadableSourceException e) {
            return SourceResult.unreadable(key, run, e.getMessage());
        } catch (SdkException | UncheckedIOException | IllegalStateException e) {
            return SourceResult.failed(key, run, e.getMessage());
        }
    }
}
