package com.dsqlcdc.tail;

import com.dsqlcdc.contract.retry.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ChildShard;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.KmsThrottlingException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Reads one shard page by page: takes the iterator, calls GetRecords no more often than the shard
 * allows, renews an expired iterator after the last record read ({@code AFTER_SEQUENCE_NUMBER}),
 * and reports the children when a closed shard ends.
 *
 * <p>Pacing: a shard serves 5 GetRecords a second, shared with the consumer's event source mapping
 * (about one a second). While behind, a page every {@link Pacing#busy}; at the tip, every {@link
 * Pacing#idle}. Throttling that outlasts the SDK's own retries backs off (doubling from
 * {@link Pacing#idle} to {@link #MAX_BACKOFF}) up to {@link #MAX_THROTTLED} times in a row, then
 * fails. Every other AWS error fails at once.
 */
final class ShardFollower {

    /** Longest pause after a throttled call. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    /** Throttled calls in a row (each after the SDK's retries) before the command gives up. */
    static final int MAX_THROTTLED = 8;

    /**
     * @param busy pause between pages while the shard has more to read
     * @param idle pause after an empty page (at the tip)
     */
    record Pacing(Duration busy, Duration idle) {
        /** 4 reads a second while catching up (one left for the consumer), 1 a second at the tip. */
        static final Pacing DEFAULT = new Pacing(Duration.ofMillis(250), Duration.ofSeconds(1));
    }

    /**
     * What one poll read.
     *
     * @param records  the records, in shard order
     * @param children the shards to read next once this one has ended (empty while it is open)
     * @param ended    whether the shard is closed and read to its end
     */
    record Page(List<Record> records, List<ChildShard> children, boolean ended) {
        static final Page NOTHING = new Page(List.of(), List.of(), false);
    }

    private final KinesisClient kinesis;
    private final StreamRef stream;
    private final String shardId;
    private final StartPosition start;
    private final Pacing pacing;
    private final Backoff throttledBackoff;
    private String iterator;
    private String lastSequenceNumber;
    private Instant due = Instant.MIN;
    private int throttled;

    /**
     * @param start where to read from until a record has been read
     */
    ShardFollower(KinesisClient kinesis, StreamRef stream, String shardId, StartPosition start, Pacing pacing) {
        this.kinesis = kinesis;
        this.stream = stream;
        this.shardId = shardId;
        this.start = start;
        this.pacing = pacing;
        Duration max = pacing.idle().compareTo(MAX_BACKOFF) > 0 ? pacing.idle() : MAX_BACKOFF;
        this.throttledBackoff = Backoff.doubling(pacing.idle(), max);
    }

    String shardId() {
        return shardId;
    }

    /** @return when the next poll may call GetRecords */
    Instant due() {
        return due;
    }

    /**
     * Reads the next page (one GetRecords call, plus a GetShardIterator when needed).
     *
     * @param now the time of the call, for the pacing
     * @throws TailFailure when Kinesis answers an error that retrying cannot fix
     */
    Page poll(Instant now) {
        try {
            if (iterator == null) {
                iterator = shardIterator();
            }
            GetRecordsResponse page = kinesis.getRecords(b -> b.shardIterator(iterator));
            throttled = 0;
            iterator = page.nextShardIterator();
            if (!page.records().isEmpty()) {
                lastSequenceNumber =
                        page.records().get(page.records().size() - 1).sequenceNumber();
            }
            boolean behind = page.millisBehindLatest() != null && page.millisBehindLatest() > 0;
            due = now.plus(!page.records().isEmpty() || behind ? pacing.busy() : pacing.idle());
            return new Page(page.records(), page.childShards(), iterator == null);
        } catch (ExpiredIteratorException e) {
            // Iterators last five minutes; a new one continues after the last record read.
            iterator = null;
            return Page.NOTHING;
        } catch (ProvisionedThroughputExceededException | LimitExceededException | KmsThrottlingException e) {
            if (++throttled > MAX_THROTTLED) {
                throw TailFailure.of("GetRecords", where() + " (throttled " + MAX_THROTTLED + " times in a row)", e);
            }
            due = now.plus(throttledBackoff.delay(throttled));
            return Page.NOTHING;
        } catch (SdkException e) {
            throw TailFailure.of(iterator == null ? "GetShardIterator" : "GetRecords", where(), e);
        }
    }

    private String shardIterator() {
        GetShardIteratorRequest.Builder request =
                GetShardIteratorRequest.builder().shardId(shardId);
        stream.applyTo(request);
        if (lastSequenceNumber != null) {
            request.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                    .startingSequenceNumber(lastSequenceNumber);
        } else {
            start.applyTo(request);
        }
        return kinesis.getShardIterator(request.build()).shardIterator();
    }

    private String where() {
        return shardId + " of stream " + stream;
    }
}
