package com.dsqlcdc.backfill;

import com.dsqlcdc.contract.StagingLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The deployed job's store, in the staging bucket under {@code backfill/<job id>/}:
 * {@code plan.json}, {@code ranges/<schema.table>/<index>.json} (one object per range, written only by
 * the worker holding that range), {@code items.json} (the work items a Step Functions map reads) and
 * {@code report.json}. S3 is strongly consistent: a checkpoint written is the one the next worker reads.
 */
public final class S3JobStore implements JobStore {

    private final S3Client s3;
    private final String bucket;

    /**
     * @param s3     the S3 client (built once)
     * @param bucket the staging bucket
     */
    public S3JobStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** @return {@code backfill/<job id>/} */
    public static String prefix(String jobId) {
        return StagingLayout.BACKFILL + jobId + "/";
    }

    /** @return the key of the job's work items */
    public static String itemsKey(String jobId) {
        return prefix(jobId) + "items.json";
    }

    /** @return the key of the job's report */
    public static String reportKey(String jobId) {
        return prefix(jobId) + "report.json";
    }

    @Override
    public Optional<JobPlan> plan(String jobId) {
        return get(prefix(jobId) + "plan.json").map(json -> {
            JobPlan plan = JobJson.read(json, JobPlan.class, url(prefix(jobId) + "plan.json"));
            if (plan.version() != JobPlan.VERSION) {
                throw new IllegalStateException(url(prefix(jobId) + "plan.json") + " was written by another version"
                        + " of the backfill (format " + plan.version() + "); start a new job");
            }
            return plan;
        });
    }

    @Override
    public void savePlan(JobPlan plan) {
        put(prefix(plan.jobId()) + "plan.json", JobJson.write(plan));
    }

    @Override
    public List<RangeState> ranges(String jobId) {
        List<RangeState> states = new ArrayList<>();
        ListObjectsV2Request request = ListObjectsV2Request.builder()
                .bucket(bucket)
                .prefix(prefix(jobId) + "ranges/")
                .build();
        for (S3Object object : s3.listObjectsV2Paginator(request).contents()) {
            get(object.key()).ifPresent(json -> states.add(JobJson.read(json, RangeState.class, url(object.key()))));
        }
        return states;
    }

    @Override
    public Optional<RangeState> range(String jobId, String table, int index) {
        String key = rangeKey(jobId, table, index);
        return get(key).map(json -> JobJson.read(json, RangeState.class, url(key)));
    }

    @Override
    public void saveRange(String jobId, RangeState state) {
        put(rangeKey(jobId, state.table(), state.index()), JobJson.write(state));
    }

    /** Writes the job's work items (a JSON array) for a distributed map to read. */
    public void saveItems(String jobId, String itemsJson) {
        put(itemsKey(jobId), itemsJson);
    }

    @Override
    public void saveReport(String jobId, String reportJson) {
        put(reportKey(jobId), reportJson);
    }

    /** @return the report at {@code key} of the bucket, if there is one */
    public Optional<String> reportAt(String key) {
        return get(key);
    }

    /** @return the bucket */
    public String bucket() {
        return bucket;
    }

    @Override
    public String reportLocation(String jobId) {
        return url(reportKey(jobId));
    }

    /** @return {@code s3://bucket/key} */
    public String url(String key) {
        return "s3://" + bucket + "/" + key;
    }

    private static String rangeKey(String jobId, String table, int index) {
        return prefix(jobId) + "ranges/" + table + "/" + index + ".json";
    }

    private Optional<String> get(String key) {
        try {
            return Optional.of(
                    s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    private void put(String key, String json) {
        s3.putObject(
                b -> b.bucket(bucket).key(key).contentType("application/json"),
                RequestBody.fromString(json, StandardCharsets.UTF_8));
    }
}
