package com.dsqlcdc.replay;

import java.util.List;

/**
 * What replaying one source object came to, kept beside it ({@link LedgerStore}) so that a
 * second run skips what is done and retries only what is not.
 *
 * @param source     the object, {@code s3://bucket/key}
 * @param finishedAt when the last run over it finished (ISO-8601)
 * @param loaded     records landed in the warehouse, over every run
 * @param parked     pieces of chunked changes parked for reassembly, over every run
 * @param left       records that cannot be loaded as they are (each with its reason): a later
 *                   {@code --retry-left} tries them again
 * @param failed     records not loaded because something failed (the Data API, S3): the next run tries them again
 * @param skipped    records the {@code --reason} filter passed over: the next run without it (or with their reason) takes them
 */
public record Ledger(
        String source,
        String finishedAt,
        long loaded,
        long parked,
        List<Left> left,
        List<RecordId> failed,
        List<Skipped> skipped) {

    public Ledger {
        left = List.copyOf(left);
        failed = List.copyOf(failed);
        skipped = List.copyOf(skipped);
    }

    /**
     * A record passed over by the {@code --reason} filter.
     *
     * @param shardId        the shard
     * @param sequenceNumber the record
     * @param reason         its quarantine reason
     */
    public record Skipped(String shardId, String sequenceNumber, String reason) {
        RecordId id() {
            return new RecordId(shardId, sequenceNumber);
        }
    }
}
