package com.dsqlcdc.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.dsqlcdc.bench.PipelineSimulation.Config;
import com.dsqlcdc.bench.PipelineSimulation.Design;
import com.dsqlcdc.bench.PipelineSimulation.Result;
import com.dsqlcdc.testing.cost.WarehouseCostModel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's simulation keeps the properties its figures rest on: what the per-batch design
 * and the loader commit, how Serverless bills them, when a backlog is unbounded. Short simulated
 * runs (40 minutes, a fraction of a second each).
 */
class PipelineSimulationTest {

    private static final Config BASE = new Config(
            Design.PER_BATCH,
            4,
            1000,
            WarehouseCostModel.central(),
            Duration.ofSeconds(300),
            2000,
            Duration.ofSeconds(5),
            2,
            50,
            Duration.ofMillis(20),
            1400,
            10,
            50,
            1_000_000,
            Duration.ofSeconds(1),
            Duration.ofMinutes(40),
            Duration.ofMinutes(10),
            7);

    private static Result run(Design design, int shards, double rate, int intervalSeconds) {
        return PipelineSimulation.run(BASE.with(design, shards, rate, Duration.ofSeconds(intervalSeconds)));
    }

    @Test
    void thePerBatchDesignCommitsOncePerConsumerInvocationSoCommitsGrowWithShards() {
        Result four = run(Design.PER_BATCH, 4, 1000, 300);
        Result thirtyTwo = run(Design.PER_BATCH, 32, 1000, 300);

        assertThat(four.bounded()).isTrue();
        // 8 slots of 125 rows/s, a batch per 5 s window plus its COPY: roughly 8 / 7.5 s.
        assertThat(four.commitsPerMinute()).isBetween(50.0, 100.0);
        assertThat(four.commitsPerMinute() * four.meanBatchRows()).isCloseTo(60_000, within(600.0));
        // 64 slots want ~700 commits a minute; one commit at a time of 300 ms allows 200.
        assertThat(thirtyTwo.commitsPerMinute()).isCloseTo(200, within(1.0));
        assertThat(thirtyTwo.commitWait()).isGreaterThan(5);
        assertThat(thirtyTwo.p50()).isGreaterThan(four.p50() * 2);
    }

    @Test
    void theLoaderCommitsAConstantPerRunAndRunsOncePerIntervalWhileTheObjectsFitOneRun() {
        Result four = run(Design.LOADER, 4, 1000, 300);
        Result thirtyTwo = PipelineSimulation.run(
                BASE.with(Design.LOADER, 32, 1000, Duration.ofSeconds(300)).withWindow(Duration.ofSeconds(60)));

        // 30 measured minutes, a run every 5: 6 runs of 3 commits (the COPY's and the sources'
        // temporary tables, and the one that appends and merges the catalog's 4 tables).
        assertThat(four.loaderRuns()).isEqualTo(6);
        assertThat(four.commitsPerMinute()).isCloseTo(18 / 30.0, within(0.01));
        assertThat(thirtyTwo.loaderRuns()).isEqualTo(6);
        assertThat(thirtyTwo.commitsPerMinute()).isCloseTo(four.commitsPerMinute(), within(0.01));
        assertThat(four.p99())
                .as("a row waits for the next run at most an interval, plus the run")
                .isBetween(300.0, 300.0 + 60);
    }

    @Test
    void moreObjectsThanARunTakesMeanMoreRunsPerInterval() {
        // 64 slots, a 5 s window: 3,840 objects every 5 minutes, two runs of at most 2,000.
        Result thirtyTwo = run(Design.LOADER, 32, 1000, 300);

        assertThat(thirtyTwo.loaderRuns()).isEqualTo(12);
        assertThat(thirtyTwo.commitsPerMinute()).isCloseTo(36 / 30.0, within(0.01));
    }

    @Test
    void serverlessBillsAMinuteForEveryRunThatStartsAfterTheLastMinuteEnded() {
        Result everyFiveMinutes = run(Design.LOADER, 4, 1000, 300);
        Result everyMinute = run(Design.LOADER, 4, 1000, 60);
        Result perBatch = run(Design.PER_BATCH, 4, 1000, 300);

        assertThat(everyFiveMinutes.activeSecondsPerHour()).isLessThan(60 * 12);
        assertThat(everyFiveMinutes.billedSecondsPerHour()).isCloseTo(60 * 12, within(1.0));
        assertThat(everyMinute.billedSecondsPerHour()).isCloseTo(3600, within(1.0));
        // Statement after statement, each gap shorter than a minute: billed nearly all the time.
        assertThat(perBatch.activeSecondsPerHour()).isLessThan(3600 * 0.9);
        assertThat(perBatch.billedSecondsPerHour()).isGreaterThan(3600 * 0.98);
    }

    @Test
    void aRateBeyondWhatTheWarehouseCanCommitLeavesAnUnboundedBacklog() {
        // At most 200 commits a minute of at most 2,000 rows: under 6,700 rows/s.
        assertThat(run(Design.PER_BATCH, 32, 5_000, 300).bounded()).isTrue();
        Result over = run(Design.PER_BATCH, 32, 9_000, 300);
        assertThat(over.bounded()).isFalse();
        assertThat(over.backlogGrowth()).isGreaterThan(1_000);
    }

    @Test
    void aLoaderThatReListsWhileAnythingIsStagedRunsBackToBack() {
        Result relisting = run(Design.LOADER_RELIST, 4, 1000, 300);

        assertThat(relisting.loaderRuns()).isGreaterThan(100);
        assertThat(relisting.billedSecondsPerHour()).isGreaterThan(3600 * 0.98);
    }
}
