package com.dsqlcdc.tail;

import com.dsqlcdc.contract.retry.Sleeper;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ChildShard;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * Follows every shard of a stream, in one thread: polls each shard when its pacing allows, hands
 * every record to the sink as soon as it is read, continues with the children of a shard that
 * closes (split or merge), and lists the shards again every {@link Settings#relistEvery} to pick up
 * new ones. Ends when the sink has had enough, when nothing arrived for the timeout, or when asked
 * to stop.
 */
final class StreamTail {

    /** How a tail ended. */
    enum End {
        SINK_DONE,
        TIMED_OUT,
        STOPPED
    }

    /** Takes each record read; answers false once it needs no more. */
    @FunctionalInterface
    interface Sink {
        boolean accept(String shardId, Record record);
    }

    /**
     * @param pacing      the GetRecords pacing per shard
     * @param relistEvery how often ListShards runs again
     * @param timeout     how long without a record the sink took before giving up, or null to wait forever
     */
    record Settings(ShardFollower.Pacing pacing, Duration relistEvery, Duration timeout) {
        static final Duration RELIST_EVERY = Duration.ofSeconds(30);
    }

    private final KinesisClient kinesis;
    private final StreamRef stream;
    private final StartPosition start;
    private final Settings settings;
    private final Clock clock;
    private final Sleeper sleeper;
    private final PrintWriter info;
    private final ShardSet shards = new ShardSet();
    private final Map<String, ShardFollower> followers = new LinkedHashMap<>();

    /**
     * @param info where the shards being read are reported (stderr)
     */
    StreamTail(
            KinesisClient kinesis,
            StreamRef stream,
            StartPosition start,
            Settings settings,
            Clock clock,
            Sleeper sleeper,
            PrintWriter info) {
        this.kinesis = kinesis;
        this.stream = stream;
        this.start = start;
        this.settings = settings;
        this.clock = clock;
        this.sleeper = sleeper;
        this.info = info;
    }

    /**
     * @param sink      takes the records
     * @param progress  answers whether the sink printed something since the last call (resets the timeout)
     * @param stop      answers true when the command must stop (Ctrl-C)
     * @throws TailFailure when an AWS call fails for good
     */
    End run(Sink sink, BooleanSupplier progress, BooleanSupplier stop) {
        List<Shard> listed = listShards();
        for (Shard shard : listed) {
            boolean closed = shard.sequenceNumberRange() != null
                    && shard.sequenceNumberRange().endingSequenceNumber() != null;
            if (start.onlyOpenShards() && closed) {
                shards.skip(shard.shardId());
            } else if (shards.offer(shard.shardId(), parentsListed(shard, listed))) {
                follow(shard.shardId(), start);
            }
        }
        info.println("tail: reading " + followers.size() + " shard" + (followers.size() == 1 ? "" : "s") + " of "
                + stream + " (" + String.join(", ", followers.keySet()) + ") from " + start.describe());
        info.flush();
        Instant lastProgress = clock.instant();
        Instant nextList = lastProgress.plus(settings.relistEvery());
        while (true) {
            if (stop.getAsBoolean()) {
                return End.STOPPED;
            }
            Instant now = clock.instant();
            if (settings.timeout() != null && !now.isBefore(lastProgress.plus(settings.timeout()))) {
                return End.TIMED_OUT;
            }
            if (!now.isBefore(nextList)) {
                relist();
                nextList = now.plus(settings.relistEvery());
            }
            for (ShardFollower follower : new ArrayList<>(followers.values())) {
                if (follower.due().isAfter(now)) {
                    continue;
                }
                ShardFollower.Page page = follower.poll(now);
                for (Record record : page.records()) {
                    if (!sink.accept(follower.shardId(), record)) {
                        return End.SINK_DONE;
                    }
                }
                if (page.ended()) {
                    ended(follower.shardId(), page.children());
                }
                if (stop.getAsBoolean()) {
                    return End.STOPPED;
                }
            }
            now = clock.instant();
            if (progress.getAsBoolean()) {
                lastProgress = now;
            }
            Instant wake = followers.values().stream()
                    .map(ShardFollower::due)
                    .min(Comparator.naturalOrder())
                    .orElse(nextList);
            wake = earliest(wake, nextList);
            if (settings.timeout() != null) {
                wake = earliest(wake, lastProgress.plus(settings.timeout()));
            }
            if (wake.isAfter(now)) {
                sleeper.pause(Duration.between(now, wake));
            }
        }
    }

    private void ended(String shardId, List<ChildShard> children) {
        followers.remove(shardId);
        List<String> ready = new ArrayList<>(shards.finish(shardId));
        for (ChildShard child : children) {
            if (shards.offer(child.shardId(), child.parentShards())) {
                ready.add(child.shardId());
            }
        }
        for (String next : ready) {
            follow(next, new StartPosition.TrimHorizon());
        }
        info.println("tail: " + shardId + " is closed and read to its end"
                + (ready.isEmpty() ? "" : "; continuing with " + String.join(", ", ready)));
        info.flush();
    }

    /** Starts the shards that appeared since the last listing (a reshard whose parents were not being read). */
    private void relist() {
        List<Shard> listed = listShards();
        for (Shard shard : listed) {
            if (!shards.isKnown(shard.shardId()) && shards.offer(shard.shardId(), parentsListed(shard, listed))) {
                follow(shard.shardId(), new StartPosition.TrimHorizon());
                info.println("tail: new shard " + shard.shardId() + ", reading it from its beginning");
                info.flush();
            }
        }
    }

    private void follow(String shardId, StartPosition from) {
        followers.put(shardId, new ShardFollower(kinesis, stream, shardId, from, settings.pacing()));
    }

    private static List<String> parentsListed(Shard shard, List<Shard> listed) {
        List<String> parents = new ArrayList<>();
        for (String parent : new String[] {shard.parentShardId(), shard.adjacentParentShardId()}) {
            if (parent != null && listed.stream().anyMatch(s -> s.shardId().equals(parent))) {
                parents.add(parent);
            }
        }
        return parents;
    }

    private List<Shard> listShards() {
        List<Shard> all = new ArrayList<>();
        String token = null;
        try {
            do {
                ListShardsRequest.Builder request = ListShardsRequest.builder();
                if (token == null) {
                    stream.applyTo(request);
                } else {
                    request.nextToken(token);
                }
                ListShardsResponse page = kinesis.listShards(request.build());
                all.addAll(page.shards());
                token = page.nextToken();
            } while (token != null);
        } catch (SdkException e) {
            throw TailFailure.of("ListShards", "stream " + stream, e);
        }
        return all;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
