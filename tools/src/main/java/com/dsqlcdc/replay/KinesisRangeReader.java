package com.dsqlcdc.replay;

import com.dsqlcdc.consumer.InputRecord;
import com.dsqlcdc.contract.retry.Sleeper;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Reads a range of one shard (first to last sequence number, inclusive) back from Kinesis, page
 * by page as the records are consumed.
 *
 * <p>What is no longer there becomes a {@link Gap}: records before the first one returned (the
 * range's start was trimmed by retention), the whole range when nothing in it is returned, or
 * when the stream or shard is gone. Kinesis accepts an iterator positioned in trimmed data and
 * answers empty pages (with MillisBehindLatest above zero) until the reads reach what is left, so
 * an empty page ends the read only at the tip of the shard (confirmed by a second one) or at the
 * end of a closed shard.
 */
final class KinesisRangeReader {

    /**
     * Pause between GetRecords calls: a shard serves 5 reads a second, shared with the consumer's
     * event source mapping, which must not be throttled by a replay.
     */
    static final Duration PAGE_PAUSE = Duration.ofMillis(250);
    /** Empty pages in a row after which the read gives up (the range is then failed, to be run again). */
    static final int MAX_EMPTY_PAGES = 2_000;

    private final KinesisClient kinesis;
    private final Sleeper sleeper;
    private final Duration pagePause;

    /**
     * @param kinesis   the Kinesis client
     * @param sleeper   how to pause between pages
     * @param pagePause the pause ({@link #PAGE_PAUSE})
     */
    KinesisRangeReader(KinesisClient kinesis, Sleeper sleeper, Duration pagePause) {
        this.kinesis = kinesis;
        this.sleeper = sleeper;
        this.pagePause = pagePause;
    }

    /**
     * @param streamArn the stream
     * @param shardId   the shard
     * @param first     the range's first sequence number
     * @param last      its last sequence number
     * @param expected  how many records the range holds (a page limit: one page usually reads it all)
     */
    Range open(String streamArn, String shardId, String first, String last, int expected) {
        return new Range(streamArn, shardId, first, last, Math.max(1, Math.min(10_000, expected)));
    }

    /** The records of the range, in shard order; {@link #gaps} once they are all consumed. */
    final class Range implements Iterator<InputRecord> {
        private final String streamArn;
        private final String shardId;
        private final String first;
        private final String last;
        private final BigInteger start;
        private final BigInteger end;
        private final int limit;
        private final Deque<InputRecord> buffer = new ArrayDeque<>();
        private final List<Gap> gaps = new ArrayList<>();
        private String iterator;
        private String lastRead;
        private boolean started;
        private boolean finished;
        /**
         * Empty pages in a row that said they were at the tip. One is not enough: the page that
         * skips a trimmed stretch is empty too, and says 0 ms behind when the next record left
         * arrived just now.
         */
        private int emptyAtTip;

        private boolean called;

        private Range(String streamArn, String shardId, String first, String last, int limit) {
            this.streamArn = streamArn;
            this.shardId = shardId;
            this.first = first;
            this.last = last;
            this.start = new BigInteger(first);
            this.end = new BigInteger(last);
            this.limit = limit;
        }

        @Override
        public boolean hasNext() {
            while (buffer.isEmpty() && !finished) {
                fetch();
            }
            return !buffer.isEmpty();
        }

        @Override
        public InputRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return buffer.poll();
        }

        /** @return the missing parts of the range (complete once {@link #hasNext} is false) */
        List<Gap> gaps() {
            return List.copyOf(gaps);
        }

        /** Reads pages until one yields records of the range or the range is done. */
        private void fetch() {
            try {
                if (iterator == null) {
                    iterator = shardIterator();
                }
                for (int empty = 0; buffer.isEmpty() && !finished; empty++) {
                    if (empty >= MAX_EMPTY_PAGES) {
                        throw new IllegalStateException(
                                "Kinesis answered " + MAX_EMPTY_PAGES + " empty pages in a row reading " + shardId
                                        + " from " + position() + "; run the replay again");
                    }
                    GetRecordsResponse page = page();
                    if (page == null) {
                        continue;
                    }
                    for (Record record : page.records()) {
                        if (!accept(record)) {
                            finished = true;
                            break;
                        }
                    }
                    iterator = page.nextShardIterator();
                    boolean atTip = page.records().isEmpty()
                            && page.millisBehindLatest() != null
                            && page.millisBehindLatest() == 0;
                    emptyAtTip = atTip ? emptyAtTip + 1 : 0;
                    if (!finished && (iterator == null || emptyAtTip >= 2)) {
                        finished = true;
                        if (!started) {
                            gap(
                                    end.add(BigInteger.ONE),
                                    "past the stream's retention (the shard has no record from there on)");
                        }
                    }
                }
            } catch (ResourceNotFoundException | InvalidArgumentException e) {
                finished = true;
                if (!started) {
                    gap(
                            end.add(BigInteger.ONE),
                            "the shard cannot be read from the range's start any more ("
                                    + e.awsErrorDetails().errorMessage() + ")");
                } else {
                    gaps.add(new Gap(
                            shardId,
                            new BigInteger(lastRead).add(BigInteger.ONE).toString(),
                            end.add(BigInteger.ONE).toString(),
                            0,
                            shardId + " of " + streamArn + ", records after " + lastRead + " through " + last
                                    + ": the shard could not be read further ("
                                    + e.awsErrorDetails().errorMessage() + ")"));
                }
            }
        }

        /** One GetRecords call; null when the iterator expired (a new one is taken). */
        private GetRecordsResponse page() {
            if (called) {
                sleeper.pause(pagePause);
            }
            called = true;
            try {
                return kinesis.getRecords(b -> b.shardIterator(iterator).limit(limit));
            } catch (ExpiredIteratorException e) {
                // Iterators last five minutes; loading a slice can take longer than that.
                iterator = shardIterator();
                return null;
            }
        }

        /** @return false once the record is past the range */
        private boolean accept(Record record) {
            BigInteger seq = new BigInteger(record.sequenceNumber());
            if (seq.compareTo(end) > 0) {
                if (!started) {
                    gap(
                            end.add(BigInteger.ONE),
                            "past the stream's retention (the shard's oldest record is now " + record.sequenceNumber()
                                    + ")");
                }
                return false;
            }
            if (!started && seq.compareTo(start) > 0) {
                gap(
                        seq,
                        "past the stream's retention (the shard's oldest record is now " + record.sequenceNumber()
                                + ")");
            }
            started = true;
            lastRead = record.sequenceNumber();
            buffer.add(new InputRecord(
                    shardId,
                    record.sequenceNumber(),
                    record.data().asByteArray(),
                    record.approximateArrivalTimestamp(),
                    streamArn));
            return true;
        }

        private String shardIterator() {
            return kinesis.getShardIterator(b -> b.streamARN(streamArn)
                            .shardId(shardId)
                            .shardIteratorType(
                                    lastRead == null
                                            ? ShardIteratorType.AT_SEQUENCE_NUMBER
                                            : ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                            .startingSequenceNumber(position()))
                    .shardIterator();
        }

        private String position() {
            return lastRead == null ? first : lastRead;
        }

        private void gap(BigInteger until, String why) {
            String span = until.compareTo(end) > 0
                    ? "records " + first + " through " + last
                    : "records from " + first + " up to (not including) " + until;
            gaps.add(new Gap(
                    shardId, first, until.toString(), 0, shardId + " of " + streamArn + ", " + span + ": " + why));
        }
    }
}
