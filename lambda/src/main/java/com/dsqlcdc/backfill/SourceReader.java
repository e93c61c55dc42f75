package com.dsqlcdc.backfill;

import com.dsqlcdc.sql.backfill.KeyRange;
import com.dsqlcdc.sql.backfill.SourceSql;
import com.dsqlcdc.sql.catalog.CatalogColumn;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the source, one short read-only transaction per call ({@link SourceSql}): a page of a range,
 * the next split point, a bounded count. One reader holds one connection (not thread-safe: one reader
 * per worker thread), opened on first use and again after it broke or grew old (DSQL ends a
 * connection after an hour). A transaction that fails because the connection did (or with a
 * serialization failure) is retried on a new connection: it only reads, so running it again is
 * harmless.
 */
public final class SourceReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SourceReader.class);
    /** Reconnect before DSQL's one-hour limit on a connection's life. */
    static final Duration MAX_CONNECTION_AGE = Duration.ofMinutes(50);

    static final int ATTEMPTS = 3;

    private final SourceConnections connections;
    private final Clock clock;
    private Connection connection;
    private Instant connectedAt;

    /**
     * @param connections where connections come from
     * @param clock       time source (connection age)
     */
    public SourceReader(SourceConnections connections, Clock clock) {
        this.connections = connections;
        this.clock = clock;
    }

    /** A read-only transaction's work. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * One page: up to {@code limit} rows of {@code range} in key order, in a transaction whose start
     * time the page carries. The page stops early once it holds {@code maxBytes} of text (at least one
     * row), and then does not count as the range's end.
     *
     * @param table    the table
     * @param range    what is left of the range
     * @param limit    rows at most
     * @param maxBytes text at most (about)
     * @return the page
     * @throws SQLException when the source refuses (after retries)
     */
    public SourcePage page(CatalogTable table, KeyRange range, int limit, long maxBytes) throws SQLException {
        String sql = SourceSql.pageSql(table, range.hasLo(), range.hasHi());
        return readOnly(table, c -> {
            Instant readAt = transactionStart(c);
            List<SourceRow> rows = new ArrayList<>(Math.min(limit, 10_000));
            boolean cut = false;
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                int p = bind(statement, 1, range.lo());
                p = bind(statement, p, range.hi());
                statement.setInt(p, limit);
                statement.setFetchSize(Math.min(limit, 1_000));
                List<CatalogColumn> columns = table.columns();
                int[] keyIndexes = keyIndexes(table);
                long bytes = 0;
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        List<JsonNode> values = new ArrayList<>(columns.size());
                        long rowBytes = 0;
                        for (int i = 0; i < columns.size(); i++) {
                            JsonNode value = ValueEncoder.encode(columns.get(i).type(), rs, i + 1);
                            values.add(value);
                            rowBytes += value.isTextual() ? value.textValue().length() + 2 : 8;
                        }
                        List<String> key = new ArrayList<>(keyIndexes.length);
                        for (int k : keyIndexes) {
                            key.add(rs.getString(k + 1));
                        }
                        rows.add(new SourceRow(key, values, rowBytes));
                        bytes += rowBytes;
                        if (bytes >= maxBytes && rows.size() < limit) {
                            cut = true;
                            break;
                        }
                    }
                }
            }
            return new SourcePage(rows, readAt, !cut && rows.size() < limit);
        });
    }

    /**
     * @param table the table
     * @param after the key to start after, or null for the table's start
     * @param n     rows per range
     * @return the key {@code n} rows after {@code after}, or empty when fewer rows are left
     * @throws SQLException when the source refuses (after retries)
     */
    public Optional<List<String>> splitPoint(CatalogTable table, List<String> after, int n) throws SQLException {
        String sql = SourceSql.splitPointSql(table, after != null);
        return readOnly(table, c -> {
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                int p = bind(statement, 1, after);
                statement.setLong(p, n - 1L);
                try (ResultSet rs = statement.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    List<String> key = new ArrayList<>();
                    for (int i = 1; i <= table.primaryKey().size(); i++) {
                        key.add(rs.getString(i));
                    }
                    return Optional.of(key);
                }
            }
        });
    }

    /**
     * @param table the table
     * @param after the key to count after, or null for the table's start
     * @param limit the most rows to count
     * @return the rows after {@code after}, at most {@code limit}
     * @throws SQLException when the source refuses (after retries)
     */
    public long countUpTo(CatalogTable table, List<String> after, int limit) throws SQLException {
        String sql = SourceSql.boundedCountSql(table, after != null);
        return readOnly(table, c -> {
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                int p = bind(statement, 1, after);
                statement.setInt(p, limit);
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /**
     * Runs {@code work} in a read-only transaction of its own, retried on a new connection when the
     * connection failed.
     */
    <T> T readOnly(CatalogTable table, Work<T> work) throws SQLException {
        SQLException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Connection c = connection();
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException e) {
                last = e;
                rollbackQuietly(c);
                if (!retryable(e) || attempt == ATTEMPTS) {
                    break;
                }
                LOG.warn("source read failed, retrying on a new connection: {}", e.getMessage());
                closeQuietly();
            }
        }
        throw new SQLException(
                "reading " + (table == null ? "the source" : table.qualifiedName()) + " failed: " + last.getMessage(),
                last.getSQLState(),
                last);
    }

    /** Connection failures (SQLSTATE class 08), serialization failures (40001) and "too many connections" (53300). */
    static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.equals("40001") || state.equals("53300"));
    }

    private Connection connection() throws SQLException {
        if (connection != null
                && (connection.isClosed()
                        || Duration.between(connectedAt, clock.instant()).compareTo(MAX_CONNECTION_AGE) > 0)) {
            closeQuietly();
        }
        if (connection == null) {
            Connection c = connections.open();
            c.setAutoCommit(false);
            c.setReadOnly(true);
            connection = c;
            connectedAt = clock.instant();
        }
        return connection;
    }

    private static Instant transactionStart(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(SourceSql.transactionStartSql())) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class).toInstant();
        }
    }

    /** Binds a key bound's values as text from {@code index}; returns the next index. */
    private static int bind(PreparedStatement statement, int index, List<String> key) throws SQLException {
        if (key == null) {
            return index;
        }
        for (String value : key) {
            statement.setString(index++, value);
        }
        return index;
    }

    private static int[] keyIndexes(CatalogTable table) {
        int[] indexes = new int[table.primaryKey().size()];
        for (int k = 0; k < indexes.length; k++) {
            indexes[k] = table.columns()
                    .indexOf(table.column(table.primaryKey().get(k)).orElseThrow());
        }
        return indexes;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the retry opens another
        }
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing a broken connection
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
