package com.dsqlcdc.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.clients.dsql.SignedDsqlStreamClient;
import com.dsqlcdc.consumer.testing.TestContext;
import com.dsqlcdc.contract.MetricNames;
import com.dsqlcdc.contract.StagingLayout;
import com.dsqlcdc.contract.env.BackfillEnvironment;
import com.dsqlcdc.contract.retry.Backoff;
import com.dsqlcdc.loader.S3StagingStore;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.testing.FakeDsqlServer;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/**
 * The deployed job's three handlers, driven the way infra's state machine drives them (plan, then each
 * work item of {@code items.json} called again with its own answer until {@code done}, then report),
 * against the test bed: the embedded PostgreSQL as source and warehouse, the fake S3 as staging bucket,
 * the real loader, and the DSQL fake behind the real signed stream client for GetStream. The worker's
 * clock advances a second per reading, so its time budget runs out after a page or two and each range
 * takes several calls.
 */
class BackfillHandlersTest {

    private static final TableCatalog CATALOG = TableCatalog.parse("""
            {"tables": [{"schema": "public", "name": "orders", "primaryKey": ["id"], "columns": [
              {"name": "id", "type": "bigint"},
              {"name": "note", "type": "text"}
            ]}]}""", "test");
    private static final String REGION = "eu-west-1";
    private static final String KINESIS = "arn:aws:kinesis:eu-west-1:123456789012:stream/dev-Stateful-CdcStream1234";
    private static final String ROLE = "arn:aws:iam::123456789012:role/dev-Stateless-DsqlStreamServiceRole";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Testbed testbed;
    private static FakeDsqlServer dsql;
    private static SignedDsqlStreamClient streams;
    private static String streamId;

    @BeforeAll
    static void start() throws Exception {
        testbed = new Testbed();
        testbed.createSourceTables(CATALOG);
        testbed.deployWarehouse(CATALOG);
        testbed.sourceSql("INSERT INTO public.orders SELECT g, 'order ' || g FROM generate_series(1, 95) g");
        dsql = new FakeDsqlServer(REGION).cluster(Testbed.CLUSTER, "ACTIVE");
        streamId = dsql.seedStream(Testbed.CLUSTER, "ACTIVE", KINESIS, ROLE, Map.of());
        streams = SignedDsqlStreamClient.builder()
                .region(Region.of(REGION))
                .endpointOverride(dsql.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(FakeDsqlServer.ACCESS_KEY, FakeDsqlServer.SECRET_KEY)))
                .backoff(Backoff.doubling(Duration.ofMillis(1), Duration.ofMillis(10)))
                .maxAttempts(2)
                .build();
    }

    @AfterAll
    static void stop() {
        streams.close();
        dsql.close();
        testbed.close();
    }

    /** A clock that starts now and moves a second each time it is read. */
    static final class SteppingClock extends Clock {
        private final AtomicLong millis = new AtomicLong(System.currentTimeMillis());

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.addAndGet(1_000));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private static JobSteps steps(String stream, Clock clock) {
        S3JobStore store = new S3JobStore(testbed.s3Client, Testbed.STAGING_BUCKET);
        return new JobSteps(
                store,
                new S3StagingStore(testbed.s3Client, Testbed.STAGING_BUCKET),
                new StreamGate(streams),
                testbed.sourceConnections(),
                CATALOG,
                testbed.workers(CATALOG, store, clock, 1_000),
                new JobSteps.Settings(Testbed.CLUSTER, stream, 10, 30, 0),
                clock,
                duration -> {});
    }

    /** What a job's run printed: EMF documents and log lines. */
    record Printed(Map<String, Object> answer, List<JsonNode> metrics) {}

    private static Printed printing(Supplier<Map<String, Object>> step) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        Map<String, Object> answer;
        try {
            answer = step.get();
        } finally {
            System.setOut(original);
        }
        List<JsonNode> metrics = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("{") && line.contains("\"_aws\"")) {
                try {
                    metrics.add(JSON.readTree(line));
                } catch (Exception e) {
                    throw new AssertionError("an EMF line that is not JSON: " + line, e);
                }
            }
        }
        return new Printed(answer, metrics);
    }

    /** Runs a job as the state machine does; returns the report step's answer and what it printed. */
    private static Printed runJob(Map<String, Object> input, List<Map<String, Object>> rangeAnswers) throws Exception {
        Clock clock = new SteppingClock();
        JobSteps steps = steps(streamId, clock);
        TestContext context = new TestContext(900_000);
        Map<String, Object> plan = new BackfillPlanHandler(steps, clock).handleRequest(input, context);
        while (!Boolean.TRUE.equals(plan.get("planComplete"))) {
            plan = new BackfillPlanHandler(steps, clock).handleRequest(Map.of("jobId", plan.get("jobId")), context);
        }
        assertThat(plan.get("itemsBucket")).isEqualTo(Testbed.STAGING_BUCKET);
        String items = new String(
                testbed.s3
                        .objects(Testbed.STAGING_BUCKET)
                        .get((String) plan.get("itemsKey"))
                        .body(),
                StandardCharsets.UTF_8);
        List<Map<String, Object>> work = JSON.readValue(items, new TypeReference<>() {});
        assertThat(work).hasSize((Integer) plan.get("rangeCount"));
        BackfillRangeHandler worker = new BackfillRangeHandler(steps, Duration.ofSeconds(15), clock);
        for (Map<String, Object> item : work) {
            Map<String, Object> answer = item;
            for (int call = 0; call < 50 && !Boolean.TRUE.equals(answer.get("done")); call++) {
                answer = worker.handleRequest(answer, context);
                rangeAnswers.add(answer);
            }
            assertThat(answer.get("done")).as("range " + item + " finished").isEqualTo(true);
        }
        BackfillReportHandler report = new BackfillReportHandler(
                steps, new BackfillMetrics(MetricsFactory.getMetricsInstance(), "DsqlCdcPipelineTest"));
        Map<String, Object> reportInput = Map.of("jobId", plan.get("jobId"));
        return printing(() -> report.handleRequest(reportInput, context));
    }

    private static JsonNode metric(Printed printed, String name) {
        return printed.metrics().stream()
                .filter(d -> d.has(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + printed.metrics()));
    }

    @Test
    void aBackfillThroughTheHandlersStagesEveryRowAndReportsItsFigures() throws Exception {
        List<Map<String, Object>> answers = new ArrayList<>();
        Printed report = runJob(Map.of("mode", "backfill"), answers);

        assertThat(answers)
                .as("a range takes several calls: each returns a continuation when its budget runs out")
                .anySatisfy(a -> assertThat(a.get("done")).isEqualTo(false));
        assertThat(report.answer())
                .containsEntry("mode", "backfill")
                .containsEntry("complete", true)
                .containsEntry("rowsRead", 95L)
                .containsEntry("rowsStaged", 95L)
                .containsEntry("skippedRows", 0L);
        String jobId = (String) report.answer().get("jobId");
        assertThat(report.answer().get("report"))
                .isEqualTo("s3://" + Testbed.STAGING_BUCKET + "/" + S3JobStore.reportKey(jobId));
        assertThat(testbed.s3.objects(Testbed.STAGING_BUCKET)).containsKey(S3JobStore.reportKey(jobId));
        JsonNode staged = metric(report, MetricNames.BACKFILL_ROWS_STAGED);
        assertThat(staged.get(MetricNames.BACKFILL_ROWS_STAGED).asLong()).isEqualTo(95);
        assertThat(staged.get(MetricNames.BACKFILL_ROWS_SKIPPED).asLong()).isZero();
        assertThat(report.metrics())
                .as("a backfill publishes no validation figures")
                .noneMatch(d -> d.has(MetricNames.VALIDATION_MISMATCHED_RANGES));

        testbed.load(CATALOG);
        assertThat(testbed.warehouseImages(CATALOG.tables().get(0)))
                .isEqualTo(testbed.sourceImages(CATALOG.tables().get(0)));
    }

    @Test
    void aValidationThroughTheHandlersNamesTheDifferingRangeAndPublishesTheMismatchMetric() throws Exception {
        runJob(Map.of("mode", "backfill", "tables", "orders"), new ArrayList<>());
        testbed.load(CATALOG);
        Printed clean = runJob(Map.of("mode", "validate"), new ArrayList<>());
        assertThat(clean.answer()).containsEntry("mismatchedRanges", 0).containsEntry("driftProblems", 0);
        assertThat(metric(clean, MetricNames.VALIDATION_MISMATCHED_RANGES)
                        .get(MetricNames.VALIDATION_MISMATCHED_RANGES)
                        .asInt())
                .isZero();

        // A change the stream never carried: the warehouse still holds row 42 as it was.
        testbed.sourceSql("UPDATE public.orders SET note = 'changed' WHERE id = 42");
        try {
            Printed drifted = runJob(Map.of("mode", "validate", "tables", List.of("public.orders")), new ArrayList<>());
            assertThat(drifted.answer()).containsEntry("mismatchedRanges", 1);
            JsonNode document = metric(drifted, MetricNames.VALIDATION_MISMATCHED_RANGES);
            assertThat(document.get(MetricNames.VALIDATION_MISMATCHED_RANGES).asInt())
                    .isEqualTo(1);
            assertThat(document.get(MetricNames.VALIDATED_RANGES).asInt())
                    .isEqualTo(drifted.answer().get("rangesCompared"));
            assertThat(document.at("/_aws/CloudWatchMetrics/0/Namespace").asText())
                    .isEqualTo("DsqlCdcPipelineTest");
        } finally {
            testbed.sourceSql("UPDATE public.orders SET note = 'order 42' WHERE id = 42");
        }
    }

    @Test
    void aStreamThatIsNotActiveRefusesTheJobBeforeAnythingIsWritten() throws Exception {
        String failed = dsql.seedStream(Testbed.CLUSTER, "FAILED", KINESIS, ROLE, Map.of());
        Clock clock = new SteppingClock();
        List<String> before = keysUnder(StagingLayout.BACKFILL);

        assertThatThrownBy(() -> new BackfillPlanHandler(steps(failed, clock), clock)
                        .handleRequest(Map.of("mode", "backfill"), new TestContext(900_000)))
                .isInstanceOf(StreamGate.StreamNotActiveException.class)
                .hasMessageContaining("is FAILED, not ACTIVE")
                .hasMessageContaining("cdcStreamGeneration");
        assertThat(keysUnder(StagingLayout.BACKFILL)).isEqualTo(before);
    }

    @Test
    void aResyncWaitsUntilTheLoaderHasLoadedWhatWasStagedBeforeTheGapEnded() throws Exception {
        Clock clock = new SteppingClock();
        JobSteps steps = steps(streamId, clock);
        runJob(Map.of("mode", "backfill"), new ArrayList<>());
        assertThat(testbed.stagedKeys())
                .as("a backfill's objects, staged and not loaded")
                .isNotEmpty();
        String gapEnd = Instant.now().plusSeconds(1).toString();

        assertThatThrownBy(() -> new BackfillPlanHandler(steps, clock)
                        .handleRequest(Map.of("mode", "resync", "gapEnd", gapEnd), new TestContext(900_000)))
                .isInstanceOf(JobSteps.JobRefusedException.class)
                .hasMessageContaining("staged objects from before the gap's end")
                .hasMessageContaining("OldestStagedObjectAgeSeconds");

        assertThatThrownBy(() -> new BackfillPlanHandler(steps, clock)
                        .handleRequest(
                                Map.of(
                                        "mode",
                                        "resync",
                                        "gapEnd",
                                        Instant.now().plusSeconds(3_600).toString()),
                                new TestContext(900_000)))
                .as("a gap that ends in an hour would keep the plan step waiting past its time")
                .isInstanceOf(JobSteps.JobRefusedException.class)
                .hasMessageContaining("is in the future");

        testbed.load(CATALOG);
        Map<String, Object> planned = new BackfillPlanHandler(steps, clock)
                .handleRequest(Map.of("mode", "resync", "gapEnd", gapEnd), new TestContext(900_000));
        assertThat(planned).containsEntry("mode", "resync").containsEntry("planComplete", true);
    }

    @Test
    void aMisspelledInputMemberIsNamedWithTheMembersTheJobTakes() {
        Clock clock = new SteppingClock();
        assertThatThrownBy(() -> new BackfillPlanHandler(steps(streamId, clock), clock)
                        .handleRequest(Map.of("mode", "backfill", "table", "orders"), new TestContext(900_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown member 'table'")
                .hasMessageContaining("tables");
        assertThatThrownBy(() -> new BackfillPlanHandler(steps(streamId, clock), clock)
                        .handleRequest(Map.of("mode", "restore"), new TestContext(900_000)))
                .hasMessageContaining("none of backfill, resync, validate");
        assertThatThrownBy(() -> new BackfillRangeHandler(steps(streamId, clock), Duration.ofSeconds(30), clock)
                        .handleRequest(Map.of("jobId", "j", "table", "public.orders"), new TestContext(900_000)))
                .hasMessageContaining("'range' must be a range's index");
    }

    @Test
    void theWorkersBudgetIsItsWorkSecondsAndNeverPastTheInvocationsTimeLessAMargin() {
        Clock fixed = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
        Instant now = fixed.instant();
        assertThat(BackfillRangeHandler.deadline(
                        fixed, new TestContext(900_000), Duration.ofSeconds(600), BackfillRangeHandler.SAFETY_MARGIN))
                .isEqualTo(now.plusSeconds(600));
        assertThat(BackfillRangeHandler.deadline(
                        fixed, new TestContext(300_000), Duration.ofSeconds(600), BackfillRangeHandler.SAFETY_MARGIN))
                .isEqualTo(now.plusSeconds(300).minus(BackfillRangeHandler.SAFETY_MARGIN));
    }

    @Test
    void theWiringReadsEachStepsEnvironmentAndNamesWhatIsMissing() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", REGION);
        env.put("CLUSTER_IDENTIFIER", Testbed.CLUSTER);
        env.put("STAGING_BUCKET", Testbed.STAGING_BUCKET);
        env.put("WORKGROUP_NAME", "dsql-cdc");
        env.put("DATABASE_NAME", "dev");
        env.put("MAX_SUPER_STRING_BYTES", "16000000");
        env.put("WORK_SECONDS", "240");
        // The SDK clients take the Region as Lambda gives it to every client (AWS_REGION, here its property).
        String region = System.getProperty("aws.region");
        System.setProperty("aws.region", REGION);
        try {
            assertThat(BackfillWiring.worker(env).workBudget()).isEqualTo(Duration.ofSeconds(240));
        } finally {
            if (region == null) {
                System.clearProperty("aws.region");
            } else {
                System.setProperty("aws.region", region);
            }
        }

        Map<String, String> missing = new LinkedHashMap<>(env);
        missing.remove("CLUSTER_IDENTIFIER");
        missing.remove("STAGING_BUCKET");
        assertThatThrownBy(() -> BackfillWiring.worker(missing))
                .hasMessageContaining(BackfillEnvironment.CLUSTER_IDENTIFIER.name())
                .hasMessageContaining(BackfillEnvironment.STAGING_BUCKET.name());
        assertThatThrownBy(() -> BackfillWiring.plan(env))
                .as("the plan step also needs the stream")
                .hasMessageContaining(BackfillEnvironment.STREAM_IDENTIFIER.name());
    }

    private static List<String> keysUnder(String prefix) {
        return testbed.s3.objects(Testbed.STAGING_BUCKET).keySet().stream()
                .filter(k -> k.startsWith(prefix))
                .sorted()
                .toList();
    }
}
