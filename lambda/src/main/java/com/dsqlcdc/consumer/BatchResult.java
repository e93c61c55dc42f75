package com.dsqlcdc.consumer;

import com.dsqlcdc.consumer.decode.PoisonReason;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What one batch came to: the figures for metrics and logs, and the sequence number to resume
 * from if some records did not land.
 *
 * @param recordsIn           records in the batch
 * @param landed              records whose statement Redshift said FINISHED
 * @param quarantined         poison records stored in the quarantine, by reason
 * @param parked              pieces of chunked changes parked in the assembly area (done, but not yet landed)
 * @param copies              COPY statements (bulk loads) among {@code statements}
 * @param statements          statements sent
 * @param statementsFailed    statements among {@code statements} that did not land (FAILED, ABORTED,
 *                            cancelled at the deadline, or not accepted after the retries)
 * @param statementLatencies  ExecuteStatement to final status, per statement
 * @param maxCommitToLandedMs the largest commit-to-FINISHED lag of a landed record, if any landed
 * @param resumeFrom          the sequence number of the first record (in batch order) that is
 *                            not landed, quarantined or parked: Lambda re-delivers from there
 * @param failures            why records did not land, one line per failed statement or store
 */
public record BatchResult(
        int recordsIn,
        int landed,
        Map<PoisonReason, Integer> quarantined,
        int parked,
        int copies,
        int statements,
        int statementsFailed,
        List<Duration> statementLatencies,
        OptionalLong maxCommitToLandedMs,
        Optional<String> resumeFrom,
        List<String> failures) {

    public BatchResult {
        quarantined = Map.copyOf(quarantined);
        statementLatencies = List.copyOf(statementLatencies);
        failures = List.copyOf(failures);
    }

    /** @return records neither landed, quarantined nor parked: they will be delivered again */
    public int failed() {
        return recordsIn - landed - quarantinedTotal() - parked;
    }

    /** @return records quarantined, all reasons */
    public int quarantinedTotal() {
        return quarantined.values().stream().mapToInt(Integer::intValue).sum();
    }
}
