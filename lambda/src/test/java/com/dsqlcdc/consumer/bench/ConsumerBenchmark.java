package com.dsqlcdc.consumer.bench;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.dsqlcdc.clients.dataapi.DataApiStatements;
import com.dsqlcdc.consumer.decode.ChangeDecoder;
import com.dsqlcdc.consumer.decode.Decoded;
import com.dsqlcdc.consumer.testing.ConsumerHarness;
import com.dsqlcdc.consumer.testing.TestContext;
import com.dsqlcdc.consumer.write.InsertStatementBuilder;
import com.dsqlcdc.contract.env.ConsumerEnvironment;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.testing.FakeRedshiftDataApi;
import com.dsqlcdc.testing.FakeS3;
import com.dsqlcdc.testing.KinesisEvents;
import com.dsqlcdc.testing.KinesisEvents.Item;
import com.dsqlcdc.testing.SigV4Verifier;
import com.fasterxml.jackson.core.JsonFactory;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.SqlParameter;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;

/**
 * The consumer's benchmark (run it with {@code lambda/benchmark}). In one run, against a local
 * fake Data API that takes 250 ms per statement and allows 30 ExecuteStatement calls per second
 * (the account quota), and a local fake S3, with ~1 KB rows:
 * <ol>
 *   <li>the seed design: 40-row parameterised INSERTs sent one after another, each polled to
 *       completion before the next;</li>
 *   <li>this consumer (the real handler): rows per second, statements per 1,000 rows, and the
 *       time to land one batch of 100 records;</li>
 *   <li>this consumer sustained with the bulk (COPY) path: batch sizes up to the 6 MB payload
 *       cap × 1-8 concurrent batches sharing one quota, against the seed's rows per second from
 *       the same run ({@link ShardedLoad});</li>
 *   <li>the INSERT/COPY crossover one batch at a time, which the bulk thresholds' defaults come
 *       from ({@link PathCrossover}), and the per-batch-size figures the event source mapping's
 *       defaults come from;</li>
 *   <li>decode + validate + SQL building on one core, records per second;</li>
 *   <li>the handler's cold init in a fresh JVM without SnapStart.</li>
 * </ol>
 */
public final class ConsumerBenchmark {

    private static final Duration LATENCY = Duration.ofMillis(250);
    private static final int EXECUTE_PER_SECOND = 30;
    private static final int ROW_BYTES = 1_000;
    /** How long each sustained configuration runs. */
    private static final Duration SUSTAIN = Duration.ofSeconds(5);
    /** The event source mapping's largest parallelization factor: concurrent batches per shard. */
    private static final int MAX_PARALLELIZATION = 10;
    /** A Kinesis shard's write limit in records per second. */
    private static final int SHARD_RECORDS_PER_SECOND = 1_000;

    private ConsumerBenchmark() {}

    public static void main(String[] args) throws Exception {
        System.out.printf(
                "machine: %d cores, %s %s, %s%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"),
                System.getProperty("os.arch"));
        System.out.printf(
                "fake Data API: %d ms per statement, %d ExecuteStatement/s; rows of ~%d bytes%n%n",
                LATENCY.toMillis(), EXECUTE_PER_SECOND, ROW_BYTES);
        warmUp();

        double seed100 = median(3, () -> seedDesign(100));
        double ours100 = median(3, () -> consumer(100).seconds);
        Run one = consumer(100);
        System.out.printf(
                "  (this consumer: %d statements for 100 records, statement latencies %s ms)%n",
                one.statements, one.latenciesMs);
        System.out.printf(
                "one batch of 100 records:  seed %.0f ms   this consumer %.0f ms   (%.1fx faster; goal: at most half the seed's time)%n",
                seed100 * 1000, ours100 * 1000, seed100 / ours100);

        int rows = 3_000;
        double seedBulk = seedDesign(rows);
        Run oursBulk = consumer(rows);
        System.out.printf(
                "%d records, batches of 500: seed %.0f rows/s, %.0f statements per 1,000 rows%n",
                rows, rows / seedBulk, 1000.0 / 40);
        System.out.printf(
                "%d records, batches of 500: this consumer %.0f rows/s, %.1f statements per 1,000 rows%n%n",
                rows, rows / oursBulk.seconds, oursBulk.statements * 1000.0 / rows);

        double seedRowsPerSecond = rows / seedBulk;
        List<ShardedLoad.Result> sustained = sustainedBulk(seedRowsPerSecond);
        crossover();
        recommendEsm(sustained);

        decodeThroughput();
        coldInit();
    }

    private interface Timed {
        double run() throws Exception;
    }

    private static double median(int runs, Timed timed) throws Exception {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            times.add(timed.run());
        }
        times.sort(Double::compare);
        return times.get(runs / 2);
    }

    private static List<String> records(int count, int offset) {
        List<String> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            lines.add(record(offset + i));
        }
        return lines;
    }

    /** One change record (the Kinesis data) of about {@link #ROW_BYTES} bytes for {@code orders}, keyed by {@code id}. */
    static String record(int id) {
        return "{\"type\":\"full\",\"op\":\"u\",\"before\":null,\"after\":{\"order_id\":" + id
                + ",\"customer_id\":\"00000476-aaaa-4bbb-8ccc-242784319676\",\"total\":\"57494.63\",\"status\":\"SHIPPED\","
                + "\"placed_at\":1764078958212153,\"ship_date\":20414,\"is_gift\":false,\"notes\":\""
                + "n".repeat(ROW_BYTES - 230) + "\"},\"source\":{\"version\":\"1.0\",\"ts_ms\":1763700005161,"
                + "\"ts_ns\":" + (1_763_700_005_161_998_890L + id) + ",\"txId\":\"b2glshv3mts7zc6pz2lxxf4gkz\","
                + "\"schema\":\"public\",\"table\":\"orders\",\"db\":\"postgres\",\"cluster\":\"ieqh746yng7by3a4rogubbbayn\"},"
                + "\"ts_ms\":1763700005513,\"ts_ns\":1763700005513149524}";
    }

    /** The seed design: 40-row INSERTs with 5 typed parameters a row, one at a time, each polled to the end. */
    private static double seedDesign(int rowCount) throws Exception {
        try (FakeRedshiftDataApi fake =
                        FakeRedshiftDataApi.start().statementLatency(LATENCY).executeRateLimit(EXECUTE_PER_SECOND);
                RedshiftDataClient client = RedshiftDataClient.builder()
                        .endpointOverride(fake.endpoint())
                        .region(Region.US_EAST_1)
                        .httpClient(UrlConnectionHttpClient.create())
                        .credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(SigV4Verifier.ACCESS_KEY, SigV4Verifier.SECRET_KEY)))
                        .build()) {
            List<String> lines = records(rowCount, 0);
            long start = System.nanoTime();
            for (int from = 0; from < rowCount; from += 40) {
                List<String> chunk = lines.subList(from, Math.min(rowCount, from + 40));
                StringBuilder sql = new StringBuilder(
                        "INSERT INTO cdc_events (source_table, op, record_key, row_image, commit_ts_ns) VALUES ");
                List<SqlParameter> parameters = new ArrayList<>();
                for (int i = 0; i < chunk.size(); i++) {
                    sql.append(i == 0 ? "" : ", ")
                            .append("(:t")
                            .append(i)
                            .append(", :o")
                            .append(i)
                            .append(", :k")
                            .append(i)
                            .append(", JSON_PARSE(:a")
                            .append(i)
                            .append("), CAST(:n")
                            .append(i)
                            .append(" AS BIGINT))");
                    String line = chunk.get(i);
                    parameters.add(
                            SqlParameter.builder().name("t" + i).value("orders").build());
                    parameters.add(
                            SqlParameter.builder().name("o" + i).value("u").build());
                    parameters.add(SqlParameter.builder()
                            .name("k" + i)
                            .value(Integer.toString(from + i))
                            .build());
                    parameters.add(SqlParameter.builder()
                            .name("a" + i)
                            .value(line.substring(line.indexOf("\"after\":") + 8, line.indexOf(",\"source\"")))
                            .build());
                    parameters.add(SqlParameter.builder()
                            .name("n" + i)
                            .value(Long.toString(1_763_700_005_161_998_890L + from + i))
                            .build());
                }
                String id = client.executeStatement(b -> b.workgroupName("wg")
                                .database("dev")
                                .sql(sql.toString())
                                .parameters(parameters))
                        .id();
                for (int poll = 1; ; poll++) {
                    Thread.sleep(
                            DataApiStatements.Settings.DEFAULT_POLLS.delay(poll).toMillis());
                    StatusString status =
                            client.describeStatement(b -> b.id(id)).status();
                    if (status == StatusString.FINISHED) {
                        break;
                    }
                    if (status == StatusString.FAILED || status == StatusString.ABORTED) {
                        throw new IllegalStateException("seed statement " + status);
                    }
                }
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private record Run(double seconds, int statements, List<Long> latenciesMs) {}

    /** The real handler, in batches of up to 500 records, as the event source mapping would call it. */
    private static Run consumer(int rowCount) throws Exception {
        try (ConsumerHarness harness =
                new ConsumerHarness(Duration.ofSeconds(60), 8, DataApiStatements.Settings.DEFAULT_POLLS)) {
            harness.dataApi.statementLatency(LATENCY).executeRateLimit(EXECUTE_PER_SECOND);
            List<String> lines = records(rowCount, 0);
            List<Item> items = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                items.add(Item.of("shardId-000000000000", i, lines.get(i)));
            }
            long start = System.nanoTime();
            for (int from = 0; from < items.size(); from += 500) {
                StreamsEventResponse response = harness.handler()
                        .handleRequest(
                                KinesisEvents.event(items.subList(from, Math.min(items.size(), from + 500))),
                                new TestContext(900_000));
                if (!response.getBatchItemFailures().isEmpty()) {
                    throw new IllegalStateException("benchmark batch failed: " + harness.published);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (harness.landedRows().size() != rowCount) {
                throw new IllegalStateException("landed " + harness.landedRows().size() + " of " + rowCount);
            }
            List<Long> latencies = harness.published.stream()
                    .flatMap(r -> r.statementLatencies().stream())
                    .map(Duration::toMillis)
                    .toList();
            return new Run(seconds, harness.dataApi.statements().size(), latencies);
        }
    }

    /**
     * This consumer with the bulk path, sustained: concurrent batches (shards × parallelization
     * factor) of a range of sizes, each on the real handler, sharing one Data API quota.
     */
    private static List<ShardedLoad.Result> sustainedBulk(double seedRowsPerSecond) throws Exception {
        int cap = ShardedLoad.payloadCap(ConsumerBenchmark::record);
        List<KinesisEvents.Item> one = ShardedLoad.items(ConsumerBenchmark::record, 1);
        System.out.printf(
                "sustained, bulk path: records of %d bytes (%d as INSERT parameter, %d in the event JSON with base64 and metadata);%n",
                record(90_000_000).getBytes(StandardCharsets.UTF_8).length,
                envelopeBytes(record(90_000_000)),
                ShardedLoad.payloadBytes(one) - ShardedLoad.payloadBytes(List.of()));
        System.out.printf(
                "  the 6 MB invocation payload (%,d bytes) holds at most %,d of them: the largest batch the event source mapping can send%n",
                ShardedLoad.MAX_PAYLOAD_BYTES, cap);
        System.out.printf(
                "  %d s per configuration; one handler, one fake Data API (%d ms, %d ExecuteStatement/s) and one fake S3 shared by all%n",
                SUSTAIN.toSeconds(), LATENCY.toMillis(), EXECUTE_PER_SECOND);
        ShardedLoad.run(
                ConsumerBenchmark::record, 1_000, 2, Duration.ofSeconds(3), LATENCY, EXECUTE_PER_SECOND); // warm-up
        System.out.println(
                "   batch  concurrent    rows/s  vs seed  p50 batch  max batch  stmts/s  COPYs  INSERTs  throttled  PUTs  re-deliv.  "
                        + "JVM CPU  machine CPU  consumer us/row  fakes us/row");
        int[] batchSizes = {500, 1_000, 2_000, cap};
        int[] concurrency = {1, 2, 4, 8};
        List<ShardedLoad.Result> results = new ArrayList<>();
        for (int batch : batchSizes) {
            for (int n : concurrency) {
                ShardedLoad.Result r =
                        ShardedLoad.run(ConsumerBenchmark::record, batch, n, SUSTAIN, LATENCY, EXECUTE_PER_SECOND);
                results.add(r);
                System.out.printf(
                        "  %6d  %10d  %8.0f  %6.1fx  %6d ms  %6d ms  %7.1f  %5d  %7d  %9d  %4d  %9d  %6.0f%%  %10.0f%%%s  %15.1f  %12.1f%n",
                        r.batchSize(),
                        r.concurrency(),
                        r.rowsPerSecond(),
                        r.rowsPerSecond() / seedRowsPerSecond,
                        r.p50BatchMs(),
                        r.maxBatchMs(),
                        r.statementsPerSecond(),
                        r.copies(),
                        r.inserts(),
                        r.throttled(),
                        r.puts(),
                        r.redeliveries(),
                        r.processCpu() * 100,
                        r.machineCpu() * 100,
                        r.cpuBound() ? "*" : " ",
                        r.consumerCpuUsPerRow(),
                        r.fakeCpuUsPerRow());
            }
        }
        System.out.println(
                "  (JVM CPU: this benchmark's share of the cores; machine CPU: all processes. * CPU-bound: the cores were >= 85% busy."
                        + " The fakes' COPY checks and SigV4 run on the same cores as the consumer.)");
        ShardedLoad.Result best = results.stream()
                .filter(r -> r.batchSize() <= cap
                        && r.concurrency() <= MAX_PARALLELIZATION
                        && r.redeliveries() == 0
                        && r.statementsPerSecond() <= EXECUTE_PER_SECOND)
                .max(Comparator.comparingDouble(ShardedLoad.Result::rowsPerSecond))
                .orElseThrow();
        System.out.printf(
                "best within the limits (batch <= %,d records, <= %d concurrent batches, <= %d ExecuteStatement/s, no failed batch): "
                        + "%,d-record batches x %d concurrent: %.0f rows/s%n",
                cap,
                MAX_PARALLELIZATION,
                EXECUTE_PER_SECOND,
                best.batchSize(),
                best.concurrency(),
                best.rowsPerSecond());
        System.out.printf(
                "seed design (sequential 40-row INSERTs, measured above in this run): %.0f rows/s; ratio %.1fx (goal >= 20x)%n%n",
                seedRowsPerSecond, best.rowsPerSecond() / seedRowsPerSecond);
        return results;
    }

    /** The INSERT path against the COPY path, one batch at a time, for the thresholds' defaults. */
    private static void crossover() throws Exception {
        int[] sizes = {10, 25, 50, 70, 75, 100, 150, 200, 250, 300, 400, 500, 600};
        int runs = 5;
        double quotaMsPerStatement = 1000.0 / EXECUTE_PER_SECOND;
        int envelope = envelopeBytes(record(0));
        System.out.printf(
                "crossover, one batch at a time (median of %d), INSERT path vs COPY path; %d bytes a row as INSERT parameter;%n",
                runs, envelope);
        System.out.printf(
                "  cost = latency + statements x %.1f ms (each statement is 1/%d of the account's second)%n",
                quotaMsPerStatement, EXECUTE_PER_SECOND);
        System.out.println(
                "    rows     bytes   INSERT: ms  stmts  rows/s at quota   COPY: ms  stmts  PUTs  rows/s at quota   COPY - INSERT   cost INSERT  cost COPY");
        Integer statementCrossover = null;
        Integer costCrossover = null;
        int insertStatementsAtCrossover = 0;
        List<Long> penalties = new ArrayList<>();
        try (PathCrossover paths = new PathCrossover(ConsumerBenchmark::record, LATENCY, EXECUTE_PER_SECOND)) {
            paths.insertPath(50, 1); // warm both paths
            paths.copyPath(50, 1);
            for (int n : sizes) {
                PathCrossover.Cost insert = paths.insertPath(n, runs);
                PathCrossover.Cost copy = paths.copyPath(n, runs);
                double insertCost = insert.medianMs() + insert.statements() * quotaMsPerStatement;
                double copyCost = copy.medianMs() + copy.statements() * quotaMsPerStatement;
                System.out.printf(
                        "  %6d  %8d   %7d ms  %5d  %15.0f   %5d ms  %5d  %4d  %15.0f   %+10d ms  %9.0f ms  %7.0f ms%n",
                        n,
                        (long) n * envelope,
                        insert.medianMs(),
                        insert.statements(),
                        EXECUTE_PER_SECOND * (double) n / insert.statements(),
                        copy.medianMs(),
                        copy.statements(),
                        copy.puts(),
                        EXECUTE_PER_SECOND * (double) n / copy.statements(),
                        copy.medianMs() - insert.medianMs(),
                        insertCost,
                        copyCost);
                if (insert.statements() == copy.statements()) {
                    penalties.add(copy.medianMs() - insert.medianMs());
                }
                if (statementCrossover == null && copy.statements() < insert.statements()) {
                    statementCrossover = n;
                }
                // COPY must save statements: at equal statements it only adds an S3 PUT, whatever the latency noise
                // says.
                if (costCrossover == null && copy.statements() < insert.statements() && copyCost < insertCost) {
                    costCrossover = n;
                    insertStatementsAtCrossover = insert.statements();
                }
            }
        }
        penalties.sort(Long::compare);
        System.out.printf(
                "COPY's latency over INSERT's where both take one statement (staging: gzip + PUT): %s ms, median %d ms%n",
                penalties, penalties.isEmpty() ? 0 : penalties.get(penalties.size() / 2));
        System.out.printf(
                "crossover: COPY uses fewer statements from %s rows and costs less from %s rows%n",
                statementCrossover, costCrossover == null ? "none of these" : costCrossover + "");
        if (costCrossover != null) {
            // Where INSERTs would need as many statements as at the measured crossover, whatever the row size:
            // by bytes (large rows fill a statement's byte budget) or by rows (small rows fill its parameters).
            int statementsBelow = insertStatementsAtCrossover - 1;
            int minRows = statementsBelow * InsertStatementBuilder.MAX_ROWS + 1;
            int minBytes = statementsBelow * InsertStatementBuilder.MAX_STATEMENT_BYTES;
            boolean same = minRows == ConsumerEnvironment.DEFAULT_BULK_MIN_ROWS
                    && minBytes == ConsumerEnvironment.DEFAULT_BULK_MIN_BYTES;
            System.out.printf(
                    "recommended: COPY once INSERTs would need %d statements or more: BULK_MIN_ROWS=%d, BULK_MIN_BYTES=%d "
                            + "(%s the configured defaults %d, %d)%n%n",
                    insertStatementsAtCrossover,
                    minRows,
                    minBytes,
                    same ? "same as" : "differs from",
                    ConsumerEnvironment.DEFAULT_BULK_MIN_ROWS,
                    ConsumerEnvironment.DEFAULT_BULK_MIN_BYTES);
        } else {
            System.out.println();
        }
    }

    /**
     * The figures the event source mapping's defaults come from: per batch size, what one
     * concurrent batch sustains and spends of the quota, how many concurrent batches the quota
     * allows, and how long a shard at its write limit takes to fill a batch.
     */
    private static void recommendEsm(List<ShardedLoad.Result> results) {
        int recordBytes = record(90_000_000).getBytes(StandardCharsets.UTF_8).length;
        System.out.printf(
                "event source mapping: per batch size, from the 1-concurrent runs above. A shard takes in at most %,d records/s"
                        + " (1 MB/s) and gives out at most 2 MB/s (%,d of these %d-byte records/s)%n",
                SHARD_RECORDS_PER_SECOND, 2 * 1024 * 1024 / recordBytes, recordBytes);
        System.out.println(
                "   batch  rows/s per concurrent batch  COPYs/s per concurrent batch  concurrent batches the quota allows  rows/s at the quota  fill time at a shard's limit");
        for (ShardedLoad.Result r : results) {
            if (r.concurrency() != 1) {
                continue;
            }
            double perBatchSeconds = r.rows() / r.rowsPerSecond() / r.batches();
            System.out.printf(
                    "  %6d  %27.0f  %28.1f  %35d  %19.0f  %24.1f s%n",
                    r.batchSize(),
                    r.rowsPerSecond(),
                    1 / perBatchSeconds,
                    (int) Math.floor(EXECUTE_PER_SECOND * perBatchSeconds),
                    (double) EXECUTE_PER_SECOND * r.batchSize(),
                    (double) r.batchSize() / SHARD_RECORDS_PER_SECOND);
        }
        System.out.println();
    }

    /** Bytes the planner counts for the record's row (its INSERT parameter, the envelope). */
    private static int envelopeBytes(String line) {
        JsonFactory json = new JsonFactory();
        Decoded decoded = new ChangeDecoder(json, TableCatalog.load()).decode(line.getBytes(StandardCharsets.UTF_8));
        if (!(decoded instanceof Decoded.Ok ok)) {
            throw new IllegalStateException("benchmark record did not decode: " + decoded);
        }
        return new InsertStatementBuilder(json)
                .envelope(new InsertStatementBuilder.Row(
                        0, ok.change(), "shardId-000000000000", KinesisEvents.sequenceNumber(90_000_000L)))
                .bytes();
    }

    private static void warmUp() throws Exception {
        consumer(200);
        seedDesign(40);
    }

    /** Decode + validate + envelope + statement planning on this thread only. */
    private static void decodeThroughput() {
        JsonFactory json = new JsonFactory();
        ChangeDecoder decoder = new ChangeDecoder(json, TableCatalog.load());
        InsertStatementBuilder builder = new InsertStatementBuilder(json);
        List<String> encoded = records(10_000, 0).stream()
                .map(l -> Base64.getEncoder().encodeToString(l.getBytes(StandardCharsets.UTF_8)))
                .toList();
        for (int round = 0; round < 5; round++) {
            decodeAll(encoded, decoder, builder);
        }
        int rounds = 10;
        long start = System.nanoTime();
        long rows = 0;
        for (int round = 0; round < rounds; round++) {
            rows += decodeAll(encoded, decoder, builder);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "decode + validate + SQL building, one thread: %.0f records/s (base64 data of ~%d-byte records; goal >= 100,000)%n",
                rows / seconds, ROW_BYTES);
    }

    private static int decodeAll(List<String> encoded, ChangeDecoder decoder, InsertStatementBuilder builder) {
        List<InsertStatementBuilder.Envelope> envelopes = new ArrayList<>(encoded.size());
        for (int i = 0; i < encoded.size(); i++) {
            Decoded decoded = decoder.decode(Base64.getDecoder().decode(encoded.get(i)));
            if (!(decoded instanceof Decoded.Ok ok)) {
                throw new IllegalStateException("benchmark record did not decode: " + decoded);
            }
            envelopes.add(
                    builder.envelope(new InsertStatementBuilder.Row(i, ok.change(), "shardId-000000000000", "1")));
        }
        return builder.plan(envelopes).stream()
                .mapToInt(s -> s.records().size())
                .sum();
    }

    /**
     * The JVMs to measure: the one running the benchmark, and a Java 25 JDK (the Lambda runtime the
     * function uses, {@code java25}) if {@code COLD_INIT_JAVA} names one or one is under /usr/lib/jvm.
     */
    private static List<String> coldInitJvms() throws Exception {
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

    /** Starts a fresh JVM with only the shaded jar, as Lambda's init would, three times per JVM. */
    private static void coldInit() throws Exception {
        Path jar = Path.of("target/consumer.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            System.out.println("cold init: skipped, " + jar + " missing (run mvn package first)");
            return;
        }
        Path classes = Files.createTempDirectory("cold-init");
        Path target = classes.resolve("com/dsqlcdc/consumer/bench/ColdInit.class");
        Files.createDirectories(target.getParent());
        Files.copy(Path.of("target/test-classes/com/dsqlcdc/consumer/bench/ColdInit.class"), target);
        try (FakeRedshiftDataApi dataApi = FakeRedshiftDataApi.start();
                FakeS3 s3 = FakeS3.start()) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("WORKGROUP_NAME", "wg");
            env.put("DATABASE_NAME", "dev");
            env.put("QUARANTINE_BUCKET", "quarantine");
            env.put("STAGING_BUCKET", ConsumerHarness.STAGING_BUCKET);
            env.put("COPY_ROLE_ARN", ConsumerHarness.COPY_ROLE);
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_ACCESS_KEY_ID", SigV4Verifier.ACCESS_KEY);
            env.put("AWS_SECRET_ACCESS_KEY", SigV4Verifier.SECRET_KEY);
            env.put("AWS_ENDPOINT_URL_REDSHIFT_DATA", dataApi.endpoint().toString());
            env.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
            for (String java : coldInitJvms()) {
                for (int run = 1; run <= 3; run++) {
                    ProcessBuilder pb = new ProcessBuilder(
                                    java,
                                    "-cp",
                                    jar + File.pathSeparator + classes,
                                    "com.dsqlcdc.consumer.bench.ColdInit")
                            .redirectErrorStream(true);
                    pb.environment().putAll(env);
                    long start = System.nanoTime();
                    Process process = pb.start();
                    String line;
                    String result = null;
                    String last = "";
                    try (BufferedReader out = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        while ((line = out.readLine()) != null) {
                            if (line.startsWith("COLD_INIT")) {
                                result = line;
                            } else if (!line.isBlank()) {
                                last = line;
                            }
                        }
                    }
                    int exit = process.waitFor();
                    if (result == null) {
                        result = "no result; last output: " + last;
                    }
                    long wallMs = (System.nanoTime() - start) / 1_000_000;
                    System.out.printf(
                            "cold init run %d, %s (fresh JVM, no SnapStart): %s; process wall time %d ms (exit %d)%n",
                            run, java, result, wallMs, exit);
                }
            }
        }
    }
}
