package com.dsqlcdc.consumer.stage;

import com.dsqlcdc.consumer.stage.StagedFileWriter.Line;
import com.dsqlcdc.consumer.stage.StagedFileWriter.StagedFile;
import com.dsqlcdc.contract.StagingLayout;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Stages a batch: one gzip JSON-lines object under {@code staged/} ({@link StagingLayout#STAGED}) in the staging bucket, which
 * is where the consumer's work ends. The object stays until the loader has committed its changes
 * (the bucket never expires it), so a successful PUT is a change that will be loaded: the records
 * are done.
 *
 * <p>The key is derived from the content alone, {@code staged/<shard>/<first seq>-<last seq>-<batch
 * id>.jsonl.gz}: a re-delivered batch rewrites its own object instead of adding one.
 */
public final class Stager {

    private final S3Client s3;
    private final String bucket;
    private final StagedFileWriter files;

    /**
     * @param s3     the S3 client (built once)
     * @param bucket the staging bucket
     * @param files  JSON-lines writing
     */
    public Stager(S3Client s3, String bucket, StagedFileWriter files) {
        this.s3 = s3;
        this.bucket = bucket;
        this.files = files;
    }

    /** What was staged. */
    public record Staged(String key, String batchId, int rows, long bytes) {}

    /**
     * @param lines rows that each {@link Line#fits}, in batch order (not empty)
     * @return the staged object
     * @throws RuntimeException when the object could not be stored (the rows are then not done)
     */
    public Staged stage(List<Line> lines) {
        StagedFile file = files.file(lines);
        StagedRow first = lines.get(0).row();
        StagedRow last = lines.get(lines.size() - 1).row();
        String key = key(first.shardId(), first.sequenceNumber(), last.sequenceNumber(), file.batchId());
        // Content type only: no Content-Encoding, so no client un-gzips it on the way; COPY is told GZIP.
        s3.putObject(
                b -> b.bucket(bucket).key(key).contentType("application/gzip"), RequestBody.fromBytes(file.gzip()));
        return new Staged(key, file.batchId(), lines.size(), file.gzip().length);
    }

    /** @return the key of a batch's object */
    static String key(String shardId, String firstSequence, String lastSequence, String batchId) {
        return StagingLayout.STAGED + shardId + "/" + firstSequence + "-" + lastSequence + "-" + batchId + ".jsonl.gz";
    }
}
