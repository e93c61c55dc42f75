package com.dsqlcdc.backfill.command;

import com.dsqlcdc.backfill.FileJobStore;
import com.dsqlcdc.backfill.JobJson;
import com.dsqlcdc.backfill.JobMode;
import com.dsqlcdc.backfill.JobPlan;
import com.dsqlcdc.backfill.JobPlans;
import com.dsqlcdc.backfill.JobReport;
import com.dsqlcdc.backfill.JobRunner;
import com.dsqlcdc.backfill.RangeState;
import com.dsqlcdc.backfill.RangeWorker;
import com.dsqlcdc.backfill.SnapshotBatch;
import com.dsqlcdc.backfill.SnapshotRecords;
import com.dsqlcdc.backfill.SourceConnections;
import com.dsqlcdc.backfill.TablePlan;
import com.dsqlcdc.backfill.WarehouseReader;
import com.dsqlcdc.contract.env.BackfillEnvironment;
import com.dsqlcdc.sql.catalog.TableCatalog;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What {@code backfill}, {@code resync} and {@code validate} share: the source, the local
 * checkpoint, the plan (new, or the unfinished one resumed), the run with bounded concurrency and a
 * progress line, the report (stdout, and a JSON file beside the checkpoint) and the exit code.
 *
 * <p>The checkpoint is {@code <checkpoint-dir>/<mode>.json}: one job per mode at a time. Running the
 * same command again resumes that job where its ranges' checkpoints stopped; a finished backfill is not
 * run again (its report is printed) unless {@code --restart}; a finished resync or validation is
 * followed by a new one (each reads the source afresh).
 */
abstract class JobCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(
            names = "--role",
            paramLabel = "ROLE",
            order = 3,
            description = "The database role to connect as, with an IAM token (dsql:DbConnect); create it with "
                    + "'tools/backfill source-role' (default: ${DEFAULT-VALUE}).")
    String role = BackfillEnvironment.SOURCE_DATABASE_ROLE.defaultValue().orElseThrow();

    @Option(
            names = "--checkpoint-dir",
            paramLabel = "DIR",
            order = 20,
            description = "Where the job's checkpoint (<mode>.json) and report (<mode>.json.report.json) are kept;"
                    + " running the same command again resumes the job (default: ${DEFAULT-VALUE}).")
    Path checkpointDir = Path.of("backfill-jobs");

    @Option(
            names = "--restart",
            order = 21,
            description = "Drop the checkpoint of this mode's earlier job and start a new one.")
    boolean restart;

    @Option(
            names = "--concurrency",
            paramLabel = "N",
            order = 22,
            description = "Key ranges worked on at once, each with its own source connection: at most N read"
                    + " transactions on the source at a time, 1-" + MAX_CONCURRENCY + " (default: ${DEFAULT-VALUE}).")
    int concurrency = 4;

    @Option(
            names = "--range-rows",
            paramLabel = "ROWS",
            order = 23,
            description = "Rows per key range: the unit of parallelism, checkpoints, validation and resync"
                    + " (default: ${DEFAULT-VALUE}).")
    int rangeRows = BackfillEnvironment.RANGE_ROWS.defaultValue().orElseThrow();

    @Option(
            names = "--page-rows",
            paramLabel = "ROWS",
            order = 24,
            description = "Rows per page: each page is one short read-only transaction on the source"
                    + " (default: ${DEFAULT-VALUE}).")
    int pageRows = BackfillEnvironment.PAGE_ROWS.defaultValue().orElseThrow();

    @Option(
            names = "--catalog",
            paramLabel = "FILE",
            order = 25,
            description = "The catalog the pipeline was deployed with (default: sql/catalog.json as built into"
                    + " tools.jar).")
    Path catalogFile;

    @Option(
            names = "--progress-seconds",
            paramLabel = "SECONDS",
            order = 26,
            description = "Seconds between two progress lines on stderr (default: ${DEFAULT-VALUE}).")
    int progressSeconds = 5;

    /** Most workers at once: each holds a source connection and a buffer of up to 10,000 staged rows. */
    static final int MAX_CONCURRENCY = 64;

    private final BackfillCommand.Wiring wiring;

    JobCommand(BackfillCommand.Wiring wiring) {
        this.wiring = wiring;
    }

    /** @return the job's mode */
    abstract JobMode mode();

    /**
     * Checks the subcommand's own options and reads what it works on.
     *
     * @return the tables or the report's ranges the job works on
     * @throws CommandLine.ParameterException naming the option and the fix
     */
    abstract Selection prepare(CommandLine commandLine, TableCatalog catalog);

    /** What the job works on: set before {@link #newPlan}. */
    Selection selection;

    /** @return a new plan for what this command asks (the stream checked, the drift read, ...) */
    abstract JobPlan newPlan(Job job) throws Exception;

    /** @return the staging batches of the job, or null when the mode stages nothing */
    Supplier<SnapshotBatch> batches(Job job) {
        return null;
    }

    /** @return the warehouse, or null when the mode does not read it */
    WarehouseReader warehouse(Job job) {
        return null;
    }

    /** What a job's steps share. */
    record Job(
            String jobId,
            TableCatalog catalog,
            BackfillClients clients,
            SourceConnections connections,
            JobPlans.Settings settings,
            PrintWriter err) {}

    @Override
    public Integer call() throws Exception {
        CommandLine commandLine = spec.commandLine();
        var regionName = cluster.check(commandLine);
        Options.check(commandLine, "--role", BackfillEnvironment.SOURCE_DATABASE_ROLE, role);
        Options.range(
                commandLine,
                "--concurrency",
                concurrency,
                1,
                MAX_CONCURRENCY,
                "key ranges worked on at once (each a source connection)");
        Options.check(commandLine, "--range-rows", BackfillEnvironment.RANGE_ROWS, rangeRows);
        Options.check(commandLine, "--page-rows", BackfillEnvironment.PAGE_ROWS, pageRows);
        Options.range(commandLine, "--progress-seconds", progressSeconds, 1, 3600, "seconds between progress lines");
        TableCatalog catalog = Options.catalog(commandLine, catalogFile);
        selection = prepare(commandLine, catalog);

        PrintWriter out = commandLine.getOut();
        PrintWriter err = commandLine.getErr();
        Path checkpoint = checkpointDir.resolve(mode().label() + ".json");
        Path reportFile = checkpoint.resolveSibling(checkpoint.getFileName() + ".report.json");
        if (restart) {
            Files.deleteIfExists(checkpoint);
            Files.deleteIfExists(reportFile);
        }
        FileJobStore store = new FileJobStore(checkpoint);
        try (BackfillClients clients = wiring.clients().apply(regionName)) {
            SourceConnections connections = clients.source(cluster.clusterId, role);
            Optional<JobPlan> existing = store.plan();
            JobPlan plan;
            if (existing.isPresent() && !finished(store, existing.get(), catalog)) {
                if (!selection.matches(existing.get())) {
                    throw new CommandLine.ParameterException(
                            commandLine,
                            checkpoint + " holds " + describe(existing.get()) + ", not finished: run the command"
                                    + " that started it again to resume it, or pass --restart to drop it");
                }
                plan = existing.get();
                err.println("Resuming " + describe(plan) + " from " + checkpoint);
            } else if (existing.isPresent() && mode() == JobMode.BACKFILL && selection.matches(existing.get())) {
                JobReport report =
                        JobReport.of(existing.get(), store.ranges(existing.get().jobId()), catalog);
                err.println(describe(existing.get()) + " is already complete (" + checkpoint
                        + "); running it again would stage the same rows again: pass --restart to do so");
                out.print(report.text());
                out.println("report: " + store.reportLocation(report.jobId()));
                return exitCode(report);
            } else {
                String jobId = JobPlans.newJobId(mode(), wiring.clock());
                JobPlans.Settings settings =
                        new JobPlans.Settings(cluster.clusterId, streamId(), pageRows, rangeRows, marginMillis());
                plan = newPlan(new Job(jobId, catalog, clients, connections, settings, err));
                // Saved before any range is worked on (a report's ranges come planned): ranges' checkpoints
                // belong to the plan in the file.
                store.savePlan(plan);
                err.println("Started " + describe(plan) + "; checkpoint " + checkpoint);
            }
            Job job = new Job(plan.jobId(), catalog, clients, connections, null, err);
            if (!plan.complete()) {
                err.println("Planning key ranges of " + plan.tables().size() + " table(s), " + plan.rangeRows()
                        + " rows each");
                plan = runner(
                                store,
                                catalog,
                                connections,
                                job,
                                plan,
                                RangeWorker.Progress.NONE,
                                JobRunner.RangeListener.NONE)
                        .plan(plan);
            }
            List<RangeState> before = store.ranges(plan.jobId());
            long readBefore = before.stream().mapToLong(RangeState::rowsRead).sum();
            int doneBefore = (int) before.stream().filter(RangeState::done).count();
            try (ProgressLine progress = new ProgressLine(
                    err,
                    mode().label(),
                    expectedRows(plan),
                    readBefore,
                    plan.rangeIds().size(),
                    doneBefore,
                    Duration.ofSeconds(progressSeconds),
                    wiring.clock())) {
                runner(store, catalog, connections, job, plan, progress, progress)
                        .run(plan, Instant.MAX);
            }
            JobReport report = JobReport.of(plan, store.ranges(plan.jobId()), catalog);
            store.saveReport(plan.jobId(), report.json());
            out.print(report.text());
            out.println("report: " + store.reportLocation(plan.jobId()));
            afterReport(out, report, store.reportLocation(plan.jobId()));
            return exitCode(report);
        }
    }

    /** @return the commands' clock */
    java.time.Clock wiringClock() {
        return wiring.clock();
    }

    /** Prints what to do next, after the report. */
    void afterReport(PrintWriter out, JobReport report, String reportLocation) {}

    /** @return the stream the job checks, or null */
    String streamId() {
        return null;
    }

    /** @return the resync margin */
    long marginMillis() {
        return BackfillEnvironment.RESYNC_MARGIN_MILLIS.defaultValue().orElseThrow();
    }

    private JobRunner runner(
            FileJobStore store,
            TableCatalog catalog,
            SourceConnections connections,
            Job job,
            JobPlan plan,
            RangeWorker.Progress progress,
            JobRunner.RangeListener listener) {
        Supplier<SnapshotBatch> batches = batches(job);
        WarehouseReader warehouse = warehouse(job);
        return new JobRunner(
                store,
                catalog,
                connections,
                reader -> new RangeWorker(
                        reader,
                        new SnapshotRecords(
                                JobJson.MAPPER, plan.clusterId(), plan.mode().label() + ":" + plan.jobId()),
                        batches,
                        warehouse,
                        store,
                        wiring.clock(),
                        progress,
                        RangeWorker.FLUSH_ROWS),
                concurrency,
                wiring.clock(),
                listener);
    }

    private static boolean finished(FileJobStore store, JobPlan plan, TableCatalog catalog) {
        return JobReport.of(plan, store.ranges(plan.jobId()), catalog).complete();
    }

    /** Rows the job will read, about: each table's planned rows, or its ranges' size when not counted. */
    private static long expectedRows(JobPlan plan) {
        long rows = 0;
        for (TablePlan table : plan.tables()) {
            rows += table.rows() >= 0 ? table.rows() : (long) table.ranges().size() * plan.rangeRows();
        }
        return rows;
    }

    static String describe(JobPlan plan) {
        return plan.mode().label() + " job " + plan.jobId() + " ("
                + (plan.fromReport() != null
                        ? "the ranges of " + plan.fromReport()
                        : String.join(
                                ", ",
                                plan.tables().stream().map(TablePlan::table).toList()))
                + ")";
    }

    /** 0: done, nothing differs; 2: done, but rows not staged, ranges differ or the catalog drifted; 1: not done. */
    static int exitCode(JobReport report) {
        if (!report.complete()) {
            return BackfillCommand.FAILED;
        }
        return report.skippedRows() > 0
                        || !report.mismatched().isEmpty()
                        || !report.drift().isEmpty()
                ? BackfillCommand.DIFFERENCES
                : BackfillCommand.OK;
    }
}
