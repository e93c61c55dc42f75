package com.dsqlcdc.consumer.stage;

import com.dsqlcdc.consumer.decode.Change;

/**
 * One change to stage, with where it came from.
 *
 * @param position       its record's position in the batch
 * @param change         the decoded change
 * @param shardId        the Kinesis shard of its record
 * @param sequenceNumber the Kinesis sequence number of its record
 */
public record StagedRow(int position, Change change, String shardId, String sequenceNumber) {}
