package com.dsqlcdc.backfill;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/**
 * The backfill job's last step, {@code {"jobId": ...}}: gathers every range's checkpoint into the job's
 * report ({@link JobReport}), writes it to {@code backfill/<job id>/report.json} in the staging bucket
 * (a later resync of a validation's mismatches reads it there), logs its text, publishes the job's
 * metrics ({@link BackfillMetrics}: the mismatch alarm watches {@code ValidationMismatchedRanges}) and
 * answers with the summary the execution's output shows. The state machine also calls it after a
 * failed map, so a failed job still leaves a report of what was done.
 */
public final class BackfillReportHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private static final Logger LOG = LoggerFactory.getLogger(BackfillReportHandler.class);

    private final JobSteps steps;
    private final BackfillMetrics metrics;

    /** Production wiring: settings from the environment, the S3 client, Powertools' metrics. */
    public BackfillReportHandler() {
        this(BackfillWiring.report(System.getenv()));
    }

    private BackfillReportHandler(BackfillWiring.Report wiring) {
        this(wiring.steps(), new BackfillMetrics(MetricsFactory.getMetricsInstance(), wiring.namespace()));
    }

    /**
     * @param steps   the job's steps
     * @param metrics where the job's figures go
     */
    public BackfillReportHandler(JobSteps steps, BackfillMetrics metrics) {
        this.steps = steps;
        this.metrics = metrics;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> {
            Object jobId = event == null ? null : event.get("jobId");
            if (!(jobId instanceof String id) || id.isBlank()) {
                throw new IllegalArgumentException("the report step takes {\"jobId\": \"<job id>\"}, got " + event);
            }
            JobReport report = steps.report(id);
            metrics.publish(report);
            String location = steps.store().reportLocation(id);
            LOG.info(
                    "job report\n" + report.text(),
                    entry("jobId", id),
                    entry("mode", report.mode().label()),
                    entry("complete", report.complete()),
                    entry("report", location));
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("jobId", id);
            summary.put("mode", report.mode().label());
            summary.put("complete", report.complete());
            summary.put("rangesTotal", report.rangesTotal());
            summary.put("rangesDone", report.rangesDone());
            summary.put("rowsRead", report.rowsRead());
            summary.put("rowsStaged", report.rowsStaged());
            summary.put("tombstones", report.tombstones());
            summary.put("skippedRows", report.skippedRows());
            summary.put("rangesCompared", report.rangesCompared());
            summary.put("mismatchedRanges", report.mismatched().size());
            summary.put("driftProblems", report.drift().size());
            summary.put("report", location);
            return summary;
        });
    }
}
