package com.dsqlcdc.consumer.bench;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.dsqlcdc.clients.dataapi.DataApiStatements;
import com.dsqlcdc.consumer.testing.ConsumerHarness;
import com.dsqlcdc.consumer.testing.TestContext;
import com.dsqlcdc.testing.KinesisEvents;
import com.dsqlcdc.testing.KinesisEvents.Item;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One batch of {@code n} records through each write path of the real handler, on the same fake
 * settings: the INSERT path (bulk thresholds out of reach) and the COPY path (thresholds of one
 * row). Both harnesses run the deployed settings otherwise: 8 statements in flight, the default
 * poll schedule.
 */
final class PathCrossover implements AutoCloseable {

    /** One path's cost for one batch size. */
    record Cost(long medianMs, int statements, int puts) {}

    private final ConsumerHarness inserts;
    private final ConsumerHarness copies;
    private final ShardedLoad.RecordSource recordJson;
    private long sequence;

    PathCrossover(ShardedLoad.RecordSource recordJson, Duration latency, int executePerSecond) {
        this.recordJson = recordJson;
        this.inserts = new ConsumerHarness(
                Duration.ofSeconds(60), 8, DataApiStatements.Settings.DEFAULT_POLLS, 10_000, 6 * 1024 * 1024);
        this.copies = new ConsumerHarness(Duration.ofSeconds(60), 8, DataApiStatements.Settings.DEFAULT_POLLS, 1, 1024);
        inserts.dataApi.statementLatency(latency).executeRateLimit(executePerSecond);
        copies.dataApi.statementLatency(latency).executeRateLimit(executePerSecond);
    }

    Cost insertPath(int n, int runs) throws Exception {
        return measure(inserts, n, runs, false);
    }

    Cost copyPath(int n, int runs) throws Exception {
        return measure(copies, n, runs, true);
    }

    private Cost measure(ConsumerHarness harness, int n, int runs, boolean expectCopy) throws Exception {
        List<Long> times = new ArrayList<>();
        int statementsBefore = harness.dataApi.statements().size();
        int putsBefore = harness.s3.calls("PutObject");
        for (int run = 0; run < runs; run++) {
            List<Item> items = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                items.add(Item.of("shardId-000000000000", sequence, recordJson.record((int) sequence)));
                sequence++;
            }
            var event = KinesisEvents.event(items);
            long start = System.nanoTime();
            StreamsEventResponse response = harness.handler().handleRequest(event, new TestContext(900_000));
            times.add((System.nanoTime() - start) / 1_000_000);
            if (!response.getBatchItemFailures().isEmpty()) {
                throw new IllegalStateException(
                        "crossover batch failed: " + harness.published.get(harness.published.size() - 1));
            }
            int copiesInBatch =
                    harness.published.get(harness.published.size() - 1).copies();
            if ((copiesInBatch == 1) != expectCopy) {
                throw new IllegalStateException(
                        "batch of " + n + " took the wrong path (copies " + copiesInBatch + ")");
            }
            // Keep back-to-back batches well under the per-second quota (at most 20 statements a second).
            int used = harness.published.get(harness.published.size() - 1).statements();
            Thread.sleep(Math.max(0, used * 50L - times.get(times.size() - 1)));
        }
        times.sort(Long::compare);
        return new Cost(
                times.get(runs / 2),
                (harness.dataApi.statements().size() - statementsBefore) / runs,
                (harness.s3.calls("PutObject") - putsBefore) / runs);
    }

    @Override
    public void close() {
        inserts.close();
        copies.close();
    }
}
