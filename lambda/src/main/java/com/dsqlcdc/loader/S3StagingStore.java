package com.dsqlcdc.loader;

import com.dsqlcdc.contract.StagingLayout;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The staging bucket in S3. */
public final class S3StagingStore implements StagingStore {

    /** DeleteObjects takes at most 1,000 keys. */
    private static final int DELETE_BATCH = 1000;

    private final S3Client s3;
    private final String bucket;

    /**
     * @param s3     the S3 client (built once)
     * @param bucket the staging bucket
     */
    public S3StagingStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public List<StagedObject> listStaged() {
        List<StagedObject> staged = new ArrayList<>();
        ListObjectsV2Request request = ListObjectsV2Request.builder()
                .bucket(bucket)
                .prefix(StagingLayout.STAGED)
                .build();
        for (S3Object object : s3.listObjectsV2Paginator(request).contents()) {
            staged.add(new StagedObject(object.key(), object.size(), object.lastModified()));
        }
        return staged;
    }

    @Override
    public String putManifest(String runId, List<StagedObject> objects) {
        StringBuilder json = new StringBuilder(64 + objects.size() * 200).append("{\"entries\":[");
        for (int i = 0; i < objects.size(); i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"url\":\"")
                    .append(JsonStringEncoder.getInstance()
                            .quoteAsString(url(objects.get(i).key())))
                    .append("\",\"mandatory\":true}");
        }
        json.append("]}");
        String key = StagingStore.manifestKey(runId);
        s3.putObject(
                b -> b.bucket(bucket).key(key).contentType("application/json"),
                RequestBody.fromString(json.toString(), StandardCharsets.UTF_8));
        return url(key);
    }

    @Override
    public void delete(List<String> keys) {
        for (int i = 0; i < keys.size(); i += DELETE_BATCH) {
            List<ObjectIdentifier> ids = keys.subList(i, Math.min(keys.size(), i + DELETE_BATCH)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build())
                    .toList();
            DeleteObjectsResponse response = s3.deleteObjects(b -> b.bucket(bucket)
                    .delete(Delete.builder().objects(ids).quiet(true).build()));
            if (response.hasErrors() && !response.errors().isEmpty()) {
                // Left behind only means loaded again by a later run, which appends nothing twice.
                throw new IllegalStateException("deleting " + response.errors().size() + " loaded objects failed, e.g. "
                        + response.errors().get(0).key() + ": "
                        + response.errors().get(0).message());
            }
        }
    }

    @Override
    public String url(String key) {
        return "s3://" + bucket + "/" + key;
    }
}
