package com.dsqlcdc.loader;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.dsqlcdc.sql.current.StateTable;
import com.dsqlcdc.sql.load.LoadRunSql;
import com.dsqlcdc.sql.load.LoadRunSql.Commit;
import com.dsqlcdc.sql.load.LoadRunSql.Merge;
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
 * One loader run over a set of staged objects, in one warehouse session (see {@link LoadRunSql}
 * for the SQL and why a run that dies anywhere is safe to repeat): write the COPY manifest, COPY
 * every object into the session's temporary table, find the tables the changes belong to, type
 * each table's latest change per key, then commit: append to the log and merge, in one transaction
 * per group of tables, each under the loader's lock. Only then are the objects deleted.
 */
public final class LoadRun implements Loader.Run {

    private static final Logger LOG = LoggerFactory.getLogger(LoadRun.class);

    private final Map<String, StateTable> tables;
    private final StagingStore staging;
    private final Warehouse warehouse;
    private final String copyRoleArn;
    private final LoadRunSql.Pruning pruning;
    private final Clock clock;

    /**
     * @param tables      the state tables of the loader's catalog, by {@code schema.table}
     * @param staging     the staging bucket
     * @param warehouse   the warehouse
     * @param copyRoleArn the namespace's COPY role
     * @param pruning     retention of the log and of the batch records
     * @param clock       time source
     */
    public LoadRun(
            Map<String, StateTable> tables,
            StagingStore staging,
            Warehouse warehouse,
            String copyRoleArn,
            LoadRunSql.Pruning pruning,
            Clock clock) {
        this.tables = Map.copyOf(tables);
        this.staging = staging;
        this.warehouse = warehouse;
        this.copyRoleArn = copyRoleArn;
        this.pruning = pruning;
        this.clock = clock;
    }

    /**
     * What a run did.
     *
     * @param runId           names its manifest
     * @param objects         staged objects loaded (and then deleted)
     * @param bytes           their size
     * @param changes         changes they held, by {@code schema.table}
     * @param appended        changes appended to the log (fewer than the changes when a batch had
     *                        been appended by an earlier run that did not finish)
     * @param merged          rows each state table took (changed, inserted or tombstoned), by
     *                        {@code schema.table}
     * @param unmerged        tables of changes that are not in the loader's catalog: appended to the
     *                        log, not merged (a table removed from the catalog while changes were staged)
     * @param commits         committing transactions
     * @param duration        how long the run took
     * @param commitToMerged  from the commit in DSQL of the run's oldest change to the run's last commit
     */
    public record Result(
            String runId,
            int objects,
            long bytes,
            Map<String, Long> changes,
            long appended,
            Map<String, Long> merged,
            List<String> unmerged,
            int commits,
            Duration duration,
            Duration commitToMerged) {
        /** @return the changes of every table */
        public long totalChanges() {
            return changes.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * @param runId    a name for the run, unique enough to name its manifest
     * @param objects  the staged objects to load (not empty)
     * @param deadline no statement of the run may still be running after it
     * @return what the run did
     * @throws Warehouse.WarehouseException when a statement failed: the objects stay staged, and a
     *         later run loads them
     */
    @Override
    public Result load(String runId, List<StagedObject> objects, Instant deadline) {
        Instant start = clock.instant();
        String manifest = staging.putManifest(runId, objects);
        Map<String, Long> changes = new LinkedHashMap<>();
        Map<String, Long> merged = new LinkedHashMap<>();
        List<String> unmerged = new ArrayList<>();
        long appended = 0;
        int commits = 0;
        long oldestCommitTsNs = Long.MAX_VALUE;
        try (Warehouse.Session session = warehouse.open(deadline)) {
            session.batch(LoadRunSql.prepareStatements(manifest, copyRoleArn));

            List<Merge> merges = new ArrayList<>();
            List<String> sources = new ArrayList<>();
            for (Map<String, String> row : session.query(LoadRunSql.affectedTablesSql())) {
                String table = row.get("source_schema") + "." + row.get("source_table");
                changes.put(table, Long.parseLong(row.get("changes")));
                oldestCommitTsNs = Math.min(oldestCommitTsNs, Long.parseLong(row.get("oldest_commit_ts_ns")));
                StateTable state = tables.get(table);
                if (state == null) {
                    unmerged.add(table);
                    continue;
                }
                sources.add(LoadRunSql.createSourceSql(state, merges.size()));
                merges.add(new Merge(state, merges.size()));
            }
            for (int i = 0; i < sources.size(); i += LoadRunSql.MAX_STATEMENTS_PER_BATCH) {
                session.batch(sources.subList(i, Math.min(sources.size(), i + LoadRunSql.MAX_STATEMENTS_PER_BATCH)));
            }
            String due = session.query(LoadRunSql.maintenanceDueSql()).get(0).get("due");
            boolean pruneDue = "true".equalsIgnoreCase(due) || "t".equals(due);

            List<List<Merge>> groups = LoadRunSql.commitGroups(merges);
            for (int g = 0; g < groups.size(); g++) {
                Commit commit = LoadRunSql.commit(groups.get(g), g == 0, g == 0 && pruneDue ? pruning : null);
                List<Long> counts = session.batch(commit.statements());
                commits++;
                if (commit.appendIndex() >= 0) {
                    appended = counts.get(commit.appendIndex());
                }
                for (int m = 0; m < groups.get(g).size(); m++) {
                    merged.put(
                            groups.get(g).get(m).table().catalogTable().qualifiedName(),
                            counts.get(commit.mergeIndexes().get(m)));
                }
            }
        } catch (RuntimeException e) {
            // The objects stay staged for the next run; this run's manifest is of no use to it.
            try {
                staging.delete(List.of(StagingStore.manifestKey(runId)));
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        List<String> loaded = new ArrayList<>(objects.size() + 1);
        objects.forEach(o -> loaded.add(o.key()));
        loaded.add(StagingStore.manifestKey(runId));
        try {
            staging.delete(loaded);
        } catch (RuntimeException e) {
            // The run committed: an object left behind is only loaded again by a later run, which
            // appends nothing twice (cdc.loaded_batches) and merges nothing twice.
            LOG.warn(
                    "loaded objects could not be deleted; a later run loads them again, harmlessly",
                    entry("runId", runId),
                    entry("objects", loaded.size()),
                    e);
        }
        if (!unmerged.isEmpty()) {
            LOG.warn(
                    "changes of tables not in the loader's catalog were appended to the log but not merged",
                    entry("tables", unmerged),
                    entry("runId", runId));
        }
        Instant end = clock.instant();
        long bytes = objects.stream().mapToLong(StagedObject::size).sum();
        Duration lag = oldestCommitTsNs == Long.MAX_VALUE
                ? Duration.ZERO
                : Duration.between(Instant.ofEpochSecond(0, oldestCommitTsNs), end);
        return new Result(
                runId,
                objects.size(),
                bytes,
                changes,
                appended,
                merged,
                unmerged,
                commits,
                Duration.between(start, end),
                lag);
    }
}
