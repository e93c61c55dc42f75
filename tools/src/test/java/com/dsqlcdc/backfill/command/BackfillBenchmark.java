package com.dsqlcdc.backfill.command;

import com.dsqlcdc.backfill.CommandTestbed;
import com.dsqlcdc.contract.StagingLayout;
import com.dsqlcdc.sql.catalog.TableCatalog;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The backfill benchmark ({@code tools/benchmark}): the {@code backfill} command, run as the operator
 * runs it, over a table of {@code rows} rows in the embedded PostgreSQL 16 source, staging into the S3
 * fake through the consumer's code, with 1, 2, 4 and 8 workers; then the real loader loads what the
 * last run staged into the warehouse (the project's Redshift SQL on the same PostgreSQL); then
 * {@code validate} compares the table's ranges. Prints Markdown. Memory per worker: the bytes each
 * worker thread allocated (ThreadMXBean), and the heap above the run's baseline, sampled every 50 ms:
 * after each pool's last collection (what survived: live data, about) and in use (garbage included).
 * The S3 fake keeps the staged objects in the same heap.
 */
public final class BackfillBenchmark {

    private static final String COLUMNS = """
            "primaryKey": ["order_id"], "columns": [
              {"name": "order_id", "type": "bigint"},
              {"name": "customer_id", "type": "uuid"},
              {"name": "total", "type": "numeric(12,2)"},
              {"name": "status", "type": "varchar(32)"},
              {"name": "placed_at", "type": "timestamptz"},
              {"name": "is_gift", "type": "boolean"},
              {"name": "notes", "type": "text"}
            ]""";
    /** The measured table, and a smaller one of the same shape backfilled first to warm the JIT up. */
    private static final String CATALOG = "{\"tables\": [{\"schema\": \"public\", \"name\": \"bench_orders\", "
            + COLUMNS + "}, {\"schema\": \"public\", \"name\": \"bench_warmup\", " + COLUMNS + "}]}";

    private static final int WARMUP_ROWS = 100_000;
    private static final int RANGE_ROWS = 50_000;
    private static final int[] WORKERS = {1, 2, 4, 8};

    private BackfillBenchmark() {}

    /** What one run measured. */
    record Measured(Duration took, long peakHeapAbove, long peakLiveAbove, Map<Long, Long> allocatedByWorker) {}

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        var os = ManagementFactory.getOperatingSystemMXBean();
        Instant started = Instant.now();
        System.out.printf(
                "Machine: %d cores, %s %s, JDK %s, max heap %,d MB; load average %.1f at the start, %s%n%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                Runtime.version(),
                Runtime.getRuntime().maxMemory() >> 20,
                os.getSystemLoadAverage(),
                started);
        try (CommandHarness harness = new CommandHarness()) {
            Path dir = Files.createTempDirectory("backfill-bench");
            Path catalogFile = dir.resolve("catalog.json");
            Files.writeString(catalogFile, CATALOG, StandardCharsets.UTF_8);
            TableCatalog catalog = TableCatalog.parse(CATALOG, "benchmark");
            harness.testbed.createSourceTables(catalog);
            harness.testbed.deployWarehouse(catalog);
            Instant filling = Instant.now();
            harness.testbed.sourceSql(fill("bench_orders", rows), fill("bench_warmup", WARMUP_ROWS), "VACUUM ANALYZE");
            System.out.printf(
                    "Source: public.bench_orders, %,d rows of 7 columns (bigint key, uuid, numeric, varchar, timestamptz,"
                            + " boolean, text of ~70 characters in 2 rows of 3), filled in %s. Ranges of %,d rows, pages"
                            + " of 1,000. Each backfill runs with --restart into an emptied staging bucket, after a"
                            + " warm-up backfill of %,d rows of the same shape.%n%n",
                    rows, seconds(Duration.between(filling, Instant.now())), RANGE_ROWS, WARMUP_ROWS);

            System.out.println("### Backfill to staged events, by workers");
            System.out.println();
            System.out.println("| workers | wall time | rows/s | allocated per worker | allocated per row"
                    + " | live heap above baseline, peak | heap in use above baseline, peak |");
            System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            backfill(harness, catalogFile, dir, "bench_warmup", 2);
            for (int workers : WORKERS) {
                clearStaged(harness);
                Measured m = measure(() -> backfill(harness, catalogFile, dir, "bench_orders", workers));
                long allocated = m.allocatedByWorker().values().stream()
                        .mapToLong(Long::longValue)
                        .sum();
                System.out.printf(
                        "| %d | %s | **%,.0f** | %,d MB | %,d bytes | %,d MB | %,d MB |%n",
                        workers,
                        seconds(m.took()),
                        rows / (m.took().toMillis() / 1000.0),
                        allocated / Math.max(1, m.allocatedByWorker().size()) >> 20,
                        allocated / rows,
                        m.peakLiveAbove() >> 20,
                        m.peakHeapAbove() >> 20);
            }

            System.out.println();
            System.out.println("### Loading what the last run staged (the real loader, one process)");
            System.out.println();
            int objects = stagedKeys(harness).size();
            Instant loading = Instant.now();
            harness.testbed.load(catalog);
            Duration load = Duration.between(loading, Instant.now());
            System.out.println("| staged objects | rows | wall time | rows/s |");
            System.out.println("| ---: | ---: | ---: | ---: |");
            System.out.printf(
                    "| %d | %,d | %s | **%,.0f** |%n", objects, rows, seconds(load), rows / (load.toMillis() / 1000.0));

            System.out.println();
            System.out.println("### Validating the table (source against the loaded state)");
            System.out.println();
            System.out.println("| workers | wall time | rows/s | result |");
            System.out.println("| ---: | ---: | ---: | --- |");
            for (int workers : new int[] {1, 4}) {
                String[] result = new String[1];
                Measured m = measure(() -> result[0] = validate(harness, catalogFile, dir, workers));
                System.out.printf(
                        "| %d | %s | **%,.0f** | %s |%n",
                        workers, seconds(m.took()), rows / (m.took().toMillis() / 1000.0), result[0]);
            }
            System.out.printf(
                    "%nLoad average %.1f at the end; the whole run took %s.%n",
                    os.getSystemLoadAverage(), seconds(Duration.between(started, Instant.now())));
        }
    }

    private static String fill(String table, int rows) {
        return "INSERT INTO public." + table + " SELECT i, md5(i::text)::uuid,"
                + " (i % 100000) / 100.0, (ARRAY['placed','paid','shipped','delivered'])[1 + i % 4],"
                + " timestamptz '2026-01-01 00:00:00+00' + i * interval '1 second', i % 7 = 0,"
                + " CASE WHEN i % 3 = 0 THEN NULL ELSE 'note ' || repeat(md5(i::text), 2) END"
                + " FROM generate_series(1, " + rows + ") i";
    }

    private static void backfill(CommandHarness harness, Path catalogFile, Path dir, String table, int workers) {
        check(
                harness.run(job(
                        "backfill",
                        catalogFile,
                        dir,
                        workers,
                        "--stream-id",
                        harness.activeStream,
                        "--staging-bucket",
                        CommandTestbed.STAGING_BUCKET,
                        "--restart",
                        table)),
                "backfill");
    }

    /** @return the validation's summary line */
    private static String validate(CommandHarness harness, Path catalogFile, Path dir, int workers) {
        CommandHarness.Run run =
                harness.run(job("validate", catalogFile, dir, workers, "--workgroup", "dsql-cdc", "bench_orders"));
        check(run, "validate");
        return run.out()
                .lines()
                .filter(l -> l.contains("ranges compared differ"))
                .findFirst()
                .orElse("?")
                .strip();
    }

    /** @return a job command's line: the options every run shares, then {@code more} */
    private static String[] job(String command, Path catalogFile, Path dir, int workers, String... more) {
        List<String> args = new ArrayList<>(List.of(
                command,
                "--cluster-id",
                CommandTestbed.CLUSTER,
                "--catalog",
                catalogFile.toString(),
                "--checkpoint-dir",
                dir.toString(),
                "--range-rows",
                Integer.toString(RANGE_ROWS),
                "--concurrency",
                Integer.toString(workers),
                "--progress-seconds",
                "3600"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    /** Heap in use after the last collection of each heap pool: what survived, i.e. live data, about. */
    private static long liveAfterGc() {
        long live = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                live += pool.getCollectionUsage().getUsed();
            }
        }
        return live;
    }

    /** A step that throws. */
    interface Step {
        void run() throws Exception;
    }

    private static Measured measure(Step step) throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long baseline = memory.getHeapMemoryUsage().getUsed();
        long liveBaseline = liveAfterGc();
        AtomicLong peak = new AtomicLong(baseline);
        AtomicLong peakLive = new AtomicLong(liveBaseline);
        Map<Long, Long> allocated = new ConcurrentHashMap<>();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                peakLive.accumulateAndGet(liveAfterGc(), Math::max);
                for (Thread t : Thread.getAllStackTraces().keySet()) {
                    if (t.getName().startsWith("backfill-worker-")) {
                        long bytes = threads.getThreadAllocatedBytes(t.getId());
                        if (bytes > 0) {
                            allocated.merge(t.getId(), bytes, Math::max);
                        }
                    }
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        Instant start = Instant.now();
        sampler.start();
        try {
            step.run();
        } finally {
            sampler.interrupt();
            sampler.join();
        }
        return new Measured(
                Duration.between(start, Instant.now()),
                peak.get() - baseline,
                peakLive.get() - liveBaseline,
                allocated);
    }

    private static void check(CommandHarness.Run run, String what) {
        if (run.exitCode() != 0) {
            throw new IllegalStateException(what + " exited " + run.exitCode() + ":\n" + run.out() + run.err());
        }
    }

    private static List<String> stagedKeys(CommandHarness harness) {
        List<String> keys = new ArrayList<>();
        String token = null;
        do {
            String from = token;
            ListObjectsV2Response page = harness.testbed
                    .s3Client()
                    .listObjectsV2(b -> b.bucket(CommandTestbed.STAGING_BUCKET)
                            .prefix(StagingLayout.STAGED)
                            .continuationToken(from));
            page.contents().stream().map(S3Object::key).forEach(keys::add);
            token = page.isTruncated() ? page.nextContinuationToken() : null;
        } while (token != null);
        return keys;
    }

    /** Deletes what earlier runs staged, so that the loader finds the last run's objects only. */
    private static void clearStaged(CommandHarness harness) {
        for (String key : stagedKeys(harness)) {
            harness.testbed
                    .s3Client()
                    .deleteObject(b -> b.bucket(CommandTestbed.STAGING_BUCKET).key(key));
        }
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
