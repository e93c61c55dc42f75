package com.dsqlcdc.replay;

import com.dsqlcdc.consumer.InputRecord;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The event source mapping's S3 on-failure destination: one object per batch the Lambda gave up
 * on ({@link OnFailureRecord}). A batch whose payload holds all its records is replayed from the
 * payload; otherwise its range is read back from the shard, the payload's records filling in
 * what the shard no longer has.
 */
final class FailedBatchSource implements ReplaySource {

    private final S3Client s3;
    private final ObjectMapper mapper;
    private final KinesisRangeReader kinesis;
    private final String bucket;
    private final String prefix;

    FailedBatchSource(S3Client s3, ObjectMapper mapper, KinesisRangeReader kinesis, String bucket, String prefix) {
        this.s3 = s3;
        this.mapper = mapper;
        this.kinesis = kinesis;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    @Override
    public String name() {
        return "failed-batches";
    }

    @Override
    public String bucket() {
        return bucket;
    }

    @Override
    public String prefix() {
        return prefix;
    }

    @Override
    public List<String> keys() {
        return BucketListing.keys(s3, bucket, prefix);
    }

    @Override
    public SourceRecords read(String key) {
        byte[] body = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        OnFailureRecord batch = OnFailureRecord.parse(mapper, body, "s3://" + bucket + "/" + key);
        if (batch.complete()) {
            return SourceRecords.of(
                    batch.payload().stream().map(r -> new SourceRecord(r, null)).iterator(), List::of);
        }
        KinesisRangeReader.Range range = kinesis.open(
                batch.streamArn(),
                batch.shardId(),
                batch.startSequenceNumber(),
                batch.endSequenceNumber(),
                batch.batchSize());
        Merged merged = new Merged(batch.payload().iterator(), range);
        return SourceRecords.of(
                merged,
                () -> merged.read >= batch.batchSize()
                        ? List.of()
                        : range.gaps().stream()
                                .map(g -> g.withMissing(batch.batchSize() - merged.read))
                                .toList());
    }

    /** The payload's records and the shard's, in shard order, each record once (the shard's copy when both have it). */
    private static final class Merged implements Iterator<SourceRecord> {
        private final Iterator<InputRecord> payload;
        private final Iterator<InputRecord> shard;
        private InputRecord nextPayload;
        private InputRecord nextShard;
        private int read;

        Merged(Iterator<InputRecord> payload, Iterator<InputRecord> shard) {
            this.payload = payload;
            this.shard = shard;
        }

        @Override
        public boolean hasNext() {
            if (nextPayload == null && payload.hasNext()) {
                nextPayload = payload.next();
            }
            if (nextShard == null && shard.hasNext()) {
                nextShard = shard.next();
            }
            return nextPayload != null || nextShard != null;
        }

        @Override
        public SourceRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            InputRecord out;
            int order = nextPayload == null
                    ? 1
                    : nextShard == null
                            ? -1
                            : RecordId.SEQUENCE_ORDER.compare(nextPayload.sequenceNumber(), nextShard.sequenceNumber());
            if (order < 0) {
                out = nextPayload;
                nextPayload = null;
            } else {
                out = nextShard;
                nextShard = null;
                if (order == 0) {
                    nextPayload = null;
                }
            }
            read++;
            return new SourceRecord(out, null);
        }
    }
}
