package com.dsqlcdc.bench;

import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.sql.current.StateTable;
import com.dsqlcdc.sql.load.LoadRunSql;
import com.dsqlcdc.testing.cost.Billing;
import com.dsqlcdc.testing.cost.SerialQueue;
import com.dsqlcdc.testing.cost.SqlKind;
import com.dsqlcdc.testing.cost.WarehouseCostModel;
import com.dsqlcdc.testing.cost.WarehouseCostModel.Work;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * A discrete-event simulation, in virtual time, of the whole path from a DSQL commit to the row
 * being visible in its current state, for the two designs the benchmark compares:
 *
 * <ul>
 *   <li>{@link Design#PER_BATCH} (the design before issue 12): each consumer invocation stages its
 *       batch and runs its own COPY through the Data API (one ExecuteStatement, long-polled with
 *       DescribeStatement), which commits; the row is visible in the log view when that commit ends.
 *   <li>{@link Design#LOADER}: each consumer invocation only stages its batch in S3; one loader,
 *       started by a schedule every load interval (reserved concurrency 1: a tick while it runs
 *       waits for it), drains everything staged in runs of at most 2,000 objects, each run sending
 *       exactly the statements {@link LoadRunSql} generates for the real catalog (the COPY batch,
 *       the affected-tables query, the source tables, the maintenance query, the commits with one
 *       MERGE per table), each charged by the cost model from its SQL ({@link SqlKind}) and the
 *       rows it touches.
 * </ul>
 *
 * <p>Arrivals: {@code rowsPerSecond} spread evenly over the shards, and over the event source
 * mapping's concurrent batches per shard (the parallelization factor; records carry random
 * partition keys). Each such slot gathers a batch until it holds {@code batchSize} rows or the
 * batching window ends, whichever is first, then invokes the consumer; the next batch starts
 * gathering when the invocation returns. Rows arrive as a steady flow (each slot's first window
 * starts at a random phase, so slots do not move in lockstep). The consumer's time per row is
 * measured, not assumed ({@code consumerMicrosPerRow}). Quotas are shared by every caller of the
 * account; commits, and the warehouse's capacity for the work of statements (files, bytes, rows),
 * by every session ({@link SerialQueue}): both designs stage the same objects, so the same COPY work
 * costs both the same, and what differs is the statements' fixed parts, the commits and the calls.
 *
 * <p>What is not modelled: Kinesis and Lambda failures and retries, the SDK's retry backoff under
 * throttling (a throttled call waits for the first free slot instead: optimistic for the design
 * that calls more), statement concurrency limits inside the warehouse (the fixed parts of statements
 * overlap freely, again optimistic for the per-batch design), capacity scaling above the base, the 6 MB invocation payload (2,000 rows of ~1 KB are
 * ~2.7 MB as Lambda delivers them).
 */
final class PipelineSimulation {

    /** Which pipeline. */
    enum Design {
        PER_BATCH("per batch (before)"),
        /** Each loader invocation loads what was staged when it started (in several runs when the limits split it). */
        LOADER("loader"),
        /**
         * {@code Loader.drain} as lead-loader has it at 7da5cdc: after the objects it listed,
         * it lists again and loads what arrived meanwhile, until nothing is staged or its time budget
         * is spent. Under a steady flow something is always staged, so one invocation runs
         * back-to-back runs for most of its 15 minutes.
         */
        LOADER_RELIST("loader, re-listing");

        final String label;

        Design(String label) {
            this.label = label;
        }
    }

    /**
     * Everything one simulated run depends on.
     *
     * @param design              which pipeline
     * @param shards              Kinesis shards
     * @param rowsPerSecond       changes committed in DSQL per second
     * @param costs               the warehouse's cost model
     * @param loadInterval        the loader's schedule (LOADER)
     * @param batchSize           the event source mapping's batch size
     * @param window              its batching window
     * @param parallelization     its concurrent batches per shard
     * @param consumerMicrosPerRow the consumer's time per row (decode, validate, write, gzip), in a Lambda
     * @param invocationOverhead  per consumer invocation: Lambda's invoke and the handler's own work
     * @param lineBytes           bytes of one staged line (uncompressed, as COPY parses it)
     * @param compression         uncompressed / gzip size of staged objects
     * @param s3MegabytesPerSecond upload speed of one PUT
     * @param keysPerTable        rows of each state table (the MERGE's target)
     * @param cdcLag              from the DSQL commit to the record in Kinesis (both designs alike)
     * @param duration            simulated time
     * @param warmUp              the first part, not measured
     * @param seed                the slots' phases
     */
    record Config(
            Design design,
            int shards,
            double rowsPerSecond,
            WarehouseCostModel costs,
            Duration loadInterval,
            int batchSize,
            Duration window,
            int parallelization,
            double consumerMicrosPerRow,
            Duration invocationOverhead,
            int lineBytes,
            double compression,
            double s3MegabytesPerSecond,
            long keysPerTable,
            Duration cdcLag,
            Duration duration,
            Duration warmUp,
            long seed) {

        Config with(Design d, int s, double rate, Duration interval) {
            return copy(d, s, rate, interval, costs, window, duration, warmUp);
        }

        Config withWindow(Duration w) {
            return copy(design, shards, rowsPerSecond, loadInterval, costs, w, duration, warmUp);
        }

        Config withRate(double rate) {
            return copy(design, shards, rate, loadInterval, costs, window, duration, warmUp);
        }

        Config withCosts(WarehouseCostModel model) {
            return copy(design, shards, rowsPerSecond, loadInterval, model, window, duration, warmUp);
        }

        Config withDuration(Duration length, Duration warm) {
            return copy(design, shards, rowsPerSecond, loadInterval, costs, window, length, warm);
        }

        private Config copy(
                Design d,
                int s,
                double rate,
                Duration interval,
                WarehouseCostModel model,
                Duration w,
                Duration length,
                Duration warm) {
            return new Config(
                    d,
                    s,
                    rate,
                    model,
                    interval,
                    batchSize,
                    w,
                    parallelization,
                    consumerMicrosPerRow,
                    invocationOverhead,
                    lineBytes,
                    compression,
                    s3MegabytesPerSecond,
                    keysPerTable,
                    cdcLag,
                    length,
                    warm,
                    seed);
        }

        String label() {
            String label = design == Design.PER_BATCH
                    ? design.label
                    : design.label + " every " + loadInterval.toSeconds() + " s";
            return window.equals(Duration.ofSeconds(5)) ? label : label + ", " + window.toSeconds() + " s window";
        }
    }

    /**
     * What a run measured, over the measured part (after the warm-up).
     *
     * @param bounded             whether the backlog stayed bounded (it grew by less than 1% of the arrivals)
     * @param backlogGrowth       rows per second the backlog grew by, over the second half
     * @param p50                 landed latency (commit in DSQL → visible in the current state), median, seconds
     * @param p99                 the same, 99th percentile
     * @param commitsPerMinute    commits the warehouse ran
     * @param billedSecondsPerHour what Redshift Serverless bills (60 s minimum per burst)
     * @param activeSecondsPerHour time at least one statement or commit was running
     * @param executeCallsPerSecond ExecuteStatement + BatchExecuteStatement calls
     * @param describeCallsPerSecond DescribeStatement calls
     * @param statementsPerMinute SQL statements the warehouse ran (each of a batch counted)
     * @param meanBatchRows       rows per consumer invocation
     * @param commitWait          mean time a commit waited for others, seconds
     * @param executeWait         mean time an Execute call waited for the quota, seconds
     * @param loaderRuns          loader runs (LOADER)
     * @param meanRunSeconds      mean duration of a loader run
     */
    record Result(
            Config config,
            boolean bounded,
            double backlogGrowth,
            double p50,
            double p99,
            double commitsPerMinute,
            double billedSecondsPerHour,
            double activeSecondsPerHour,
            double executeCallsPerSecond,
            double describeCallsPerSecond,
            double statementsPerMinute,
            double meanBatchRows,
            double commitWait,
            double executeWait,
            long loaderRuns,
            double meanRunSeconds) {}

    /** Loader limits: LoaderEnvironment's defaults, and LoaderHandler's time budget. */
    static final int MAX_OBJECTS_PER_RUN = 2000;

    static final long MAX_BYTES_PER_RUN = 2048L * 1024 * 1024;
    static final double LOADER_TIMEOUT = 900;
    static final double LOADER_SAFETY = 20;
    static final double RUN_BUDGET = 240;
    /** DataApiStatements' long poll. */
    static final double LONG_POLL = 20;
    /** S3 ListObjectsV2 and DeleteObjects take 1,000 keys a call. */
    static final int KEYS_PER_CALL = 1000;

    /** The checked-in catalog's tables: the workload spreads its rows evenly over them. */
    private static final List<StateTable> TABLES =
            TableCatalog.load().tables().stream().map(StateTable::new).toList();

    private final Config c;
    private final List<StateTable> tables;
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private long sequence;
    private final SerialQueue commits = new SerialQueue();
    private final SerialQueue capacity = new SerialQueue();
    private final TokenBucket execute;
    private final TokenBucket describe;
    private final TokenBucket getResult;
    private final List<Billing.Interval> busy = new ArrayList<>();
    private final LatencyDistribution latency = new LatencyDistribution();
    private final List<double[]> visible = new ArrayList<>(); // {time, rows}
    private final Deque<Staged> staged = new ArrayDeque<>();
    private final double measuredFrom;
    private final double end;
    /** Rows that arrive later are not measured: the last quarter leaves room for them to land. */
    private final double latencyUntil;

    private long statementsMeasured;
    private long commitsMeasured;
    private double commitWaitMeasured;
    private long executeMeasured;
    private long describeMeasured;
    private double executeWaitMeasured;
    private long invocations;
    private double invocationRows;
    private long runs;
    private double runSeconds;
    private boolean loaderRunning;
    private boolean tickWaiting;
    private double lastPruned = Double.NEGATIVE_INFINITY;

    private record Event(double time, long seq, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int t = Double.compare(time, o.time);
            return t != 0 ? t : Long.compare(seq, o.seq);
        }
    }

    /** A staged object: its rows arrived evenly over [first, last] and it was stored at {@code at}. */
    private record Staged(double at, double rows, double first, double last) {}

    /** One slot of the event source mapping: a shard's concurrent batch. */
    private final class Slot {
        final double rate;
        double frontier; // rows that arrived before it are taken

        Slot(double rate) {
            this.rate = rate;
        }

        /** Starts gathering a batch at {@code t}. */
        void gather(double t) {
            double full = frontier + c.batchSize() / rate;
            double close = Math.max(t, Math.min(t + seconds(c.window()), full));
            schedule(close, () -> close(close));
        }

        void close(double t) {
            double rows = Math.min(c.batchSize(), rate * (t - frontier));
            double first = frontier;
            frontier += rows / rate;
            double last = frontier;
            invocations++;
            invocationRows += rows;
            double raw = rows * c.lineBytes();
            double staged = t
                    + seconds(c.invocationOverhead())
                    + rows * c.consumerMicrosPerRow() / 1e6
                    + seconds(c.costs().apiCall())
                    + raw / c.compression() / (c.s3MegabytesPerSecond() * 1_048_576);
            if (c.design() != Design.PER_BATCH) {
                schedule(staged, () -> {
                    PipelineSimulation.this.staged.add(new Staged(staged, rows, first, last));
                    gather(staged);
                });
            } else {
                schedule(staged, () -> copy(staged, rows, first, last, this));
            }
        }
    }

    private PipelineSimulation(Config config) {
        this.c = config;
        this.tables = TABLES;
        this.execute = new TokenBucket(config.costs().executePerSecond());
        this.describe = new TokenBucket(config.costs().describePerSecond());
        this.getResult = new TokenBucket(config.costs().getResultPerSecond());
        this.measuredFrom = seconds(config.warmUp());
        this.end = seconds(config.duration());
        this.latencyUntil = end - (end - measuredFrom) / 4;
    }

    /** @return the simulated run's figures */
    static Result run(Config config) {
        return new PipelineSimulation(config).simulate();
    }

    private Result simulate() {
        Random random = new Random(c.seed());
        int slots = c.shards() * c.parallelization();
        double perSlot = c.rowsPerSecond() / slots;
        for (int i = 0; i < slots; i++) {
            Slot slot = new Slot(perSlot);
            double phase = random.nextDouble() * seconds(c.window());
            slot.frontier = 0;
            schedule(phase, () -> slot.gather(phase));
        }
        if (c.design() != Design.PER_BATCH) {
            double interval = seconds(c.loadInterval());
            for (double tick = interval; tick < end; tick += interval) {
                double at = tick;
                schedule(at, () -> tick(at));
            }
        }
        while (!events.isEmpty() && events.peek().time() <= end) {
            events.poll().action().run();
        }
        return result();
    }

    // ---- the per-batch design ----------------------------------------------------------------------

    /** The consumer's own COPY of its batch: one ExecuteStatement, long-polled to the end. */
    private void copy(double t, double rows, double first, double last, Slot slot) {
        double at = executeCall(t);
        String sql = "COPY \"cdc\".\"cdc_events\" (...) FROM 's3://staging/staged/batch' IAM_ROLE '...' FORMAT JSON"
                + " 'auto' GZIP";
        double done = transaction(at, List.of(sql), List.of(Work.copy(1, (long) (rows * c.lineBytes()), (long) rows)));
        double answered = poll(at, done);
        land(done, rows, first, last);
        schedule(answered, () -> slot.gather(answered));
    }

    // ---- the loader design ---------------------------------------------------------------------------

    /** A tick of the loader's schedule: it starts, or waits for the running invocation. */
    private void tick(double t) {
        if (loaderRunning) {
            tickWaiting = true;
            return;
        }
        loaderRunning = true;
        double deadline = t + LOADER_TIMEOUT - LOADER_SAFETY;
        double listed = t + calls(staged.size()) * seconds(c.costs().apiCall());
        schedule(listed, () -> drain(listed, deadline, t));
    }

    /**
     * Loader.drain: a run over the oldest staged objects, then the next, until none is left or the
     * time is out. {@code listedAt}: objects staged later are not taken (LOADER), except after
     * re-listing (LOADER_RELIST).
     */
    private void drain(double t, double deadline, double listedAt) {
        double horizon = c.design() == Design.LOADER_RELIST ? t : listedAt;
        List<Staged> taken = new ArrayList<>();
        long bytes = 0;
        for (Staged s : staged) {
            long size = (long) (s.rows() * c.lineBytes() / c.compression());
            if (s.at() > horizon
                    || taken.size() == MAX_OBJECTS_PER_RUN
                    || (!taken.isEmpty() && bytes + size > MAX_BYTES_PER_RUN)) {
                break;
            }
            taken.add(s);
            bytes += size;
        }
        if (taken.isEmpty() || t + RUN_BUDGET >= deadline) {
            loaderRunning = false;
            if (tickWaiting) {
                tickWaiting = false;
                tick(t);
            }
            return;
        }
        taken.forEach(s -> staged.removeFirst());
        double done = loadRun(t, taken);
        schedule(done, () -> drain(done, deadline, listedAt));
    }

    /** One LoadRun: the statements LoadRunSql generates, charged as the warehouse would. */
    private double loadRun(double start, List<Staged> objects) {
        double api = seconds(c.costs().apiCall());
        double rows = objects.stream().mapToDouble(Staged::rows).sum();
        long raw = (long) (rows * c.lineBytes());
        double perTable = rows / tables.size();
        long distinct = (long) (c.keysPerTable() * -Math.expm1(-perTable / c.keysPerTable()));
        double t = start + api; // PUT the manifest

        // 1. CREATE TEMP TABLE staged + COPY of every object (one batch).
        List<String> prepare =
                LoadRunSql.prepareStatements("s3://staging/manifests/run.json", "arn:aws:iam::123456789012:role/copy");
        t = statement(t, prepare, List.of(Work.NONE, Work.copy(objects.size(), raw, (long) rows)));
        // 2. The affected tables.
        t = query(t, LoadRunSql.affectedTablesSql(), (long) rows);
        // 3. Each table's typed latest change per key (CREATE TEMP TABLE ... AS), at most 40 a batch.
        List<LoadRunSql.Merge> merges = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (StateTable table : tables) {
            sources.add(LoadRunSql.createSourceSql(table, merges.size()));
            merges.add(new LoadRunSql.Merge(table, merges.size()));
        }
        for (int i = 0; i < sources.size(); i += LoadRunSql.MAX_STATEMENTS_PER_BATCH) {
            List<String> batch = sources.subList(i, Math.min(sources.size(), i + LoadRunSql.MAX_STATEMENTS_PER_BATCH));
            List<Work> works = new ArrayList<>();
            batch.forEach(s -> works.add(Work.rows((long) rows)));
            t = statement(t, batch, works);
        }
        // 4. Whether the daily pruning is due.
        t = query(t, LoadRunSql.maintenanceDueSql(), 1);
        boolean pruneDue = t - lastPruned >= 86_400;
        // 5. The commits: append + merge, one MERGE per table, at most MAX_TABLES_PER_COMMIT a commit.
        List<List<LoadRunSql.Merge>> groups = LoadRunSql.commitGroups(merges);
        for (int g = 0; g < groups.size(); g++) {
            LoadRunSql.Commit commit =
                    LoadRunSql.commit(groups.get(g), g == 0, g == 0 && pruneDue ? new LoadRunSql.Pruning(0, 14) : null);
            List<Work> works = new ArrayList<>();
            for (int i = 0; i < commit.statements().size(); i++) {
                works.add(Work.rows(groups.get(g).size()));
            }
            if (commit.appendIndex() >= 0) {
                for (int i = 0; i < 3; i++) {
                    works.set(commit.appendIndex() + i, Work.rows((long) rows));
                }
            }
            for (int index : commit.mergeIndexes()) {
                works.set(index - 1, Work.rows((long) perTable)); // the DELETE of changes not newer
                works.set(index, Work.merge(distinct, c.keysPerTable()));
            }
            t = statement(t, commit.statements(), works);
        }
        if (pruneDue) {
            lastPruned = t;
        }
        double visibleAt = t - api; // the last commit's end (statement() adds the poll's answer)
        for (Staged s : objects) {
            land(visibleAt, s.rows(), s.first(), s.last());
        }
        t += calls(objects.size() + 1) * api; // DeleteObjects
        if (start >= measuredFrom) {
            runs++;
            runSeconds += t - start;
        }
        return t;
    }

    // ---- the warehouse ---------------------------------------------------------------------------------

    /** ExecuteStatement or BatchExecuteStatement at {@code t}: when the service accepted it. */
    private double executeCall(double t) {
        double at = execute.admit(t);
        if (t >= measuredFrom) {
            executeMeasured++;
            executeWaitMeasured += at - t;
        }
        return at + seconds(c.costs().apiCall());
    }

    /** One submission, polled to its end: returns when the caller has the answer. */
    private double statement(double t, List<String> sqls, List<Work> works) {
        double at = executeCall(t);
        double done = transaction(at, sqls, works);
        return poll(at, done);
    }

    /** A query: submitted, polled, its result read (GetStatementResult). */
    private double query(double t, String sql, long rows) {
        double answered = statement(t, List.of(sql), List.of(Work.rows(rows)));
        return getResult.admit(answered) + seconds(c.costs().apiCall());
    }

    /**
     * Statements run one after another from {@code at}, each its fixed part then its work in its
     * turn for the warehouse's capacity, then the commit in its turn when they wrote: when it ends.
     */
    private double transaction(double at, List<String> sqls, List<Work> works) {
        double t = at;
        boolean writes = false;
        capacity.forgetBefore(nanos(at) - nanos(600));
        for (int i = 0; i < sqls.size(); i++) {
            SqlKind kind = SqlKind.of(sqls.get(i));
            t += seconds(c.costs().fixed(kind));
            long work = c.costs().proportional(kind, works.get(i)).toNanos();
            if (work > 0) {
                t = capacity.reserve(nanos(t), work) / 1e9;
            }
            writes |= kind.writes();
        }
        if (at >= measuredFrom) {
            statementsMeasured += sqls.size();
        }
        if (writes) {
            long ready = nanos(t);
            long before = commits.waitedNanos();
            commits.forgetBefore(nanos(at) - nanos(600));
            t = commits.reserve(ready, c.costs().commit().toNanos()) / 1e9;
            if (at >= measuredFrom) {
                commitsMeasured++;
                commitWaitMeasured += (commits.waitedNanos() - before) / 1e9;
            }
        }
        if (t > measuredFrom - 120 && at < end) {
            busy.add(new Billing.Interval(nanos(at), nanos(Math.max(t, at))));
        }
        return t;
    }

    /** DataApiStatements' long polls of a statement submitted at {@code at} that ends at {@code done}. */
    private double poll(double at, double done) {
        double t = at;
        do {
            double asked = describe.admit(t);
            if (asked >= measuredFrom) {
                describeMeasured++;
            }
            t = Math.min(done, asked + LONG_POLL);
        } while (t < done);
        return done + seconds(c.costs().apiCall());
    }

    /** Rows that arrived evenly over [first, last] became visible at {@code at}. */
    private void land(double at, double rows, double first, double last) {
        visible.add(new double[] {at, rows});
        if (first >= measuredFrom && first <= latencyUntil) {
            double lag = seconds(c.cdcLag());
            latency.add(at - last + lag, at - first + lag, rows);
        }
    }

    private Result result() {
        double measured = end - measuredFrom;
        double mid = measuredFrom + measured / 2;
        double backlogMid = backlog(mid);
        double backlogEnd = backlog(end);
        double growth = (backlogEnd - backlogMid) / (end - mid);
        boolean bounded = backlogEnd - backlogMid <= 0.01 * c.rowsPerSecond() * (end - mid);
        double hours = measured / 3600;
        return new Result(
                c,
                bounded,
                growth,
                latency.quantile(0.50),
                latency.quantile(0.99),
                commitsMeasured / (measured / 60),
                Billing.billed(busy, c.costs().billingMinimum(), nanos(measuredFrom), nanos(end))
                                .toNanos()
                        / 1e9
                        / hours,
                Billing.billed(busy, Duration.ZERO, nanos(measuredFrom), nanos(end))
                                .toNanos()
                        / 1e9
                        / hours,
                executeMeasured / measured,
                describeMeasured / measured,
                statementsMeasured / (measured / 60),
                invocations == 0 ? 0 : invocationRows / invocations,
                commitsMeasured == 0 ? 0 : commitWaitMeasured / commitsMeasured,
                executeMeasured == 0 ? 0 : executeWaitMeasured / executeMeasured,
                runs,
                runs == 0 ? 0 : runSeconds / runs);
    }

    /** Rows that reached Kinesis by {@code t} and are not yet visible. */
    private double backlog(double t) {
        double arrived = t * c.rowsPerSecond();
        double landed = 0;
        for (double[] v : visible) {
            if (v[0] <= t) {
                landed += v[1];
            }
        }
        return arrived - landed;
    }

    private void schedule(double time, Runnable action) {
        events.add(new Event(time, sequence++, action));
    }

    private static int calls(int keys) {
        return Math.max(1, (keys + KEYS_PER_CALL - 1) / KEYS_PER_CALL);
    }

    static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static long nanos(double seconds) {
        return Math.round(seconds * 1e9);
    }
}
