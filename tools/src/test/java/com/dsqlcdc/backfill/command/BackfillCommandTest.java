package com.dsqlcdc.backfill.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.backfill.CommandTestbed;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.ColumnType;
import com.dsqlcdc.sql.catalog.TableCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The backfill commands end to end on the test bed: a backfill yields the source's rows in the
 * current tables and a second run stages nothing; a job killed midway resumes from its checkpoint
 * and works only the ranges left; validation finds drift the stream lost and exits 2, and a resync of
 * its report repairs it; the catalog command writes sql/catalog.json from the source and prints the
 * diff; bad options name the option and the fix. Each test has a table of its own.
 */
class BackfillCommandTest {

    private static final String TABLE_COLUMNS = """
            "primaryKey": ["region", "id"], "columns": [
              {"name": "region", "type": "text"},
              {"name": "id", "type": "bigint"},
              {"name": "balance", "type": "numeric(12,2)"},
              {"name": "opened", "type": "timestamptz"},
              {"name": "score", "type": "double precision"}
            ]""";
    private static final List<String> TABLES = List.of("t_backfill", "t_resume", "t_validate");
    private static final int ROWS = 1_000;

    private static CommandHarness harness;
    private static TableCatalog catalog;
    private static Path catalogFile;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        harness = new CommandHarness();
        StringBuilder json = new StringBuilder("{\"tables\": [");
        for (String table : TABLES) {
            json.append(table.equals(TABLES.get(0)) ? "" : ",")
                    .append("{\"schema\": \"public\", \"name\": \"")
                    .append(table)
                    .append("\", ")
                    .append(TABLE_COLUMNS)
                    .append("}");
        }
        json.append("]}");
        catalogFile = dir.resolve("catalog.json");
        Files.writeString(catalogFile, json, StandardCharsets.UTF_8);
        catalog = TableCatalog.parse(json.toString(), "test");
        harness.testbed.createSourceTables(catalog);
        harness.testbed.deployWarehouse(catalog);
        for (String table : TABLES) {
            harness.testbed.sourceSql("INSERT INTO public." + table + " SELECT CASE WHEN i % 2 = 0 THEN 'eu' ELSE 'us'"
                    + " END, i, i * 10 + 0.25, timestamptz '2026-01-01 00:00:00+00' + i * interval '1 minute', i / 3.0"
                    + " FROM generate_series(1, " + ROWS + ") i");
        }
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static CatalogTable table(String name) {
        return catalog.find("public", name).orElseThrow();
    }

    private static String[] args(String command, Path checkpoints, String... more) {
        List<String> args = new ArrayList<>(List.of(
                command,
                "--cluster-id",
                CommandTestbed.CLUSTER,
                "--catalog",
                catalogFile.toString(),
                "--checkpoint-dir",
                checkpoints.toString(),
                "--range-rows",
                "100",
                "--page-rows",
                "40",
                "--progress-seconds",
                "1"));
        if (!command.equals("validate")) {
            args.addAll(
                    List.of("--stream-id", harness.activeStream, "--staging-bucket", CommandTestbed.STAGING_BUCKET));
        }
        if (!command.equals("backfill")) {
            args.addAll(List.of("--workgroup", "dsql-cdc"));
        }
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void aBackfillYieldsTheSourceRowsInTheCurrentTablesAndASecondRunStagesNothing(@TempDir Path checkpoints)
            throws Exception {
        CommandHarness.Run run = harness.run(args("backfill", checkpoints, "--concurrency", "3", "t_backfill"));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains(
                        "backfill job backfill-", ": complete", "ranges 11/11 done, 1,000 rows read, 1,000 rows staged")
                .contains("report: " + checkpoints.resolve("backfill.json.report.json"));
        assertThat(run.err()).contains("is ACTIVE since", "rows/s", "ranges 11/11");
        assertThat(harness.roles).last().isEqualTo("cdc_reader");
        assertThat(checkpoints.resolve("backfill.json.report.json")).exists();

        harness.testbed.load(catalog);
        assertThat(harness.testbed.warehouseImages(table("t_backfill")))
                .hasSize(ROWS)
                .isEqualTo(harness.testbed.sourceImages(table("t_backfill")));

        int puts = harness.puts.get();
        CommandHarness.Run again = harness.run(args("backfill", checkpoints, "t_backfill"));
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.err()).contains("is already complete", "--restart");
        assertThat(again.out()).contains(": complete");
        assertThat(harness.puts.get()).isEqualTo(puts);
    }

    @Test
    void aBackfillKilledMidwayResumesFromItsCheckpointAndWorksOnlyTheRangesLeft(@TempDir Path checkpoints)
            throws Exception {
        // One worker, so ranges go in key order; each range of 100 rows is one staged object.
        harness.failPutsAfter(3);
        CommandHarness.Run killed;
        try {
            killed = harness.run(args("backfill", checkpoints, "--concurrency", "1", "t_resume"));
        } finally {
            harness.allPutsSucceed();
        }
        assertThat(killed.exitCode()).isEqualTo(BackfillCommand.FAILED);
        assertThat(killed.err()).contains("backfill failed:", "injected: the connection to S3 dropped");
        Matcher started =
                Pattern.compile("Started backfill job (backfill-[0-9a-f-]+)").matcher(killed.err());
        assertThat(started.find()).as(killed.err()).isTrue();
        String jobId = started.group(1);

        int putsBefore = harness.puts.get();
        CommandHarness.Run resumed = harness.run(args("backfill", checkpoints, "--concurrency", "2", "t_resume"));
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("Resuming backfill job " + jobId, "ranges 11/11");
        assertThat(resumed.out()).contains("backfill job " + jobId + ": complete", "1,000 rows staged");
        // The 3 ranges staged before the kill are not staged again: 7 ranges of rows left.
        assertThat(harness.puts.get() - putsBefore).isEqualTo(7);

        harness.testbed.load(catalog);
        assertThat(harness.testbed.warehouseImages(table("t_resume")))
                .isEqualTo(harness.testbed.sourceImages(table("t_resume")));
    }

    @Test
    void validateFindsTheDriftAndExits2AndAResyncOfItsReportRepairsIt(@TempDir Path checkpoints) throws Exception {
        assertThat(harness.run(args("backfill", checkpoints, "t_validate")).exitCode())
                .isZero();
        harness.testbed.load(catalog);
        CommandHarness.Run clean = harness.run(args("validate", checkpoints, "t_validate"));
        assertThat(clean.exitCode()).as(clean.out() + clean.err()).isZero();
        assertThat(clean.out())
                .containsPattern("\\b0 of 1[01] ranges compared differ")
                .contains("catalog drift: none");

        // Changes the stream lost: a delete (the warehouse holds one row too many) and an update.
        harness.testbed.sourceSql(
                "DELETE FROM public.t_validate WHERE region = 'eu' AND id = 250",
                "UPDATE public.t_validate SET balance = balance + 1 WHERE region = 'us' AND id = 777");
        CommandHarness.Run drifted = harness.run(args("validate", checkpoints, "t_validate"));
        assertThat(drifted.exitCode()).isEqualTo(BackfillCommand.DIFFERENCES);
        assertThat(drifted.out())
                .containsPattern("\\b2 of 1[01] ranges compared differ")
                .contains(
                        "DIFFERS public.t_validate range",
                        "tools/backfill resync" + " --from-report " + checkpoints.resolve("validate.json.report.json"));
        Path report = checkpoints.resolve("drifted.report.json");
        Files.copy(checkpoints.resolve("validate.json.report.json"), report);

        int putsBefore = harness.puts.get();
        CommandHarness.Run repaired = harness.run(args("resync", checkpoints, "--from-report", report.toString()));
        assertThat(repaired.exitCode()).as(repaired.err()).isZero();
        assertThat(repaired.out()).contains("resync job resync-", ": complete", "ranges 2/2 done", "1 tombstones");
        assertThat(harness.puts.get() - putsBefore).isEqualTo(2);

        harness.testbed.load(catalog);
        CommandHarness.Run after = harness.run(args("validate", checkpoints, "t_validate"));
        assertThat(after.exitCode()).as(after.out()).isZero();
        assertThat(after.out()).containsPattern("\\b0 of 1[01] ranges compared differ");
        assertThat(harness.testbed.warehouseImages(table("t_validate")))
                .isEqualTo(harness.testbed.sourceImages(table("t_validate")));
    }

    @Test
    void theCatalogCommandWritesTheFileFromTheSourceAndPrintsTheDiff(@TempDir Path dir) throws Exception {
        harness.testbed.sourceSql(
                "CREATE SCHEMA shop",
                "CREATE TABLE shop.items (sku varchar(40), warehouse int, price numeric(10,2), added timestamp(3)"
                        + " with time zone, PRIMARY KEY (sku, warehouse))",
                "CREATE TABLE shop.notes (body text)");
        Path file = dir.resolve("sql").resolve("catalog.json");
        String[] catalogArgs = {"catalog", "--cluster-id", CommandTestbed.CLUSTER, "--file", file.toString()};

        CommandHarness.Run written = harness.run(with(catalogArgs, "shop.items"));
        assertThat(written.exitCode()).as(written.err()).isZero();
        assertThat(written.out())
                .contains(
                        "+ shop.items primary key [sku, warehouse]",
                        "+ shop.items.sku varchar(40)",
                        "+ shop.items.price numeric(10,2)",
                        "+ shop.items.added timestamptz",
                        "wrote " + file);
        assertThat(harness.roles).last().isEqualTo("admin");
        CatalogTable items = TableCatalog.parse(Files.readString(file), "written")
                .find("shop", "items")
                .orElseThrow();
        assertThat(items.primaryKey()).containsExactly("sku", "warehouse");
        assertThat(items.column("warehouse").orElseThrow().type())
                .isEqualTo(ColumnType.parse("integer").type().orElseThrow());
        assertThat(Files.readString(file)).contains("      \"primaryKey\": [\"sku\", \"warehouse\"],\n");

        harness.testbed.sourceSql("ALTER TABLE shop.items ADD COLUMN note text");
        String before = Files.readString(file);
        CommandHarness.Run check = harness.run(with(catalogArgs, "--check"));
        assertThat(check.exitCode()).isEqualTo(BackfillCommand.DIFFERENCES);
        assertThat(check.out()).contains("+ shop.items.note text").doesNotContain("wrote");
        assertThat(Files.readString(file)).isEqualTo(before);

        CommandHarness.Run updated = harness.run(with(catalogArgs, "shop.notes"));
        assertThat(updated.exitCode()).as(updated.err()).isZero();
        assertThat(updated.out())
                .contains("+ shop.items.note text", "! shop.notes: has no primary key", "wrote " + file)
                .doesNotContain("+ shop.items.sku");
        assertThat(TableCatalog.parse(Files.readString(file), "written").tables())
                .extracting(CatalogTable::qualifiedName)
                .containsExactly("shop.items");

        CommandHarness.Run matches = harness.run(with(catalogArgs, "--check"));
        assertThat(matches.exitCode()).as(matches.out()).isZero();
        assertThat(matches.out()).contains(file + " matches the source");
    }

    @Test
    void sourceRolePrintsTheLeastPrivilegeRoleOfTheCatalogTables() {
        CommandHarness.Run run = harness.run(
                "source-role",
                "--iam-role-arn",
                "arn:aws:iam::123456789012:role/backfill",
                "--catalog",
                catalogFile.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains(
                        "CREATE ROLE \"cdc_reader\" WITH LOGIN;",
                        "AWS IAM GRANT \"cdc_reader\" TO 'arn:aws:iam::123456789012:role/backfill';",
                        "GRANT USAGE ON SCHEMA \"public\" TO \"cdc_reader\";",
                        "GRANT SELECT ON \"public\".\"t_backfill\" TO \"cdc_reader\";",
                        "GRANT SELECT ON \"public\".\"t_validate\" TO \"cdc_reader\";");
    }

    @Test
    void badOptionsNameTheOptionAndTheFix(@TempDir Path checkpoints) throws Exception {
        assertUsage(
                harness.run(with(args("backfill", checkpoints, "t_backfill"), "--cluster-id", "short")),
                "Invalid value for option '--cluster-id': short is not 26 characters a-z and 0-9");
        assertUsage(
                harness.run(with(args("backfill", checkpoints, "t_backfill"), "--concurrency", "0")),
                "Invalid value for option '--concurrency': 0 is not a whole number in 1-64");
        assertUsage(
                harness.run(with(args("backfill", checkpoints, "t_backfill"), "--range-rows", "5")),
                "Invalid value for option '--range-rows': 5 is not a whole number in 100-10000000");
        assertUsage(
                harness.run(args("backfill", checkpoints, "no_such_table")),
                "not in the catalog: no_such_table; the catalog has public.t_backfill",
                "tools/backfill catalog");
        assertUsage(
                harness.run(args(
                        "resync",
                        checkpoints,
                        "--from-report",
                        checkpoints.resolve("none.json").toString())),
                "Invalid value for option '--from-report'",
                "does not exist");
        assertUsage(
                harness.run(args("resync", checkpoints, "--gap-end", "yesterday", "t_backfill")),
                "Invalid value for option '--gap-end': yesterday is not an ISO-8601 instant");
        assertUsage(
                harness.run("validate", "--cluster-id", CommandTestbed.CLUSTER),
                "Missing required option: '--workgroup=NAME'");
        assertUsage(
                harness.run("source-role", "--iam-role-arn", "backfill-role"),
                "--iam-role-arn backfill-role is not an IAM role ARN");
        assertUsage(harness.run(), "Usage: backfill");
    }

    @Test
    void aJobDoesNotStartUnlessTheStreamIsActive(@TempDir Path checkpoints) {
        String creating = harness.dsql.seedStream(
                CommandTestbed.CLUSTER,
                "CREATING",
                "arn:aws:kinesis:us-east-1:123456789012:stream/dsql-cdc",
                "arn:aws:iam::123456789012:role/stream",
                java.util.Map.of());
        CommandHarness.Run run =
                harness.run(with(args("backfill", checkpoints, "t_backfill"), "--stream-id", creating));
        assertThat(run.exitCode()).isEqualTo(BackfillCommand.FAILED);
        assertThat(run.err()).contains("backfill failed: CDC stream " + creating, "is CREATING, not ACTIVE");
        assertThat(checkpoints.resolve("backfill.json")).doesNotExist();
    }

    @Test
    void aResyncWaitsForTheLoaderToLoadWhatWasStagedBeforeTheGapEnded(@TempDir Path checkpoints) {
        String key = "staged/shardId-000000000001/1-2-unloaded.jsonl.gz";
        S3Client s3 = harness.testbed.s3Client();
        s3.putObject(b -> b.bucket(CommandTestbed.STAGING_BUCKET).key(key), RequestBody.fromString("{}"));
        try {
            String gapEnd = Instant.now().plusSeconds(5).toString();
            CommandHarness.Run run = harness.run(args("resync", checkpoints, "--gap-end", gapEnd, "t_validate"));
            assertThat(run.exitCode()).as(run.err()).isEqualTo(BackfillCommand.FAILED);
            assertThat(run.err())
                    .contains("backfill failed: 1 staged objects from before the gap's end (" + gapEnd + ")", key);
            assertThat(checkpoints.resolve("resync.json")).doesNotExist();
        } finally {
            s3.deleteObject(b -> b.bucket(CommandTestbed.STAGING_BUCKET).key(key));
        }
    }

    private static void assertUsage(CommandHarness.Run run, String... messages) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(BackfillCommand.USAGE);
        assertThat(run.err()).contains(messages);
    }

    /** {@code head} with {@code more}: an option {@code head} has already gets the new value. */
    private static String[] with(String[] head, String... more) {
        List<String> args = new ArrayList<>(List.of(head));
        for (int i = 0; i < more.length; i++) {
            int at = args.indexOf(more[i]);
            if (at >= 0 && more[i].startsWith("--") && i + 1 < more.length && !more[i + 1].startsWith("--")) {
                args.set(at + 1, more[++i]);
            } else {
                args.add(more[i]);
            }
        }
        return args.toArray(String[]::new);
    }
}
