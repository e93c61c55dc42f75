package com.dsqlcdc.bench;

import com.dsqlcdc.bench.PipelineSimulation.Config;
import com.dsqlcdc.bench.PipelineSimulation.Design;
import com.dsqlcdc.bench.PipelineSimulation.Result;
import com.dsqlcdc.testing.FakeS3;
import com.dsqlcdc.testing.SigV4Verifier;
import com.dsqlcdc.testing.cost.WarehouseCostModel;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pipeline's benchmark (run it with {@code lambda/benchmark}; figures in
 * {@code docs/benchmarks.md}). One run prints, as Markdown:
 *
 * <ol>
 *   <li>the machine;
 *   <li>the consumer's throughput on one thread, measured ({@link ConsumerThroughput});
 *   <li>the consumer's and the loader's cold init in a fresh JVM, measured ({@link ColdInit});
 *   <li>what a current-state read scans, table against log view, measured on embedded PostgreSQL
 *       ({@link CurrentStateReadCost});
 *   <li>the warehouse's cost model ({@link WarehouseCostModel}) with every figure's source;
 *   <li>the per-batch design against the loader at 4, 32 and 128 shards, simulated in virtual time
 *       ({@link PipelineSimulation}) with the measured consumer, the loader's real statements and the
 *       cost model: the highest sustained arrival rate, and at 1,000 rows/s the commits per minute,
 *       landed latency p50/p99, billed warehouse time and Data API calls; for the central costs and
 *       again for the cheap and the dear end of every assumed range.
 * </ol>
 */
public final class PipelineBenchmark {

    /** Lambda gives a function one vCPU at 1,769 MB and CPU in proportion below (AWS Lambda documentation). */
    static final double FULL_VCPU_MB = 1769;
    /** The consumer's configured memory (consumer.memoryMb's default). */
    static final double CONSUMER_MB = 1024;
    /** Kinesis: 1,000 records/s and 1 MB/s written per shard (AWS facts §3): ~1,000 rows/s of ~1 KB. */
    static final double SHARD_ROWS_PER_SECOND = 1_000;
    /** The common operating point: the same changes per second whatever the shard count. */
    static final double OPERATING_ROWS_PER_SECOND = 1_000;

    static final int[] SHARDS = {4, 32, 128};

    private PipelineBenchmark() {}

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        System.out.println("# Pipeline benchmark");
        System.out.println();
        System.out.printf(
                "Machine: %d cores, %s, %s %s (%s), load average %.2f at the start; %s.%n%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.arch"),
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"),
                System.getProperty("os.name"),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Instant.now());

        ConsumerThroughput.Figures consumer = ConsumerThroughput.measure();
        System.out.println("## Consumer, one thread (measured)");
        System.out.println();
        System.out.printf(
                "- decode + stage (parse, validate, key, event id, staged line, gzip): **%,.0f records/s** (%.1f µs a record)%n",
                consumer.decodeAndStage(), consumer.microsPerRow());
        System.out.printf(
                "- the Lambda's BatchProcessor with a real PUT per 2,000-record batch to a local S3 fake: **%,.0f records/s**%n",
                consumer.withPut());
        System.out.printf(
                "- staged line: %,d bytes (uncompressed, as COPY parses it); gzip level 1 shrinks objects %.1f×%n%n",
                consumer.lineBytes(), consumer.compression());

        coldInit();

        System.out.println("## Current-state read (measured on embedded PostgreSQL 16)");
        System.out.println();
        System.out.println("`SELECT *` of `orders`' current state, 10,000 keys (one in ten deleted last), after 10 and"
                + " after 100 changes per key; `EXPLAIN ANALYZE`, rows read by the plan's scans, median of 3:");
        System.out.println();
        System.out.println("| changes in the log | read | rows scanned | rows returned | time |");
        System.out.println("| ---: | --- | ---: | ---: | ---: |");
        CurrentStateReadCost.Figures read = null;
        for (long events : new long[] {100_000, 1_000_000}) {
            read = CurrentStateReadCost.measure(10_000, events);
            System.out.printf(
                    "| %,d | `orders_current` (state table) | %,d | %,d | %.1f ms |%n",
                    read.events(),
                    read.table().rowsScanned(),
                    read.table().rowsReturned(),
                    read.table().millis());
            System.out.printf(
                    "| %,d | `orders_log_latest` (latest per key over the log) | %,d | %,d | %.1f ms |%n",
                    read.events(),
                    read.log().rowsScanned(),
                    read.log().rowsReturned(),
                    read.log().millis());
        }
        System.out.println();
        System.out.printf(
                "Scaled to a table of 1M rows after 100M events: the table read scans the 1M state rows"
                        + " (tombstones included) whatever the history; the log view scans the table's 100M"
                        + " events (%.0f× the state here at %,d events per key, 100× there) and sorts them for"
                        + " its window.%n%n",
                (double) read.log().rowsScanned() / read.table().rowsScanned(), read.events() / read.keys());

        System.out.println("## The warehouse's cost model");
        System.out.println();
        WarehouseCostModel central = WarehouseCostModel.central();
        WarehouseCostModel low = WarehouseCostModel.optimistic();
        WarehouseCostModel high = WarehouseCostModel.pessimistic();
        System.out.println("| figure | central | optimistic | pessimistic | source |");
        System.out.println("| --- | ---: | ---: | ---: | --- |");
        for (int i = 0; i < central.figures().size(); i++) {
            WarehouseCostModel.Figure f = central.figures().get(i);
            System.out.printf(
                    "| %s | %s | %s | %s | %s |%n",
                    f.name(),
                    f.value(),
                    low.figures().get(i).value(),
                    high.figures().get(i).value(),
                    f.source());
        }
        System.out.println();

        Config base = new Config(
                Design.PER_BATCH,
                4,
                OPERATING_ROWS_PER_SECOND,
                central,
                Duration.ofSeconds(300),
                2000,
                Duration.ofSeconds(5),
                2,
                consumer.microsPerRow() * FULL_VCPU_MB / CONSUMER_MB,
                Duration.ofMillis(20),
                consumer.lineBytes(),
                consumer.compression(),
                50,
                1_000_000,
                Duration.ofSeconds(1),
                Duration.ofHours(2),
                Duration.ofMinutes(10),
                42);
        System.out.println("## Per-batch design against the loader (simulated)");
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "Event source mapping: batches of %d, %d s window, parallelization %d; consumer %.1f µs a row"
                        + " (measured, scaled to a %.0f MB Lambda's CPU share), 20 ms a invocation, PUT at 50 MB/s;"
                        + " rows of %,d bytes spread over the catalog's tables of 1M rows each; DSQL → Kinesis 1 s"
                        + " (both alike). Each run simulates 2 h (the first 10 min not measured).%n%n",
                base.batchSize(),
                base.window().toSeconds(),
                base.parallelization(),
                base.consumerMicrosPerRow(),
                CONSUMER_MB,
                base.lineBytes());
        for (WarehouseCostModel model : List.of(central, low, high)) {
            compare(base.withCosts(model));
        }
        System.out.printf("The run took %.0f s.%n", (System.nanoTime() - started) / 1e9);
    }

    /** A design with its load interval and the event source mapping's batching window. */
    private record Variant(Design design, Duration interval, Duration window) {}

    private static final Duration WINDOW = Duration.ofSeconds(5);

    private static final List<Variant> VARIANTS = List.of(
            new Variant(Design.PER_BATCH, Duration.ofSeconds(300), WINDOW),
            new Variant(Design.LOADER, Duration.ofSeconds(60), WINDOW),
            new Variant(Design.LOADER, Duration.ofSeconds(300), WINDOW),
            new Variant(Design.LOADER, Duration.ofSeconds(300), Duration.ofSeconds(60)),
            new Variant(Design.LOADER_RELIST, Duration.ofSeconds(300), WINDOW));

    private static void compare(Config base) {
        System.out.printf("### Cost model: %s%n%n", base.costs().name());
        System.out.println("| design | shards | sustained rows/s | at 1,000 rows/s: commits/min | landed p50 | p99"
                + " | busy s/h: billed (active) | $/month at 4 / 8 RPU | Data API calls/s | rows per consumer batch |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int shards : SHARDS) {
            for (Variant v : VARIANTS) {
                Config config = base.with(v.design(), shards, OPERATING_ROWS_PER_SECOND, v.interval())
                        .withWindow(v.window());
                Result r = PipelineSimulation.run(config);
                String sustained = sustained(config);
                double billedHoursPerMonth = r.billedSecondsPerHour() / 3600 * 730;
                double dollars = billedHoursPerMonth * base.costs().dollarsPerRpuHour();
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %d | %s | %s | %s | %s | %,.0f (%,.0f) | $%,.0f / $%,.0f | %.2f | %,.0f |%n",
                        config.label(),
                        shards,
                        sustained,
                        r.bounded() ? String.format(Locale.ROOT, "%.1f", r.commitsPerMinute()) : "—",
                        r.bounded() ? seconds(r.p50()) : "unbounded",
                        r.bounded() ? seconds(r.p99()) : "(backlog grows)",
                        r.billedSecondsPerHour(),
                        r.activeSecondsPerHour(),
                        dollars * 4,
                        dollars * 8,
                        r.executeCallsPerSecond() + r.describeCallsPerSecond(),
                        r.meanBatchRows());
            }
        }
        System.out.println();
    }

    /**
     * The highest arrival rate whose backlog stays bounded: a geometric bisection between 100 rows/s
     * and four times what the shards can carry, on 1-hour runs.
     */
    static String sustained(Config config) {
        double cap = config.shards() * SHARD_ROWS_PER_SECOND;
        Config search = config.withDuration(Duration.ofHours(1), Duration.ofMinutes(10));
        double lo = 100;
        double hi = 4 * cap;
        if (PipelineSimulation.run(search.withRate(hi)).bounded()) {
            return String.format(Locale.ROOT, "> %,.0f (stream: %,.0f)", hi, cap);
        }
        if (!PipelineSimulation.run(search.withRate(lo)).bounded()) {
            return "< 100";
        }
        for (int i = 0; i < 10; i++) {
            double mid = Math.sqrt(lo * hi);
            if (PipelineSimulation.run(search.withRate(mid)).bounded()) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo >= cap
                ? String.format(Locale.ROOT, "%,.0f (stream: %,.0f)", lo, cap)
                : String.format(Locale.ROOT, "**%,.0f**", lo);
    }

    private static String seconds(double s) {
        return s < 100 ? String.format(Locale.ROOT, "%.1f s", s) : String.format(Locale.ROOT, "%.0f s", s);
    }

    // ---- cold init --------------------------------------------------------------------------------------

    private static void coldInit() throws Exception {
        System.out.println("## Cold init, fresh JVM, no SnapStart (measured)");
        System.out.println();
        Path jar = Path.of("target/consumer.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            System.out.println("Skipped: " + jar + " is missing (the benchmark script packages it).");
            System.out.println();
            return;
        }
        Path classes = Files.createTempDirectory("cold-init");
        Path target = classes.resolve("com/dsqlcdc/bench/ColdInit.class");
        Files.createDirectories(target.getParent());
        Files.copy(Path.of("target/test-classes/com/dsqlcdc/bench/ColdInit.class"), target);
        System.out.println("| function | JVM | JVM start → handler ready, 3 runs | of which the constructor |");
        System.out.println("| --- | --- | --- | --- |");
        try (FakeS3 s3 = FakeS3.start()) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("QUARANTINE_BUCKET", "quarantine");
            env.put("STAGING_BUCKET", "staging");
            env.put("COPY_ROLE_ARN", "arn:aws:iam::123456789012:role/copy");
            env.put("WORKGROUP_NAME", "wg");
            env.put("DATABASE_NAME", "dev");
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_ACCESS_KEY_ID", SigV4Verifier.ACCESS_KEY);
            env.put("AWS_SECRET_ACCESS_KEY", SigV4Verifier.SECRET_KEY);
            env.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
            env.put("AWS_ENDPOINT_URL_REDSHIFT_DATA", "http://127.0.0.1:9");
            for (String function : List.of("consumer", "loader")) {
                for (String java : jvms()) {
                    List<String> ready = new ArrayList<>();
                    List<String> constructor = new ArrayList<>();
                    for (int run = 1; run <= 3; run++) {
                        Map<String, String> times = runColdInit(java, jar, classes, function, env);
                        ready.add(times.getOrDefault("jvm_start_to_handler_ready_ms", "?") + " ms");
                        constructor.add(times.getOrDefault("constructor_ms", "?") + " ms");
                    }
                    System.out.printf(
                            "| %s | %s | %s | %s |%n",
                            function, javaVersion(java), String.join(", ", ready), String.join(", ", constructor));
                }
            }
        }
        System.out.println();
    }

    private static Map<String, String> runColdInit(
            String java, Path jar, Path classes, String function, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(
                        java, "-cp", jar + File.pathSeparator + classes, "com.dsqlcdc.bench.ColdInit", function)
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        Process process = pb.start();
        Map<String, String> times = new LinkedHashMap<>();
        String last = "";
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("COLD_INIT")) {
                    for (String part : line.split(" ")) {
                        int eq = part.indexOf('=');
                        if (eq > 0) {
                            times.put(part.substring(0, eq), part.substring(eq + 1));
                        }
                    }
                } else if (!line.isBlank()) {
                    last = line;
                }
            }
        }
        int exit = process.waitFor();
        if (times.isEmpty() || exit != 0) {
            throw new IllegalStateException(function + " cold init failed (exit " + exit + "): " + last);
        }
        return times;
    }

    /** This JVM, and a Java 25 JDK when one is installed (or the one COLD_INIT_JAVA names). */
    private static List<String> jvms() throws Exception {
        List<String> jvms = new ArrayList<>();
        jvms.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String configured = System.getenv("COLD_INIT_JAVA");
        if (configured != null && !configured.isBlank()) {
            jvms.add(configured);
        } else if (Files.isDirectory(Path.of("/usr/lib/jvm"))) {
            try (var dirs = Files.list(Path.of("/usr/lib/jvm"))) {
                dirs.filter(d -> d.getFileName().toString().contains("25"))
                        .map(d -> d.resolve("bin/java"))
                        .filter(Files::isExecutable)
                        .findFirst()
                        .ifPresent(j -> jvms.add(j.toString()));
            }
        }
        return jvms;
    }

    private static String javaVersion(String java) {
        Path home = Path.of(java).getParent().getParent();
        try {
            Path release = home.resolve("release");
            if (Files.exists(release)) {
                for (String line : Files.readAllLines(release)) {
                    if (line.startsWith("JAVA_VERSION=")) {
                        return "JDK " + line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    }
                }
            }
        } catch (java.io.IOException e) {
            return home.toString();
        }
        return home.toString();
    }
}
