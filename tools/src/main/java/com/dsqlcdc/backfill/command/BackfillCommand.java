package com.dsqlcdc.backfill.command;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.regions.Region;

/**
 * {@code backfill}: the operator's commands for the rows the CDC stream never carried (snapshot
 * backfill, resync, validation) and for the catalog and the source's read-only role. Run them with
 * {@code tools/backfill} (which runs this class from tools.jar); see docs/backfill.md.
 */
@Command(
        name = "backfill",
        mixinStandardHelpOptions = true,
        version = "backfill (tools.jar)",
        exitCodeOnInvalidInput = BackfillCommand.USAGE,
        description = {
            "Existing rows for the pipeline: snapshot backfill, resync and validation of catalog tables against the"
                    + " DSQL source, the catalog read from the source, and the source's least-privilege role.",
            "Jobs read the source with IAM tokens (dsql:DbConnect) as a read-only database role, stage through the"
                    + " consumer's own code into the staging bucket, keep checkpoints in a local directory (the same"
                    + " command again resumes), and print a progress line on stderr and the report on stdout.",
            "Region and credentials come from the AWS SDK's default chains (AWS_REGION, AWS_PROFILE, ...). See"
                    + " docs/backfill.md."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            " 0:done, and nothing differs",
            " 1:failed (the source, S3 or the warehouse refused, the stream is not ACTIVE): the same command again"
                    + " resumes",
            " 2:done, but ranges differ, the catalog drifted (validate, catalog --check) or rows could not be staged",
            "64:invalid command line"
        })
public final class BackfillCommand implements Callable<Integer> {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int DIFFERENCES = 2;
    /** Exit code of an invalid command line (sysexits' EX_USAGE, as the other tools). */
    public static final int USAGE = 64;

    /**
     * What the commands run with.
     *
     * @param clients builds the clients for a Region (null: the SDK's default chain); closed when the
     *                command ends
     * @param clock   time source
     */
    public record Wiring(Function<Region, BackfillClients> clients, Clock clock) {
        /** @return the operator's AWS clients and the system clock */
        public static Wiring production() {
            return new Wiring(BackfillClients::aws, Clock.systemUTC());
        }
    }

    @Spec
    CommandSpec spec;

    private final Wiring wiring;

    /** @param wiring clients and clock */
    public BackfillCommand(Wiring wiring) {
        this.wiring = wiring;
    }

    public static void main(String[] args) {
        // The consumer's code logs JSON lines to stdout (its Lambda log format); here stdout carries
        // the report, so they go to stderr with the progress. Set before the logging initialises.
        PrintStream stdout = System.out;
        System.setOut(System.err);
        int code = new BackfillCommand(Wiring.production())
                .run(new PrintWriter(stdout, true), new PrintWriter(System.err, true), args);
        System.exit(code);
    }

    /**
     * @param out  where reports, the catalog's diff, the role's SQL (and help) go
     * @param err  where progress and errors go
     * @param args the command line
     * @return the exit code
     */
    public int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(this)
                .addSubcommand(new BackfillJobCommand(wiring))
                .addSubcommand(new ResyncCommand(wiring))
                .addSubcommand(new ValidateCommand(wiring))
                .addSubcommand(new CatalogCommand(wiring))
                .addSubcommand(new SourceRoleCommand());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("backfill failed: " + (e.getMessage() != null ? e.getMessage() : e));
            command.getErr().flush();
            return FAILED;
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
