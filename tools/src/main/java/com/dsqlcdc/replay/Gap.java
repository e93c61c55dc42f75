package com.dsqlcdc.replay;

import java.math.BigInteger;

/**
 * Records of a shard that a source names but that can no longer be read: past the stream's
 * retention, or the stream or shard is gone.
 *
 * @param shardId the shard
 * @param from    the first sequence number of the range
 * @param until   the sequence number just past the range
 * @param missing how many records are missing, or 0 when not known
 * @param detail  what happened, for the operator
 */
record Gap(String shardId, String from, String until, int missing, String detail) {

    boolean contains(RecordId id) {
        if (!id.shardId().equals(shardId)) {
            return false;
        }
        BigInteger seq = new BigInteger(id.sequenceNumber());
        return seq.compareTo(new BigInteger(from)) >= 0 && seq.compareTo(new BigInteger(until)) < 0;
    }

    /** @return whether the range overlaps a ledger's range entry */
    boolean overlaps(Left range) {
        return range.shardId().equals(shardId)
                && new BigInteger(from).compareTo(new BigInteger(range.untilSequenceNumber())) < 0
                && new BigInteger(range.sequenceNumber()).compareTo(new BigInteger(until)) < 0;
    }

    Gap withMissing(int count) {
        return new Gap(shardId, from, until, count, detail);
    }

    Left toLeft() {
        return new Left(shardId, from, until, Math.max(missing, 1), Left.BEYOND_RETENTION, detail);
    }
}
