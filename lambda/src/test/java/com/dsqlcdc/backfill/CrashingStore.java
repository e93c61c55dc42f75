package com.dsqlcdc.backfill;

import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * A job store whose process dies at random when it is about to save a checkpoint: after the rows of
 * the batch were staged, before the checkpoint names them, which is where a crash leaves the most
 * to redo.
 */
final class CrashingStore implements JobStore {

    /** The injected death of the process. */
    static final class Crash extends RuntimeException {
        Crash() {
            super("injected: the process died before saving a checkpoint");
        }
    }

    private final JobStore real;
    private final Random random;
    private final double rate;

    CrashingStore(JobStore real, long seed, double rate) {
        this.real = real;
        this.random = new Random(seed);
        this.rate = rate;
    }

    private synchronized void maybeCrash() {
        if (random.nextDouble() < rate) {
            throw new Crash();
        }
    }

    @Override
    public Optional<JobPlan> plan(String jobId) {
        return real.plan(jobId);
    }

    @Override
    public void savePlan(JobPlan plan) {
        maybeCrash();
        real.savePlan(plan);
    }

    @Override
    public List<RangeState> ranges(String jobId) {
        return real.ranges(jobId);
    }

    @Override
    public Optional<RangeState> range(String jobId, String table, int index) {
        return real.range(jobId, table, index);
    }

    @Override
    public void saveRange(String jobId, RangeState state) {
        maybeCrash();
        real.saveRange(jobId, state);
    }

    @Override
    public void saveReport(String jobId, String reportJson) {
        real.saveReport(jobId, reportJson);
    }

    @Override
    public String reportLocation(String jobId) {
        return real.reportLocation(jobId);
    }
}
