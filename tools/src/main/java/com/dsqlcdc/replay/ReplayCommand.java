package com.dsqlcdc.replay;

import com.dsqlcdc.contract.retry.Backoff;
import com.dsqlcdc.contract.retry.RetryPolicy;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code replay}: the operator's command to re-drive what the consumer Lambda could not land,
 * through the Lambda's own decoding and load code. Run it with {@code tools/replay} (which runs
 * this class from tools.jar); see the README.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        version = "replay (tools.jar)",
        exitCodeOnInvalidInput = ReplayCommand.USAGE,
        description = {
            "Re-drive records the consumer Lambda could not land, through the Lambda's own decoding and load code.",
            "Each replayed object gets a ledger beside it (replay-ledger/<key>.json in its bucket): a second run skips "
                    + "objects already replayed and tries again only their failed records (and, with --retry-left, "
                    + "their left ones). Progress goes to stderr, the summary to stdout.",
            "Region and credentials come from the AWS SDK's default chains (AWS_REGION, AWS_PROFILE, ...)."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            " 0:everything loaded (now or by an earlier run)",
            " 1:records failed, or an object could not be read: run the same command again",
            " 2:records left (still poison, or past the stream's retention): see the summary",
            "64:invalid command line"
        })
public final class ReplayCommand implements Callable<Integer> {

    /** Exit code of an invalid command line (sysexits' EX_USAGE: 1 and 2 are outcomes). */
    public static final int USAGE = 64;

    /**
     * A slice whose records did not all land is tried 4 times in all, pausing 5, 10 and 20 s (about 35
     * s): long enough for a throttled Data API or a workgroup that is scaling to recover.
     */
    public static final RetryPolicy SLICE_RETRY = RetryPolicy.builder(
                    4, Backoff.doubling(Duration.ofSeconds(5), Duration.ofSeconds(20)))
            .build();

    /**
     * What the command runs with.
     *
     * @param clients          builds the SDK clients (closed when the command ends)
     * @param retry            tries per slice, and the pauses between them
     * @param kinesisPagePause pause between GetRecords calls
     * @param clock            time source
     */
    public record Wiring(Supplier<ReplayClients> clients, RetryPolicy retry, Duration kinesisPagePause, Clock clock) {
        /** @return the real clients, retries and clock */
        public static Wiring production() {
            return new Wiring(ReplayClients::create, SLICE_RETRY, KinesisRangeReader.PAGE_PAUSE, Clock.systemUTC());
        }
    }

    @Spec
    CommandSpec spec;

    private final Wiring wiring;

    /** @param wiring clients, retries and clock */
    public ReplayCommand(Wiring wiring) {
        this.wiring = wiring;
    }

    public static void main(String[] args) {
        // The consumer's code logs JSON lines to stdout (its Lambda log format); here stdout carries
        // the summary, so they go to stderr with the progress. Set before the logging initialises.
        PrintStream stdout = System.out;
        System.setOut(System.err);
        int code = new ReplayCommand(Wiring.production())
                .run(new PrintWriter(stdout, true), new PrintWriter(System.err, true), args);
        System.exit(code);
    }

    /**
     * @param out  where the summary (and help) goes
     * @param err  where progress and errors go
     * @param args the command line
     * @return the exit code
     */
    public int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(this)
                .addSubcommand(new QuarantineCommand(wiring))
                .addSubcommand(new FailedBatchesCommand(wiring));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("replay failed: " + (e.getMessage() != null ? e.getMessage() : e));
            command.getErr().flush();
            return ReplayReport.FAILED;
        });
        return commandLine.execute(args);
    }

    /** Without a subcommand: the usage. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }
}
