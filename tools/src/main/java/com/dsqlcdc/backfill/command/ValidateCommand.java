package com.dsqlcdc.backfill.command;

import com.dsqlcdc.backfill.BackfillCatalog;
import com.dsqlcdc.backfill.JobMode;
import com.dsqlcdc.backfill.JobPlan;
import com.dsqlcdc.backfill.JobPlans;
import com.dsqlcdc.backfill.JobReport;
import com.dsqlcdc.backfill.SourceCatalog;
import com.dsqlcdc.backfill.SourceReader;
import com.dsqlcdc.backfill.TablePlan;
import com.dsqlcdc.backfill.WarehouseReader;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.TableCatalog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code backfill validate}: counts and checksums per key range, source against the warehouse. */
@Command(
        name = "validate",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = BackfillCommand.USAGE,
        description = {
            "Compare each key range of the tables named (default: every catalog table) between the source and the"
                    + " warehouse's current state: row counts and an order-independent checksum of the rows. Prints the"
                    + " ranges that differ and the catalog's drift (columns and types the source has and the catalog"
                    + " does not, tables without a primary key) and writes the report beside the checkpoint; 'resync"
                    + " --from-report' repairs exactly those ranges.",
            "Changes on their way through the pipeline show as differences: validate when the pipeline is quiet, or"
                    + " validate the ranges again (--from-report) before repairing them."
        })
final class ValidateCommand extends JobCommand {

    @Parameters(paramLabel = "TABLE", arity = "0..*", description = "schema.table or table (schema public).")
    List<String> tables = new ArrayList<>();

    @Option(
            names = "--from-report",
            paramLabel = "FILE",
            order = 10,
            description = "Validate again exactly the ranges an earlier validation's report names.")
    Path fromReport;

    @Mixin
    WarehouseOptions warehouse;

    ValidateCommand(BackfillCommand.Wiring wiring) {
        super(wiring);
    }

    @Override
    JobMode mode() {
        return JobMode.VALIDATE;
    }

    @Override
    Selection prepare(CommandLine commandLine, TableCatalog catalog) {
        warehouse.check(commandLine);
        return Selection.of(commandLine, catalog, tables, fromReport);
    }

    @Override
    JobPlan newPlan(Job job) throws SQLException {
        JobPlan plan = selection.report() != null
                ? JobPlans.fromReport(
                        job.jobId(),
                        JobMode.VALIDATE,
                        job.settings(),
                        null,
                        selection.report(),
                        fromReport.toString(),
                        job.catalog(),
                        wiringClock())
                : JobPlans.validate(job.jobId(), job.settings(), selection.tables(), job.catalog(), wiringClock());
        List<CatalogTable> checked = plan.tables().stream()
                .map(TablePlan::table)
                .map(t -> BackfillCatalog.table(job.catalog(), t))
                .toList();
        try (SourceReader reader = new SourceReader(job.connections(), wiringClock())) {
            return plan.withDrift(SourceCatalog.read(reader).drift(checked));
        }
    }

    @Override
    WarehouseReader warehouse(Job job) {
        return warehouse.reader(job.clients());
    }

    @Override
    void afterReport(PrintWriter out, JobReport finished, String reportLocation) {
        if (!finished.mismatched().isEmpty()) {
            out.println(
                    "To repair the ranges that differ: tools/backfill resync --from-report " + reportLocation
                            + " (with this command's --cluster-id, --workgroup and the resync's --stream-id, --staging-bucket)");
        }
    }
}
