package com.dsqlcdc.consumer.chunk;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Finds chunk sets that have waited too long: pieces parked under {@code chunks/} whose set has
 * no done marker and whose newest piece is older than the configured age. Such a set is missing
 * a piece (lost upstream, or still in a batch that keeps failing), or it is complete but its load
 * kept failing until the record left the stream. Nothing is deleted: the pieces are the only copy
 * of the change, and the operator replays or investigates them (README runbook).
 */
public final class ChunkSweeper {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkSweeper.class);

    private final S3Client s3;
    private final String bucket;
    private final ChunkStore store;
    private final Duration maxAge;
    private final Clock clock;

    /**
     * @param s3     the S3 client
     * @param bucket the staging bucket
     * @param maxAge how long a set may wait for its last piece before it counts as incomplete
     * @param clock  time source
     */
    public ChunkSweeper(S3Client s3, String bucket, Duration maxAge, Clock clock) {
        this.s3 = s3;
        this.bucket = bucket;
        this.store = new ChunkStore(s3, bucket, clock);
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /**
     * One stale set.
     *
     * @param chunkId   the set
     * @param pieces    names of its parked pieces
     * @param newest    when its newest piece was parked
     */
    public record StaleSet(String chunkId, List<String> pieces, Instant newest) {}

    /**
     * What the sweep found.
     *
     * @param sets       sets with parked pieces (any age)
     * @param stale      sets older than the age, without a done marker
     * @param oldestAge  age of the oldest stale set's newest piece (zero when none)
     */
    public record Report(int sets, List<StaleSet> stale, Duration oldestAge) {}

    /** Lists the assembly area and reports the stale sets, one log line each. */
    public Report run() {
        Map<String, List<S3Object>> sets = new TreeMap<>();
        for (S3Object object : s3.listObjectsV2Paginator(ListObjectsV2Request.builder()
                        .bucket(bucket)
                        .prefix(ChunkStore.PIECES)
                        .build())
                .contents()) {
            String rest = object.key().substring(ChunkStore.PIECES.length());
            int slash = rest.indexOf('/');
            if (slash > 0) {
                sets.computeIfAbsent(rest.substring(0, slash), k -> new ArrayList<>())
                        .add(object);
            }
        }
        Instant now = clock.instant();
        List<StaleSet> stale = new ArrayList<>();
        Duration oldest = Duration.ZERO;
        for (Map.Entry<String, List<S3Object>> set : sets.entrySet()) {
            Instant newest = set.getValue().stream()
                    .map(S3Object::lastModified)
                    .max(Instant::compareTo)
                    .orElseThrow();
            Duration age = Duration.between(newest, now);
            if (age.compareTo(maxAge) < 0 || store.isDone(set.getKey())) {
                continue;
            }
            String prefix = ChunkStore.PIECES + set.getKey() + "/";
            List<String> pieces = set.getValue().stream()
                    .map(o -> o.key().substring(prefix.length()))
                    .toList();
            stale.add(new StaleSet(set.getKey(), pieces, newest));
            oldest = age.compareTo(oldest) > 0 ? age : oldest;
            LOG.warn(
                    "incomplete chunk set: its pieces are kept; see the README runbook",
                    entry("chunkId", set.getKey()),
                    entry("pieces", pieces),
                    entry("hasMain", pieces.contains(ChunkStore.MAIN)),
                    entry("newestPieceAt", newest.toString()),
                    entry("ageMinutes", age.toMinutes()),
                    entry("location", "s3://" + bucket + "/" + prefix));
        }
        return new Report(sets.size(), stale, oldest);
    }
}
