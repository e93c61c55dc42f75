package com.dsqlcdc.consumer.bench;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.dsqlcdc.clients.dataapi.DataApiStatements;
import com.dsqlcdc.consumer.testing.ConsumerHarness;
import com.dsqlcdc.consumer.testing.TestContext;
import com.dsqlcdc.testing.ExecutedStatement;
import com.dsqlcdc.testing.KinesisEvents;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Sustained load on the real handler: {@code concurrency} threads, each standing for one
 * concurrent invocation of the event source mapping (a shard, or one of a shard's
 * parallelization slots), invoke one handler (one harness, so one Data API account quota and one
 * S3 fake, as in production) back to back with batches of {@code batchSize} records, for a fixed
 * time. A batch that reports a failure is delivered again from the failed record, as the event
 * source mapping does.
 *
 * <p>Each thread keeps its records base64-encoded and decodes them into a fresh event for every
 * batch (what the Lambda runtime does with the event JSON), with new sequence numbers, so every
 * batch stages its own object.
 */
final class ShardedLoad {

    /** Lambda's limit on an invocation payload (synchronous invoke, as the event source mapping does), bytes. */
    static final int MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ShardedLoad() {}

    /**
     * One configuration's figures.
     *
     * @param batchSize          records per batch
     * @param concurrency        concurrent batches
     * @param rows               records in batches that completed (each counted once)
     * @param rowsPerSecond      the sum over threads of each thread's rows over its busy time
     * @param batches            batches completed
     * @param redeliveries       batches delivered again after a reported failure
     * @param copies             COPY statements accepted
     * @param inserts            INSERT statements accepted
     * @param throttled          ExecuteStatement calls answered ThrottlingException
     * @param puts               staging PutObject calls
     * @param statementsPerSecond accepted ExecuteStatement calls per second of the run
     * @param p50BatchMs         median time for one handler invocation
     * @param maxBatchMs         longest handler invocation
     * @param processCpu         this JVM's CPU time over (wall time × cores)
     * @param machineCpu         the share of the machine's CPU time that was busy, all processes
     *                           ({@code /proc/stat}; NaN where there is none)
     * @param consumerCpuUsPerRow CPU of the handler threads (including the event decoding) and the
     *                            statement runner's threads, microseconds per row
     * @param fakeCpuUsPerRow    CPU of the fakes' request threads, microseconds per row
     * @param landed             rows the fake warehouse holds (duplicates from re-deliveries included)
     */
    record Result(
            int batchSize,
            int concurrency,
            long rows,
            double rowsPerSecond,
            int batches,
            int redeliveries,
            int copies,
            int inserts,
            int throttled,
            int puts,
            double statementsPerSecond,
            long p50BatchMs,
            long maxBatchMs,
            double processCpu,
            double machineCpu,
            double consumerCpuUsPerRow,
            double fakeCpuUsPerRow,
            long landed) {

        /** Whether the machine's cores were at least 85% busy (by this JVM or anything else). */
        boolean cpuBound() {
            return Math.max(processCpu, Double.isNaN(machineCpu) ? 0 : machineCpu) >= 0.85;
        }
    }

    /** What one thread did. */
    private record ShardRun(
            long rows, double busySeconds, int batches, int redeliveries, List<Long> batchMs, long cpuNanos) {}

    /**
     * @param recordJson  one record's Kinesis data, as JSON text, for a record number
     * @param batchSize   records per batch
     * @param concurrency concurrent batches
     * @param duration    how long each thread keeps starting batches
     * @param latency     the fake's statement latency
     * @param executePerSecond the fake's ExecuteStatement quota
     */
    static Result run(
            RecordSource recordJson,
            int batchSize,
            int concurrency,
            Duration duration,
            Duration latency,
            int executePerSecond)
            throws Exception {
        // The consumer as deployed: 8 statements in flight, the default poll schedule and bulk thresholds.
        try (ConsumerHarness harness =
                new ConsumerHarness(Duration.ofSeconds(60), 8, DataApiStatements.Settings.DEFAULT_POLLS)) {
            harness.dataApi.statementLatency(latency).executeRateLimit(executePerSecond);
            List<List<String>> pools = new ArrayList<>();
            for (int s = 0; s < concurrency; s++) {
                List<String> pool = new ArrayList<>(batchSize);
                for (int i = 0; i < batchSize; i++) {
                    pool.add(Base64.getEncoder()
                            .encodeToString(
                                    recordJson.record(s * 10_000_000 + i).getBytes(StandardCharsets.UTF_8)));
                }
                pools.add(pool);
            }
            Map<Long, Long> cpuBefore = threadCpu(name -> true);
            long processCpuBefore = processCpuNanos();
            long[] machineBefore = machineCpuTicks();
            ExecutorService shards = Executors.newFixedThreadPool(concurrency, r -> new Thread(r, "shard-load"));
            CountDownLatch ready = new CountDownLatch(concurrency);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<ShardRun>> futures = new ArrayList<>();
            for (int s = 0; s < concurrency; s++) {
                String shardId = String.format("shardId-%012d", s);
                List<String> pool = pools.get(s);
                futures.add(shards.submit(() -> {
                    ready.countDown();
                    go.await();
                    return shard(harness, shardId, pool, duration);
                }));
            }
            ready.await();
            long start = System.nanoTime();
            go.countDown();
            List<ShardRun> runs = new ArrayList<>();
            for (Future<ShardRun> f : futures) {
                runs.add(f.get());
            }
            double wallSeconds = (System.nanoTime() - start) / 1e9;
            long processCpu = processCpuNanos() - processCpuBefore;
            long[] machineAfter = machineCpuTicks();
            double machineBusy = machineBefore == null || machineAfter == null || machineAfter[1] == machineBefore[1]
                    ? Double.NaN
                    : (double) (machineAfter[0] - machineBefore[0]) / (machineAfter[1] - machineBefore[1]);
            long runnerCpu = cpuDelta(cpuBefore, name -> name.startsWith("statement-"));
            long fakeCpu = cpuDelta(cpuBefore, name -> name.startsWith("fake-"));
            shards.shutdown();

            long rows = runs.stream().mapToLong(ShardRun::rows).sum();
            double rowsPerSecond =
                    runs.stream().mapToDouble(r -> r.rows / r.busySeconds).sum();
            long handlerCpu = runs.stream().mapToLong(ShardRun::cpuNanos).sum();
            List<Long> batchMs =
                    runs.stream().flatMap(r -> r.batchMs.stream()).sorted().toList();
            List<ExecutedStatement> statements = harness.dataApi.statements();
            int copies = (int)
                    statements.stream().filter(s -> s.sql().startsWith("COPY")).count();
            long landed = 0;
            for (ExecutedStatement s : harness.dataApi.landed()) {
                landed += s.parameters().size()
                        + harness.dataApi.copiedLines(s.id()).size();
            }
            if (landed < rows) {
                throw new IllegalStateException(
                        "the warehouse holds " + landed + " rows, the handler acknowledged " + rows);
            }
            return new Result(
                    batchSize,
                    concurrency,
                    rows,
                    rowsPerSecond,
                    runs.stream().mapToInt(ShardRun::batches).sum(),
                    runs.stream().mapToInt(ShardRun::redeliveries).sum(),
                    copies,
                    statements.size() - copies,
                    harness.dataApi.calls("ExecuteStatement") - statements.size(),
                    harness.s3.calls("PutObject"),
                    statements.size() / wallSeconds,
                    batchMs.get(batchMs.size() / 2),
                    batchMs.get(batchMs.size() - 1),
                    processCpu / (wallSeconds * 1e9 * Runtime.getRuntime().availableProcessors()),
                    machineBusy,
                    (handlerCpu + runnerCpu) / 1e3 / rows,
                    fakeCpu / 1e3 / rows,
                    landed);
        }
    }

    /** One thread's loop: a fresh event per batch, invoked until the handler acknowledges all of it. */
    private static ShardRun shard(ConsumerHarness harness, String shardId, List<String> pool, Duration duration) {
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long lastDone = start;
        long rows = 0;
        int batches = 0;
        int redeliveries = 0;
        long sequence = 0;
        List<Long> batchMs = new ArrayList<>();
        TestContext context = new TestContext(900_000);
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            List<KinesisEvent.KinesisEventRecord> records = event(shardId, pool, sequence);
            int from = 0;
            while (true) {
                KinesisEvent event = new KinesisEvent();
                event.setRecords(records.subList(from, records.size()));
                StreamsEventResponse response = harness.handler().handleRequest(event, context);
                if (response.getBatchItemFailures().isEmpty()) {
                    break;
                }
                if (++redeliveries > 20) {
                    throw new IllegalStateException(
                            "a batch kept failing: " + harness.published.get(harness.published.size() - 1));
                }
                String failed = response.getBatchItemFailures().get(0).getItemIdentifier();
                while (!records.get(from).getKinesis().getSequenceNumber().equals(failed)) {
                    from++;
                }
            }
            lastDone = System.nanoTime();
            batchMs.add((lastDone - t0) / 1_000_000);
            rows += pool.size();
            batches++;
            sequence += pool.size();
        }
        return new ShardRun(
                rows,
                (lastDone - start) / 1e9,
                batches,
                redeliveries,
                batchMs,
                THREADS.getCurrentThreadCpuTime() - cpuStart);
    }

    /** The batch as the Lambda runtime hands it over: base64 data decoded, eventID {@code shard:sequence}. */
    private static List<KinesisEvent.KinesisEventRecord> event(String shardId, List<String> pool, long firstSequence) {
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>(pool.size());
        Date arrival = new Date();
        for (int i = 0; i < pool.size(); i++) {
            String sequenceNumber = KinesisEvents.sequenceNumber(firstSequence + i);
            KinesisEvent.Record kinesis = new KinesisEvent.Record();
            kinesis.setKinesisSchemaVersion("1.0");
            kinesis.setPartitionKey("random-" + i);
            kinesis.setSequenceNumber(sequenceNumber);
            kinesis.setData(ByteBuffer.wrap(Base64.getDecoder().decode(pool.get(i))));
            kinesis.setApproximateArrivalTimestamp(arrival);
            KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
            record.setKinesis(kinesis);
            record.setEventSource("aws:kinesis");
            record.setEventID(shardId + ":" + sequenceNumber);
            record.setEventName("aws:kinesis:record");
            record.setEventSourceARN(KinesisEvents.STREAM_ARN);
            record.setAwsRegion("us-east-1");
            records.add(record);
        }
        return records;
    }

    /** The largest number of these records whose event JSON (as the event source mapping sends it) fits the payload limit. */
    static int payloadCap(RecordSource recordJson) {
        List<KinesisEvents.Item> items = new ArrayList<>();
        int estimate;
        for (int i = 0; i < 1_000; i++) {
            items.add(KinesisEvents.Item.of("shardId-000000000000", i, recordJson.record(i)));
        }
        int empty = payloadBytes(List.of());
        double perRecord = (payloadBytes(items) - empty) / 1_000.0;
        estimate = (int) ((MAX_PAYLOAD_BYTES - empty) / perRecord);
        while (payloadBytes(items(recordJson, estimate + 1)) <= MAX_PAYLOAD_BYTES) {
            estimate++;
        }
        while (payloadBytes(items(recordJson, estimate)) > MAX_PAYLOAD_BYTES) {
            estimate--;
        }
        return estimate;
    }

    static int payloadBytes(List<KinesisEvents.Item> items) {
        return KinesisEvents.json(items).getBytes(StandardCharsets.UTF_8).length;
    }

    static List<KinesisEvents.Item> items(RecordSource recordJson, int count) {
        List<KinesisEvents.Item> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            // Sequence numbers of the real service's length (56 digits) and a high record number, so no size is
            // understated.
            items.add(
                    KinesisEvents.Item.of("shardId-000000000000", 90_000_000L + i, recordJson.record(90_000_000 + i)));
        }
        return items;
    }

    /** One record's data (Kinesis payload JSON) for a record number. */
    @FunctionalInterface
    interface RecordSource {
        String record(int number);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Busy and total CPU ticks of the whole machine from {@code /proc/stat}, or null where there is none. */
    private static long[] machineCpuTicks() {
        try {
            String[] fields =
                    Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(fields.length, 9); i++) { // user nice system idle iowait irq softirq steal
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private interface NameFilter {
        boolean test(String name);
    }

    private static Map<Long, Long> threadCpu(NameFilter filter) {
        Map<Long, Long> cpu = new HashMap<>();
        long[] ids = THREADS.getAllThreadIds();
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] != null && filter.test(infos[i].getThreadName())) {
                long t = THREADS.getThreadCpuTime(ids[i]);
                if (t >= 0) {
                    cpu.put(ids[i], t);
                }
            }
        }
        return cpu;
    }

    private static long cpuDelta(Map<Long, Long> before, NameFilter filter) {
        long total = 0;
        for (Map.Entry<Long, Long> now : threadCpu(filter).entrySet()) {
            total += now.getValue() - before.getOrDefault(now.getKey(), 0L);
        }
        return total;
    }
}
