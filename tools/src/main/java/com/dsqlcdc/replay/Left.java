package com.dsqlcdc.replay;

import com.dsqlcdc.consumer.quarantine.QuarantinedRecord;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A record the replay did not load because it cannot be, and why: it stays where it is (in the
 * quarantine or failed-batch object), for a later {@code --retry-left} once the cause is fixed.
 * For records no longer in Kinesis it is a range: the replay knows where they were, not what.
 *
 * @param shardId             the shard
 * @param sequenceNumber      the record's sequence number; for a range, where the range starts
 * @param untilSequenceNumber for a range, the sequence number just past it; null for one record
 * @param records             how many records: 1, or the number missing in the range
 * @param reason              a {@code PoisonReason} label, {@link #BEYOND_RETENTION} or {@link #UNREADABLE_SOURCE}
 * @param detail              what exactly is wrong
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Left(
        String shardId, String sequenceNumber, String untilSequenceNumber, int records, String reason, String detail) {

    /** The records were dropped from the stream (retention) or the stream or shard is gone. */
    public static final String BEYOND_RETENTION = "beyond-retention";
    /** The source object itself cannot be read as a quarantine or on-failure record. */
    public static final String UNREADABLE_SOURCE = "unreadable-source";

    static Left of(QuarantinedRecord q) {
        return new Left(
                q.record().shardId(),
                q.record().sequenceNumber(),
                null,
                1,
                q.reason().label(),
                q.detail());
    }

    static Left record(RecordId id, String reason, String detail) {
        return new Left(id.shardId(), id.sequenceNumber(), null, 1, reason, detail);
    }

    /** @return what identifies this entry in a ledger: the record, or the range's start */
    String key() {
        return untilSequenceNumber == null
                ? shardId + ":" + sequenceNumber
                : shardId + ":" + sequenceNumber + ".." + untilSequenceNumber;
    }

    RecordId id() {
        return new RecordId(shardId, sequenceNumber);
    }
}
