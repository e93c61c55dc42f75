package com.dsqlcdc.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.sql.Identifiers;
import com.dsqlcdc.sql.backfill.RowChecksum;
import com.dsqlcdc.sql.catalog.CatalogColumn;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.sql.current.StateTable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every catalog type, round trip: rows written in PostgreSQL (the source), read and encoded by the
 * backfill, decoded and staged by the consumer's code, loaded by the real loader into the warehouse
 * (Redshift SQL on PostgreSQL): the change log holds exactly the source rows' encodings, each typed
 * {@code <table>_current} column holds the source value (as sql/README.md maps it), and validation's
 * checksum, computed in SQL on the warehouse and in Java on the source, agrees, and notices a changed
 * value of every type it compares.
 */
class EveryTypeRoundTripTest {

    static final TableCatalog CATALOG = TableCatalog.parse("""
            {"tables": [{"schema": "public", "name": "everything", "primaryKey": ["id"], "columns": [
              {"name": "id", "type": "bigint"},
              {"name": "c_smallint", "type": "smallint"},
              {"name": "c_integer", "type": "integer"},
              {"name": "c_bigint", "type": "bigint"},
              {"name": "c_numeric", "type": "numeric(20,4)"},
              {"name": "c_real", "type": "real"},
              {"name": "c_double", "type": "double precision"},
              {"name": "c_boolean", "type": "boolean"},
              {"name": "c_text", "type": "text"},
              {"name": "c_varchar", "type": "varchar(16)"},
              {"name": "c_char", "type": "char(5)"},
              {"name": "c_uuid", "type": "uuid"},
              {"name": "c_date", "type": "date"},
              {"name": "c_time", "type": "time"},
              {"name": "c_timetz", "type": "timetz"},
              {"name": "c_timestamp", "type": "timestamp"},
              {"name": "c_timestamptz", "type": "timestamptz"},
              {"name": "c_interval", "type": "interval"},
              {"name": "c_json", "type": "json"},
              {"name": "c_jsonb", "type": "jsonb"},
              {"name": "c_bytea", "type": "bytea"}
            ]}]}""", "test");
    static final CatalogTable TABLE = CATALOG.tables().get(0);

    /** Typical values, every NULL, and the edges of each type. */
    static final List<String> ROWS = List.of(
            "(1, 12, 123456, 9007199254740993, 12345.6789, 1.5, 2.25, true, 'hello', 'world', 'ab', "
                    + "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2024-02-29', '13:45:00.123456', '13:45:00+02', "
                    + "'2024-02-29 13:45:00.123456', '2024-02-29 13:45:00.123456+02', '1 year 2 mons 3 days 04:05:06.7', "
                    + "'{\"a\": [1, 2.5, \"x\"]}', '{\"b\": {\"c\": null}}', '\\x00ff10')",
            "(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
                    + " NULL, NULL, NULL)",
            "(3, -32768, -2147483648, 9223372036854775807, 'NaN', 'NaN', 'Infinity', false, '', '', '', "
                    + "'00000000-0000-0000-0000-000000000000', '1969-12-31', '24:00:00', '00:00:00-11', "
                    + "'1900-01-01 00:00:00', '1970-01-01 00:00:00+00', '-3 days -00:00:01.5', '[]', '\"s\"', '\\x')",
            "(4, 32767, 2147483647, -9223372036854775808, -0.0001, 3.4e38, -1e300, true, "
                    + "'ünïcödé \"quoted\" ✓ ''); DROP TABLE x; --', 'tab\tnew\nline', 'x   ', "
                    + "'ffffffff-ffff-ffff-ffff-ffffffffffff', '0001-01-01', '00:00:00', '23:59:59.999999+14', "
                    + "'9999-12-31 23:59:59.999999', '0001-01-01 00:00:00+00', '10 years', '{\"deep\": {\"x\": [[]]}}', "
                    + "'123', '\\xdeadbeef')",
            "(5, 0, 0, 0, 99999999999999.9999, '-Infinity', 0.1, false, 'a', 'b', 'c', "
                    + "'123e4567-e89b-12d3-a456-426614174000', 'infinity', '12:00:00', '12:00:00+00', '-infinity', "
                    + "'infinity', '0', 'null', 'true', '\\x01')",
            "(6, 1, 1, 1, -9999999999999999.9999, 1e-40, 5e-324, true, 't', 'v', 'c    ', "
                    + "'00000000-0000-0000-0000-000000000001', '0044-03-15 BC', '01:02:03', '01:02:03-08', "
                    + "'2262-04-11 23:47:16.854775', '1960-06-15 08:30:00.5-07:30', '1 mon -1 days', '{}', '{}', "
                    + "'\\x0000')");

    private static Testbed testbed;

    @BeforeAll
    static void backfillAndLoad() throws Exception {
        testbed = new Testbed();
        testbed.createSourceTables(CATALOG);
        testbed.deployWarehouse(CATALOG);
        testbed.sourceSql("INSERT INTO public.everything VALUES " + String.join(", ", ROWS));
        JobPlan plan = JobPlans.backfill(
                "every-type",
                Testbed.settings(2, 3, 0),
                Instant.parse("2026-01-01T00:00:00Z"),
                CATALOG.tables(),
                CATALOG,
                Clock.systemUTC());
        FileJobStore store = new FileJobStore(
                java.nio.file.Files.createTempDirectory("every-type").resolve("c.json"));
        JobRunner runner = testbed.runner(CATALOG, plan, store, 2, 1);
        runner.run(runner.plan(plan), Instant.MAX);
        testbed.load(CATALOG);
    }

    @AfterAll
    static void stop() {
        testbed.close();
    }

    @Test
    void theLogHoldsExactlyTheSourceRowsEncodings() throws SQLException {
        assertThat(testbed.warehouseImages(TABLE)).isEqualTo(testbed.sourceImages(TABLE));
    }

    @Test
    void everyTypedColumnHoldsTheSourceValue() throws SQLException {
        List<String> expected = new ArrayList<>();
        List<String> warehouse = new ArrayList<>();
        for (CatalogColumn column : TABLE.columns()) {
            expected.add(expectedSql(column) + " AS " + Identifiers.quote(column.name()));
            warehouse.add(warehouseSql(column) + " AS " + Identifiers.quote(column.name()));
        }
        List<List<String>> source = new ArrayList<>();
        try (Connection c = testbed.source();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT " + String.join(", ", expected) + " FROM public.everything ORDER BY id")) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.add(meta.getColumnLabel(i) + "=" + rs.getString(i));
                }
                source.add(row);
            }
        }
        List<List<String>> current = new ArrayList<>();
        for (List<String> row : testbed.warehouseSql("SELECT " + String.join(", ", warehouse) + " FROM "
                        + new StateTable(TABLE).currentView() + " ORDER BY id")
                .rows()) {
            List<String> labelled = new ArrayList<>();
            for (int i = 0; i < row.size(); i++) {
                labelled.add(TABLE.columns().get(i).name() + "=" + row.get(i));
            }
            current.add(labelled);
        }
        assertThat(current).hasSize(ROWS.size()).isEqualTo(source);
    }

    /** The source value as sql/README.md says the warehouse types it. */
    private static String expectedSql(CatalogColumn column) {
        String c = Identifiers.quote(column.name());
        return switch (column.type().kind()) {
            // Redshift's DECIMAL has no NaN or infinities: NULL.
            case NUMERIC ->
                "CASE WHEN " + c + " IN ('NaN', 'Infinity', '-Infinity') THEN NULL ELSE " + c + "::text END";
            // Dates and times outside 0001-9999 (DSQL's ±infinity sentinels) are NULL.
            case DATE -> "CASE WHEN " + c + " BETWEEN '0001-01-01' AND '9999-12-31' THEN " + c + "::text END";
            case TIMESTAMP ->
                "CASE WHEN " + c + " BETWEEN '0001-01-01' AND '9999-12-31 23:59:59.999999' THEN " + c + "::text END";
            case TIMESTAMPTZ ->
                "CASE WHEN " + c + " BETWEEN '0001-01-01 00:00:00+00' AND '9999-12-31 23:59:59.999999+00'" + " THEN "
                        + c + "::text END";
            // timetz keeps its local time, without the offset.
            case TIMETZ -> c + "::time::text";
            // interval: µs, as EXTRACT(EPOCH) counts them.
            case INTERVAL -> "(EXTRACT(EPOCH FROM " + c + ") * 1000000)::bigint::text";
            case JSON, JSONB -> c + "::jsonb::text";
            // bytea: its base64 text.
            case BYTEA -> "replace(encode(" + c + ", 'base64'), E'\\n', '')";
            default -> c + "::text";
        };
    }

    private static String warehouseSql(CatalogColumn column) {
        return "CAST(" + Identifiers.quote(column.name()) + " AS TEXT)";
    }

    @Test
    void validationAgreesOnEveryTypeAndNoticesAChangedValueOfEachComparedType() throws Exception {
        assertThat(validate().mismatched()).isEmpty();
        String current = new StateTable(TABLE).stateTable();
        for (CatalogColumn column : TABLE.columns()) {
            if (column.name().equals("id")) {
                continue;
            }
            String c = Identifiers.quote(column.name());
            // Row 1's value, swapped for another row's different value of the same type, then put back.
            String original = "(SELECT " + c + " FROM " + current + " WHERE \"id\" = 1)";
            String other = "(SELECT " + c + " FROM " + current + " WHERE \"id\" > 2 AND " + c + " IS NOT NULL AND " + c
                    + " IS DISTINCT FROM " + original + " ORDER BY \"id\" LIMIT 1)";
            String saved = testbed.warehouseSql("SELECT CAST(" + original + " AS TEXT)")
                    .rows()
                    .get(0)
                    .get(0);
            testbed.warehouseSql("UPDATE " + current + " SET " + c + " = " + other + " WHERE \"id\" = 1");
            boolean valueOnly = RowChecksum.NULLNESS_ONLY.contains(column.type().kind());
            assertThat(validate().mismatched())
                    .as("a changed %s (%s)", column.name(), column.type().spelling())
                    .hasSize(valueOnly ? 0 : 1);
            testbed.warehouseSql("UPDATE " + current + " SET " + c + " = NULL WHERE \"id\" = 1");
            assertThat(validate().mismatched())
                    .as("a %s set to NULL", column.name())
                    .hasSize(1);
            testbed.warehouseSql("UPDATE " + current + " SET " + c + " = CAST('" + saved.replace("'", "''") + "' AS "
                    + com.dsqlcdc.sql.views.ColumnCasts.redshiftType(column.type())
                            .replace("SUPER", "JSONB")
                    + ") WHERE \"id\" = 1");
            assertThat(validate().mismatched()).as("%s put back", column.name()).isEmpty();
        }
    }

    private static JobReport validate() throws Exception {
        JobPlan plan = JobPlans.validate(
                "validate-" + System.nanoTime(),
                Testbed.settings(2, 3, 0),
                CATALOG.tables(),
                CATALOG,
                Clock.systemUTC());
        FileJobStore store = new FileJobStore(
                java.nio.file.Files.createTempDirectory("validate").resolve("c.json"));
        JobRunner runner = testbed.runner(CATALOG, plan, store, 1, 2);
        JobPlan planned = runner.plan(plan);
        List<RangeState> states = runner.run(planned, Instant.MAX);
        return JobReport.of(planned, states, CATALOG);
    }
}
