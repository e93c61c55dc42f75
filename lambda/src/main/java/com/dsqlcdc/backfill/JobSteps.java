package com.dsqlcdc.backfill;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.dsqlcdc.contract.retry.Sleeper;
import com.dsqlcdc.loader.StagingStore;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.TableCatalog;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployed job's three steps, without Lambda types (the handlers are thin): plan, work one range,
 * report. The job's state lives in the staging bucket ({@link S3JobStore}), so each step is a fresh
 * invocation that reads what it needs, and any step can be called again: planning goes on from its
 * cursor, a range from its checkpoint, a report is written again. Each handler builds one with the
 * collaborators its step uses; the others may be null (the plan step works no range, the report step
 * reads neither the source nor the stream).
 */
public final class JobSteps {

    private static final Logger LOG = LoggerFactory.getLogger(JobSteps.class);
    /** How far ahead a resync's gapEnd may be: the plan step waits until then, inside its own call. */
    static final Duration MAX_GAP_END_AHEAD = Duration.ofMinutes(1);

    /** How the range workers are built around a source reader, for a plan. */
    @FunctionalInterface
    public interface WorkerFactory {
        RangeWorker create(JobPlan plan, SourceReader reader);
    }

    /**
     * The job's settings (the plan step's environment).
     *
     * @param clusterId    the source cluster
     * @param streamId     its CDC stream
     * @param pageRows     rows per page
     * @param rangeRows    rows per range
     * @param marginMillis resync's margin
     */
    public record Settings(String clusterId, String streamId, int pageRows, int rangeRows, long marginMillis) {}

    private final S3JobStore store;
    private final StagingStore staging;
    private final StreamGate streams;
    private final SourceConnections connections;
    private final TableCatalog catalog;
    private final WorkerFactory workers;
    private final Settings settings;
    private final Clock clock;
    private final Sleeper sleeper;

    /**
     * @param store       the job store (the staging bucket's backfill/)
     * @param staging     the staging bucket as the loader sees it (resync's precondition; plan step)
     * @param streams     GetStream (backfill and resync start only while the stream is ACTIVE; plan step)
     * @param connections source connections (plan and range steps)
     * @param catalog     the catalog the functions were deployed with
     * @param workers     builds range workers (range step)
     * @param settings    the job's settings (plan step)
     * @param clock       time source
     * @param sleeper     waits (a resync waits out its margin after the gap's end; plan step)
     */
    public JobSteps(
            S3JobStore store,
            StagingStore staging,
            StreamGate streams,
            SourceConnections connections,
            TableCatalog catalog,
            WorkerFactory workers,
            Settings settings,
            Clock clock,
            Sleeper sleeper) {
        this.store = store;
        this.staging = staging;
        this.streams = streams;
        this.connections = connections;
        this.catalog = catalog;
        this.workers = workers;
        this.settings = settings;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** A job refused to start (its precondition does not hold); the message says why and what to do. */
    public static final class JobRefusedException extends RuntimeException {
        public JobRefusedException(String message) {
            super(message);
        }
    }

    /**
     * The plan step's request.
     *
     * @param mode       backfill (default), resync or validate
     * @param jobId      the job to start or to go on planning; null: a new id
     * @param tables     the tables (schema.table or table); empty: the whole catalog
     * @param fromReport a validation job's id or its report's key: resync or validate exactly its
     *                   mismatched ranges
     * @param gapEnd     resync: from when the stream carries every change (ISO-8601); default its creation
     * @param rangeRows  rows per range, or null for the setting
     * @param pageRows   rows per page, or null for the setting
     */
    public record PlanRequest(
            String mode,
            String jobId,
            List<String> tables,
            String fromReport,
            String gapEnd,
            Integer rangeRows,
            Integer pageRows) {

        /** The members a plan request may have (the state machine's execution input). */
        public static final List<String> MEMBERS =
                List.of("mode", "jobId", "tables", "fromReport", "gapEnd", "rangeRows", "pageRows");

        /**
         * @param input the execution input (or the continuation {@code {"jobId": ...}})
         * @return the request
         * @throws IllegalArgumentException naming the member that is wrong and what it takes
         */
        public static PlanRequest from(Map<String, Object> input) {
            Map<String, Object> in = input == null ? Map.of() : input;
            for (String member : in.keySet()) {
                if (!MEMBERS.contains(member)) {
                    throw new IllegalArgumentException("unknown member '" + member + "' in the job's input; it takes "
                            + String.join(", ", MEMBERS) + " (docs/runbook.md, starting a job)");
                }
            }
            return new PlanRequest(
                    text(in, "mode"),
                    text(in, "jobId"),
                    tables(in.get("tables")),
                    text(in, "fromReport"),
                    text(in, "gapEnd"),
                    count(in, "rangeRows"),
                    count(in, "pageRows"));
        }

        private static String text(Map<String, Object> in, String member) {
            Object value = in.get(member);
            if (value == null) {
                return null;
            }
            if (!(value instanceof String text) || text.isBlank()) {
                throw new IllegalArgumentException("'" + member + "' must be a non-empty string, got " + value);
            }
            return text;
        }

        private static Integer count(Map<String, Object> in, String member) {
            Object value = in.get(member);
            if (value == null) {
                return null;
            }
            if (!(value instanceof Number number)
                    || number.doubleValue() != number.intValue()
                    || number.intValue() < 1) {
                throw new IllegalArgumentException(
                        "'" + member + "' must be a whole number of rows above 0, got " + value);
            }
            return number.intValue();
        }

        private static List<String> tables(Object value) {
            if (value == null) {
                return List.of();
            }
            if (value instanceof String text) {
                // "orders,public.customers" reads as well as a list: easier to type in a shell.
                return java.util.Arrays.stream(text.split(","))
                        .map(String::trim)
                        .filter(t -> !t.isEmpty())
                        .toList();
            }
            if (value instanceof List<?> list && list.stream().allMatch(t -> t instanceof String)) {
                return list.stream().map(String.class::cast).toList();
            }
            throw new IllegalArgumentException(
                    "'tables' must be a list of table names (schema.table or table) or one comma-separated string, got "
                            + value);
        }
    }

    /**
     * Plans (or goes on planning) a job until done or {@code deadline}.
     *
     * @return the plan step's answer ({@link #planAnswer})
     * @throws JobRefusedException when the stream is not ACTIVE, or a resync's precondition fails
     * @throws SQLException        when the source refuses
     */
    public Map<String, Object> plan(PlanRequest request, Instant deadline) throws SQLException, InterruptedException {
        JobPlan plan =
                request.jobId() == null ? null : store.plan(request.jobId()).orElse(null);
        if (plan == null) {
            plan = newPlan(request);
            store.savePlan(plan);
            LOG.info(
                    "job planned",
                    entry("jobId", plan.jobId()),
                    entry("mode", plan.mode().label()));
        }
        if (!plan.complete()) {
            try (SourceReader reader = new SourceReader(connections, clock)) {
                plan = new RangePlanner(reader, clock).plan(plan, catalog, deadline, store::savePlan);
            }
        }
        if (plan.complete()) {
            List<Map<String, Object>> items = items(plan);
            store.saveItems(plan.jobId(), JobJson.write(items));
        }
        return planAnswer(plan);
    }

    private JobPlan newPlan(PlanRequest request) throws SQLException, InterruptedException {
        JobMode mode = request.mode() == null ? JobMode.BACKFILL : JobMode.of(request.mode());
        String jobId = request.jobId() != null ? request.jobId() : JobPlans.newJobId(mode, clock);
        JobPlans.Settings planSettings = new JobPlans.Settings(
                settings.clusterId(),
                settings.streamId(),
                request.pageRows() != null ? request.pageRows() : settings.pageRows(),
                request.rangeRows() != null ? request.rangeRows() : settings.rangeRows(),
                settings.marginMillis());
        Instant gapEnd = null;
        if (mode != JobMode.VALIDATE) {
            Instant created = streams.activeSince(settings.clusterId(), settings.streamId());
            if (mode == JobMode.BACKFILL) {
                if (request.fromReport() != null) {
                    throw new JobRefusedException("a backfill covers whole tables; resync a report's ranges instead");
                }
                return JobPlans.backfill(
                        jobId,
                        planSettings,
                        created,
                        BackfillCatalog.select(catalog, request.tables()),
                        catalog,
                        clock);
            }
            Instant given = request.gapEnd() == null ? null : Instant.parse(request.gapEnd());
            if (given != null && given.isAfter(clock.instant().plus(MAX_GAP_END_AHEAD))) {
                throw new JobRefusedException("gapEnd " + given + " is in the future (now " + clock.instant()
                        + "): a resync waits until every page is dated after the gap's end; give the time the stream"
                        + " carried every change from (at the latest, now), or none");
            }
            try {
                gapEnd = ResyncPrecondition.gapEnd(given, "gapEnd", created, staging);
            } catch (IllegalArgumentException e) {
                throw new JobRefusedException("gapEnd " + e.getMessage());
            } catch (IllegalStateException e) {
                throw new JobRefusedException(e.getMessage());
            }
            sleeper.sleep(ResyncPrecondition.untilFirstPage(gapEnd, settings.marginMillis(), clock));
        }
        if (request.fromReport() != null) {
            String key = request.fromReport().contains("/")
                    ? request.fromReport()
                    : S3JobStore.reportKey(request.fromReport());
            JobReport report = store.reportAt(key)
                    .map(json -> JobReport.read(json, store.url(key)))
                    .orElseThrow(() -> new JobRefusedException("no validation report at " + store.url(key)));
            return JobPlans.fromReport(jobId, mode, planSettings, gapEnd, report, store.url(key), catalog, clock);
        }
        List<CatalogTable> tables = BackfillCatalog.select(catalog, request.tables());
        if (mode == JobMode.RESYNC) {
            return JobPlans.resync(jobId, planSettings, gapEnd, tables, catalog, clock);
        }
        JobPlan validate = JobPlans.validate(jobId, planSettings, tables, catalog, clock);
        try (SourceReader reader = new SourceReader(connections, clock)) {
            return validate.withDrift(SourceCatalog.read(reader).drift(tables));
        }
    }

    /** @return each range as a work item: {@code {"jobId", "table", "range"}} */
    static List<Map<String, Object>> items(JobPlan plan) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (JobPlan.RangeId id : plan.rangeIds()) {
            items.add(item(plan.jobId(), id.table(), id.index()));
        }
        return items;
    }

    private static Map<String, Object> item(String jobId, String table, int range) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("jobId", jobId);
        item.put("table", table);
        item.put("range", range);
        return item;
    }

    /**
     * The plan step's answer: {@code jobId}, {@code mode}, {@code planComplete} (false: call the step
     * again with the job id), {@code rangeCount}, and where the work items are ({@code itemsBucket},
     * {@code itemsKey}: a distributed map reads them from there, so no range count is too large for
     * Step Functions' payload limit).
     */
    private Map<String, Object> planAnswer(JobPlan plan) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("jobId", plan.jobId());
        answer.put("mode", plan.mode().label());
        answer.put("planComplete", plan.complete());
        answer.put("rangeCount", plan.rangeIds().size());
        answer.put("itemsBucket", store.bucket());
        answer.put("itemsKey", S3JobStore.itemsKey(plan.jobId()));
        return answer;
    }

    /**
     * Works on one range until it is done or the deadline is near.
     *
     * @param jobId    the job
     * @param table    the range's table
     * @param range    the range's index
     * @param deadline when the call must have returned
     * @return the worker step's answer: the item again, {@code done}, and the range's figures
     * @throws SQLException when the source refuses (the range keeps its checkpoint: call again)
     */
    public Map<String, Object> work(String jobId, String table, int range, Instant deadline) throws SQLException {
        JobPlan plan = store.plan(jobId)
                .orElseThrow(() ->
                        new IllegalArgumentException("no job " + jobId + " at " + store.url(S3JobStore.prefix(jobId))));
        if (!plan.complete()) {
            throw new IllegalStateException("job " + jobId + " is not fully planned: call the plan step again first");
        }
        if (!BackfillCatalog.shape(catalog).equals(plan.catalogShape())) {
            throw new IllegalStateException("job " + jobId + " was planned for another sql/catalog.json than the one"
                    + " deployed now; start a new job");
        }
        TablePlan tablePlan = plan.table(table);
        if (range < 0 || range >= tablePlan.ranges().size()) {
            throw new IllegalArgumentException(
                    table + " has ranges 0-" + (tablePlan.ranges().size() - 1) + " in job " + jobId + ", not " + range);
        }
        RangeState state = store.range(jobId, table, range)
                .orElseGet(
                        () -> RangeState.start(table, range, tablePlan.ranges().get(range)));
        RangeState after;
        try (SourceReader reader = new SourceReader(connections, clock)) {
            after = workers.create(plan, reader).run(plan, BackfillCatalog.table(catalog, table), state, deadline);
        }
        Map<String, Object> answer = item(jobId, table, range);
        answer.put("done", after.done());
        answer.put("rowsRead", after.rowsRead());
        answer.put("rowsStaged", after.rowsStaged());
        answer.put("tombstones", after.tombstones());
        answer.put("skipped", after.skipped());
        answer.put("differs", after.done() && plan.mode() == JobMode.VALIDATE ? after.differs() : null);
        return answer;
    }

    /**
     * Writes the job's report and returns it.
     *
     * @param jobId the job
     * @return the report
     */
    public JobReport report(String jobId) {
        JobPlan plan = store.plan(jobId).orElseThrow(() -> new IllegalArgumentException("no job " + jobId));
        JobReport report = JobReport.of(plan, store.ranges(jobId), catalog);
        store.saveReport(jobId, report.json());
        return report;
    }

    /** @return the store */
    public S3JobStore store() {
        return store;
    }
}
