package com.dsqlcdc.replay;

import com.dsqlcdc.consumer.InputRecord;
import java.math.BigInteger;
import java.util.Comparator;

/**
 * A Kinesis record's identity: a sequence number is unique within its shard.
 *
 * @param shardId        the shard
 * @param sequenceNumber the record's sequence number (a decimal string of up to 129 digits)
 */
public record RecordId(String shardId, String sequenceNumber) {

    /** Shard order. Sequence numbers are decimal strings too long for a long, so they compare as numbers, not text. */
    static final Comparator<String> SEQUENCE_ORDER = Comparator.comparing(BigInteger::new);

    static RecordId of(InputRecord record) {
        return new RecordId(record.shardId(), record.sequenceNumber());
    }

    /** @return {@code shardId:sequenceNumber}, the form of a Kinesis event's {@code eventID} */
    @Override
    public String toString() {
        return shardId + ":" + sequenceNumber;
    }
}
