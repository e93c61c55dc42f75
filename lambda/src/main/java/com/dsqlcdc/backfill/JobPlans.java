package com.dsqlcdc.backfill;

import com.dsqlcdc.sql.backfill.KeyRange;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.TableCatalog;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** New job plans: the settings each mode needs, and its tables not planned yet (or a report's ranges). */
public final class JobPlans {

    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private JobPlans() {}

    /** The settings every plan carries. */
    public record Settings(String clusterId, String streamId, int pageRows, int rangeRows, long marginMillis) {
        public Settings {
            if (pageRows < 1 || rangeRows < 1 || marginMillis < 0) {
                throw new IllegalArgumentException("page rows, range rows (at least 1) and the margin (at least 0)"
                        + " are out of range: " + pageRows + ", " + rangeRows + ", " + marginMillis);
            }
        }
    }

    /** @return a job id: the mode, the time, a few random hex digits (e.g. {@code backfill-20261203-101500-3f9a}) */
    public static String newJobId(JobMode mode, Clock clock) {
        byte[] random = new byte[2];
        ThreadLocalRandom.current().nextBytes(random);
        return mode.label() + "-" + ID_TIME.format(clock.instant()) + "-"
                + HexFormat.of().formatHex(random);
    }

    /**
     * @param jobId          the job
     * @param streamCreation the CDC stream's creation: every snapshot row's commit time
     * @return a first backfill of {@code tables}
     */
    public static JobPlan backfill(
            String jobId,
            Settings settings,
            Instant streamCreation,
            List<CatalogTable> tables,
            TableCatalog catalog,
            Clock clock) {
        return plan(
                jobId,
                JobMode.BACKFILL,
                settings,
                RangeWorker.nanos(streamCreation),
                null,
                tables,
                catalog,
                null,
                clock);
    }

    /**
     * @param gapEnd from when the stream is known to carry every change (the stream's creation, or
     *               the deployment of a table added late)
     * @return a resync of {@code tables}
     */
    public static JobPlan resync(
            String jobId,
            Settings settings,
            Instant gapEnd,
            List<CatalogTable> tables,
            TableCatalog catalog,
            Clock clock) {
        return plan(jobId, JobMode.RESYNC, settings, null, gapEnd, tables, catalog, null, clock);
    }

    /** @return a validation of {@code tables} */
    public static JobPlan validate(
            String jobId, Settings settings, List<CatalogTable> tables, TableCatalog catalog, Clock clock) {
        return plan(jobId, JobMode.VALIDATE, settings, null, null, tables, catalog, null, clock);
    }

    /**
     * A job over exactly the ranges a validation found different (already planned).
     *
     * @param mode   resync (repair them) or validate (compare them again)
     * @param gapEnd resync: as in {@link #resync}
     * @param report the validation's report
     * @param source where the report came from (kept in the plan)
     */
    public static JobPlan fromReport(
            String jobId,
            JobMode mode,
            Settings settings,
            Instant gapEnd,
            JobReport report,
            String source,
            TableCatalog catalog,
            Clock clock) {
        if (report.mode() != JobMode.VALIDATE) {
            throw new IllegalArgumentException(source + " is the report of a "
                    + report.mode().label() + " job; ranges come from a validation's report");
        }
        if (mode == JobMode.BACKFILL) {
            throw new IllegalArgumentException("a backfill covers whole tables; resync the ranges a report names");
        }
        Map<String, List<KeyRange>> ranges = new LinkedHashMap<>();
        for (JobReport.Mismatch m : report.mismatched()) {
            BackfillCatalog.table(catalog, m.table());
            ranges.computeIfAbsent(m.table(), t -> new ArrayList<>()).add(m.bounds());
        }
        List<TablePlan> tables = new ArrayList<>();
        ranges.forEach((table, list) -> tables.add(new TablePlan(table, true, null, list, -1)));
        return new JobPlan(
                JobPlan.VERSION,
                jobId,
                mode,
                clock.instant().toString(),
                settings.clusterId(),
                settings.streamId(),
                null,
                gapEnd == null ? null : gapEnd.toString(),
                settings.marginMillis(),
                settings.pageRows(),
                settings.rangeRows(),
                BackfillCatalog.shape(catalog),
                source,
                List.of(),
                tables);
    }

    private static JobPlan plan(
            String jobId,
            JobMode mode,
            Settings settings,
            Long snapshotTsNs,
            Instant gapEnd,
            List<CatalogTable> tables,
            TableCatalog catalog,
            String fromReport,
            Clock clock) {
        return new JobPlan(
                JobPlan.VERSION,
                jobId,
                mode,
                clock.instant().toString(),
                settings.clusterId(),
                settings.streamId(),
                snapshotTsNs,
                gapEnd == null ? null : gapEnd.toString(),
                settings.marginMillis(),
                settings.pageRows(),
                settings.rangeRows(),
                BackfillCatalog.shape(catalog),
                fromReport,
                List.of(),
                tables.stream().map(t -> TablePlan.start(t.qualifiedName())).toList());
    }
}
