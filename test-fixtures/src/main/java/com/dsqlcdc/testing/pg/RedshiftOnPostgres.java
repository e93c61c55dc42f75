package com.dsqlcdc.testing.pg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Runs the Redshift SQL this project generates on a real PostgreSQL (16, embedded), so MERGE,
 * window functions, transactions and locks are exercised by a SQL engine rather than by a Java
 * mirror. The translation is deliberately small, and every rule is here:
 *
 * <ol>
 *   <li>type {@code SUPER} becomes {@code JSONB}; Redshift's table attributes ({@code DISTSTYLE},
 *       {@code DISTKEY}, {@code [COMPOUND] SORTKEY}) are dropped;
 *   <li>SUPER navigation {@code x."row_image"."col"} becomes {@code x."row_image"->'col'}, except
 *       inside {@code CAST(... AS VARCHAR(n))}, where it becomes {@code ->>'col'} (Redshift casts a
 *       SUPER string to its text; PostgreSQL would keep the JSON quotes);
 *   <li>{@code DATEADD(day, ...)} quotes its date part;
 *   <li>{@code COPY ... FROM '<manifest>' MANIFEST ... FORMAT JSON 'auto' GZIP} is carried out here:
 *       the manifest and its (mandatory) objects are read from the given object store, each JSON line
 *       becomes a row (keys matched to the column list, nested objects to JSONB, strings to the
 *       column's type as PostgreSQL parses them), and a missing object fails the COPY, as Redshift's
 *       does;
 *   <li>the Redshift functions the SQL calls ({@code IS_BIGINT}, {@code IS_VARCHAR},
 *       {@code JSON_TYPEOF}, {@code CAN_JSON_PARSE}, {@code JSON_PARSE}, {@code GETDATE},
 *       {@code DATEADD}, ...) are defined for JSONB by {@code pg/redshift_compat.sql}.
 * </ol>
 *
 * A session is one connection: its temporary tables last as long as it, like a Data API session's.
 * A batch runs as one transaction, like BatchExecuteStatement.
 */
public final class RedshiftOnPostgres implements AutoCloseable {

    private static final Pattern TABLE_ATTRIBUTES = Pattern.compile(
            "(?i)\\s*\\b(DISTSTYLE\\s+(KEY|ALL|EVEN|AUTO)|DISTKEY\\s*\\([^)]*\\)|(COMPOUND\\s+|INTERLEAVED\\s+)?SORTKEY\\s*\\([^)]*\\))");
    private static final Pattern SUPER_TYPE = Pattern.compile("(?i)\\bSUPER\\b(?=\\s*(,|\\)|\\n|$| NOT| NULL))");
    private static final Pattern CAST_NAV_TO_VARCHAR =
            Pattern.compile("CAST\\((\\w+\\.\"row_image\")\\.\"([A-Za-z0-9_$]+)\" AS (VARCHAR\\(\\d+\\))\\)");
    private static final Pattern NAVIGATION = Pattern.compile("(\\w+\\.\"row_image\")\\.\"([A-Za-z0-9_$]+)\"");
    private static final Pattern DATEADD_DAY = Pattern.compile("(?i)DATEADD\\(day,");
    private static final Pattern COPY = Pattern.compile(
            "(?is)^COPY\\s+(\"?[A-Za-z0-9_$]+\"?)\\s*\\(([^)]*)\\)\\s*FROM\\s+'([^']+)'.*\\bMANIFEST\\b.*FORMAT\\s+JSON\\s+'auto'.*\\bGZIP\\b.*");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EmbeddedPostgres postgres;
    private final Function<String, Optional<byte[]>> objects;

    /**
     * @param postgres a running PostgreSQL 15+ (MERGE)
     * @param objects  the object store COPY reads: {@code s3://bucket/key} to the object's bytes
     */
    public RedshiftOnPostgres(EmbeddedPostgres postgres, Function<String, Optional<byte[]>> objects) {
        this.postgres = postgres;
        this.objects = objects;
        try (Session setup = openSession()) {
            setup.runScript(readResource("/pg/redshift_compat.sql"));
        }
    }

    /** @return a new session (a connection of its own) */
    public Session openSession() {
        try {
            Connection connection = postgres.getPostgresDatabase().getConnection();
            connection.setAutoCommit(true);
            return new Session(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to the embedded PostgreSQL", e);
        }
    }

    @Override
    public void close() {
        // the caller owns the database
    }

    /**
     * @param redshiftSql one statement as this project sends it to Redshift
     * @return the statement PostgreSQL runs (COPY is not translated: {@link Session} carries it out)
     */
    public static String translate(String redshiftSql) {
        String sql = TABLE_ATTRIBUTES.matcher(redshiftSql).replaceAll("");
        sql = SUPER_TYPE.matcher(sql).replaceAll("JSONB");
        sql = CAST_NAV_TO_VARCHAR.matcher(sql).replaceAll("CAST($1->>'$2' AS $3)");
        sql = NAVIGATION.matcher(sql).replaceAll("($1->'$2')");
        sql = DATEADD_DAY.matcher(sql).replaceAll("DATEADD('day',");
        return sql;
    }

    /**
     * A statement's result: for a query its column names, their PostgreSQL type names (e.g.
     * {@code int8}, {@code varchar}, {@code bool}, {@code jsonb}) and rows of strings (SQL NULL as
     * {@code null}); otherwise no columns and the number of rows it changed.
     */
    public record Result(List<String> columns, List<String> columnTypes, List<List<String>> rows, long updateCount) {

        public Result {
            columns = List.copyOf(columns);
            columnTypes = List.copyOf(columnTypes);
            if (columnTypes.size() != columns.size()) {
                throw new IllegalArgumentException("one type per column");
            }
        }

        /** A result without column types (each {@code text}). */
        public Result(List<String> columns, List<List<String>> rows, long updateCount) {
            this(columns, java.util.Collections.nCopies(columns.size(), "text"), rows, updateCount);
        }

        /** @return whether it is a query's result (it has columns) */
        public boolean isQuery() {
            return !columns.isEmpty();
        }

        /** @return the rows as column name → value maps */
        public List<Map<String, String>> records() {
            List<Map<String, String>> records = new ArrayList<>();
            for (List<String> row : rows) {
                Map<String, String> record = new LinkedHashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    record.put(columns.get(i), row.get(i));
                }
                records.add(record);
            }
            return records;
        }
    }

    /** One connection, like one Data API session. */
    public final class Session implements AutoCloseable {
        private final Connection connection;

        private Session(Connection connection) {
            this.connection = connection;
        }

        /**
         * Runs one statement in its own transaction (like ExecuteStatement).
         *
         * @param redshiftSql the statement as sent to Redshift
         * @return its result (rows for a query, the update count otherwise)
         */
        public Result execute(String redshiftSql) {
            return batch(List.of(redshiftSql)).get(0);
        }

        /**
         * Runs statements in one transaction, rolled back whole if one fails (like
         * BatchExecuteStatement).
         *
         * @param redshiftSql the statements
         * @return one result per statement
         * @throws SqlFailure with PostgreSQL's message when a statement fails
         */
        public List<Result> batch(List<String> redshiftSql) {
            List<Result> results = new ArrayList<>();
            int index = 0;
            try {
                connection.setAutoCommit(false);
                for (String statement : redshiftSql) {
                    results.add(run(statement));
                    index++;
                }
                connection.commit();
                return results;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                String message = e instanceof SQLException ? e.getMessage() : String.valueOf(e.getMessage());
                throw new SqlFailure(index, message, e);
            } finally {
                try {
                    connection.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // the connection is broken; the next use reports it
                }
            }
        }

        void runScript(String script) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(script);
            } catch (SQLException e) {
                throw new IllegalStateException("setup script failed: " + e.getMessage(), e);
            }
        }

        private Result run(String redshiftSql) throws SQLException {
            Matcher copy = COPY.matcher(redshiftSql.strip());
            if (copy.matches()) {
                return new Result(List.of(), List.of(), copy(copy.group(1), copy.group(2), copy.group(3)));
            }
            try (Statement statement = connection.createStatement()) {
                boolean query = statement.execute(translate(redshiftSql));
                if (!query) {
                    return new Result(List.of(), List.of(), statement.getUpdateCount());
                }
                try (ResultSet rs = statement.getResultSet()) {
                    ResultSetMetaData meta = rs.getMetaData();
                    List<String> columns = new ArrayList<>();
                    List<String> types = new ArrayList<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        columns.add(meta.getColumnLabel(i));
                        types.add(meta.getColumnTypeName(i));
                    }
                    List<List<String>> rows = new ArrayList<>();
                    while (rs.next()) {
                        List<String> row = new ArrayList<>();
                        for (int i = 1; i <= columns.size(); i++) {
                            row.add(rs.getString(i));
                        }
                        rows.add(row);
                    }
                    return new Result(columns, types, rows, rows.size());
                }
            }
        }

        private long copy(String table, String columnList, String manifestUrl) throws SQLException {
            List<String> columns = new ArrayList<>();
            for (String column : columnList.split(",")) {
                columns.add(column.strip().replace("\"", ""));
            }
            Map<String, String> types = columnTypes(table.replace("\"", ""));
            byte[] manifest = objects.apply(manifestUrl)
                    .orElseThrow(() ->
                            new SQLException("S3ServiceException: the manifest " + manifestUrl + " does not exist"));
            JsonNode entries;
            try {
                entries = JSON.readTree(manifest).path("entries");
            } catch (IOException e) {
                throw new SQLException("invalid manifest " + manifestUrl + ": " + e.getMessage());
            }
            StringBuilder insert =
                    new StringBuilder("INSERT INTO ").append(table).append(" (");
            StringBuilder values = new StringBuilder(" VALUES (");
            for (int i = 0; i < columns.size(); i++) {
                insert.append(i == 0 ? "" : ", ")
                        .append('"')
                        .append(columns.get(i))
                        .append('"');
                values.append(i == 0 ? "" : ", ")
                        .append("CAST(? AS ")
                        .append(types.get(columns.get(i)))
                        .append(')');
            }
            String sql = insert.append(')').append(values).append(')').toString();
            long rows = 0;
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (JsonNode entry : entries) {
                    String url = entry.path("url").asText();
                    Optional<byte[]> object = objects.apply(url);
                    if (object.isEmpty()) {
                        if (entry.path("mandatory").asBoolean(false)) {
                            throw new SQLException("S3ServiceException: the specified key does not exist: " + url
                                    + " (mandatory manifest entry)");
                        }
                        continue;
                    }
                    for (String line : gunzipLines(object.get())) {
                        JsonNode row = parseLine(line, url);
                        for (int i = 0; i < columns.size(); i++) {
                            JsonNode value = field(row, columns.get(i));
                            if (value == null || value.isNull()) {
                                statement.setNull(i + 1, Types.VARCHAR);
                            } else {
                                statement.setString(i + 1, value.isValueNode() ? value.asText() : value.toString());
                            }
                        }
                        statement.addBatch();
                        rows++;
                    }
                }
                statement.executeBatch();
            }
            return rows;
        }

        private Map<String, String> columnTypes(String table) throws SQLException {
            Map<String, String> types = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a"
                            + " WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped")) {
                statement.setString(1, '"' + table + '"');
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        types.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            if (types.isEmpty()) {
                throw new SQLException("relation \"" + table + "\" does not exist");
            }
            return types;
        }

        @Override
        public void close() {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing a test connection
            }
        }
    }

    /** JSON 'auto': keys match column names, case-insensitively. */
    private static JsonNode field(JsonNode row, String column) {
        JsonNode exact = row.get(column);
        if (exact != null) {
            return exact;
        }
        for (Iterator<String> names = row.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.toLowerCase(Locale.ROOT).equals(column.toLowerCase(Locale.ROOT))) {
                return row.get(name);
            }
        }
        return null;
    }

    private static JsonNode parseLine(String line, String url) throws SQLException {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new SQLException("Load into table failed: invalid JSON in " + url + ": " + e.getMessage());
        }
    }

    private static List<String> gunzipLines(byte[] gzip) {
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(new ByteArrayInputStream(gzip)), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not a gzip JSON-lines object", e);
        }
        return lines;
    }

    private static String readResource(String name) {
        try (InputStream in = RedshiftOnPostgres.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the test classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A statement PostgreSQL refused; {@link #index()} is its position in the batch. */
    public static final class SqlFailure extends RuntimeException {
        private final int index;

        SqlFailure(int index, String message, Throwable cause) {
            super(message, cause);
            this.index = index;
        }

        /** @return the failed statement's position in its batch */
        public int index() {
            return index;
        }
    }
}
