package com.dsqlcdc.replay;

import com.dsqlcdc.consumer.BatchProcessor;
import com.dsqlcdc.consumer.BatchResult;
import com.dsqlcdc.consumer.InputRecord;
import com.dsqlcdc.consumer.quarantine.QuarantinedRecord;
import com.dsqlcdc.contract.retry.RetryPolicy;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads a slice through the Lambda's own {@link BatchProcessor}, as if it were a Lambda batch.
 *
 * <p>The processor names the first record not done; everything before it is done (landed, left
 * or parked). As Lambda would, the slice is tried again from there, a few times with a growing
 * pause (records after that point that did land land again: duplicates, which the current-state
 * views ignore). What is still not done after the last try is failed, for the next run.
 */
final class BatchSliceLoader implements SliceLoader {

    private final BatchProcessor processor;
    private final CollectingQuarantine quarantine;
    private final RetryPolicy retry;
    private final Clock clock;

    /**
     * @param processor  built by {@code BatchProcessors.create(quarantine)}
     * @param quarantine the processor's quarantine: where the records still poison end up
     * @param retry      tries per slice, and the pause before each
     * @param clock      time source
     */
    BatchSliceLoader(BatchProcessor processor, CollectingQuarantine quarantine, RetryPolicy retry, Clock clock) {
        this.processor = processor;
        this.quarantine = quarantine;
        this.retry = retry;
        this.clock = clock;
    }

    @Override
    public SliceOutcome load(List<InputRecord> slice) {
        Map<RecordId, Left> left = new LinkedHashMap<>();
        List<InputRecord> pending = slice;
        List<String> failures = List.of();
        int parked = -1;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            BatchResult result;
            try {
                result = processor.process(pending);
            } catch (RuntimeException e) {
                result = null;
                failures = List.of("the batch failed: " + e);
            }
            for (QuarantinedRecord q : quarantine.drain()) {
                left.put(RecordId.of(q.record()), Left.of(q));
            }
            Optional<String> resumeFrom =
                    result == null ? Optional.of(pending.get(0).sequenceNumber()) : result.resumeFrom();
            if (result != null) {
                failures = result.failures();
                // Pieces are parked whenever they are offered, and the first try offers every record of the slice.
                parked = parked < 0 ? result.parked() : parked;
            }
            List<InputRecord> tried = pending;
            pending = resumeFrom
                    .map(seq -> tried.subList(indexOf(tried, seq), tried.size()))
                    .orElse(List.of());
            if (pending.isEmpty() || attempt >= retry.maxAttempts()) {
                break;
            }
            retry.pauseAfter(attempt);
        }
        List<RecordId> failed = pending.stream()
                .map(RecordId::of)
                .filter(id -> !left.containsKey(id))
                .toList();
        long leftInSlice =
                slice.stream().map(RecordId::of).filter(left::containsKey).count();
        long done = slice.size() - failed.size() - leftInSlice;
        // A piece after the point where a slice still failed counts as parked and as failed (the next
        // run parks it again, harmlessly); the cap keeps the loaded count from going below zero then.
        long parkedDone = Math.min(Math.max(parked, 0), done);
        return new SliceOutcome(
                done - parkedDone,
                parkedDone,
                List.copyOf(left.values()),
                failed,
                failed.isEmpty() ? List.of() : failures);
    }

    private static int indexOf(List<InputRecord> records, String sequenceNumber) {
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).sequenceNumber().equals(sequenceNumber)) {
                return i;
            }
        }
        // Not a record of the slice: the processor names only its own records, so retry them all.
        return 0;
    }
}
