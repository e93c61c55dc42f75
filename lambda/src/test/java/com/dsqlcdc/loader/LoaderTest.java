package com.dsqlcdc.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.consumer.testing.TestContext;
import com.dsqlcdc.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/** The loader's loop and handler, with the run's work replaced (the runs themselves: LoadRunSqlOnPostgresTest). */
class LoaderTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T10:00:00Z"));
    private final MemoryStaging staging = new MemoryStaging(clock);
    private final List<List<String>> runs = new CopyOnWriteArrayList<>();

    /** A run that loads and deletes what it is given, taking a minute. */
    private final Loader.Run deleting = (runId, objects, deadline) -> {
        List<String> keys = objects.stream().map(StagedObject::key).toList();
        runs.add(keys);
        staging.delete(keys);
        clock.advance(Duration.ofMinutes(1));
        return result(runId, objects);
    };

    private static LoadRun.Result result(String runId, List<StagedObject> objects) {
        return new LoadRun.Result(
                runId,
                objects.size(),
                objects.stream().mapToLong(StagedObject::size).sum(),
                Map.of("public.orders", (long) objects.size()),
                objects.size(),
                Map.of("public.orders", (long) objects.size()),
                List.of(),
                1,
                Duration.ofMinutes(1),
                Duration.ofMinutes(2));
    }

    private void stage(String key, int bytes) {
        staging.stage(key, new byte[bytes]);
        clock.advance(Duration.ofSeconds(1));
    }

    @Test
    void everythingStagedIsLoadedOldestFirstInRunsWithinTheLimits() {
        stage("staged/s/c", 10);
        stage("staged/s/a", 10);
        stage("staged/s/b", 50);
        stage("staged/s/d", 10);
        Loader loader = new Loader(staging, deleting, new Loader.Limits(2, 60, Duration.ofMinutes(4)), clock);

        Loader.Report report = loader.drain(clock.instant().plus(Duration.ofHours(1)));

        assertThat(runs).containsExactly(List.of("staged/s/c", "staged/s/a"), List.of("staged/s/b", "staged/s/d"));
        assertThat(report.stagedBefore()).isEqualTo(4);
        assertThat(report.oldestBefore()).contains(Duration.ofSeconds(4));
        assertThat(report.stagedAfter()).isZero();
        assertThat(report.failure()).isEmpty();
        assertThat(report.runs()).hasSize(2);
    }

    @Test
    void anObjectOverTheByteLimitStillGoesAloneAndWhatArrivesMeanwhileWaitsForTheNextInvocation() {
        stage("staged/s/big", 1_000);
        Loader loader = new Loader(
                staging,
                (runId, objects, deadline) -> {
                    LoadRun.Result r = deleting.load(runId, objects, deadline);
                    if (runs.size() == 1) {
                        stage("staged/s/late", 1);
                    }
                    return r;
                },
                new Loader.Limits(10, 100, Duration.ZERO),
                clock);
        Loader.Report first = loader.drain(Instant.MAX);
        assertThat(runs).containsExactly(List.of("staged/s/big"));
        assertThat(first.stagedAfter()).isZero();
        loader.drain(Instant.MAX);
        assertThat(runs).containsExactly(List.of("staged/s/big"), List.of("staged/s/late"));
    }

    @Test
    void noRunStartsWithLessThanItsBudgetLeft() {
        stage("staged/s/a", 1);
        stage("staged/s/b", 1);
        Loader loader = new Loader(staging, deleting, new Loader.Limits(1, 100, Duration.ofMinutes(4)), clock);
        // One run (a minute) fits before the deadline with its 4-minute budget; the second does not.
        Loader.Report report = loader.drain(clock.instant().plus(Duration.ofMinutes(5)));
        assertThat(runs).hasSize(1);
        assertThat(report.stagedAfter()).isEqualTo(1);
    }

    @Test
    void aFailedRunStopsTheDrainAndLeavesItsObjectsStaged() {
        stage("staged/s/a", 1);
        stage("staged/s/b", 1);
        Loader loader = new Loader(
                staging,
                (runId, objects, deadline) -> {
                    throw new Warehouse.WarehouseException("FAILED: ERROR: disk full");
                },
                new Loader.Limits(1, 100, Duration.ZERO),
                clock);
        Loader.Report report = loader.drain(Instant.MAX);
        assertThat(report.failure()).get().asString().contains("disk full");
        assertThat(report.runs()).isEmpty();
        assertThat(staging.listStaged()).hasSize(2);
    }

    @Test
    void anObjectLoadedButNotDeletedIsLoadedOncePerInvocationNotOverAndOver() {
        stage("staged/s/a", 1);
        Loader loader = new Loader(
                staging,
                (runId, objects, deadline) -> {
                    runs.add(objects.stream().map(StagedObject::key).toList());
                    return result(runId, objects); // its delete failed: the object is still listed
                },
                new Loader.Limits(10, 100, Duration.ZERO),
                clock);
        Loader.Report report = loader.drain(Instant.MAX);
        assertThat(runs).hasSize(1);
        assertThat(report.stagedAfter()).isZero();
        assertThat(loader.drain(Instant.MAX).runs()).hasSize(1);
    }

    @Test
    void theHandlerPublishesTheBacklogEvenWhenNothingIsStaged() {
        Loader loader = new Loader(staging, deleting, new Loader.Limits(1, 100, Duration.ZERO), clock);
        Map<String, Object> summary =
                handler(loader, Duration.ofMinutes(5)).handleRequest(Map.of(), new TestContext(900_000));
        assertThat(summary).containsEntry("loads", 1).containsEntry("runs", 0).containsEntry("stagedAfter", 0);
    }

    @Test
    void belowAMinuteOneInvocationLoadsOncePerIntervalForItsMinute() {
        List<Instant> drains = new ArrayList<>();
        MemoryStaging counting = staging;
        Loader counted = new Loader(
                new StagingStore() {
                    @Override
                    public List<StagedObject> listStaged() {
                        drains.add(clock.instant());
                        return counting.listStaged();
                    }

                    @Override
                    public String putManifest(String runId, List<StagedObject> objects) {
                        return counting.putManifest(runId, objects);
                    }

                    @Override
                    public void delete(List<String> keys) {
                        counting.delete(keys);
                    }

                    @Override
                    public String url(String key) {
                        return counting.url(key);
                    }
                },
                deleting,
                new Loader.Limits(1, 100, Duration.ZERO),
                clock);
        Map<String, Object> summary =
                handler(counted, Duration.ofSeconds(20)).handleRequest(Map.of(), new TestContext(900_000));
        assertThat(summary).containsEntry("loads", 3);
        assertThat(drains)
                .containsExactly(
                        Instant.parse("2026-12-02T10:00:00Z"),
                        Instant.parse("2026-12-02T10:00:20Z"),
                        Instant.parse("2026-12-02T10:00:40Z"));
    }

    @Test
    void aFailedRunFailsTheInvocationAfterItsFiguresArePublished() {
        stage("staged/s/a", 1);
        Loader loader = new Loader(
                staging,
                (runId, objects, deadline) -> {
                    throw new Warehouse.WarehouseException(
                            "FAILED: ERROR: permission denied for relation orders_state");
                },
                new Loader.Limits(1, 100, Duration.ZERO),
                clock);
        assertThatThrownBy(
                        () -> handler(loader, Duration.ofMinutes(5)).handleRequest(Map.of(), new TestContext(900_000)))
                .hasMessageContaining("its staged objects stay staged")
                .hasMessageContaining("permission denied");
        assertThat(staging.listStaged()).hasSize(1);
    }

    private LoaderHandler handler(Loader loader, Duration interval) {
        return new LoaderHandler(
                loader,
                new LoaderMetrics(MetricsFactory.getMetricsInstance(), "DsqlCdcPipelineTest"),
                interval,
                clock::advance,
                clock);
    }

    @Test
    void theSettingsComeFromTheLoadersEnvironmentWithEveryProblemNamed() {
        LoaderSettings settings = LoaderSettings.from(Map.of(
                "STAGING_BUCKET", "stage",
                "COPY_ROLE_ARN", "arn:aws:iam::123456789012:role/copy",
                "WORKGROUP_NAME", "wg",
                "DATABASE_NAME", "dev",
                "LOAD_INTERVAL_SECONDS", "900",
                "LOG_RETENTION_DAYS", "30"));
        assertThat(settings.loadInterval()).isEqualTo(Duration.ofMinutes(15));
        assertThat(settings.pruning().logRetentionDays()).isEqualTo(30);
        assertThat(settings.pruning().loadedBatchRetentionDays()).isEqualTo(14);
        assertThat(settings.maxObjectsPerRun()).isEqualTo(2000);
        assertThat(settings.maxBytesPerRun()).isEqualTo(2048L * 1024 * 1024);
        assertThatThrownBy(() -> LoaderSettings.from(Map.of("LOAD_INTERVAL_SECONDS", "5")))
                .hasMessageContaining("STAGING_BUCKET is not set")
                .hasMessageContaining("WORKGROUP_NAME is not set")
                .hasMessageContaining("LOAD_INTERVAL_SECONDS=5 is not a whole number in 10-86400");
    }
}
