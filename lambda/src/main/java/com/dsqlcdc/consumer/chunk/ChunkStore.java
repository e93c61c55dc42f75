package com.dsqlcdc.consumer.chunk;

import com.dsqlcdc.consumer.InputRecord;
import com.dsqlcdc.contract.StagingLayout;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The assembly area for chunked changes, in the staging bucket:
 * <ul>
 *   <li>{@code chunks/<chunk id>/main}: the {@code chunked} main record, parked under each chunk
 *       id it names;</li>
 *   <li>{@code chunks/<chunk id>/fragment-NNNNNN}: each fragment record, by index;</li>
 *   <li>{@code chunk-done/<chunk id>}: written once the set was loaded or quarantined, so a
 *       piece delivered again later is recognised as a duplicate rather than starting a new set.</li>
 * </ul>
 * Every piece is the Kinesis record's exact data, with its shard, sequence number and arrival in
 * the object's metadata, so a set can be quarantined (or replayed) record by record. Keys are
 * deterministic: a re-delivered piece overwrites itself. {@code chunks/} has no expiry (incomplete
 * sets are kept for the operator); markers expire by lifecycle.
 */
public final class ChunkStore {

    /** Prefix of parked pieces. */
    public static final String PIECES = StagingLayout.CHUNKS;
    /** Prefix of the done markers. */
    public static final String DONE = StagingLayout.CHUNK_DONE;
    /** The main record's name in its set. */
    public static final String MAIN = "main";

    private static final String META_SHARD = "shard-id";
    private static final String META_SEQUENCE = "sequence-number";
    private static final String META_ARRIVAL = "arrival";
    private static final String META_SOURCE = "event-source-arn";

    private final S3Client s3;
    private final String bucket;
    private final Clock clock;

    /**
     * @param s3     the S3 client (built once)
     * @param bucket the staging bucket
     * @param clock  time source for the markers
     */
    public ChunkStore(S3Client s3, String bucket, Clock clock) {
        this.s3 = s3;
        this.bucket = bucket;
        this.clock = clock;
    }

    /** @return the name of fragment {@code index} in its set; zero-padded so a listing is in index order */
    public static String fragmentName(int index) {
        return String.format("fragment-%06d", index);
    }

    /** Parks one piece of set {@code chunkId} under {@code name}. */
    public void put(String chunkId, String name, InputRecord record) {
        Map<String, String> metadata = new HashMap<>();
        metadata.put(META_SHARD, record.shardId());
        metadata.put(META_SEQUENCE, record.sequenceNumber());
        if (record.arrival() != null) {
            metadata.put(META_ARRIVAL, record.arrival().toString());
        }
        if (record.eventSourceArn() != null) {
            metadata.put(META_SOURCE, record.eventSourceArn());
        }
        s3.putObject(
                b -> b.bucket(bucket)
                        .key(key(chunkId, name))
                        .contentType("application/json")
                        .metadata(metadata),
                RequestBody.fromBytes(record.data()));
    }

    /** @return the names of the pieces of set {@code chunkId} that are parked, in key order */
    public List<String> names(String chunkId) {
        String prefix = PIECES + chunkId + "/";
        List<String> names = new ArrayList<>();
        for (S3Object object : s3.listObjectsV2Paginator(ListObjectsV2Request.builder()
                        .bucket(bucket)
                        .prefix(prefix)
                        .build())
                .contents()) {
            names.add(object.key().substring(prefix.length()));
        }
        return names;
    }

    /** @return the parked piece, as the record it was */
    public InputRecord get(String chunkId, String name) {
        ResponseBytes<GetObjectResponse> object =
                s3.getObjectAsBytes(b -> b.bucket(bucket).key(key(chunkId, name)));
        Map<String, String> meta = object.response().metadata();
        String arrival = meta.get(META_ARRIVAL);
        return new InputRecord(
                meta.getOrDefault(META_SHARD, "unknown-shard"),
                meta.getOrDefault(META_SEQUENCE, "unknown-sequence"),
                object.asByteArray(),
                arrival == null ? null : Instant.parse(arrival),
                meta.get(META_SOURCE));
    }

    /** @return whether set {@code chunkId} was already loaded or quarantined */
    public boolean isDone(String chunkId) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(DONE + chunkId));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** Records that set {@code chunkId} is finished ({@code outcome}: staged or quarantined). */
    public void markDone(String chunkId, String outcome) {
        String body =
                "{\"chunkId\":\"" + chunkId + "\",\"outcome\":\"" + outcome + "\",\"at\":\"" + clock.instant() + "\"}";
        s3.putObject(
                b -> b.bucket(bucket).key(DONE + chunkId).contentType("application/json"),
                RequestBody.fromString(body, StandardCharsets.UTF_8));
    }

    /** Removes the named pieces of set {@code chunkId}. */
    public void delete(String chunkId, List<String> names) {
        for (String name : names) {
            s3.deleteObject(b -> b.bucket(bucket).key(key(chunkId, name)));
        }
    }

    /** @return the staging bucket */
    public String bucket() {
        return bucket;
    }

    private static String key(String chunkId, String name) {
        return PIECES + chunkId + "/" + name;
    }
}
