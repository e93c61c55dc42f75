package com.dsqlcdc.backfill;

import java.util.List;
import java.util.Optional;

/**
 * Where a job's plan, its ranges' checkpoints and its report are kept: a local JSON file for the
 * laptop command ({@link FileJobStore}), the staging bucket's {@code backfill/} for the deployed job
 * ({@link S3JobStore}). Each range's checkpoint is written by the one worker that holds the range, so
 * concurrent workers never write the same document.
 */
public interface JobStore {

    /** @return the job's plan, if it was planned */
    Optional<JobPlan> plan(String jobId);

    /** Writes the job's plan (replacing an earlier one of the same job). */
    void savePlan(JobPlan plan);

    /** @return every range checkpoint of the job saved so far */
    List<RangeState> ranges(String jobId);

    /** @return one range's checkpoint, if saved */
    Optional<RangeState> range(String jobId, String table, int index);

    /** Writes one range's checkpoint. */
    void saveRange(String jobId, RangeState state);

    /** Writes the job's report (JSON). */
    void saveReport(String jobId, String reportJson);

    /** @return where the job's report is (a file path, an s3:// URL), for messages */
    String reportLocation(String jobId);
}
