package com.dsqlcdc.consumer;

import java.time.Instant;
import java.util.Objects;

/**
 * One Kinesis record as the consumer sees it, free of Lambda types.
 *
 * @param shardId        the shard it was read from
 * @param sequenceNumber its sequence number (what a batch item failure names)
 * @param data           the record's data, base64-decoded
 * @param arrival        when Kinesis received it
 * @param eventSourceArn the stream's ARN
 */
public record InputRecord(String shardId, String sequenceNumber, byte[] data, Instant arrival, String eventSourceArn) {
    public InputRecord {
        Objects.requireNonNull(shardId, "shardId");
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        Objects.requireNonNull(data, "data");
    }
}
