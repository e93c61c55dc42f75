package com.dsqlcdc.tail;

import com.dsqlcdc.testing.FakeKinesis;
import com.dsqlcdc.testing.ManualClock;
import com.dsqlcdc.testing.SigV4Verifier;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * The tail command run as an operator would run it ({@code --endpoint-url} and {@code --region}
 * on the command line), with its real SDK Kinesis client pointed at {@link FakeKinesis} (JSON wire
 * protocol: surefire sets aws.cborEnabled=false). Time is a fake clock that the command's pauses
 * move forward (no real waiting); actions scheduled with {@link #at} run when the clock reaches
 * them, from inside a pause, as if a producer wrote while the tail waited.
 */
final class TailHarness implements AutoCloseable {

    static final String STREAM = "dsql-cdc";
    static final String SHARD0 = "shardId-000000000000";
    /** The fake clock's start: after every fixture's commit time. */
    static final Instant T0 = Instant.parse("2025-11-21T05:00:00Z");

    final FakeKinesis kinesis;
    final ManualClock clock = new ManualClock(T0);
    private final TreeMap<Instant, List<Runnable>> scheduled = new TreeMap<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    /** Total time the command paused. */
    Duration slept = Duration.ZERO;

    TailHarness(int shards) {
        FakeKinesis.useJsonWireProtocol();
        kinesis = FakeKinesis.start().createStream(STREAM, shards).clock(clock);
    }

    /** Puts a record's data on a shard with the given ApproximateArrivalTimestamp; returns its sequence number. */
    String put(String shardId, String data, Instant arrival) {
        return put(shardId, data.getBytes(StandardCharsets.UTF_8), arrival);
    }

    /** Puts these exact bytes (e.g. a record that is not UTF-8). */
    String put(String shardId, byte[] data, Instant arrival) {
        return kinesis.put(STREAM, shardId, data, arrival);
    }

    /** Runs {@code action} once the command's clock reaches {@code T0 + offset}. */
    void at(Duration offset, Runnable action) {
        scheduled.computeIfAbsent(T0.plus(offset), k -> new ArrayList<>()).add(action);
    }

    /** Asks the running command to stop (as Ctrl-C does) once the clock reaches {@code T0 + offset}. */
    void stopAt(Duration offset) {
        at(offset, () -> stop.set(true));
    }

    /** What one run printed and returned. */
    record Run(int exitCode, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
        }
    }

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Runs with the given stdout (e.g. one that fails, as a closed pipe does). */
    int run(PrintWriter out, PrintWriter err, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--endpoint-url", kinesis.endpoint().toString(), "--region", "us-east-1"));
        TailCommand.Wiring wiring = new TailCommand.Wiring(
                b -> b.credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(SigV4Verifier.ACCESS_KEY, SigV4Verifier.SECRET_KEY)))
                        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(4)
                                .backoffStrategy(
                                        BackoffStrategy.exponentialDelay(Duration.ofMillis(2), Duration.ofMillis(20)))
                                .throttlingBackoffStrategy(
                                        BackoffStrategy.exponentialDelay(Duration.ofMillis(2), Duration.ofMillis(20)))
                                .circuitBreakerEnabled(false)
                                .build())),
                ShardFollower.Pacing.DEFAULT,
                Duration.ofSeconds(30),
                clock,
                this::sleep,
                stop);
        return new TailCommand(wiring).run(out, err, all.toArray(String[]::new));
    }

    /** The command's pause: moves the clock, running what was scheduled on the way. */
    private void sleep(Duration d) {
        Instant until = clock.instant().plus(d);
        while (!scheduled.isEmpty() && !scheduled.firstKey().isAfter(until)) {
            var next = scheduled.pollFirstEntry();
            clock.set(next.getKey().isAfter(clock.instant()) ? next.getKey() : clock.instant());
            next.getValue().forEach(Runnable::run);
        }
        if (until.isAfter(clock.instant())) {
            clock.set(until);
        }
        slept = slept.plus(d);
    }

    @Override
    public void close() {
        kinesis.close();
    }

    /** A stdout whose reader has gone after {@code lines} lines (as with {@code | head}). */
    static PrintWriter closingAfter(int lines, List<String> written) {
        return new PrintWriter(
                new Writer() {
                    private final StringBuilder line = new StringBuilder();

                    @Override
                    public void write(char[] cbuf, int off, int len) throws java.io.IOException {
                        if (written.size() >= lines) {
                            throw new java.io.IOException("Broken pipe");
                        }
                        for (int i = off; i < off + len; i++) {
                            if (cbuf[i] == '\n') {
                                written.add(line.toString());
                                line.setLength(0);
                            } else {
                                line.append(cbuf[i]);
                            }
                        }
                    }

                    @Override
                    public void flush() {}

                    @Override
                    public void close() {}
                },
                true);
    }
}
