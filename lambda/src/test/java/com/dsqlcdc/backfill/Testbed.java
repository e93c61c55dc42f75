package com.dsqlcdc.backfill;

import com.dsqlcdc.clients.dsql.SqlConnector;
import com.dsqlcdc.consumer.decode.ChangeDecoder;
import com.dsqlcdc.contract.StagingLayout;
import com.dsqlcdc.contract.env.ConsumerEnvironment;
import com.dsqlcdc.loader.LoadRun;
import com.dsqlcdc.loader.Loader;
import com.dsqlcdc.loader.PostgresWarehouse;
import com.dsqlcdc.loader.S3StagingStore;
import com.dsqlcdc.loader.StagingStore;
import com.dsqlcdc.sql.Identifiers;
import com.dsqlcdc.sql.WarehouseSchema;
import com.dsqlcdc.sql.backfill.WarehouseRangeSql;
import com.dsqlcdc.sql.catalog.CatalogColumn;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.sql.current.StateTable;
import com.dsqlcdc.sql.load.LoadRunSql;
import com.dsqlcdc.testing.FakeS3;
import com.dsqlcdc.testing.SigV4Verifier;
import com.dsqlcdc.testing.StoredObject;
import com.dsqlcdc.testing.pg.RedshiftOnPostgres;
import com.fasterxml.jackson.core.JsonFactory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the backfill's tests run against, started once per test class: one embedded PostgreSQL 16 with
 * two databases, {@code source} (DSQL's stand-in: UTF-8, the C collation as DSQL has, commit times
 * tracked so concurrent writers know when their changes committed) and {@code postgres} (the
 * warehouse, running the loader's Redshift SQL through {@link RedshiftOnPostgres}); a fake S3 with the
 * staging bucket, reached by the real S3 client; the real loader ({@link Loader}, {@link LoadRun},
 * {@link S3StagingStore}); and a {@link WarehouseReader} that runs the validation's parameterised SQL
 * on the warehouse database as the Data API would run it on Redshift.
 */
final class Testbed implements AutoCloseable {

    static final String STAGING_BUCKET = "dsql-cdc-staging";
    static final String CLUSTER = "abcdefghijklmnopqrstuvwxyz";
    static final String COPY_ROLE = "arn:aws:iam::123456789012:role/copy";

    final EmbeddedPostgres postgres;
    final RedshiftOnPostgres redshift;
    final FakeS3 s3;
    final S3Client s3Client;
    private final SdkHttpClient http = UrlConnectionHttpClient.create();

    Testbed() throws IOException, SQLException {
        postgres = EmbeddedPostgres.builder()
                .setServerConfig("track_commit_timestamp", "on")
                .setServerConfig("max_connections", "100")
                .start();
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE source TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
        }
        s3 = FakeS3.start().createBucket(STAGING_BUCKET);
        s3Client = S3Client.builder()
                .endpointOverride(s3.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(SigV4Verifier.credentialsProvider())
                .httpClient(http)
                .forcePathStyle(true)
                .build();
        redshift = new RedshiftOnPostgres(postgres, this::readStaged);
    }

    private Optional<byte[]> readStaged(String url) {
        String prefix = "s3://" + STAGING_BUCKET + "/";
        if (!url.startsWith(prefix)) {
            return Optional.empty();
        }
        return Optional.ofNullable(s3.objects(STAGING_BUCKET).get(url.substring(prefix.length())))
                .map(StoredObject::body);
    }

    // ---- the source ------------------------------------------------------------------------------

    String sourceUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/source";
    }

    /** Connections to the source through the backfill's own connector (a password instead of a token). */
    SourceConnections sourceConnections() {
        SqlConnector connector = new SqlConnector(sourceUrl(), "postgres", () -> "postgres", SqlConnector.timeouts());
        return connector::connect;
    }

    Connection source() throws SQLException {
        return DriverManager.getConnection(sourceUrl(), "postgres", "postgres");
    }

    void sourceSql(String... statements) throws SQLException {
        try (Connection c = source();
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** Creates the catalog's tables in the source (dropping earlier ones of the same name). */
    void createSourceTables(TableCatalog catalog) throws SQLException {
        List<String> ddl = new ArrayList<>();
        for (CatalogTable table : catalog.tables()) {
            ddl.add("CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(table.schema()));
            ddl.add("DROP TABLE IF EXISTS " + Identifiers.qualified(table.schema(), table.name()));
            String columns = table.columns().stream()
                    .map(c -> Identifiers.quote(c.name()) + " " + c.type().spelling())
                    .collect(Collectors.joining(", "));
            ddl.add("CREATE TABLE " + Identifiers.qualified(table.schema(), table.name()) + " (" + columns
                    + ", PRIMARY KEY ("
                    + table.primaryKey().stream().map(Identifiers::quote).collect(Collectors.joining(", "))
                    + "))");
        }
        sourceSql(ddl.toArray(String[]::new));
    }

    /** Every source row of {@code table}, encoded as a CDC record's {@code after}, by record key. */
    Map<String, String> sourceImages(CatalogTable table) throws SQLException {
        Map<String, String> images = new LinkedHashMap<>();
        try (SourceReader reader = new SourceReader(sourceConnections(), Clock.systemUTC())) {
            SourcePage page =
                    reader.page(table, com.dsqlcdc.sql.backfill.KeyRange.all(), Integer.MAX_VALUE, Long.MAX_VALUE);
            for (SourceRow row : page.rows()) {
                images.put(RecordKeys.of(table, row.values()), Images.of(table, row.values()));
            }
        }
        return images;
    }

    // ---- the warehouse ---------------------------------------------------------------------------

    /** Creates the log, the control tables, and each catalog table's state table and views. */
    void deployWarehouse(TableCatalog catalog) {
        WarehouseSchema schema = WarehouseSchema.of(catalog, false);
        try (RedshiftOnPostgres.Session admin = redshift.openSession()) {
            schema.statements().forEach(admin::execute);
            for (StateTable table : schema.tables()) {
                admin.batch(withoutGrants(schema.rebuildStatements(table)));
            }
        }
    }

    private static List<String> withoutGrants(List<String> statements) {
        return statements.stream().filter(s -> !s.startsWith("GRANT")).toList();
    }

    /** The loader of {@code catalog}'s tables over the staging bucket. */
    Loader loader(TableCatalog catalog) {
        Map<String, StateTable> tables = new LinkedHashMap<>();
        catalog.tables().forEach(t -> tables.put(t.qualifiedName(), new StateTable(t)));
        StagingStore staging = new S3StagingStore(s3Client, STAGING_BUCKET);
        Clock clock = Clock.systemUTC();
        LoadRun run = new LoadRun(
                tables, staging, new PostgresWarehouse(redshift), COPY_ROLE, new LoadRunSql.Pruning(0, 14), clock);
        return new Loader(staging, run, new Loader.Limits(50, Long.MAX_VALUE, Duration.ZERO), clock);
    }

    /** Loads everything staged. */
    void load(TableCatalog catalog) {
        Loader loader = loader(catalog);
        for (int i = 0; i < 100; i++) {
            Loader.Report report = loader.drain(Instant.MAX);
            if (report.failure().isPresent()) {
                throw new IllegalStateException(
                        "a load failed: " + report.failure().get());
            }
            if (report.stagedAfter() == 0 && stagedKeys().isEmpty()) {
                return;
            }
        }
        throw new IllegalStateException("the staging bucket did not drain");
    }

    List<String> stagedKeys() {
        return s3.objects(STAGING_BUCKET).keySet().stream()
                .filter(k -> k.startsWith(StagingLayout.STAGED))
                .toList();
    }

    /** Live rows of {@code <table>_state}: record key → the image of the change that wrote it. */
    Map<String, String> warehouseImages(CatalogTable table) {
        StateTable state = new StateTable(table);
        Map<String, String> images = new LinkedHashMap<>();
        try (RedshiftOnPostgres.Session s = redshift.openSession()) {
            for (Map<String, String> row : s.execute("SELECT t.\"_record_key\", e.\"row_image\"::text AS image FROM "
                            + state.stateTable()
                            + " t JOIN \"cdc\".\"cdc_events\" e ON e.\"event_id\" = t.\"_event_id\""
                            + " AND e.\"source_schema\" = '" + table.schema() + "' AND e.\"source_table\" = '"
                            + table.name() + "' AND e.\"record_key\" = t.\"_record_key\" WHERE NOT t.\"_deleted\"")
                    .records()) {
                images.put(row.get("_record_key"), Images.normalize(row.get("image")));
            }
        }
        return images;
    }

    /** Runs warehouse SQL (tests' own setup and inspection). */
    RedshiftOnPostgres.Result warehouseSql(String sql) {
        try (RedshiftOnPostgres.Session s = redshift.openSession()) {
            return s.execute(sql);
        }
    }

    /**
     * The validation's queries on the warehouse database, as the Data API runs them on Redshift: the
     * SQL translated by {@link RedshiftOnPostgres#translate}, its {@code :name} parameters bound in
     * order as untyped text.
     */
    WarehouseReader warehouseReader() {
        return (query, deadline) -> {
            List<String> names = new ArrayList<>();
            String sql = NamedParameters.positional(RedshiftOnPostgres.translate(query.sql()), names);
            try (Connection c = postgres.getPostgresDatabase().getConnection();
                    PreparedStatement statement = c.prepareStatement(sql)) {
                for (int i = 0; i < names.size(); i++) {
                    String value = query.parameters().get(names.get(i));
                    if (value == null || value.isEmpty()) {
                        throw new IllegalArgumentException("Data API parameters are not empty: " + names.get(i));
                    }
                    statement.setObject(i + 1, value, java.sql.Types.OTHER);
                }
                List<Map<String, String>> rows = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery()) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        Map<String, String> row = new LinkedHashMap<>();
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            row.put(meta.getColumnLabel(i), rs.getString(i));
                        }
                        rows.add(row);
                    }
                }
                return rows;
            } catch (SQLException e) {
                throw new WarehouseReader.WarehouseReadException(e.getMessage() + " — " + sql, e);
            }
        };
    }

    // ---- the backfill's parts ---------------------------------------------------------------------

    ChangeDecoder decoder(TableCatalog catalog) {
        return new ChangeDecoder(new JsonFactory(), catalog, ConsumerEnvironment.LARGE_SUPER_STRING_BYTES);
    }

    /** A range worker of {@code plan}'s mode over this testbed, put together as the deployed job does. */
    RangeWorker worker(TableCatalog catalog, JobPlan plan, SourceReader reader, JobStore store, int flushRows) {
        return workers(catalog, store, Clock.systemUTC(), flushRows).create(plan, reader);
    }

    /** The deployed job's range workers ({@link RangeWorkers}) over this testbed. */
    JobSteps.WorkerFactory workers(TableCatalog catalog, JobStore store, Clock clock, int flushRows) {
        return RangeWorkers.factory(
                CLUSTER,
                catalog,
                ConsumerEnvironment.LARGE_SUPER_STRING_BYTES,
                s3Client,
                STAGING_BUCKET,
                warehouseReader(),
                store,
                clock,
                RangeWorker.Progress.NONE,
                flushRows);
    }

    JobRunner runner(TableCatalog catalog, JobPlan plan, JobStore store, int concurrency, int flushRows) {
        return new JobRunner(
                store,
                catalog,
                sourceConnections(),
                reader -> worker(catalog, plan, reader, store, flushRows),
                concurrency,
                Clock.systemUTC(),
                JobRunner.RangeListener.NONE);
    }

    static JobPlans.Settings settings(int pageRows, int rangeRows, long marginMillis) {
        return new JobPlans.Settings(CLUSTER, "zyxwvutsrqponmlkjihgfedcba", pageRows, rangeRows, marginMillis);
    }

    static boolean ordersInWarehouse(CatalogTable table) {
        return WarehouseRangeSql.keyOrdersInWarehouse(table);
    }

    static List<String> columnNames(CatalogTable table) {
        return table.columns().stream().map(CatalogColumn::name).toList();
    }

    @Override
    public void close() {
        s3Client.close();
        http.close();
        s3.close();
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
