package com.dsqlcdc.infra.stateful;

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
 * The consumer's staging bucket (an {@link EncryptedBucket} with its own key), laid out by key
 * prefix, each with its own lifetime:
 * <ul>
 *   <li>{@value #STAGING_PREFIX}: gzip JSON-lines files of large batches, loaded by one {@code COPY};
 *       expire after {@code consumer.bulk.stagingRetentionDays};</li>
 *   <li>{@value #CHUNKS_PREFIX}: the pieces of chunked (oversized) records, kept until their set is
 *       assembled and then deleted by the consumer; <b>never expire</b>: an incomplete set must be
 *       kept (the chunk sweep counts the old ones);</li>
 *   <li>{@value #CHUNK_DONE_PREFIX}: a marker per assembled set, so a re-delivered piece is
 *       recognised; expire after {@code consumer.chunks.doneMarkerRetentionDays} (validated to
 *       outlive the Kinesis retention).</li>
 * </ul>
 * Replaced and deleted object versions expire after the staging retention.
 *
 * <p>The grants are per reader and writer, on their prefixes only: {@link #grantConsumer(IBucket,
 * IGrantable)}, {@link #grantChunkSweep}, {@link #grantCopyFromStaging}.
 */
public final class StagingBucket extends Construct {

    /** Files of batches loaded with COPY. */
    public static final String STAGING_PREFIX = "staging/";
    /** Pieces of chunked records, under {@code chunks/<chunk id>/}. */
    public static final String CHUNKS_PREFIX = "chunks/";
    /** Markers of assembled chunk sets, {@code chunk-done/<chunk id>}. */
    public static final String CHUNK_DONE_PREFIX = "chunk-done/";

    private final EncryptedBucket bucket;

    /**
     * @param scope parent construct
     * @param id    construct id
     * @param props retentions and removal policy
     */
    public StagingBucket(Construct scope, String id, StagingBucketProps props) {
        super(scope, id);
        // chunks/ has no rule: an incomplete set is never thrown away by a timer
        Map<String, Integer> expiry = new LinkedHashMap<>();
        expiry.put(STAGING_PREFIX, props.stagingRetentionDays());
        expiry.put(CHUNK_DONE_PREFIX, props.doneMarkerRetentionDays());
        this.bucket = new EncryptedBucket(
                this,
                "Bucket",
                new EncryptedBucketProps(
                        "consumer staging (COPY files, chunked-record pieces and markers)",
                        null,
                        expiry,
                        props.stagingRetentionDays(),
                        Map.of(),
                        props.removalPolicy(),
                        props.accessLogs()));
    }

    /**
     * What the consumer does here: writes COPY files ({@code staging/}), writes, reads and (once
     * assembled) deletes chunk pieces ({@code chunks/}), writes and reads done markers
     * ({@code chunk-done/}), lists, and uses the key for those reads and writes through S3. Static:
     * any bucket laid out like this one will do (another app's, for its own consumer).
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
                        List.of(STAGING_PREFIX, CHUNKS_PREFIX, CHUNK_DONE_PREFIX))
                .combine(BucketGrants.objectsUnder(
                        bucket, consumer, List.of("s3:GetObject"), List.of(CHUNKS_PREFIX, CHUNK_DONE_PREFIX)))
                .combine(
                        BucketGrants.objectsUnder(bucket, consumer, List.of("s3:DeleteObject"), List.of(CHUNKS_PREFIX)))
                .combine(BucketGrants.listObjects(bucket, consumer))
                // SSE-KMS asks for GenerateDataKey to write and Decrypt to read (and for multipart
                // uploads), never kms:Encrypt
                .combine(BucketGrants.keyThroughS3(bucket, consumer, List.of("kms:GenerateDataKey", "kms:Decrypt")));
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
                .combine(BucketGrants.objectsUnder(bucket, sweep, List.of("s3:GetObject"), List.of(CHUNKS_PREFIX)))
                .combine(BucketGrants.keyThroughS3(bucket, sweep, List.of("kms:Decrypt")));
    }

    /**
     * What Redshift needs for {@code COPY ... FROM 's3://<bucket>/staging/...'}: list the keys under
     * {@code staging/} (COPY treats the path as a prefix), read them, and decrypt them. Nothing
     * outside {@code staging/}.
     *
     * @param copyRole the role the warehouse namespace assumes for COPY
     * @return the grant
     */
    public Grant grantCopyFromStaging(IGrantable copyRole) {
        IBucket bucket = getBucket();
        return BucketGrants.objectsUnder(bucket, copyRole, List.of("s3:GetObject"), List.of(STAGING_PREFIX))
                .combine(BucketGrants.listObjectsUnder(bucket, copyRole, STAGING_PREFIX))
                .combine(BucketGrants.keyThroughS3(bucket, copyRole, List.of("kms:Decrypt")));
    }

    /**
     * The cdk-nag IAM5 suppression that goes with the prefix grants above: objects under a prefix
     * can only be named with a wildcard, since their keys are made at run time (content hashes,
     * chunk ids).
     *
     * @param prefixes the prefixes granted, e.g. {@code staging/}
     * @return the suppression of exactly those findings
     */
    public static NagPackSuppression objectsUnderPrefixes(String... prefixes) {
        return Nag.findings(
                "AwsSolutions-IAM5",
                "Objects of the staging bucket are named at run time (COPY files"
                        + " by content hash, chunk pieces and done markers by chunk id), so a grant can only name"
                        + " their prefix: " + String.join(", ", prefixes) + " and nothing else of the bucket.",
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
