package com.dsqlcdc.consumer;

import com.dsqlcdc.consumer.decode.PoisonReason;
import com.dsqlcdc.consumer.stage.Stager;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What one batch came to: the figures for metrics and logs, and the sequence number to resume
 * from if some records were not done.
 *
 * @param recordsIn           records in the batch
 * @param staged              records whose change is in the batch's staged object
 * @param quarantined         poison records stored in the quarantine, by reason
 * @param parked              pieces of chunked changes parked in the assembly area (done, but not yet staged)
 * @param object              the staged object, when the batch had changes to stage and the PUT succeeded
 * @param maxCommitToStagedMs the largest commit-to-staged lag of a staged record, if any was staged
 * @param resumeFrom          the sequence number of the first record (in batch order) that is not
 *                            staged, quarantined or parked: Lambda re-delivers from there
 * @param failures            why records were not done, one line per failed store
 */
public record BatchResult(
        int recordsIn,
        int staged,
        Map<PoisonReason, Integer> quarantined,
        int parked,
        Optional<Stager.Staged> object,
        OptionalLong maxCommitToStagedMs,
        Optional<String> resumeFrom,
        List<String> failures) {

    public BatchResult {
        quarantined = Map.copyOf(quarantined);
        failures = List.copyOf(failures);
    }

    /** @return records neither staged, quarantined nor parked: they will be delivered again */
    public int failed() {
        return recordsIn - staged - quarantinedTotal() - parked;
    }

    /** @return records quarantined, all reasons */
    public int quarantinedTotal() {
        return quarantined.values().stream().mapToInt(Integer::intValue).sum();
    }
}
