package com.dsqlcdc.backfill.command;

import com.dsqlcdc.backfill.BackfillCatalog;
import com.dsqlcdc.backfill.JobPlan;
import com.dsqlcdc.backfill.JobReport;
import com.dsqlcdc.backfill.TablePlan;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.TableCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import picocli.CommandLine;

/**
 * What a job works on: the catalog tables named (every one when none is), or exactly the ranges a
 * validation's report names.
 *
 * @param tables     the tables (empty when the ranges come from a report)
 * @param report     the report, or null
 * @param reportFile where it was read, or null
 */
record Selection(List<CatalogTable> tables, JobReport report, Path reportFile) {

    /**
     * @param names      the tables named on the command line
     * @param fromReport {@code --from-report}, or null
     * @return the selection
     * @throws CommandLine.ParameterException naming an unknown table, a report that cannot be read, or
     *                                        both tables and a report
     */
    static Selection of(CommandLine commandLine, TableCatalog catalog, List<String> names, Path fromReport) {
        if (fromReport == null) {
            try {
                return new Selection(BackfillCatalog.select(catalog, names), null, null);
            } catch (IllegalArgumentException e) {
                throw Options.invalid(commandLine, "TABLE", e.getMessage());
            }
        }
        if (!names.isEmpty()) {
            throw Options.invalid(
                    commandLine,
                    "--from-report",
                    "name either tables or the ranges of a report, not both: drop " + names + " or --from-report");
        }
        try {
            return new Selection(
                    List.of(),
                    JobReport.read(Files.readString(fromReport, StandardCharsets.UTF_8), fromReport.toString()),
                    fromReport);
        } catch (NoSuchFileException e) {
            throw Options.invalid(commandLine, "--from-report", fromReport + " does not exist");
        } catch (IOException | RuntimeException e) {
            throw Options.invalid(
                    commandLine,
                    "--from-report",
                    fromReport + " is not a job report (" + e.getMessage()
                            + "): give the .report.json a validation wrote");
        }
    }

    /** @return whether {@code plan} (an unfinished job in the checkpoint) works on this selection */
    boolean matches(JobPlan plan) {
        return report != null
                ? Objects.equals(plan.fromReport(), reportFile.toString())
                : plan.fromReport() == null
                        && plan.tables().stream()
                                .map(TablePlan::table)
                                .toList()
                                .equals(tables.stream()
                                        .map(CatalogTable::qualifiedName)
                                        .toList());
    }
}
