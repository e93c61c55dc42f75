package com.dsqlcdc.clients.dataapi.bench;

import com.dsqlcdc.clients.dataapi.DataApiStatements;
import com.dsqlcdc.clients.dataapi.DataApiTarget;
import com.dsqlcdc.clients.dataapi.FakeDataApiClients;
import com.dsqlcdc.clients.dataapi.Statement;
import com.dsqlcdc.clients.dataapi.StatementOutcome;
import com.dsqlcdc.testing.FakeRedshiftDataApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;

/**
 * DescribeStatement long polling ({@code WaitTimeSeconds}) against plain polling, measured with the
 * real statement runner ({@link DataApiStatements}) and the real SDK client against the Data API
 * fake, whose statements take a set time and whose DescribeStatement holds a long poll until the
 * statement ends. For each statement latency: DescribeStatement calls per statement, and the wall
 * time from ExecuteStatement to the final status (and how much of it is waiting after the
 * statement ended). Run it with {@code aws-clients/benchmark}; figures in docs/benchmarks.md.
 */
public final class LongPollBenchmark {

    private static final DataApiTarget TARGET = DataApiTarget.asCaller("wg", "dev");
    private static final List<Duration> LATENCIES =
            List.of(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(10));
    /** Statements run at once per measurement (as the consumer runs several per batch). */
    private static final int STATEMENTS = 4;
    /** Measurements per latency and mode. */
    private static final int ROUNDS = 3;

    private LongPollBenchmark() {}

    /** One mode of waiting. */
    private record Mode(String name, DataApiStatements.Settings settings) {}

    /** What one latency and mode measured, over every statement of every round. */
    private record Result(
            Duration latency, String mode, int statements, long describes, double meanWallMs, double maxWallMs) {

        double describesPerStatement() {
            return (double) describes / statements;
        }

        double meanOvershootMs() {
            return meanWallMs - latency.toMillis();
        }
    }

    public static void main(String[] args) throws Exception {
        List<Mode> modes = List.of(
                new Mode(
                        "long polling (WaitTimeSeconds up to 20 s)",
                        DataApiStatements.Settings.defaults().maxConcurrent(STATEMENTS)),
                new Mode(
                        "polling (20 ms, ×1.5, at most 1 s)",
                        DataApiStatements.Settings.defaults()
                                .maxConcurrent(STATEMENTS)
                                .polls(DataApiStatements.Settings.DEFAULT_POLLS, Duration.ZERO)));
        // Warm-up, discarded: class loading, the SDK's first client, the JIT.
        for (Mode mode : modes) {
            measure(Duration.ofMillis(100), mode);
        }
        Instant started = Instant.now();
        String loadBefore = loadAverage();
        List<Result> results = new ArrayList<>();
        for (Duration latency : LATENCIES) {
            for (Mode mode : modes) {
                results.add(measure(latency, mode));
            }
        }
        System.out.printf(
                "%nMachine: %d cores (%s), %s %s, load average %s at the start, %s at the end; run took %d s%n%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.arch"),
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"),
                loadBefore,
                loadAverage(),
                Duration.between(started, Instant.now()).toSeconds());
        System.out.println("| statement latency | waiting by | DescribeStatement calls per statement"
                + " | wall time per statement (mean) | of it after the statement ended (mean) | max |");
        System.out.println("| ---: | --- | ---: | ---: | ---: | ---: |");
        for (Result r : results) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %s | %.1f | %.0f ms | %.0f ms | %.0f ms |%n",
                    seconds(r.latency()),
                    r.mode(),
                    r.describesPerStatement(),
                    r.meanWallMs(),
                    r.meanOvershootMs(),
                    r.maxWallMs());
        }
    }

    private static Result measure(Duration latency, Mode mode) {
        try (FakeRedshiftDataApi fake = FakeRedshiftDataApi.start().statementLatency(latency);
                RedshiftDataClient client = FakeDataApiClients.of(fake);
                DataApiStatements runner = new DataApiStatements(client, TARGET, mode.settings())) {
            long describes = 0;
            double totalMs = 0;
            double maxMs = 0;
            int count = 0;
            for (int round = 0; round < ROUNDS; round++) {
                List<Statement> statements = new ArrayList<>();
                for (int i = 0; i < STATEMENTS; i++) {
                    statements.add(Statement.of("INSERT INTO t VALUES (:v)", Map.of("v", round + "-" + i)));
                }
                int before = fake.calls("DescribeStatement");
                List<StatementOutcome> outcomes =
                        runner.runAll(statements, Instant.now().plus(latency).plusSeconds(60));
                describes += fake.calls("DescribeStatement") - before;
                for (StatementOutcome outcome : outcomes) {
                    if (!outcome.finished()) {
                        throw new IllegalStateException("a statement did not finish: " + outcome);
                    }
                    double ms = outcome.latency().toNanos() / 1e6;
                    totalMs += ms;
                    maxMs = Math.max(maxMs, ms);
                    count++;
                }
            }
            return new Result(latency, mode.name(), count, describes, totalMs / count, maxMs);
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0
                ? d.toSeconds() + " s"
                : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1e3);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
