package com.dsqlcdc.backfill.command;

import com.dsqlcdc.backfill.JobMode;
import com.dsqlcdc.backfill.JobPlan;
import com.dsqlcdc.backfill.JobPlans;
import com.dsqlcdc.backfill.RangeWorker;
import com.dsqlcdc.backfill.ResyncPrecondition;
import com.dsqlcdc.backfill.SnapshotBatch;
import com.dsqlcdc.backfill.WarehouseReader;
import com.dsqlcdc.contract.env.BackfillEnvironment;
import com.dsqlcdc.loader.S3StagingStore;
import com.dsqlcdc.sql.catalog.TableCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code backfill resync}: tables (or the ranges a validation named) read again, overriding older events. */
@Command(
        name = "resync",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = BackfillCommand.USAGE,
        description = {
            "Stage every row of the tables named (default: every catalog table), or of exactly the ranges a"
                    + " validation's report names (--from-report), dated at its page's read less a margin, so that it"
                    + " overrides every event older than the read; keys the warehouse holds that the source no longer"
                    + " has become tombstones (docs/backfill.md, ordering rules).",
            "For a gap in the stream (a FAILED stream recreated) and a table added to the catalog after its stream"
                    + " was created. Starts only while the stream is ACTIVE, and after the loader has loaded what was"
                    + " staged before the gap's end."
        })
final class ResyncCommand extends JobCommand {

    @Parameters(paramLabel = "TABLE", arity = "0..*", description = "schema.table or table (schema public).")
    List<String> tables = new ArrayList<>();

    @Option(
            names = "--from-report",
            paramLabel = "FILE",
            order = 10,
            description = "Resync exactly the ranges this validation report names (validate's .report.json), instead"
                    + " of whole tables.")
    Path fromReport;

    @Option(
            names = "--gap-end",
            paramLabel = "INSTANT",
            order = 11,
            description = "From when the stream is known to carry every change, ISO-8601 (e.g. 2026-12-03T10:15:00Z):"
                    + " when the table was deployed into the catalog (default: the stream's creation).")
    String gapEnd;

    @Option(
            names = "--margin-millis",
            paramLabel = "MS",
            order = 12,
            description = "How far before its transaction's start a page's rows are dated (default: ${DEFAULT-VALUE}).")
    int margin = BackfillEnvironment.RESYNC_MARGIN_MILLIS.defaultValue().orElseThrow();

    @Mixin
    SnapshotOptions snapshot;

    @Mixin
    WarehouseOptions warehouse;

    private Instant givenGapEnd;

    ResyncCommand(BackfillCommand.Wiring wiring) {
        super(wiring);
    }

    @Override
    JobMode mode() {
        return JobMode.RESYNC;
    }

    @Override
    Selection prepare(CommandLine commandLine, TableCatalog catalog) {
        snapshot.check(commandLine);
        warehouse.check(commandLine);
        Options.check(commandLine, "--margin-millis", BackfillEnvironment.RESYNC_MARGIN_MILLIS, margin);
        if (gapEnd != null) {
            try {
                givenGapEnd = Instant.parse(gapEnd);
            } catch (DateTimeParseException e) {
                throw Options.invalid(
                        commandLine, "--gap-end", gapEnd + " is not an ISO-8601 instant, e.g. 2026-12-03T10:15:00Z");
            }
        }
        return Selection.of(commandLine, catalog, tables, fromReport);
    }

    @Override
    String streamId() {
        return snapshot.streamId;
    }

    @Override
    long marginMillis() {
        return margin;
    }

    @Override
    JobPlan newPlan(Job job) throws InterruptedException {
        Instant created = snapshot.activeSince(job.clients(), cluster.clusterId);
        Instant end;
        try {
            // Objects staged before the gap's end wait for the loader (an IllegalStateException: the job fails).
            end = ResyncPrecondition.gapEnd(
                    givenGapEnd,
                    "--gap-end",
                    created,
                    new S3StagingStore(job.clients().s3(), snapshot.stagingBucket));
        } catch (IllegalArgumentException e) {
            throw Options.invalid(spec.commandLine(), "--gap-end", e.getMessage());
        }
        Duration wait = ResyncPrecondition.untilFirstPage(end, margin, wiringClock());
        if (!wait.isNegative()) {
            job.err().println("Waiting " + wait.toMillis() + " ms, until the gap's end plus the margin has passed");
            Thread.sleep(wait.toMillis());
        }
        job.err().println("CDC stream " + snapshot.streamId + " is ACTIVE since " + created + "; the gap ended " + end);
        return selection.report() != null
                ? JobPlans.fromReport(
                        job.jobId(),
                        JobMode.RESYNC,
                        job.settings(),
                        end,
                        selection.report(),
                        fromReport.toString(),
                        job.catalog(),
                        wiringClock())
                : JobPlans.resync(job.jobId(), job.settings(), end, selection.tables(), job.catalog(), wiringClock());
    }

    @Override
    Supplier<SnapshotBatch> batches(Job job) {
        return snapshot.batches(job.clients().s3(), job.catalog(), RangeWorker.RESYNC_SHARD);
    }

    @Override
    WarehouseReader warehouse(Job job) {
        return warehouse.reader(job.clients());
    }
}
