package com.dsqlcdc.bench;

import com.dsqlcdc.sql.WarehouseSchema;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.sql.current.StateTable;
import com.dsqlcdc.sql.views.LogLatestViewGenerator;
import com.dsqlcdc.testing.pg.RedshiftOnPostgres;
import com.dsqlcdc.testing.pg.WarehouseOnPostgres;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a read of the current state scans, measured for real on PostgreSQL 16 (the project's
 * Redshift SQL through {@link RedshiftOnPostgres}): the deployed schema of the checked-in catalog,
 * {@code keys} rows of {@code orders} after {@code events} changes (every key updated
 * {@code events / keys} times, one in ten keys deleted last), the state table built by the
 * loader's own rebuild statement, then {@code SELECT *} of {@code orders_current} (the state table)
 * against {@code orders_log_latest} (the latest change per key over the whole log), each with
 * {@code EXPLAIN ANALYZE}: rows read by the scans of the plan, and the execution time.
 */
final class CurrentStateReadCost {

    /**
     * One read.
     *
     * @param rowsScanned rows the plan's scans read (kept plus removed by a filter)
     * @param rowsReturned rows the read returned
     * @param millis      execution time, median of 3
     */
    record Read(long rowsScanned, long rowsReturned, double millis) {}

    /**
     * @param keys    distinct keys
     * @param events  changes in the log
     * @param table   the state table's read ({@code <table>_current})
     * @param log     the audit view's read ({@code <table>_log_latest})
     * @param loadSeconds how long filling the log and building the state table took
     */
    record Figures(long keys, long events, Read table, Read log, double loadSeconds) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private CurrentStateReadCost() {}

    static Figures measure(long keys, long events) throws IOException {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            RedshiftOnPostgres redshift = new RedshiftOnPostgres(postgres, url -> Optional.empty());
            WarehouseSchema schema = WarehouseSchema.of(TableCatalog.load(), false);
            StateTable orders = schema.tables().stream()
                    .filter(t -> t.catalogTable().name().equals("orders"))
                    .findFirst()
                    .orElseThrow();
            long start = System.nanoTime();
            WarehouseOnPostgres.deploy(redshift, schema);
            try (RedshiftOnPostgres.Session admin = redshift.openSession()) {
                // The log: version v of key k committed at v * keys + k; the last version of every
                // tenth key is its delete.
                long versions = events / keys;
                admin.execute("INSERT INTO \"cdc\".\"cdc_events\" (\"source_schema\", \"source_table\", \"record_key\","
                        + " \"commit_ts_ns\", \"commit_ts\", \"op\", \"is_delete\", \"event_id\", \"row_image\")\n"
                        + "SELECT 'public', 'orders', '[' || k || ']', 1764000000000000000 + v * " + keys + " + k,"
                        + " TIMESTAMP '2025-11-24 16:00:00' + (v * " + keys + " + k) * INTERVAL '1 microsecond',"
                        + " CASE WHEN d THEN 'd' ELSE 'u' END, d, md5(k || ':' || v) || md5(v || ':' || k),"
                        + " CASE WHEN d THEN jsonb_build_object('order_id', k)"
                        + " ELSE jsonb_build_object('order_id', k, 'customer_id', '00000476-aaaa-4bbb-8ccc-242784319676',"
                        + " 'total', '57494.63', 'status', 'SHIPPED', 'placed_at', 1764078958212153, 'ship_date', 20414,"
                        + " 'is_gift', false, 'notes', 'version ' || v) END\n"
                        + "FROM generate_series(1, " + keys + ") AS k, generate_series(1, " + versions + ") AS v,"
                        + " LATERAL (SELECT v = " + versions + " AND k % 10 = 0 AS d) AS x");
                // The state table as the loader's rebuild fills it from the log (the same latest-per-key
                // the MERGEs maintain), then statistics for the planner.
                admin.batch(WarehouseOnPostgres.forLoader(schema.rebuildStatements(orders)));
                admin.execute("ANALYZE \"cdc\".\"cdc_events\"");
                admin.execute("ANALYZE " + orders.stateTable());
            }
            double loadSeconds = (System.nanoTime() - start) / 1e9;
            Read table = read(redshift, "SELECT * FROM " + orders.currentView());
            Read log = read(redshift, "SELECT * FROM " + LogLatestViewGenerator.viewName(orders.catalogTable()));
            return new Figures(keys, events, table, log, loadSeconds);
        }
    }

    private static Read read(RedshiftOnPostgres redshift, String query) {
        List<Double> times = new ArrayList<>();
        long scanned = 0;
        long returned = 0;
        try (RedshiftOnPostgres.Session session = redshift.openSession()) {
            for (int run = 0; run < 3; run++) {
                String plan = session.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query)
                        .rows()
                        .get(0)
                        .get(0);
                JsonNode root = JSON.readTree(plan).get(0);
                times.add(root.get("Execution Time").asDouble());
                scanned = scanned(root.get("Plan"));
                returned = root.get("Plan").get("Actual Rows").asLong();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        times.sort(Double::compare);
        return new Read(scanned, returned, times.get(1));
    }

    /** Rows read by every scan node of the plan: the rows it kept plus those its filter removed, per loop. */
    private static long scanned(JsonNode node) {
        long rows = 0;
        String type = node.path("Node Type").asText();
        if (type.endsWith("Scan") && !type.equals("Subquery Scan")) {
            long loops = Math.max(1, node.path("Actual Loops").asLong(1));
            rows += (node.path("Actual Rows").asLong()
                            + node.path("Rows Removed by Filter").asLong())
                    * loops;
        }
        for (JsonNode child : node.path("Plans")) {
            rows += scanned(child);
        }
        return rows;
    }
}
