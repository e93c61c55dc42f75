package com.dsqlcdc.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.loader.Loader;
import com.dsqlcdc.sql.catalog.CatalogColumn;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.ColumnType;
import com.dsqlcdc.sql.catalog.TableCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The ordering rules, as properties, on a real PostgreSQL source and the real pipeline: random tables
 * (composite keys, every catalog type), writers committing changes while the job runs, their CDC
 * records delivered duplicated and reordered through the consumer and loaded by the loader at random
 * points, and the job's process dying before checkpoints and running out of time, then resumed: once
 * everything is delivered and loaded, every live row of the warehouse's state tables was written by a
 * change whose image is exactly the source's final row, and every source row is there.
 *
 * <ul>
 *   <li>a first <b>backfill</b>, its rows dated at the stream's creation, against changes captured
 *       after it;
 *   <li>a <b>resync</b> after a gap in the stream (changes lost: updates, inserts, deletes), its rows
 *       dated at their page's read, its tombstones removing what the gap deleted.
 * </ul>
 */
class BackfillPropertyTest {

    private static Testbed testbed;
    private static final AtomicInteger TRIES = new AtomicInteger();

    @BeforeContainer
    static void start() throws Exception {
        testbed = new Testbed();
    }

    @AfterContainer
    static void stop() {
        testbed.close();
    }

    @Property(tries = 12, shrinking = ShrinkingMode.OFF)
    void aBackfillUnderConcurrentChangesEndsWithTheSourcesFinalState(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 2) int tables,
            @ForAll @IntRange(min = 0, max = 60) int rows,
            @ForAll @IntRange(min = 1, max = 3) int writers,
            @ForAll @IntRange(min = 1, max = 3) int concurrency,
            @ForAll @DoubleRange(min = 0.0, max = 0.3) double crashRate)
            throws Exception {
        Random random = new Random(seed);
        Scenario scenario = new Scenario(random, "b" + TRIES.incrementAndGet(), tables, rows);
        // Before the stream: rows and changes it never carries (only the snapshot sees them).
        scenario.seed(random, rows, r -> {});
        scenario.write(random, writers, 3, r -> {});

        Instant streamCreation = sourceNow();
        Thread.sleep(2);
        JobPlan plan = JobPlans.backfill(
                "backfill-" + TRIES.get(),
                Testbed.settings(2 + random.nextInt(10), 5 + random.nextInt(40), 0),
                streamCreation,
                scenario.catalog.tables(),
                scenario.catalog,
                Clock.systemUTC());
        scenario.runConcurrently(random, writers, 5 + random.nextInt(20), plan, concurrency, crashRate);
        scenario.assertWarehouseEqualsSource();
    }

    @Property(tries = 10, shrinking = ShrinkingMode.OFF)
    void aResyncAfterAGapEndsWithTheSourcesFinalState(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 2) int tables,
            @ForAll @IntRange(min = 0, max = 60) int rows,
            @ForAll @IntRange(min = 1, max = 3) int writers,
            @ForAll @IntRange(min = 1, max = 3) int concurrency,
            @ForAll @DoubleRange(min = 0.0, max = 0.3) double crashRate,
            @ForAll @IntRange(min = 0, max = 20) int marginMillis)
            throws Exception {
        Random random = new Random(seed);
        Scenario scenario = new Scenario(random, "r" + TRIES.incrementAndGet(), tables, rows);
        // The stream before the gap: everything delivered and loaded (the resync's precondition).
        List<String> before = Collections.synchronizedList(new ArrayList<>());
        scenario.seed(random, rows, before::add);
        scenario.write(random, writers, 5 + random.nextInt(10), before::add);
        scenario.delivery.deliver(before, random);
        testbed.load(scenario.catalog);

        // The gap: changes the stream lost.
        scenario.write(random, writers, 3 + random.nextInt(10), r -> {});

        // The stream again (recreated): it carries every change from its creation on.
        Instant gapEnd = sourceNow();
        Thread.sleep(marginMillis + 5L);
        JobPlan plan = JobPlans.resync(
                "resync-" + TRIES.get(),
                Testbed.settings(2 + random.nextInt(10), 5 + random.nextInt(40), marginMillis),
                gapEnd,
                scenario.catalog.tables(),
                scenario.catalog,
                Clock.systemUTC());
        scenario.runConcurrently(random, writers, 5 + random.nextInt(20), plan, concurrency, crashRate);
        scenario.assertWarehouseEqualsSource();
    }

    private static Instant sourceNow() throws Exception {
        try (Connection c = testbed.source();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT clock_timestamp()")) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class).toInstant();
        }
    }

    /** One try's tables, their writers and the stream's delivery. */
    private static final class Scenario {
        final TableCatalog catalog;
        final Map<CatalogTable, Writers> writers = new LinkedHashMap<>();
        final CdcDelivery delivery;

        Scenario(Random random, String prefix, int tables, int rows) throws Exception {
            List<String> names = new ArrayList<>();
            for (int t = 0; t < tables; t++) {
                names.add(prefix + "_" + (char) ('a' + t));
            }
            catalog = RandomTables.catalog(random, names);
            testbed.createSourceTables(catalog);
            testbed.deployWarehouse(catalog);
            for (CatalogTable table : catalog.tables()) {
                List<ColumnType> keyTypes = table.primaryKey().stream()
                        .map(k -> table.column(k).map(CatalogColumn::type).orElseThrow())
                        .toList();
                List<List<String>> pool = RandomTables.keys(random, keyTypes, rows + 20);
                writers.put(table, new Writers(testbed, table, pool));
            }
            delivery = new CdcDelivery(testbed, catalog);
        }

        void seed(Random random, int rows, java.util.function.Consumer<String> records) throws Exception {
            for (Writers w : writers.values()) {
                w.seed(random, random.nextInt(rows + 1), records);
            }
        }

        void write(Random random, int count, int transactions, java.util.function.Consumer<String> records)
                throws Exception {
            for (Writers w : writers.values()) {
                for (int i = 0; i < count; i++) {
                    w.write(random, i, count, transactions, records);
                }
            }
        }

        /**
         * Writers, the stream's delivery and the loader run while the job runs (and dies, and is
         * resumed); then the rest is delivered and loaded.
         */
        void runConcurrently(
                Random random, int count, int transactions, JobPlan plan, int concurrency, double crashRate)
                throws Exception {
            List<String> captured = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean writing = new AtomicBoolean(true);
            ExecutorService pool = Executors.newCachedThreadPool();
            long seed = random.nextLong();
            try {
                List<Future<?>> writerFutures = new ArrayList<>();
                for (Writers w : writers.values()) {
                    for (int i = 0; i < count; i++) {
                        int writer = i;
                        long writerSeed = seed + writer * 31L + w.hashCode();
                        writerFutures.add(pool.submit(() -> {
                            w.write(new Random(writerSeed), writer, count, transactions, captured::add);
                            return null;
                        }));
                    }
                }
                Future<?> streaming = pool.submit(() -> {
                    Random deliveries = new Random(seed ^ 0x5DEECE66DL);
                    Loader loader = testbed.loader(catalog);
                    int delivered = 0;
                    while (writing.get() || delivered < captured.size()) {
                        List<String> batch;
                        synchronized (captured) {
                            batch = new ArrayList<>(captured.subList(delivered, captured.size()));
                        }
                        delivery.deliver(batch, deliveries);
                        delivered += batch.size();
                        if (deliveries.nextBoolean()) {
                            loader.drain(Instant.MAX);
                        }
                        Thread.sleep(deliveries.nextInt(15));
                    }
                    return null;
                });

                JobReport report = runToCompletion(plan, random, concurrency, crashRate);
                assertThat(report.complete()).isTrue();
                assertThat(report.skippedRows()).isZero();
                for (Future<?> f : writerFutures) {
                    f.get();
                }
                writing.set(false);
                streaming.get();
            } finally {
                writing.set(false);
                pool.shutdownNow();
            }
            testbed.load(catalog);
        }

        private JobReport runToCompletion(JobPlan plan, Random random, int concurrency, double crashRate)
                throws Exception {
            Path checkpoint = Files.createTempDirectory("job").resolve("checkpoint.json");
            int flushRows = 1 + random.nextInt(25);
            for (int attempt = 0; attempt < 2_000; attempt++) {
                // A new process each time: the checkpoint file is all it knows.
                FileJobStore file = new FileJobStore(checkpoint);
                JobStore store = new CrashingStore(file, random.nextLong(), crashRate);
                JobPlan current = file.plan(plan.jobId()).orElse(plan);
                JobRunner runner = testbed.runner(catalog, current, store, concurrency, flushRows);
                try {
                    JobPlan planned = current.complete() ? current : runner.plan(current);
                    // Now and then a short budget: the job stops mid-range, like a Lambda worker.
                    Instant deadline =
                            random.nextInt(4) == 0 ? Instant.now().plusMillis(random.nextInt(200)) : Instant.MAX;
                    runner.run(planned, deadline);
                    JobReport report = JobReport.of(planned, file.ranges(plan.jobId()), catalog);
                    if (report.complete()) {
                        return report;
                    }
                } catch (CrashingStore.Crash expected) {
                    // the process died; the next attempt resumes from the checkpoint
                }
            }
            throw new AssertionError("the job did not complete in 2,000 attempts");
        }

        void assertWarehouseEqualsSource() throws Exception {
            for (CatalogTable table : catalog.tables()) {
                assertThat(testbed.warehouseImages(table))
                        .as("the live rows of %s", table.qualifiedName())
                        .isEqualTo(testbed.sourceImages(table));
            }
            assertThat(testbed.s3.objects(CdcDelivery.QUARANTINE_BUCKET)).isEmpty();
        }
    }
}
