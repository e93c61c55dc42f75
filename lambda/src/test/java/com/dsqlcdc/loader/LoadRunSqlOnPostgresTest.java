package com.dsqlcdc.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.sql.WarehouseSchema;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.sql.current.ControlTables;
import com.dsqlcdc.sql.current.StateTable;
import com.dsqlcdc.sql.load.LoadRunSql;
import com.dsqlcdc.sql.views.CurrentStateRule;
import com.dsqlcdc.sql.views.LogLatestViewGenerator;
import com.dsqlcdc.sql.views.TableKey;
import com.dsqlcdc.testing.pg.RedshiftOnPostgres;
import com.dsqlcdc.testing.pg.RedshiftOnPostgres.Session;
import com.dsqlcdc.testing.pg.RedshiftOnPostgres.SqlFailure;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The loader's SQL on a real SQL engine: the statements {@link LoadRunSql} and {@link StateTable}
 * generate for Redshift, run on PostgreSQL 16 through {@link RedshiftOnPostgres} (its few
 * documented rewrites), against the deployed schema of the checked-in catalog. The state tables
 * must equal the latest change per key ({@link CurrentStateRule} and the log's audit view) after
 * any delivery order, duplicates, repeated runs and runs that die before they commit.
 */
class LoadRunSqlOnPostgresTest {

    private static final TableCatalog CATALOG = TableCatalog.load();
    private static final WarehouseSchema SCHEMA = WarehouseSchema.of(CATALOG, true);
    private static final String COPY_ROLE = "arn:aws:iam::123456789012:role/copy";
    private static final Map<String, byte[]> S3 = new ConcurrentHashMap<>();

    private static EmbeddedPostgres postgres;
    private static RedshiftOnPostgres redshift;

    @BeforeAll
    static void deploy() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        redshift = new RedshiftOnPostgres(postgres, url -> Optional.ofNullable(S3.get(url)));
        try (Session admin = redshift.openSession()) {
            admin.execute("CREATE ROLE \"IAMR:loader\"");
            for (String statement : SCHEMA.statements()) {
                admin.execute(statement);
            }
            for (StateTable table : SCHEMA.tables()) {
                admin.batch(grantsTo(SCHEMA.rebuildStatements(table)));
            }
            admin.batch(grantsTo(SCHEMA.grantStatements()));
        }
    }

    private static List<String> grantsTo(List<String> statements) {
        return statements.stream()
                .map(s -> s.replace(WarehouseSchema.LOADER_USER_PLACEHOLDER, "\"IAMR:loader\""))
                .toList();
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @BeforeEach
    void emptyWarehouse() {
        S3.clear();
        try (Session admin = redshift.openSession()) {
            List<String> statements = new ArrayList<>(List.of(
                    "DELETE FROM \"cdc\".\"cdc_events\"",
                    "DELETE FROM " + ControlTables.loadedBatches(),
                    "UPDATE " + ControlTables.loaderState()
                            + " SET \"runs\" = 0, \"batches_loaded\" = 0, \"rows_loaded\" = 0,"
                            + " \"max_commit_ts_ns\" = 0, \"last_run_at\" = NULL, \"last_pruned_at\" = NULL"));
            SCHEMA.tables().forEach(t -> statements.add("DELETE FROM " + t.stateTable()));
            admin.batch(statements);
        }
    }

    /** Where a run stops early, as a Lambda that times out or crashes would. */
    enum Crash {
        NONE,
        AFTER_COPY,
        AFTER_SOURCES,
        IN_FIRST_COMMIT,
        BETWEEN_COMMITS
    }

    /** What a run did: rows appended to the log (0 for a crashed run). */
    private static long run(List<String> objectUrls, Crash crash, LoadRunSql.Pruning pruning) {
        String manifest = StagedObjects.putManifest(S3, objectUrls);
        try (Session session = redshift.openSession()) {
            session.batch(LoadRunSql.prepareStatements(manifest, COPY_ROLE));
            if (crash == Crash.AFTER_COPY) {
                return 0;
            }
            List<LoadRunSql.Merge> merges = new ArrayList<>();
            for (Map<String, String> row :
                    session.execute(LoadRunSql.affectedTablesSql()).records()) {
                StateTable table = SCHEMA.tables().stream()
                        .filter(t -> t.catalogTable().schema().equals(row.get("source_schema"))
                                && t.catalogTable().name().equals(row.get("source_table")))
                        .findFirst()
                        .orElseThrow();
                int index = merges.size();
                session.execute(LoadRunSql.createSourceSql(table, index));
                merges.add(new LoadRunSql.Merge(table, index));
            }
            if (crash == Crash.AFTER_SOURCES) {
                return 0;
            }
            boolean due = "t"
                    .equals(session.execute(LoadRunSql.maintenanceDueSql())
                            .rows()
                            .get(0)
                            .get(0));
            long before = logRows();
            int groups = Math.max(1, (merges.size() + 1) / 2); // two tables per commit: exercises several commits
            for (int g = 0; g < groups; g++) {
                List<LoadRunSql.Merge> group =
                        merges.subList(Math.min(merges.size(), g * 2), Math.min(merges.size(), g * 2 + 2));
                List<String> commit =
                        new ArrayList<>(LoadRunSql.commitStatements(group, g == 0, g == 0 && due ? pruning : null));
                if (crash == Crash.IN_FIRST_COMMIT) {
                    commit.add("SELECT CAST('the Lambda timed out here' AS INTEGER)");
                }
                session.batch(commit);
                if (crash == Crash.BETWEEN_COMMITS) {
                    return 0;
                }
            }
            return logRows() - before;
        }
    }

    private static long run(List<String> objectUrls) {
        return run(objectUrls, Crash.NONE, new LoadRunSql.Pruning(0, 14));
    }

    private static long logRows() {
        try (Session s = redshift.openSession()) {
            return Long.parseLong(s.execute("SELECT COUNT(*) FROM \"cdc\".\"cdc_events\"")
                    .rows()
                    .get(0)
                    .get(0));
        }
    }

    /** The live keys of every state table, by table and record key, with their commit time. */
    private static Map<TableKey, Long> liveState() {
        Map<TableKey, Long> live = new TreeMap<>();
        try (Session s = redshift.openSession()) {
            for (StateTable table : SCHEMA.tables()) {
                for (List<String> row : s.execute("SELECT \"_record_key\", \"_commit_ts_ns\" FROM " + table.stateTable()
                                + " WHERE NOT \"_deleted\"")
                        .rows()) {
                    live.put(
                            new TableKey(
                                    table.catalogTable().schema(),
                                    table.catalogTable().name(),
                                    row.get(0)),
                            Long.parseLong(row.get(1)));
                }
            }
        }
        return live;
    }

    /** Every current view equals the audit view over the log, row for row, in both directions. */
    private static void assertCurrentEqualsLogLatest() {
        try (Session s = redshift.openSession()) {
            for (StateTable table : SCHEMA.tables()) {
                String current = table.currentView();
                String log = LogLatestViewGenerator.viewName(table.catalogTable());
                assertThat(s.execute("SELECT COUNT(*) FROM (SELECT * FROM " + current + " EXCEPT SELECT * FROM " + log
                                        + ") d")
                                .rows()
                                .get(0)
                                .get(0))
                        .as("rows of %s not in %s", current, log)
                        .isEqualTo("0");
                assertThat(s.execute("SELECT COUNT(*) FROM (SELECT * FROM " + log + " EXCEPT SELECT * FROM " + current
                                        + ") d")
                                .rows()
                                .get(0)
                                .get(0))
                        .as("rows of %s not in %s", log, current)
                        .isEqualTo("0");
            }
        }
    }

    private static void assertStateIs(List<StagedObjects.Change> history) {
        Map<TableKey, String> expected = CurrentStateRule.apply(
                history.stream().map(StagedObjects.Change::row).toList());
        assertThat(liveState().keySet()).containsExactlyElementsOf(expected.keySet());
        assertCurrentEqualsLogLatest();
    }

    @Test
    void theDeliveredFixtureHistoryLoadsToTheStateOfTheHistoryInCommitOrder() {
        List<StagedObjects.Change> delivered = StagedObjects.fixture(CATALOG, "history-as-delivered.jsonl");
        List<String> objects = new ArrayList<>();
        for (int i = 0; i < delivered.size(); i += 3) {
            objects.add(
                    StagedObjects.put(S3, "shard-" + (i % 2), delivered.subList(i, Math.min(delivered.size(), i + 3))));
        }
        run(objects.subList(0, objects.size() / 2));
        run(objects.subList(objects.size() / 2, objects.size()));

        assertStateIs(StagedObjects.fixture(CATALOG, "history-in-commit-order.jsonl"));
        assertThat(liveState()).isNotEmpty();
    }

    @Test
    void aDeleteLeavesATombstoneThatAnOlderUpsertArrivingLaterCannotOverwrite() {
        StagedObjects.Change insert = StagedObjects.upsert("orders", 7, 100, "{\"order_id\":7,\"status\":\"new\"}");
        StagedObjects.Change delete = StagedObjects.delete("orders", 7, 300);
        StagedObjects.Change lateUpdate =
                StagedObjects.upsert("orders", 7, 200, "{\"order_id\":7,\"status\":\"paid\"}");

        run(List.of(StagedObjects.put(S3, "a", List.of(insert))));
        run(List.of(StagedObjects.put(S3, "b", List.of(delete))));
        run(List.of(StagedObjects.put(S3, "c", List.of(lateUpdate))));

        assertThat(liveState()).isEmpty();
        try (Session s = redshift.openSession()) {
            assertThat(s.execute("SELECT \"_deleted\", \"_commit_ts_ns\", \"status\" FROM \"public\".\"orders_state\"")
                            .rows())
                    .containsExactly(java.util.Arrays.asList("t", "300", null));
        }
        assertCurrentEqualsLogLatest();
    }

    @Test
    void aReInsertAfterADeleteBringsTheRowBack() {
        run(List.of(StagedObjects.put(
                S3,
                "a",
                List.of(
                        StagedObjects.upsert("orders", 7, 100, "{\"order_id\":7}"),
                        StagedObjects.delete("orders", 7, 200)))));
        run(List.of(StagedObjects.put(
                S3, "b", List.of(StagedObjects.upsert("orders", 7, 300, "{\"order_id\":7,\"notes\":\"back\"}")))));

        try (Session s = redshift.openSession()) {
            assertThat(s.execute("SELECT \"order_id\", \"notes\", \"_op\" FROM \"public\".\"orders_current\"")
                            .rows())
                    .containsExactly(List.of("7", "back", "u"));
        }
    }

    @Test
    void equalCommitTimesAreDecidedByTheGreatestEventIdInEveryOrder() {
        StagedObjects.Change a = StagedObjects.upsert("orders", 1, 500, "{\"order_id\":1,\"notes\":\"a\"}");
        StagedObjects.Change b = StagedObjects.upsert("orders", 1, 500, "{\"order_id\":1,\"notes\":\"b\"}");
        String winner = a.row().eventId().compareTo(b.row().eventId()) > 0 ? "a" : "b";
        for (List<StagedObjects.Change> order : List.of(List.of(a, b), List.of(b, a))) {
            emptyWarehouse();
            run(List.of(StagedObjects.put(S3, "x", List.of(order.get(0)))));
            run(List.of(StagedObjects.put(S3, "y", List.of(order.get(1)))));
            try (Session s = redshift.openSession()) {
                assertThat(s.execute("SELECT \"notes\" FROM \"public\".\"orders_current\"")
                                .rows())
                        .containsExactly(List.of(winner));
            }
        }
    }

    @Test
    void aRepeatedRunAppendsNothingTwiceAndChangesNothing() {
        String object = StagedObjects.put(S3, "a", StagedObjects.fixture(CATALOG, "history-in-commit-order.jsonl"));
        long first = run(List.of(object));
        long second = run(List.of(object));

        assertThat(first).isPositive();
        assertThat(second).isZero();
        try (Session s = redshift.openSession()) {
            assertThat(s.execute("SELECT \"runs\", \"batches_loaded\", \"rows_loaded\" FROM "
                                    + ControlTables.loaderState())
                            .rows())
                    .containsExactly(List.of("2", "1", Long.toString(first)));
        }
        assertStateIs(StagedObjects.fixture(CATALOG, "history-in-commit-order.jsonl"));
    }

    @ParameterizedTest
    @EnumSource(
            value = Crash.class,
            names = {"AFTER_COPY", "AFTER_SOURCES", "IN_FIRST_COMMIT"})
    void aRunThatDiesBeforeItCommitsLeavesNothingAndItsRepeatLoadsEverything(Crash crash) {
        List<StagedObjects.Change> history = StagedObjects.fixture(CATALOG, "history-in-commit-order.jsonl");
        String object = StagedObjects.put(S3, "a", history);
        if (crash == Crash.IN_FIRST_COMMIT) {
            assertThatThrownBy(() -> run(List.of(object), crash, new LoadRunSql.Pruning(0, 14)))
                    .isInstanceOf(SqlFailure.class)
                    .hasMessageContaining("the Lambda timed out here");
        } else {
            run(List.of(object), crash, new LoadRunSql.Pruning(0, 14));
        }
        assertThat(logRows()).isZero();
        assertThat(liveState()).isEmpty();

        run(List.of(object));
        assertStateIs(history);
        assertThat(logRows()).isEqualTo(history.size());
    }

    @Test
    void aRunThatDiesBetweenItsCommitsIsFinishedByItsRepeat() {
        List<StagedObjects.Change> history = StagedObjects.fixture(CATALOG, "history-in-commit-order.jsonl");
        String object = StagedObjects.put(S3, "a", history);
        run(List.of(object), Crash.BETWEEN_COMMITS, new LoadRunSql.Pruning(0, 14));
        assertThat(logRows()).as("the first commit appended the log").isEqualTo(history.size());
        assertThat(liveState().keySet())
                .as("and merged only its own tables")
                .isNotEqualTo(CurrentStateRule.apply(
                                history.stream().map(StagedObjects.Change::row).toList())
                        .keySet());

        assertThat(run(List.of(object))).as("the repeat appends nothing").isZero();
        assertStateIs(history);
    }

    @Test
    void aMissingStagedObjectFailsTheCopyAndNothingLands() {
        String present = StagedObjects.put(S3, "a", StagedObjects.fixture(CATALOG, "history-in-commit-order.jsonl"));
        String missing = "s3://staging/staged/never-written.jsonl.gz";

        assertThatThrownBy(() -> run(List.of(present, missing)))
                .isInstanceOf(SqlFailure.class)
                .hasMessageContaining("never-written");
        assertThat(logRows()).isZero();
    }

    @Test
    void aLoaderBuiltForAnotherCatalogRefusesToMergeAndCommitsNothing() {
        String object = StagedObjects.put(S3, "a", List.of(StagedObjects.upsert("orders", 1, 1, "{\"order_id\":1}")));
        try (Session admin = redshift.openSession()) {
            admin.execute("UPDATE " + ControlTables.currentTables() + " SET \"shape\" = '" + "0".repeat(64)
                    + "' WHERE \"source_table\" = 'orders'");
        }
        try {
            assertThatThrownBy(() -> run(List.of(object)))
                    .isInstanceOf(SqlFailure.class)
                    .hasMessageContaining("a state table was built for another catalog");
            assertThat(logRows()).isZero();
        } finally {
            try (Session admin = redshift.openSession()) {
                admin.execute("UPDATE " + ControlTables.currentTables() + " SET \"shape\" = '"
                        + SCHEMA.tables().get(0).shape() + "' WHERE \"source_table\" = 'orders'");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomHistoriesDeliveredDuplicatedAndShuffledLoadExactlyWhateverTheRunsDo(long seed) {
        Random random = new Random(seed);
        List<StagedObjects.Change> history = StagedObjects.randomHistory(random, 40, 6);
        List<StagedObjects.Change> delivered = new ArrayList<>(history);
        for (int i = 0; i < history.size() / 3; i++) {
            delivered.add(history.get(random.nextInt(history.size())));
        }
        Collections.shuffle(delivered, random);
        List<String> objects = new ArrayList<>();
        for (int i = 0; i < delivered.size(); ) {
            int size = 1 + random.nextInt(8);
            objects.add(StagedObjects.put(
                    S3, "shard-" + random.nextInt(4), delivered.subList(i, Math.min(delivered.size(), i + size))));
            i += size;
        }
        List<String> pending = new ArrayList<>(objects);
        while (!pending.isEmpty()) {
            List<String> taken = new ArrayList<>(pending.subList(0, 1 + random.nextInt(pending.size())));
            Crash crash = Crash.values()[random.nextInt(Crash.values().length)];
            try {
                run(taken, crash, new LoadRunSql.Pruning(0, 14));
            } catch (SqlFailure expected) {
                assertThat(crash).isEqualTo(Crash.IN_FIRST_COMMIT);
            }
            if (crash == Crash.NONE) {
                pending.removeAll(taken);
                // a staged object may come again (the consumer re-staged a re-delivered batch)
                if (random.nextInt(4) == 0) {
                    pending.add(taken.get(0));
                }
            }
        }
        assertStateIs(history);
        Set<String> distinctEvents = new HashSet<>();
        history.forEach(c -> distinctEvents.add(c.row().eventId()));
        assertThat(logRows()).as("each staged batch appended once").isLessThanOrEqualTo(delivered.size());
        try (Session s = redshift.openSession()) {
            assertThat(s.execute("SELECT COUNT(DISTINCT \"event_id\") FROM \"cdc\".\"cdc_events\"")
                            .rows()
                            .get(0)
                            .get(0))
                    .isEqualTo(Integer.toString(distinctEvents.size()));
        }
    }

    @Test
    void pruningDeletesOnlySupersededEventsOlderThanTheRetentionAndKeepsTheState() {
        long old = (System.currentTimeMillis() - 30L * 86_400_000L) * 1_000_000L;
        long recent = (System.currentTimeMillis() - 86_400_000L) * 1_000_000L;
        List<StagedObjects.Change> history = List.of(
                StagedObjects.upsert("orders", 1, old, "{\"order_id\":1,\"notes\":\"v1\"}"),
                StagedObjects.upsert("orders", 1, old + 1, "{\"order_id\":1,\"notes\":\"v2\"}"),
                StagedObjects.upsert("orders", 1, recent, "{\"order_id\":1,\"notes\":\"v3\"}"),
                StagedObjects.upsert("orders", 2, old, "{\"order_id\":2,\"notes\":\"only\"}"),
                StagedObjects.upsert("orders", 3, old, "{\"order_id\":3}"),
                StagedObjects.delete("orders", 3, old + 5));
        run(List.of(StagedObjects.put(S3, "a", history)), Crash.NONE, new LoadRunSql.Pruning(7, 14));

        try (Session s = redshift.openSession()) {
            assertThat(s.execute("SELECT \"record_key\", \"commit_ts_ns\" FROM \"cdc\".\"cdc_events\" ORDER BY 1, 2")
                            .rows())
                    .containsExactly(
                            List.of("[1]", Long.toString(recent)),
                            List.of("[2]", Long.toString(old)),
                            List.of("[3]", Long.toString(old + 5)));
            assertThat(s.execute("SELECT \"last_pruned_at\" IS NOT NULL FROM " + ControlTables.loaderState())
                            .rows())
                    .containsExactly(List.of("t"));
        }
        assertStateIs(history);
    }

    @Test
    void aRebuildFromTheLogGivesTheSameTableAsTheMerges() {
        List<StagedObjects.Change> history = StagedObjects.randomHistory(new Random(42), 60, 10);
        run(List.of(StagedObjects.put(S3, "a", history.subList(0, 30))));
        run(List.of(StagedObjects.put(S3, "b", history.subList(30, 60))));
        Map<TableKey, Long> merged = liveState();

        try (Session admin = redshift.openSession()) {
            for (StateTable table : SCHEMA.tables()) {
                admin.batch(grantsTo(SCHEMA.rebuildStatements(table)));
            }
        }
        assertThat(liveState()).isEqualTo(merged);
        assertStateIs(history);
        try (Session s = redshift.openSession()) {
            Set<String> shapes = new TreeSet<>();
            s.execute("SELECT \"shape\" FROM " + ControlTables.currentTables())
                    .rows()
                    .forEach(r -> shapes.add(r.get(0)));
            Set<String> expected = new TreeSet<>();
            SCHEMA.tables().forEach(t -> expected.add(t.shape()));
            assertThat(shapes).isEqualTo(expected);
        }
    }

    @Test
    void theLoaderUserCanRunEveryStatementOfARunWithItsGrants() {
        String object = StagedObjects.put(S3, "a", StagedObjects.fixture(CATALOG, "history-in-commit-order.jsonl"));
        // A session of the loader user: every statement of a run, pruning included when granted.
        WarehouseSchema pruningSchema = WarehouseSchema.of(CATALOG, true);
        assertThat(pruningSchema.grantStatements()).anyMatch(g -> g.contains("DELETE ON \"cdc\".\"cdc_events\""));
        assertThat(WarehouseSchema.of(CATALOG, false).grantStatements())
                .noneMatch(g -> g.contains("DELETE ON \"cdc\".\"cdc_events\""));
        try (Session loader = redshift.openSession()) {
            loader.execute("SET SESSION AUTHORIZATION \"IAMR:loader\"");
            String manifest = StagedObjects.putManifest(S3, List.of(object));
            loader.batch(LoadRunSql.prepareStatements(manifest, COPY_ROLE));
            List<LoadRunSql.Merge> merges = new ArrayList<>();
            for (StateTable table : SCHEMA.tables()) {
                loader.execute(LoadRunSql.createSourceSql(table, merges.size()));
                merges.add(new LoadRunSql.Merge(table, merges.size()));
            }
            loader.batch(LoadRunSql.commitStatements(merges.subList(0, 2), true, new LoadRunSql.Pruning(30, 14)));
            loader.batch(LoadRunSql.commitStatements(merges.subList(2, 4), false, null));
        }
        assertStateIs(StagedObjects.fixture(CATALOG, "history-in-commit-order.jsonl"));
    }

    @Test
    void everyGeneratedStatementFitsABatchAndTheStatementLimit() {
        List<LoadRunSql.Merge> merges = new ArrayList<>();
        for (int i = 0; i < LoadRunSql.MAX_TABLES_PER_COMMIT; i++) {
            merges.add(
                    new LoadRunSql.Merge(SCHEMA.tables().get(i % SCHEMA.tables().size()), i));
        }
        assertThat(LoadRunSql.commitStatements(merges, true, new LoadRunSql.Pruning(30, 14)))
                .hasSizeLessThanOrEqualTo(LoadRunSql.MAX_STATEMENTS_PER_BATCH);
        merges.add(merges.get(0));
        assertThatThrownBy(() -> LoadRunSql.commitStatements(merges, true, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
