package com.dsqlcdc.backfill;

import com.dsqlcdc.sql.Identifiers;
import com.dsqlcdc.sql.catalog.CatalogColumn;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.ColumnType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Writers committing changes to the source while a job runs, and the CDC records DSQL's stream would
 * carry for them: one record per changed row per transaction, in the documented format, its
 * {@code source.ts_ns} the transaction's commit time (PostgreSQL's {@code track_commit_timestamp}),
 * the image read back with {@code RETURNING} (the whole row for inserts and updates, the key for
 * deletes). Each writer owns its own keys (the pool's keys at its index modulo the writers), so no two
 * transactions race for a row and commit times order each key's changes.
 */
final class Writers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Testbed testbed;
    private final CatalogTable table;
    private final List<List<String>> pool;
    /** Which of the pool's keys exist in the source now (the writers' view). */
    final Map<List<String>, Boolean> live = new ConcurrentHashMap<>();

    Writers(Testbed testbed, CatalogTable table, List<List<String>> pool) {
        this.testbed = testbed;
        this.table = table;
        this.pool = pool;
    }

    /** Inserts the pool's first {@code count} keys, one transaction each, and gives their records. */
    void seed(Random random, int count, Consumer<String> records) throws SQLException {
        try (Connection c = connection()) {
            for (int i = 0; i < Math.min(count, pool.size()); i++) {
                ObjectNode image = image(c, pool.get(i), insertSql(pool.get(i), random));
                live.put(pool.get(i), true);
                long tsNs = commitTsNs(c, xid(c));
                records.accept(record(new Change("c", image), tsNs));
            }
        }
    }

    /**
     * Writer {@code w} of {@code of}: {@code transactions} transactions of 1-3 changes of its keys
     * (insert a key that is absent, update or delete one that exists).
     */
    void write(Random random, int w, int of, int transactions, Consumer<String> records) throws SQLException {
        List<List<String>> mine = new ArrayList<>();
        for (int i = w; i < pool.size(); i += of) {
            mine.add(pool.get(i));
        }
        if (mine.isEmpty()) {
            return;
        }
        try (Connection c = connection()) {
            for (int t = 0; t < transactions; t++) {
                List<Change> changes = new ArrayList<>();
                java.util.Set<List<String>> touched = new java.util.HashSet<>();
                for (int k = 0; k < 1 + random.nextInt(3); k++) {
                    List<String> key = mine.get(random.nextInt(mine.size()));
                    if (!touched.add(key)) {
                        continue;
                    }
                    boolean exists = live.getOrDefault(key, false);
                    if (!exists) {
                        changes.add(new Change("c", image(c, key, insertSql(key, random))));
                        live.put(key, true);
                    } else if (random.nextInt(3) == 0) {
                        changes.add(new Change("d", image(c, key, deleteSql(key))));
                        live.put(key, false);
                    } else {
                        changes.add(new Change("u", image(c, key, updateSql(key, random))));
                    }
                }
                long tsNs = commitTsNs(c, xid(c));
                changes.forEach(change -> records.accept(record(change, tsNs)));
            }
        }
    }

    private record Change(String op, ObjectNode image) {}

    private Connection connection() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("password", "postgres");
        props.setProperty("stringtype", "unspecified");
        props.setProperty("binaryTransfer", "false");
        Connection c = DriverManager.getConnection(testbed.sourceUrl(), props);
        c.setAutoCommit(false);
        return c;
    }

    private record Sql(String text, List<String> parameters) {}

    private Sql insertSql(List<String> key, Random random) {
        List<String> parameters = new ArrayList<>(key);
        List<String> casts = new ArrayList<>();
        for (CatalogColumn column : table.columns()) {
            casts.add("CAST(? AS " + column.type().spelling() + ")");
            if (!table.primaryKey().contains(column.name())) {
                parameters.add(RandomTables.value(random, column.type()));
            }
        }
        // Key columns come first in these tables (k0..), so parameters are in column order.
        return new Sql("INSERT INTO " + name() + " VALUES (" + String.join(", ", casts) + ") RETURNING *", parameters);
    }

    private Sql updateSql(List<String> key, Random random) {
        List<String> set = new ArrayList<>();
        List<String> parameters = new ArrayList<>();
        for (CatalogColumn column : table.columns()) {
            if (!table.primaryKey().contains(column.name())) {
                set.add(Identifiers.quote(column.name()) + " = CAST(? AS "
                        + column.type().spelling() + ")");
                parameters.add(RandomTables.value(random, column.type()));
            }
        }
        parameters.addAll(key);
        return new Sql(
                "UPDATE " + name() + " SET " + String.join(", ", set) + " WHERE " + keyMatch() + " RETURNING *",
                parameters);
    }

    private Sql deleteSql(List<String> key) {
        return new Sql(
                "DELETE FROM " + name() + " WHERE " + keyMatch() + " RETURNING "
                        + table.primaryKey().stream().map(Identifiers::quote).collect(Collectors.joining(", ")),
                key);
    }

    private String keyMatch() {
        return table.primaryKey().stream()
                .map(k -> Identifiers.quote(k) + " = CAST(? AS "
                        + table.column(k).orElseThrow().type().spelling() + ")")
                .collect(Collectors.joining(" AND "));
    }

    private String name() {
        return Identifiers.qualified(table.schema(), table.name());
    }

    /** Runs the change and encodes what it returned (the row, or its key). */
    private ObjectNode image(Connection c, List<String> key, Sql sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql.text())) {
            for (int i = 0; i < sql.parameters().size(); i++) {
                s.setString(i + 1, sql.parameters().get(i));
            }
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no row for key " + key + ": " + sql.text());
                }
                ObjectNode image = JSON.createObjectNode();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    String name = rs.getMetaData().getColumnName(i);
                    ColumnType type = table.column(name).orElseThrow().type();
                    JsonNode value = ValueEncoder.encode(type, rs, i);
                    image.set(name, value);
                }
                return image;
            }
        }
    }

    /** The open transaction's id. */
    private static long xid(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT txid_current()");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Commits the open transaction (of id {@code xid}) and returns its commit time. */
    private static long commitTsNs(Connection c, long xid) throws SQLException {
        c.commit();
        try (PreparedStatement s =
                c.prepareStatement("SELECT pg_xact_commit_timestamp(CAST(CAST(? AS text) AS xid))")) {
            s.setLong(1, xid);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                OffsetDateTime at = rs.getObject(1, OffsetDateTime.class);
                c.commit();
                return RangeWorker.nanos(at.toInstant());
            }
        }
    }

    /** The CDC record of one change, as DSQL's stream writes it. */
    private String record(Change change, long tsNs) {
        ObjectNode record = JSON.createObjectNode();
        record.put("type", "full").put("op", change.op());
        boolean delete = change.op().equals("d");
        if (delete) {
            record.set("before", change.image());
            record.putNull("after");
        } else {
            record.putNull("before");
            record.set("after", change.image());
        }
        record.putObject("source")
                .put("version", "1.0")
                .put("ts_ms", tsNs / 1_000_000)
                .put("ts_ns", tsNs)
                .put("txId", "tx" + tsNs)
                .put("schema", table.schema())
                .put("table", table.name())
                .put("db", "postgres")
                .put("cluster", Testbed.CLUSTER);
        record.put("ts_ms", System.currentTimeMillis()).put("ts_ns", System.nanoTime());
        return record.toString();
    }
}
