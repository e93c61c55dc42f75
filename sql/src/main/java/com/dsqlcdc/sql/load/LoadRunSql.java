package com.dsqlcdc.sql.load;

import com.dsqlcdc.sql.CdcEventsTable;
import com.dsqlcdc.sql.Identifiers;
import com.dsqlcdc.sql.current.ControlTables;
import com.dsqlcdc.sql.current.StateTable;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The SQL of one loader run, in the order the loader sends it through one Data API session (its
 * temporary tables live as long as the session):
 *
 * <ol>
 *   <li>{@link #prepareStatements}: the temporary table {@value #STAGED} and one COPY of every staged
 *       object of the run, through a manifest (a transaction of its own that touches nothing durable);
 *   <li>{@link #affectedTablesSql} and {@link #maintenanceDueSql}: which tables the run touches, and
 *       whether the daily pruning is due;
 *   <li>{@link #createSourceSql} per affected catalog table: its changes typed and reduced to the
 *       latest per key (still nothing durable);
 *   <li>{@link #commitStatements}: one BatchExecuteStatement, hence one transaction, per group of at
 *       most {@link #MAX_TABLES_PER_COMMIT} tables. The first appends the run's changes to
 *       {@code cdc_events} (skipping batches an earlier run already appended), records the batches,
 *       advances the high-water mark and prunes when due; every one starts with the loader's lock,
 *       checks the tables were built for this catalog, and MERGEs each of its tables.
 * </ol>
 *
 * <p>Correctness does not depend on a run finishing: until the loader deletes a run's staged
 * objects (after the last commit), a repeated run loads them again, and appends nothing twice
 * ({@code cdc.loaded_batches}) while its merges change nothing twice (a change is applied only if
 * it is newer than the stored row). The merged state is the latest change per key whatever the
 * order, grouping or repetition of runs. The only values in the SQL are configuration (the manifest
 * location, the COPY role, retention days), validated names and the catalog's shapes: no data.
 */
public final class LoadRunSql {

    /** The run's temporary table of staged changes: the change log's columns and the batch id. */
    public static final String STAGED = "staged";
    /** Prefix of the per-table temporary tables of typed, latest-per-key changes. */
    static final String SOURCE_PREFIX = "merge_src_";
    /** A BatchExecuteStatement runs at most 40 statements. */
    public static final int MAX_STATEMENTS_PER_BATCH = 40;
    /**
     * Tables merged per committing transaction: 40 statements, less the lock, the shape check, the
     * first commit's three statements and the pruning's four, at two statements per table.
     */
    public static final int MAX_TABLES_PER_COMMIT = (MAX_STATEMENTS_PER_BATCH - 2 - 3 - 4) / 2;

    /** The columns of the staged objects and of {@value #STAGED}: the change log's, then the batch id. */
    public static final List<String> STAGED_COLUMNS = stagedColumns();

    private static final Pattern S3_URL =
            Pattern.compile("s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/[A-Za-z0-9!_.*()/=-]{1,900}");
    private static final Pattern ROLE_ARN =
            Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}");

    private LoadRunSql() {}

    private static List<String> stagedColumns() {
        List<String> columns = new ArrayList<>(CdcEventsTable.INSERT_COLUMNS);
        columns.add(ControlTables.BATCH_ID);
        return List.copyOf(columns);
    }

    /**
     * @param manifestUrl {@code s3://<bucket>/<key>} of the run's COPY manifest (every staged object
     *                    of the run, each {@code mandatory}, so a missing object fails the COPY)
     * @param copyRoleArn the role attached to the namespace that may read the staging bucket
     * @return {@code CREATE TEMP TABLE "staged"} and the COPY into it
     */
    public static List<String> prepareStatements(String manifestUrl, String copyRoleArn) {
        if (manifestUrl == null || !S3_URL.matcher(manifestUrl).matches()) {
            throw new IllegalArgumentException("not an S3 URL of a manifest: " + manifestUrl);
        }
        if (copyRoleArn == null || !ROLE_ARN.matcher(copyRoleArn).matches()) {
            throw new IllegalArgumentException("not an IAM role ARN: " + copyRoleArn);
        }
        // The change log's own column types (the log's DDL is their one statement), and the batch id.
        String create = "CREATE TEMP TABLE " + Identifiers.quote(STAGED) + " AS\n"
                + "SELECT " + quoted(CdcEventsTable.INSERT_COLUMNS) + ", CAST(NULL AS CHAR(64)) AS "
                + Identifiers.quote(ControlTables.BATCH_ID) + "\n"
                + "FROM " + CdcEventsTable.qualifiedName() + " WHERE FALSE";
        // No MAXERROR, TRUNCATECOLUMNS or ACCEPTINVCHARS: every line loads as written or the COPY
        // fails whole (the consumer quarantines what would not fit), never a silently altered row.
        String copy = "COPY " + Identifiers.quote(STAGED) + " (" + quoted(STAGED_COLUMNS) + ")\n"
                + "FROM '" + manifestUrl + "'\n"
                + "IAM_ROLE '" + copyRoleArn + "'\n"
                + "MANIFEST FORMAT JSON 'auto' GZIP TIMEFORMAT 'auto' COMPUPDATE OFF STATUPDATE OFF";
        return List.of(create, copy);
    }

    /**
     * @return the tables of the run's changes, how many changes each, and the oldest commit among
     *         them: {@code source_schema, source_table, changes, oldest_commit_ts_ns}
     */
    public static String affectedTablesSql() {
        return "SELECT " + Identifiers.quote(CdcEventsTable.SOURCE_SCHEMA) + ", "
                + Identifiers.quote(CdcEventsTable.SOURCE_TABLE) + ", COUNT(*) AS \"changes\", MIN("
                + Identifiers.quote(CdcEventsTable.COMMIT_TS_NS) + ") AS \"oldest_commit_ts_ns\" FROM "
                + Identifiers.quote(STAGED) + " GROUP BY 1, 2 ORDER BY 1, 2";
    }

    /**
     * @return one row, one boolean column {@code due}: whether a day has passed since the last
     *         pruning (or there was none)
     */
    public static String maintenanceDueSql() {
        String last = Identifiers.quote(ControlTables.LAST_PRUNED_AT);
        return "SELECT CASE WHEN " + last + " IS NULL OR " + last
                + " < DATEADD(day, -1, GETDATE()) THEN TRUE ELSE FALSE END" + " AS \"due\" FROM "
                + ControlTables.loaderState();
    }

    /** @return the quoted name of the temporary table of the {@code index}th affected table */
    public static String sourceTable(int index) {
        return Identifiers.quote(SOURCE_PREFIX + index);
    }

    /**
     * @param table the state table
     * @param index its position among the run's affected tables
     * @return {@code CREATE TEMP TABLE "merge_src_<index>" AS} the typed latest change per key of
     *         the run's changes of the table
     */
    public static String createSourceSql(StateTable table, int index) {
        return "CREATE TEMP TABLE " + sourceTable(index) + " AS\n" + table.latestPerKeySql(Identifiers.quote(STAGED));
    }

    /** A table to merge in a commit and the index of its source table ({@link #createSourceSql}). */
    public record Merge(StateTable table, int index) {}

    /**
     * What the first commit prunes, when due: superseded events older than {@code logRetentionDays}
     * (when set), and batch records older than {@code loadedBatchRetentionDays}.
     *
     * @param logRetentionDays         0 to keep the whole log, else the age in days past which a
     *                                 superseded event is deleted
     * @param loadedBatchRetentionDays how long a batch id is remembered
     */
    public record Pruning(int logRetentionDays, int loadedBatchRetentionDays) {
        public Pruning {
            if (logRetentionDays < 0 || loadedBatchRetentionDays < 1) {
                throw new IllegalArgumentException("retention days out of range: log " + logRetentionDays
                        + ", loaded batches " + loadedBatchRetentionDays);
            }
        }
    }

    /**
     * One committing transaction.
     *
     * @param statements    the statements, to send as one BatchExecuteStatement
     * @param appendIndex   the position of the INSERT that appends the run's new changes to the log
     *                      (its row count is the number appended), or -1 when this commit does not append
     * @param mergeIndexes  the position of each table's MERGE, in the order of the merges given (its
     *                      row count is the number of rows the change set, inserted or tombstoned)
     */
    public record Commit(List<String> statements, int appendIndex, List<Integer> mergeIndexes) {
        public Commit {
            statements = List.copyOf(statements);
            mergeIndexes = List.copyOf(mergeIndexes);
        }
    }

    /**
     * The statements of one committing transaction.
     *
     * @param merges  the tables this transaction merges (at most {@link #MAX_TABLES_PER_COMMIT})
     * @param first   whether this is the run's first commit: it also appends the changes to the log,
     *                records the batches and advances {@code loader_state}
     * @param pruning what to prune in this (first) commit, or {@code null} when it is not due
     * @return the transaction
     */
    public static Commit commit(List<Merge> merges, boolean first, Pruning pruning) {
        if (merges.size() > MAX_TABLES_PER_COMMIT) {
            throw new IllegalArgumentException(
                    merges.size() + " tables in one commit; at most " + MAX_TABLES_PER_COMMIT);
        }
        if (!first && pruning != null) {
            throw new IllegalArgumentException("only the first commit of a run prunes");
        }
        if (!first && merges.isEmpty()) {
            throw new IllegalArgumentException("a later commit must merge at least one table");
        }
        List<String> statements = new ArrayList<>();
        statements.add("LOCK " + ControlTables.loaderState());
        if (!merges.isEmpty()) {
            statements.add(shapeCheckSql(merges));
        }
        int appendIndex = -1;
        if (first) {
            appendIndex = statements.size();
            statements.addAll(appendStatements());
        }
        List<Integer> mergeIndexes = new ArrayList<>();
        for (Merge merge : merges) {
            statements.add(merge.table().deleteNotNewerSql(sourceTable(merge.index())));
            mergeIndexes.add(statements.size());
            statements.add(merge.table().mergeSql(sourceTable(merge.index())));
        }
        if (pruning != null) {
            statements.addAll(pruneStatements(pruning));
        }
        if (statements.size() > MAX_STATEMENTS_PER_BATCH) {
            throw new IllegalStateException(statements.size() + " statements in one commit");
        }
        return new Commit(statements, appendIndex, mergeIndexes);
    }

    /** @return the statements of {@link #commit} */
    public static List<String> commitStatements(List<Merge> merges, boolean first, Pruning pruning) {
        return commit(merges, first, pruning).statements();
    }

    /**
     * Splits a run's merges into the groups of its committing transactions: at most
     * {@link #MAX_TABLES_PER_COMMIT} each, and always at least one group (the first commit appends
     * the changes even when no catalog table is affected).
     *
     * @param merges every merge of the run
     * @return the groups, in order
     */
    public static List<List<Merge>> commitGroups(List<Merge> merges) {
        List<List<Merge>> groups = new ArrayList<>();
        for (int i = 0; i < merges.size(); i += MAX_TABLES_PER_COMMIT) {
            groups.add(List.copyOf(merges.subList(i, Math.min(merges.size(), i + MAX_TABLES_PER_COMMIT))));
        }
        if (groups.isEmpty()) {
            groups.add(List.of());
        }
        return groups;
    }

    /**
     * Fails the transaction unless every table of {@code merges} was built for this catalog: a
     * loader still running with the previous catalog during a deploy must not merge into a table
     * rebuilt for the new one (it would leave new columns unset). The CAST of the explanation to
     * INTEGER is what raises; its text is the error Redshift reports.
     */
    static String shapeCheckSql(List<Merge> merges) {
        String matches = merges.stream()
                .map(m -> "(" + Identifiers.quote(CdcEventsTable.SOURCE_SCHEMA) + " = "
                        + Identifiers.literal(m.table().catalogTable().schema()) + " AND "
                        + Identifiers.quote(CdcEventsTable.SOURCE_TABLE)
                        + " = " + Identifiers.literal(m.table().catalogTable().name()) + " AND "
                        + Identifiers.quote(ControlTables.SHAPE)
                        + " = '" + m.table().shape() + "')")
                .collect(Collectors.joining("\n    OR "));
        return "SELECT CAST(CASE WHEN COUNT(*) = " + merges.size() + " THEN '1' ELSE"
                + " 'a state table was built for another catalog: this loader is older or newer than the warehouse schema;"
                + " the run is retried' END AS INTEGER) AS \"shape_check\"\n"
                + "FROM " + ControlTables.currentTables() + "\n"
                + "WHERE " + matches;
    }

    /** Appends the run's new changes to the log, advances the state, records the batches: in this order. */
    private static List<String> appendStatements() {
        String staged = Identifiers.quote(STAGED);
        String batchId = Identifiers.quote(ControlTables.BATCH_ID);
        String notLoaded = "NOT EXISTS (SELECT 1 FROM " + ControlTables.loadedBatches() + " AS b WHERE b." + batchId
                + " = s." + batchId + ")";
        String columns = quoted(CdcEventsTable.INSERT_COLUMNS);
        String sColumns = CdcEventsTable.INSERT_COLUMNS.stream()
                .map(c -> "s." + Identifiers.quote(c))
                .collect(Collectors.joining(", "));
        List<String> statements = new ArrayList<>();
        statements.add("INSERT INTO " + CdcEventsTable.qualifiedName() + " (" + columns + ")\n" + "SELECT " + sColumns
                + "\nFROM " + staged + " AS s\nWHERE " + notLoaded);
        String state = ControlTables.loaderState();
        statements.add("UPDATE " + state + " SET\n"
                + "    " + q(ControlTables.RUNS) + " = " + q(ControlTables.RUNS) + " + 1,\n"
                + "    " + q(ControlTables.BATCHES_LOADED) + " = " + q(ControlTables.BATCHES_LOADED)
                + " + n.\"batches\",\n"
                + "    " + q(ControlTables.ROWS_LOADED) + " = " + q(ControlTables.ROWS_LOADED) + " + n.\"rows\",\n"
                + "    " + q(ControlTables.MAX_COMMIT_TS_NS) + " = GREATEST(" + q(ControlTables.MAX_COMMIT_TS_NS)
                + ", n.\"max_ts\"),\n"
                + "    " + q(ControlTables.LAST_RUN_AT) + " = GETDATE()\n"
                + "FROM (SELECT COUNT(DISTINCT s." + batchId + ") AS \"batches\", COUNT(*) AS \"rows\", COALESCE(MAX(s."
                + q(CdcEventsTable.COMMIT_TS_NS) + "), 0) AS \"max_ts\" FROM " + staged + " AS s WHERE " + notLoaded
                + ") AS n");
        statements.add("INSERT INTO " + ControlTables.loadedBatches() + " (" + batchId + ", "
                + q(ControlTables.ROW_COUNT) + ", "
                + q(ControlTables.LOADED_AT) + ")\n"
                + "SELECT s." + batchId + ", COUNT(*), GETDATE()\nFROM " + staged + " AS s\nWHERE " + notLoaded
                + "\nGROUP BY s." + batchId);
        return statements;
    }

    /**
     * Superseded events older than the log retention (when set): every event of a key but its
     * latest (and that latest's duplicates) and, with them, nothing the current state needs, since
     * the state is the latest change per key. Then batch records past their retention.
     */
    private static List<String> pruneStatements(Pruning pruning) {
        List<String> statements = new ArrayList<>();
        if (pruning.logRetentionDays() > 0) {
            String cutoff = "DATEADD(day, -" + pruning.logRetentionDays() + ", GETDATE())";
            String events = CdcEventsTable.qualifiedName();
            String latest = Identifiers.quote("prune_latest");
            String key =
                    List.of(CdcEventsTable.SOURCE_SCHEMA, CdcEventsTable.SOURCE_TABLE, CdcEventsTable.RECORD_KEY)
                            .stream()
                            .map(LoadRunSql::q)
                            .collect(Collectors.joining(", "));
            statements.add("CREATE TEMP TABLE " + latest + " AS\n"
                    + "SELECT " + key + ", " + q(CdcEventsTable.COMMIT_TS_NS) + ", " + q(CdcEventsTable.EVENT_ID) + "\n"
                    + "FROM (SELECT " + key + ", " + q(CdcEventsTable.COMMIT_TS_NS) + ", " + q(CdcEventsTable.EVENT_ID)
                    + ", ROW_NUMBER() OVER (PARTITION BY " + key + " ORDER BY " + q(CdcEventsTable.COMMIT_TS_NS)
                    + " DESC, "
                    + q(CdcEventsTable.EVENT_ID) + " DESC) AS \"_rn\"\n"
                    + "      FROM " + events + "\n"
                    + "      WHERE " + q(CdcEventsTable.RECORD_KEY) + " IN (SELECT " + q(CdcEventsTable.RECORD_KEY)
                    + " FROM "
                    + events + " WHERE " + q(CdcEventsTable.COMMIT_TS) + " < " + cutoff + ")) AS r\n"
                    + "WHERE r.\"_rn\" = 1");
            String e = CdcEventsTable.qualifiedName();
            statements.add("DELETE FROM " + e + " USING " + latest + " AS l\n"
                    + "WHERE " + e + "." + q(CdcEventsTable.SOURCE_SCHEMA) + " = l." + q(CdcEventsTable.SOURCE_SCHEMA)
                    + " AND " + e + "." + q(CdcEventsTable.SOURCE_TABLE) + " = l." + q(CdcEventsTable.SOURCE_TABLE)
                    + " AND " + e + "." + q(CdcEventsTable.RECORD_KEY) + " = l." + q(CdcEventsTable.RECORD_KEY) + "\n"
                    + "  AND " + e + "." + q(CdcEventsTable.COMMIT_TS) + " < " + cutoff + "\n"
                    + "  AND (" + e + "." + q(CdcEventsTable.COMMIT_TS_NS) + " < l." + q(CdcEventsTable.COMMIT_TS_NS)
                    + " OR (" + e + "." + q(CdcEventsTable.COMMIT_TS_NS) + " = l." + q(CdcEventsTable.COMMIT_TS_NS)
                    + " AND " + e + "." + q(CdcEventsTable.EVENT_ID) + " < l." + q(CdcEventsTable.EVENT_ID) + "))");
        }
        statements.add("DELETE FROM " + ControlTables.loadedBatches() + " WHERE " + q(ControlTables.LOADED_AT)
                + " < DATEADD(day, -" + pruning.loadedBatchRetentionDays() + ", GETDATE())");
        statements.add(
                "UPDATE " + ControlTables.loaderState() + " SET " + q(ControlTables.LAST_PRUNED_AT) + " = GETDATE()");
        return statements;
    }

    private static String q(String name) {
        return Identifiers.quote(name);
    }

    private static String quoted(List<String> names) {
        return names.stream().map(Identifiers::quote).collect(Collectors.joining(", "));
    }
}
