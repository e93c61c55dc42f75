package com.dsqlcdc.tail;

import com.dsqlcdc.contract.retry.Sleeper;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.fasterxml.jackson.core.JsonFactory;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;

/**
 * {@code tail}: follows the pipeline's Kinesis stream and prints each DSQL change as it arrives,
 * decoded by the consumer's own decoder. Run it with {@code tools/tail} (which runs this class
 * from tools.jar); see the README.
 */
@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        version = "tail (tools.jar)",
        exitCodeOnInvalidInput = TailCommand.USAGE,
        sortOptions = false,
        description = {
            "Follow the Kinesis stream that DSQL writes its change records to, and print each record as it arrives, "
                    + "decoded by the consumer Lambda's own decoder: commit time, lag, table, op, key, shard and "
                    + "sequence number. Reads every open shard and follows resharding (split or merged shards continue "
                    + "with their children).",
            "Lag is the record's ApproximateArrivalTimestamp in Kinesis minus its DSQL commit time (source.ts_ns): how "
                    + "far DSQL's publishing trailed the commit. It does not include the consumer's own delay.",
            "Pieces of an oversized change are shown as such: the chunked main record (table, op, 'chunked' and its "
                    + "fragment count) and each 'fragment i/n of chunk <id>'. A record the consumer cannot apply is "
                    + "shown as 'UNREADABLE <reason>' (the reason it would be quarantined for), never skipped.",
            "Stdout carries one line per record; the shards read, the column names and the end go to stderr. "
                    + "Region, credentials and endpoint come from the AWS SDK's default chains (AWS_REGION, "
                    + "AWS_PROFILE, AWS_ENDPOINT_URL_KINESIS, ...) unless given below.",
            ""
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            " 0:--count changes printed, or stdout was closed (e.g. | head)",
            " 1:an AWS call failed (the message names the operation and stream)",
            " 3:--timeout: nothing arrived for that long",
            "64:invalid command line",
            "130:stopped with Ctrl-C"
        })
public final class TailCommand implements Callable<Integer> {

    /** Exit code when an AWS call fails. */
    public static final int FAILED = 1;
    /** Exit code when nothing arrived within {@code --timeout}. */
    public static final int TIMED_OUT = 3;
    /** Exit code of an invalid command line (sysexits' EX_USAGE), as the replay command's. */
    public static final int USAGE = 64;
    /** Exit code when stopped with Ctrl-C (128 + SIGINT, what the JVM exits with then anyway). */
    public static final int STOPPED = 130;

    /**
     * What the command runs with.
     *
     * @param adjustClient last changes to the Kinesis client builder (tests: credentials, quick retries)
     * @param pacing       GetRecords pacing per shard
     * @param relistEvery  how often the shards are listed again
     * @param clock        time source (--from durations, --timeout)
     * @param sleeper      how to wait between polls
     * @param stop         set to stop the tail (Ctrl-C)
     */
    public record Wiring(
            Consumer<KinesisClientBuilder> adjustClient,
            ShardFollower.Pacing pacing,
            Duration relistEvery,
            Clock clock,
            Sleeper sleeper,
            AtomicBoolean stop) {
        /** @return the real client, pacing and clock */
        public static Wiring production() {
            return new Wiring(
                    b -> {},
                    ShardFollower.Pacing.DEFAULT,
                    StreamTail.Settings.RELIST_EVERY,
                    Clock.systemUTC(),
                    Sleeper.SYSTEM,
                    new AtomicBoolean());
        }
    }

    @Spec
    CommandSpec spec;

    @Option(
            names = "--stream",
            required = true,
            paramLabel = "<name|ARN>",
            description = "The Kinesis stream: its name or ARN (stack output KinesisStreamArn).")
    String stream;

    @Option(
            names = "--from",
            paramLabel = "<position>",
            defaultValue = "latest",
            description =
                    "Where to start: latest (records arriving from now on; the default), trim-horizon (everything "
                            + "the stream still holds), an ISO-8601 instant (2026-11-21T09:30:00Z) or a duration ago (15m, 2h): "
                            + "the records that arrived since.")
    String from;

    @Option(
            names = "--count",
            paramLabel = "<n>",
            description = "Exit 0 once this many changes are printed (changes and chunked changes; fragments and "
                    + "unreadable records are printed but not counted).")
    Long count;

    @Option(
            names = "--timeout",
            paramLabel = "<duration>",
            description =
                    "Give up with exit code 3 when nothing was printed for this long (e.g. 5m, 90s). Default: wait forever.")
    String timeout;

    @Option(
            names = "--table",
            paramLabel = "<schema.table>",
            description = "Only this table (repeatable; 'orders' means public.orders). Fragments are shown when their "
                    + "chunked main record was; unreadable records whose table cannot be read are always shown.")
    List<String> tableNames = new ArrayList<>();

    @Option(names = "--json", description = "One JSON object per line instead of the aligned text (for scripts).")
    boolean json;

    @Option(
            names = "--region",
            paramLabel = "<region>",
            description = "AWS Region (default: AWS_REGION, the profile's).")
    String region;

    @Option(
            names = "--profile",
            paramLabel = "<profile>",
            description = "Named profile for credentials and Region (default: AWS_PROFILE).")
    String profile;

    @Option(
            names = "--endpoint-url",
            paramLabel = "<url>",
            description =
                    "Kinesis endpoint (default: AWS_ENDPOINT_URL_KINESIS, " + "AWS_ENDPOINT_URL, or the Region's).")
    URI endpointUrl;

    private final Wiring wiring;

    /** @param wiring client adjustments, pacing and clock */
    public TailCommand(Wiring wiring) {
        this.wiring = wiring;
    }

    public static void main(String[] args) {
        // The consumer's code may log JSON lines to stdout (its Lambda log format); stdout carries
        // the records here, so they go to stderr. Set before the logging initialises.
        PrintStream stdout = System.out;
        System.setOut(System.err);
        Wiring wiring = Wiring.production();
        Thread main = Thread.currentThread();
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Ctrl-C: let the loop finish its current call and say how it ended.
            wiring.stop().set(true);
            main.interrupt();
            try {
                done.await(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        int code = new TailCommand(wiring).run(new PrintWriter(stdout, true), new PrintWriter(System.err, true), args);
        done.countDown();
        System.exit(code);
    }

    /**
     * @param out  where the records (and help) go
     * @param err  where progress and errors go
     * @param args the command line
     * @return the exit code
     */
    public int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(this);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("tail failed: " + (e.getMessage() != null ? e.getMessage() : e));
            command.getErr().flush();
            return FAILED;
        });
        return commandLine.execute(args);
    }

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        PrintWriter err = cl.getErr();
        StartPosition start;
        Duration idleLimit;
        StreamRef streamRef;
        try {
            streamRef = new StreamRef(stream);
            start = StartPosition.parse(from, wiring.clock());
            idleLimit = timeout == null ? null : Durations.parse(timeout);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, e.getMessage());
        }
        if (count != null && count < 1) {
            throw new ParameterException(cl, "--count must be at least 1");
        }
        if (idleLimit != null && idleLimit.isZero()) {
            throw new ParameterException(cl, "--timeout must be longer than zero");
        }
        Set<String> tables = new LinkedHashSet<>();
        for (String t : tableNames) {
            tables.add(t.contains(".") ? t : "public." + t);
        }
        JsonFactory jsonFactory = new JsonFactory();
        EntryFormat format = json ? new JsonFormat(jsonFactory) : new TextFormat();
        TailPrinter printer = new TailPrinter(
                new RecordDescriber(jsonFactory, TableCatalog.load()),
                format,
                cl.getOut(),
                tables,
                count == null ? 0 : count);
        try (KinesisClient kinesis = KinesisClients.create(region, profile, endpointUrl, wiring.adjustClient())) {
            StreamTail tail = new StreamTail(
                    kinesis,
                    streamRef,
                    start,
                    new StreamTail.Settings(wiring.pacing(), wiring.relistEvery(), idleLimit),
                    wiring.clock(),
                    wiring.sleeper(),
                    err);
            if (format.header() != null) {
                err.println(format.header());
                err.flush();
            }
            StreamTail.End end;
            try {
                end = tail.run(
                        printer, printer::takeProgress, () -> wiring.stop().get());
            } catch (TailFailure e) {
                if (wiring.stop().get()) {
                    // Ctrl-C interrupted a call in flight: that is the stop, not a failure.
                    end = StreamTail.End.STOPPED;
                } else {
                    err.println("tail: " + e.getMessage());
                    err.flush();
                    return FAILED;
                }
            }
            return switch (end) {
                case TIMED_OUT -> {
                    err.println("tail: no " + (printer.printed() == 0 ? "" : "further ") + "record arrived within "
                            + timeout + " (" + printer.changes() + " change" + (printer.changes() == 1 ? "" : "s")
                            + " printed"
                            + (printer.unreadable() == 0 ? "" : ", " + printer.unreadable() + " unreadable") + ")");
                    err.flush();
                    yield TIMED_OUT;
                }
                case STOPPED -> {
                    err.println("tail: stopped; " + printer.changes() + " change" + (printer.changes() == 1 ? "" : "s")
                            + " printed");
                    err.flush();
                    yield STOPPED;
                }
                case SINK_DONE -> 0;
            };
        }
    }
}
