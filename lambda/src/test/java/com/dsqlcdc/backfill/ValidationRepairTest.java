package com.dsqlcdc.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.contract.StagingLayout;
import com.dsqlcdc.sql.backfill.KeyRange;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.testing.StoredObject;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Validation finds each kind of drift between the source and the warehouse (a row the warehouse
 * misses, a row it holds that the source deleted, a changed value), names exactly the ranges that hold
 * them, and a resync of that report repairs them and stages nothing for any other range. The drift
 * check names columns and tables the catalog does not match.
 */
class ValidationRepairTest {

    private static final TableCatalog CATALOG = TableCatalog.parse("""
            {"tables": [{"schema": "public", "name": "accounts", "primaryKey": ["region", "id"], "columns": [
              {"name": "region", "type": "text"},
              {"name": "id", "type": "bigint"},
              {"name": "balance", "type": "numeric(12,2)"},
              {"name": "opened", "type": "timestamptz"},
              {"name": "score", "type": "double precision"}
            ]}]}""", "test");
    private static final CatalogTable TABLE = CATALOG.tables().get(0);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Testbed testbed;

    @BeforeAll
    static void start() throws Exception {
        testbed = new Testbed();
        testbed.createSourceTables(CATALOG);
        testbed.deployWarehouse(CATALOG);
        StringBuilder rows = new StringBuilder();
        for (int i = 1; i <= 100; i++) {
            rows.append(i == 1 ? "" : ", ")
                    .append("('")
                    .append(i % 2 == 0 ? "eu" : "us")
                    .append("', ")
                    .append(i)
                    .append(", ")
                    .append(i * 10)
                    .append(".25, '2026-01-01 00:00:00+00'::timestamptz + interval '")
                    .append(i)
                    .append(" minutes', ")
                    .append(i / 3.0)
                    .append(")");
        }
        testbed.sourceSql("INSERT INTO public.accounts VALUES " + rows);
        run(JobPlans.backfill(
                "first",
                settings(),
                Instant.parse("2026-01-01T00:00:00Z"),
                CATALOG.tables(),
                CATALOG,
                Clock.systemUTC()));
        testbed.load(CATALOG);
    }

    @AfterAll
    static void stop() {
        testbed.close();
    }

    private static JobPlans.Settings settings() {
        return Testbed.settings(7, 20, 0);
    }

    private static JobReport run(JobPlan plan) throws Exception {
        FileJobStore store = new FileJobStore(Files.createTempDirectory("job").resolve("c.json"));
        JobRunner runner = testbed.runner(CATALOG, plan, store, 2, 5);
        JobPlan planned = runner.plan(plan);
        runner.run(planned, Instant.MAX);
        return JobReport.of(planned, store.ranges(plan.jobId()), CATALOG);
    }

    private static JobReport validate() throws Exception {
        return run(
                JobPlans.validate("v-" + System.nanoTime(), settings(), CATALOG.tables(), CATALOG, Clock.systemUTC()));
    }

    @Test
    void validationNamesTheRangesOfEachDriftAndResyncRepairsThemAndNothingElse() throws Exception {
        JobReport clean = validate();
        assertThat(clean.complete()).isTrue();
        assertThat(clean.rangesCompared()).isEqualTo(clean.rangesTotal()).isGreaterThan(3);
        assertThat(clean.mismatched()).isEmpty();

        // Changes the stream lost: an insert (the warehouse misses a row), a delete (it holds one too
        // many), an update (it holds an old value). Keys sort as ("eu", n) before ("us", n).
        testbed.sourceSql(
                "INSERT INTO public.accounts VALUES ('eu', 1001, 1.00, now(), 0.5)",
                "DELETE FROM public.accounts WHERE region = 'us' AND id = 51",
                "UPDATE public.accounts SET balance = balance + 0.01 WHERE region = 'us' AND id = 99");
        JobReport drifted = validate();
        assertThat(drifted.mismatched())
                .extracting(m -> m.bounds().describe())
                .containsExactlyInAnyOrderElementsOf(
                        rangesHolding(drifted, List.of("eu", "1001"), List.of("us", "51"), List.of("us", "99")));
        assertThat(drifted.mismatched()).hasSize(3);
        JobReport.Mismatch missing = mismatchHolding(drifted, List.of("eu", "1001"));
        assertThat(missing.warehouseRows()).isEqualTo(missing.sourceRows() - 1);
        JobReport.Mismatch extra = mismatchHolding(drifted, List.of("us", "51"));
        assertThat(extra.warehouseRows()).isEqualTo(extra.sourceRows() + 1);
        JobReport.Mismatch changed = mismatchHolding(drifted, List.of("us", "99"));
        assertThat(changed.warehouseRows()).isEqualTo(changed.sourceRows());
        assertThat(changed.warehouseChecksum()).isNotEqualTo(changed.sourceChecksum());
        assertThat(drifted.text()).contains("3 of " + drifted.rangesCompared() + " ranges compared differ", "DIFFERS");

        // The resync of that report: rows of those ranges only, and one tombstone.
        JobPlan resync = JobPlans.fromReport(
                "repair",
                JobMode.RESYNC,
                settings(),
                null,
                JobReport.read(drifted.json(), "report"),
                "report",
                CATALOG,
                Clock.systemUTC());
        JobReport repaired = run(resync);
        assertThat(repaired.complete()).isTrue();
        assertThat(repaired.tombstones()).isEqualTo(1);
        List<JsonNode> staged = stagedRows();
        assertThat(staged).hasSize((int) (repaired.rowsStaged() + repaired.tombstones()));
        for (JsonNode row : staged) {
            List<String> key = List.of(
                    row.get("row_image").get("region").asText(),
                    row.get("row_image").get("id").asText());
            assertThat(drifted.mismatched())
                    .as("the range of staged key %s", key)
                    .anyMatch(m -> contains(m.bounds(), key));
        }
        assertThat(staged)
                .filteredOn(r -> r.get("op").asText().equals("d"))
                .hasSize(1)
                .allMatch(r -> r.get("record_key").asText().equals("[\"us\",51]"));

        testbed.load(CATALOG);
        assertThat(validate().mismatched()).isEmpty();
        assertThat(testbed.warehouseImages(TABLE)).isEqualTo(testbed.sourceImages(TABLE));
    }

    @Test
    void theDriftCheckNamesWhatTheCatalogDoesNotMatch() throws Exception {
        testbed.sourceSql(
                "CREATE TABLE public.drifting (id bigint PRIMARY KEY, amount numeric(10,2), added int)",
                "CREATE TABLE public.no_key (id bigint, note text)");
        TableCatalog captured = TableCatalog.parse("""
                {"tables": [
                  {"schema": "public", "name": "drifting", "primaryKey": ["id"], "columns": [
                    {"name": "id", "type": "bigint"}, {"name": "amount", "type": "numeric(12,2)"},
                    {"name": "gone", "type": "text"}]},
                  {"schema": "public", "name": "missing", "primaryKey": ["id"], "columns": [
                    {"name": "id", "type": "bigint"}]}
                ]}""", "test");
        try (SourceReader reader = new SourceReader(testbed.sourceConnections(), Clock.systemUTC())) {
            List<String> drift = SourceCatalog.read(reader).drift(captured.tables());
            assertThat(drift)
                    .containsExactlyInAnyOrder(
                            "public.drifting.amount: numeric(12,2) in the catalog, numeric(10,2) in the source",
                            "public.drifting.gone: in the catalog, not in the source",
                            "public.drifting.added: in the source (integer), not in the catalog: its values stay out"
                                    + " of the typed tables",
                            "public.missing: in the catalog, not in the source",
                            "public.no_key: has no primary key, so it cannot be captured (CDC deletes carry no key)");
        } finally {
            testbed.sourceSql("DROP TABLE public.drifting", "DROP TABLE public.no_key");
        }
    }

    /** The bounds of each drifted key's range, in the report's plan of ranges. */
    private static List<String> rangesHolding(JobReport report, List<String>... keys) {
        List<String> bounds = new ArrayList<>();
        for (List<String> key : keys) {
            bounds.add(mismatchHolding(report, key).bounds().describe());
        }
        return bounds;
    }

    private static JobReport.Mismatch mismatchHolding(JobReport report, List<String> key) {
        return report.mismatched().stream()
                .filter(m -> contains(m.bounds(), key))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no mismatched range holds " + key + ": " + report.mismatched()));
    }

    /** Key order as the source has it: region (bytes), then id. */
    private static boolean contains(KeyRange range, List<String> key) {
        return (range.lo() == null || compare(key, range.lo()) > 0)
                && (range.hi() == null || compare(key, range.hi()) <= 0);
    }

    private static int compare(List<String> a, List<String> b) {
        int region = a.get(0).compareTo(b.get(0));
        return region != 0 ? region : Long.compare(Long.parseLong(a.get(1)), Long.parseLong(b.get(1)));
    }

    /** The rows staged and not loaded yet, as the loader's COPY reads them. */
    private static List<JsonNode> stagedRows() throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        Set<String> keys = new TreeSet<>(testbed.stagedKeys());
        for (String key : keys) {
            StoredObject object = testbed.s3.objects(Testbed.STAGING_BUCKET).get(key);
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(
                    new GZIPInputStream(new ByteArrayInputStream(object.body())), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    rows.add(JSON.readTree(line));
                }
            }
            assertThat(key).startsWith(StagingLayout.STAGED + RangeWorker.RESYNC_SHARD + "/");
        }
        return rows;
    }
}
