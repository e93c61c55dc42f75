package com.dsqlcdc.testing.cost;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the warehouse and its Data API charge, in one place: the quotas that refuse calls, the time
 * each kind of statement takes, the warehouse-wide serialization of commits, and how Redshift
 * Serverless bills. The Data API fake charges it when asked ({@code FakeRedshiftDataApi.costModel})
 * and the benchmark's simulation charges it for every statement the loader really generates; both
 * classify statements with {@link SqlKind} from their SQL text.
 *
 * <p>Where each number comes from ({@link #figures()} lists them with their sources):
 *
 * <ul>
 *   <li>The Data API quotas (ExecuteStatement ~30/s, DescribeStatement ~100/s, GetStatementResult
 *       ~20/s per account and Region; ~500 active statements per workgroup) are third-party
 *       measurements recorded in the project's AWS facts (sections 5 and 7): the quota page was not
 *       retrievable. A session quota of 500 per workgroup is quoted by AWS's announcement of
 *       session reuse.
 *   <li>Serverless bills per second with a 60-second minimum per burst of activity, and base
 *       capacity starts at 4 RPU (about $1.50 an hour, i.e. $0.375 per RPU-hour; Region prices
 *       vary): AWS facts section 7.
 *   <li>Nothing is published for how long a small COPY, a commit or a MERGE takes on Redshift
 *       Serverless. Those are <b>assumptions</b>: each has a central value with its reasoning and
 *       a range, {@link #optimistic()} takes the cheap end of every range and {@link #pessimistic()}
 *       the dear end, and the benchmark runs all three so that no conclusion rests on one guess.
 * </ul>
 *
 * <p>What is modelled: a statement's execution time is a fixed part ({@link #fixed}: planning,
 * dispatch; the fixed parts of concurrent statements overlap freely) plus a part proportional to
 * the work it does ({@link #proportional}, {@link Work}: files, bytes, rows), which uses the
 * warehouse's data-processing capacity: concurrent statements take turns for it ({@link
 * SerialQueue}), so the same bytes cost the same whichever design sends them. Statements of a
 * transaction run one after another; a transaction that wrote anything (temporary tables included,
 * which is the conservative choice: it charges the loader's temporary-table transactions a commit
 * too) ends with a commit, and commits run one at a time across the whole warehouse (another
 * {@link SerialQueue}), each taking {@link #commit}. What is not modelled: compilation caches,
 * concurrency limits, vacuum, and capacity scaling above the base (a burst is served at base
 * capacity).
 *
 * @param name                      how the benchmark names this set of figures
 * @param executePerSecond          ExecuteStatement + BatchExecuteStatement calls per second, per account
 * @param describePerSecond         DescribeStatement calls per second, per account
 * @param getResultPerSecond        GetStatementResult calls per second, per account
 * @param activeStatements          statements running at once, per workgroup
 * @param activeSessions            open Data API sessions, per workgroup
 * @param apiCall                   round trip of one Data API or S3 call (latency only: no quota, no warehouse time)
 * @param copyFixed                 a COPY's fixed part: planning, reading the manifest, assigning files to slices
 * @param copyPerFile               each file a COPY reads (one S3 GET, spread over the slices)
 * @param copyPerMb                 each MB of uncompressed JSON a COPY parses
 * @param commit                    one commit, during which no other commit of the warehouse runs
 * @param mergeFixed                a MERGE's fixed part (Redshift runs it as a delete and an insert)
 * @param mergePerRow               each source row a MERGE applies
 * @param mergePerMillionTargetRows scanning the target's join column, per million target rows
 * @param statementFixed            any other statement's fixed part (plan, compiled-segment cache hit, dispatch)
 * @param statementPerRow           each row another statement reads or writes
 * @param lock                      a {@code LOCK} that nobody else holds
 * @param billingMinimum            the least a burst of activity is billed
 * @param dollarsPerRpuHour         price of one RPU for one hour
 */
public record WarehouseCostModel(
        String name,
        int executePerSecond,
        int describePerSecond,
        int getResultPerSecond,
        int activeStatements,
        int activeSessions,
        Duration apiCall,
        Duration copyFixed,
        Duration copyPerFile,
        Duration copyPerMb,
        Duration commit,
        Duration mergeFixed,
        Duration mergePerRow,
        Duration mergePerMillionTargetRows,
        Duration statementFixed,
        Duration statementPerRow,
        Duration lock,
        Duration billingMinimum,
        double dollarsPerRpuHour) {

    /** Data API quotas: AWS facts sections 5 and 7 (third-party measurements; not adjustable). */
    public static final int EXECUTE_PER_SECOND = 30;

    public static final int DESCRIBE_PER_SECOND = 100;
    public static final int GET_RESULT_PER_SECOND = 20;
    public static final int ACTIVE_STATEMENTS = 500;
    public static final int ACTIVE_SESSIONS = 500;
    /** Redshift Serverless: per-second billing, 60-second minimum (AWS facts section 7). */
    public static final Duration BILLING_MINIMUM = Duration.ofSeconds(60);
    /** $1.50 an hour for the 4-RPU base capacity (AWS facts section 7; us-east-1, Region prices vary). */
    public static final double DOLLARS_PER_RPU_HOUR = 1.50 / 4;

    public WarehouseCostModel {
        Objects.requireNonNull(name, "name");
        for (Duration d : List.of(
                apiCall,
                copyFixed,
                copyPerFile,
                copyPerMb,
                commit,
                mergeFixed,
                mergePerRow,
                mergePerMillionTargetRows,
                statementFixed,
                statementPerRow,
                lock,
                billingMinimum)) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("every duration of the cost model must be zero or more: " + d);
            }
        }
        if (executePerSecond < 1
                || describePerSecond < 1
                || getResultPerSecond < 1
                || activeStatements < 1
                || activeSessions < 1) {
            throw new IllegalArgumentException("every quota of the cost model must be at least 1");
        }
    }

    /**
     * The central values.
     *
     * <ul>
     *   <li>COPY fixed 2 s: a COPY is planned and compiled, reads its manifest and lists nothing
     *       else, then hands files to slices; loaders on provisioned Redshift commonly report
     *       seconds for a small COPY, and the project's AWS facts say "expect seconds, not
     *       milliseconds". Range 1-5 s.
     *   <li>COPY 10 ms a file: one S3 GET (tens of ms) each, spread over the slices of a 4-8 RPU
     *       workgroup. Range 2-50 ms.
     *   <li>COPY 20 ms a MB of uncompressed JSON (50 MB/s into SUPER at base capacity). Range 5-100 ms.
     *   <li>Commit 300 ms, serialized warehouse-wide: a commit writes the changed blocks' metadata
     *       and is the step Redshift runs one at a time; commit-queue waits are the symptom AWS's own
     *       loader guidance warns about. Range 100 ms-1 s.
     *   <li>MERGE 300 ms fixed, 5 µs a source row, 20 ms per million target rows scanned (the
     *       join column, co-located by the DISTKEY). Ranges 100 ms-2 s, 1-20 µs, 5-100 ms.
     *   <li>Any other statement 100 ms fixed (a compiled-segment cache hit), 1 µs a row. Ranges
     *       50-500 ms, 0.2-5 µs. A LOCK 10 ms (5-50 ms).
     *   <li>A Data API or S3 call: 50 ms round trip (20-150 ms); latency only.
     * </ul>
     *
     * @return the central set
     */
    public static WarehouseCostModel central() {
        return new WarehouseCostModel(
                "central",
                EXECUTE_PER_SECOND,
                DESCRIBE_PER_SECOND,
                GET_RESULT_PER_SECOND,
                ACTIVE_STATEMENTS,
                ACTIVE_SESSIONS,
                Duration.ofMillis(50),
                Duration.ofSeconds(2),
                Duration.ofMillis(10),
                Duration.ofMillis(20),
                Duration.ofMillis(300),
                Duration.ofMillis(300),
                Duration.ofNanos(5_000),
                Duration.ofMillis(20),
                Duration.ofMillis(100),
                Duration.ofNanos(1_000),
                Duration.ofMillis(10),
                BILLING_MINIMUM,
                DOLLARS_PER_RPU_HOUR);
    }

    /** @return the cheap end of every assumed range (the quotas and billing are not assumptions) */
    public static WarehouseCostModel optimistic() {
        return new WarehouseCostModel(
                "optimistic",
                EXECUTE_PER_SECOND,
                DESCRIBE_PER_SECOND,
                GET_RESULT_PER_SECOND,
                ACTIVE_STATEMENTS,
                ACTIVE_SESSIONS,
                Duration.ofMillis(20),
                Duration.ofSeconds(1),
                Duration.ofMillis(2),
                Duration.ofMillis(5),
                Duration.ofMillis(100),
                Duration.ofMillis(100),
                Duration.ofNanos(1_000),
                Duration.ofMillis(5),
                Duration.ofMillis(50),
                Duration.ofNanos(200),
                Duration.ofMillis(5),
                BILLING_MINIMUM,
                DOLLARS_PER_RPU_HOUR);
    }

    /** @return the dear end of every assumed range */
    public static WarehouseCostModel pessimistic() {
        return new WarehouseCostModel(
                "pessimistic",
                EXECUTE_PER_SECOND,
                DESCRIBE_PER_SECOND,
                GET_RESULT_PER_SECOND,
                ACTIVE_STATEMENTS,
                ACTIVE_SESSIONS,
                Duration.ofMillis(150),
                Duration.ofSeconds(5),
                Duration.ofMillis(50),
                Duration.ofMillis(100),
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                Duration.ofNanos(20_000),
                Duration.ofMillis(100),
                Duration.ofMillis(500),
                Duration.ofNanos(5_000),
                Duration.ofMillis(50),
                BILLING_MINIMUM,
                DOLLARS_PER_RPU_HOUR);
    }

    /**
     * The work of one statement: what its time is proportional to.
     *
     * @param rows       rows it reads or writes (a COPY: rows loaded; a MERGE: source rows applied)
     * @param files      files a COPY reads
     * @param bytes      uncompressed bytes a COPY parses
     * @param targetRows rows of a MERGE's target table
     */
    public record Work(long rows, int files, long bytes, long targetRows) {
        public Work {
            if (rows < 0 || files < 0 || bytes < 0 || targetRows < 0) {
                throw new IllegalArgumentException("work cannot be negative");
            }
        }

        /** No rows, no files. */
        public static final Work NONE = new Work(0, 0, 0, 0);

        /** @return work of {@code rows} rows */
        public static Work rows(long rows) {
            return new Work(rows, 0, 0, 0);
        }

        /** @return a COPY of {@code files} files, {@code bytes} uncompressed, {@code rows} rows */
        public static Work copy(int files, long bytes, long rows) {
            return new Work(rows, files, bytes, 0);
        }

        /** @return a MERGE of {@code rows} source rows into a table of {@code targetRows} */
        public static Work merge(long rows, long targetRows) {
            return new Work(rows, 0, 0, targetRows);
        }
    }

    /**
     * @param kind what the statement is
     * @param work what it does
     * @return how long it runs, its commit not included, when nothing else competes for the
     *         warehouse's capacity: {@link #fixed} plus {@link #proportional}
     */
    public Duration execution(SqlKind kind, Work work) {
        return fixed(kind).plus(proportional(kind, work));
    }

    /**
     * @param kind what the statement is
     * @return the part of its time that does not depend on its work (concurrent statements' fixed
     *         parts overlap)
     */
    public Duration fixed(SqlKind kind) {
        return switch (kind) {
            case COPY -> copyFixed;
            case MERGE -> mergeFixed;
            case LOCK -> lock;
            case SESSION -> Duration.ZERO;
            case DML, CREATE_AS, QUERY, DDL -> statementFixed;
        };
    }

    /**
     * @param kind what the statement is
     * @param work what it does
     * @return the part of its time that grows with its work: time of the warehouse's capacity, which
     *         concurrent statements take turns for
     */
    public Duration proportional(SqlKind kind, Work work) {
        return switch (kind) {
            case COPY ->
                copyPerFile
                        .multipliedBy(work.files())
                        .plus(Duration.ofNanos(Math.round(copyPerMb.toNanos() * (work.bytes() / 1_048_576.0))));
            case MERGE ->
                mergePerRow
                        .multipliedBy(work.rows())
                        .plus(Duration.ofNanos(
                                Math.round(mergePerMillionTargetRows.toNanos() * (work.targetRows() / 1_000_000.0))));
            case LOCK, SESSION -> Duration.ZERO;
            case DML, CREATE_AS, QUERY, DDL -> statementPerRow.multipliedBy(work.rows());
        };
    }

    /** @return the time one commit holds the warehouse's commit queue */
    public Duration commit() {
        return commit;
    }

    /**
     * @param busy   when the warehouse was running statements or commits (any order, may overlap)
     * @return the time Redshift Serverless bills for them: see {@link Billing#billed}
     */
    public Duration billed(List<Billing.Interval> busy) {
        return Billing.billed(busy, billingMinimum);
    }

    /** One figure of the model, for the benchmark's table: its name, value and where it comes from. */
    public record Figure(String name, String value, String source) {}

    /** @return every figure of this model with its source or range */
    public List<Figure> figures() {
        String facts5 = "AWS facts §5/§7: third-party measurement, per account and Region";
        return List.of(
                new Figure("ExecuteStatement + BatchExecuteStatement", executePerSecond + "/s", facts5),
                new Figure("DescribeStatement", describePerSecond + "/s", facts5),
                new Figure("GetStatementResult", getResultPerSecond + "/s", facts5),
                new Figure("active statements per workgroup", Integer.toString(activeStatements), "AWS facts §5"),
                new Figure(
                        "open sessions per workgroup",
                        Integer.toString(activeSessions),
                        "AWS's announcement of Data API session reuse"),
                new Figure("Data API / S3 call round trip", ms(apiCall), "assumption, tested 20-150 ms (latency only)"),
                new Figure("COPY, fixed", ms(copyFixed), "assumption (nothing published for Serverless), tested 1-5 s"),
                new Figure("COPY, per file", ms(copyPerFile), "assumption, tested 2-50 ms"),
                new Figure("COPY, per MB of JSON", ms(copyPerMb), "assumption, tested 5-100 ms (50 MB/s central)"),
                new Figure(
                        "commit (one at a time, warehouse-wide)",
                        ms(commit),
                        "serialization: AWS facts §7; duration an assumption, tested 100 ms-1 s"),
                new Figure("MERGE, fixed", ms(mergeFixed), "assumption, tested 100 ms-2 s"),
                new Figure("MERGE, per source row", us(mergePerRow), "assumption, tested 1-20 µs"),
                new Figure(
                        "MERGE, per million target rows", ms(mergePerMillionTargetRows), "assumption, tested 5-100 ms"),
                new Figure("other statement, fixed", ms(statementFixed), "assumption, tested 50-500 ms"),
                new Figure("other statement, per row", us(statementPerRow), "assumption, tested 0.2-5 µs"),
                new Figure("LOCK", ms(lock), "assumption, tested 5-50 ms"),
                new Figure("billing minimum per burst", (billingMinimum.toSeconds()) + " s", "AWS facts §7"),
                new Figure(
                        "price per RPU-hour",
                        String.format(java.util.Locale.ROOT, "$%.3f", dollarsPerRpuHour),
                        "AWS facts §7 ($1.50/h at 4 RPU; Region prices vary)"));
    }

    private static String ms(Duration d) {
        return d.toNanos() % 1_000_000 == 0
                ? d.toMillis() + " ms"
                : String.format(java.util.Locale.ROOT, "%.3f ms", d.toNanos() / 1e6);
    }

    private static String us(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f µs", d.toNanos() / 1e3);
    }
}
