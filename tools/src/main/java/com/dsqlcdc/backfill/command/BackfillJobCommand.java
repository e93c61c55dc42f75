package com.dsqlcdc.backfill.command;

import com.dsqlcdc.backfill.JobMode;
import com.dsqlcdc.backfill.JobPlan;
import com.dsqlcdc.backfill.JobPlans;
import com.dsqlcdc.backfill.RangeWorker;
import com.dsqlcdc.backfill.SnapshotBatch;
import com.dsqlcdc.sql.catalog.TableCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code backfill backfill}: the first snapshot of catalog tables, after the stream became ACTIVE. */
@Command(
        name = "backfill",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = BackfillCommand.USAGE,
        description = {
            "Stage every row of the tables named (default: every catalog table) as a snapshot event (op r) dated at"
                    + " the CDC stream's creation, so that every change the stream captured wins over it"
                    + " (docs/backfill.md, ordering rules). The loader loads them like any other change.",
            "Starts only while the stream is ACTIVE. Run it once after the first deploy against an existing cluster;"
                    + " for a table added later, or after a gap in the stream, use resync."
        })
final class BackfillJobCommand extends JobCommand {

    @Parameters(paramLabel = "TABLE", arity = "0..*", description = "schema.table or table (schema public).")
    List<String> tables = new ArrayList<>();

    @Mixin
    SnapshotOptions snapshot;

    BackfillJobCommand(BackfillCommand.Wiring wiring) {
        super(wiring);
    }

    @Override
    JobMode mode() {
        return JobMode.BACKFILL;
    }

    @Override
    Selection prepare(CommandLine commandLine, TableCatalog catalog) {
        snapshot.check(commandLine);
        return Selection.of(commandLine, catalog, tables, null);
    }

    @Override
    String streamId() {
        return snapshot.streamId;
    }

    @Override
    JobPlan newPlan(Job job) {
        Instant created = snapshot.activeSince(job.clients(), cluster.clusterId);
        job.err()
                .println("CDC stream " + snapshot.streamId + " is ACTIVE since " + created
                        + ": snapshot rows are dated then");
        return JobPlans.backfill(
                job.jobId(), job.settings(), created, selection.tables(), job.catalog(), wiringClock());
    }

    @Override
    Supplier<SnapshotBatch> batches(Job job) {
        return snapshot.batches(job.clients().s3(), job.catalog(), RangeWorker.BACKFILL_SHARD);
    }
}
