package com.dsqlcdc.infra.stateful;

import com.dsqlcdc.contract.StagingLayout;
import com.dsqlcdc.infra.Nag;
import io.github.cdklabs.cdknag.NagPackSuppression;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * The staging bucket (an {@link EncryptedBucket} with its own key) between the consumer and the
 * loader, laid out by key prefix ({@link StagingLayout}), each with its own lifetime:
 * <ul>
 *   <li>{@value StagingLayout#STAGED}: the consumer's staged batches, loaded and then deleted by the
 *       loader; <b>never expire</b>: an object here is a change not loaded yet;</li>
 *   <li>{@value StagingLayout#MANIFESTS}: the loader's COPY manifests, deleted with their run's
 *       objects; one left by a run that died expires after {@value #MANIFEST_RETENTION_DAYS} days;</li>
 *   <li>{@value StagingLayout#CHUNKS}: the pieces of chunked (oversized) records, kept until their
 *       set is assembled and then deleted by the consumer; <b>never expire</b>: an incomplete set must
 *       be kept (the chunk sweep counts the old ones);</li>
 *   <li>{@value StagingLayout#CHUNK_DONE}: a marker per assembled set, so a re-delivered piece is
 *       recognised; expire after {@code consumer.chunks.doneMarkerRetentionDays} (validated to
 *       outlive the Kinesis retention);</li>
 *   <li>{@value StagingLayout#LEGACY_COPY_FILES}: the consumer's COPY files before the staged loader;
 *       nothing writes there any more, and what is left expires after
 *       {@value #LEGACY_RETENTION_DAYS} days.</li>
 * </ul>
 * Replaced and deleted object versions (a staged object the loader deleted, a chunk piece the
 * consumer deleted) expire after {@value #NONCURRENT_VERSION_RETENTION_DAYS} days.
 *
 * <p>The grants are per reader and writer, on their prefixes only: {@link #grantConsumer(IBucket,
 * IGrantable)}, {@link #grantLoader(IBucket, IGrantable)}, {@link #grantChunkSweep}, {@link
 * #grantCopy}.
 */
public final class StagingBucket extends Construct {

    /** A manifest outlives its run by far; one left by a run that died goes after a week. */
    public static final int MANIFEST_RETENTION_DAYS = 7;
    /** The legacy COPY files were kept a week by default; what is left goes after as long. */
    public static final int LEGACY_RETENTION_DAYS = 7;
    /** Deleted staged objects and chunk pieces stay recoverable for a week. */
    public static final int NONCURRENT_VERSION_RETENTION_DAYS = 7;

    private final EncryptedBucket bucket;

    /**
     * @param scope parent construct
     * @param id    construct id
     * @param props retentions and removal policy
     */
    public StagingBucket(Construct scope, String id, StagingBucketProps props) {
        super(scope, id);
        // staged/ and chunks/ have no rule: a change not loaded, or an incomplete set, is never
        // thrown away by a timer
        Map<String, Integer> expiry = new LinkedHashMap<>();
        expiry.put(StagingLayout.LEGACY_COPY_FILES, LEGACY_RETENTION_DAYS);
        expiry.put(StagingLayout.CHUNK_DONE, props.doneMarkerRetentionDays());
        expiry.put(StagingLayout.MANIFESTS, MANIFEST_RETENTION_DAYS);
        this.bucket = new EncryptedBucket(
                this,
                "Bucket",
                new EncryptedBucketProps(
                        "staging (staged batches, the loader's manifests, chunked-record pieces and markers)",
                        null,
                        expiry,
                        NONCURRENT_VERSION_RETENTION_DAYS,
                        Map.of(),
                        props.removalPolicy(),
                        props.accessLogs()));
    }

    /**
     * What the consumer does here: writes staged batches ({@code staged/}), writes, reads and (once
     * assembled) deletes chunk pieces ({@code chunks/}), writes and reads done markers
     * ({@code chunk-done/}), lists, and uses the key for those reads and writes through S3. It never
     * deletes or reads a staged batch. Static: any bucket laid out like this one will do (another
     * app's, for its own consumer).
     *
     * <p>{@code s3:ListBucket} is on the whole bucket, without an {@code s3:prefix} condition: the
     * consumer asks for a marker with HeadObject and takes 404 for "not assembled yet". S3 answers
     * 404 for a missing key only to a caller allowed {@code s3:ListBucket} on the bucket (403
     * otherwise); a HeadObject request carries no {@code s3:prefix}, so a prefix-conditioned grant
     * would not count and every missing marker would look like AccessDenied.
     *
     * @param bucket   the staging bucket
     * @param consumer the consumer's execution role
     * @return the grant
     */
    public static Grant grantConsumer(IBucket bucket, IGrantable consumer) {
        return BucketGrants.objectsUnder(
                        bucket,
                        consumer,
                        List.of("s3:PutObject"),
                        List.of(StagingLayout.STAGED, StagingLayout.CHUNKS, StagingLayout.CHUNK_DONE))
                .combine(BucketGrants.objectsUnder(
                        bucket,
                        consumer,
                        List.of("s3:GetObject"),
                        List.of(StagingLayout.CHUNKS, StagingLayout.CHUNK_DONE)))
                .combine(BucketGrants.objectsUnder(
                        bucket, consumer, List.of("s3:DeleteObject"), List.of(StagingLayout.CHUNKS)))
                .combine(BucketGrants.listObjects(bucket, consumer))
                // SSE-KMS asks for GenerateDataKey to write and Decrypt to read (and for multipart
                // uploads), never kms:Encrypt
                .combine(BucketGrants.keyThroughS3(bucket, consumer, List.of("kms:GenerateDataKey", "kms:Decrypt")));
    }

    /**
     * What the loader does here: lists the staged batches, writes its COPY manifest under
     * {@code manifests/}, and deletes the batches and the manifest once their run committed. It never
     * reads an object (COPY does, with the warehouse's role). Static, like {@link #grantConsumer}.
     *
     * <p>{@code s3:ListBucket} carries an {@code s3:prefix} condition: the loader only lists with a
     * prefix, and never asks for one object, so a missing key's 403 instead of 404 cannot mislead it.
     * A manifest is one small PutObject: {@code kms:GenerateDataKey} is all SSE-KMS needs for it.
     *
     * @param bucket the staging bucket
     * @param loader the loader's execution role
     * @return the grant
     */
    public static Grant grantLoader(IBucket bucket, IGrantable loader) {
        List<String> prefixes = List.of(StagingLayout.STAGED, StagingLayout.MANIFESTS);
        return BucketGrants.listObjectsUnder(bucket, loader, prefixes)
                .combine(BucketGrants.objectsUnder(bucket, loader, List.of("s3:DeleteObject"), prefixes))
                .combine(BucketGrants.objectsUnder(
                        bucket, loader, List.of("s3:PutObject"), List.of(StagingLayout.MANIFESTS)))
                .combine(BucketGrants.keyThroughS3(bucket, loader, List.of("kms:GenerateDataKey")));
    }

    /**
     * What the chunk sweep does: lists the bucket and reads chunk pieces, to count the sets that
     * stayed incomplete. Read only. {@code s3:ListBucket} has no prefix condition for the same
     * reason as the consumer's: a piece assembled (and deleted) between the listing and the read
     * must answer 404, not 403.
     *
     * @param sweep the sweep function's role
     * @return the grant
     */
    public Grant grantChunkSweep(IGrantable sweep) {
        IBucket bucket = getBucket();
        return BucketGrants.listObjects(bucket, sweep)
                .combine(BucketGrants.objectsUnder(
                        bucket, sweep, List.of("s3:GetObject"), List.of(StagingLayout.CHUNKS)))
                .combine(BucketGrants.keyThroughS3(bucket, sweep, List.of("kms:Decrypt")));
    }

    /**
     * What Redshift needs for the loader's {@code COPY ... FROM 's3://<bucket>/manifests/<run>' MANIFEST}:
     * read the manifest and the staged batches it lists, decrypt them, and list under those two
     * prefixes. Nothing else of the bucket.
     *
     * @param copyRole the role the warehouse namespace assumes for COPY
     * @return the grant
     */
    public Grant grantCopy(IGrantable copyRole) {
        IBucket bucket = getBucket();
        List<String> prefixes = List.of(StagingLayout.STAGED, StagingLayout.MANIFESTS);
        return BucketGrants.objectsUnder(bucket, copyRole, List.of("s3:GetObject"), prefixes)
                .combine(BucketGrants.listObjectsUnder(bucket, copyRole, prefixes))
                .combine(BucketGrants.keyThroughS3(bucket, copyRole, List.of("kms:Decrypt")));
    }

    /**
     * The cdk-nag IAM5 suppression that goes with the prefix grants above: objects under a prefix
     * can only be named with a wildcard, since their keys are made at run time (content hashes,
     * chunk ids).
     *
     * @param prefixes the prefixes granted, e.g. {@code staged/}
     * @return the suppression of exactly those findings
     */
    public static NagPackSuppression objectsUnderPrefixes(String... prefixes) {
        return Nag.findings(
                "AwsSolutions-IAM5",
                "Objects of the staging bucket are named at run time (staged batches"
                        + " and manifests by shard, sequence numbers and batch hash, chunk pieces and done markers by"
                        + " chunk id), so a grant can only name their prefix: " + String.join(", ", prefixes)
                        + " and nothing else of the bucket.",
                java.util.Arrays.stream(prefixes)
                        .map(prefix -> "Resource::<" + Nag.logicalId("StagingBucket") + "\\.Arn>/" + Nag.literal(prefix)
                                + "\\*")
                        .toArray(String[]::new));
    }

    /** @return the bucket */
    public IBucket getBucket() {
        return bucket.getBucket();
    }

    /** @return the bucket's customer managed key */
    public IKey getEncryptionKey() {
        return bucket.getEncryptionKey();
    }
}
