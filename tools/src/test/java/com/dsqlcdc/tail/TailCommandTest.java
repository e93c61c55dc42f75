package com.dsqlcdc.tail;

import static com.dsqlcdc.tail.TailHarness.SHARD0;
import static com.dsqlcdc.tail.TailHarness.STREAM;
import static com.dsqlcdc.tail.TailHarness.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.testing.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code tail} against a fake Kinesis, through the real SDK client, as an operator runs it. */
class TailCommandTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> HISTORY = Fixtures.lines("history-in-commit-order.jsonl");
    private static final List<String> CHUNKED = Fixtures.lines("chunked-record.jsonl");
    private static final String CHUNK_ID = "ijk5jikfqpwukr6te3jw4gjuel6ccmwx";

    private TailHarness h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    /** Puts a fixture record on a shard, arriving 350 ms after its commit (or at T0 when it has none). */
    private String put(String shard, String record) {
        return h.put(shard, record, arrivalOf(record));
    }

    private static Instant arrivalOf(String record) {
        try {
            JsonNode ms = MAPPER.readTree(record).path("source").path("ts_ms");
            return ms.isNumber() ? Instant.ofEpochMilli(ms.longValue() + 350) : T0;
        } catch (Exception e) {
            return T0;
        }
    }

    private static String line(String time, String lag, String table, String op, String key, String shard, String seq) {
        return String.format("%-24s  %-8s %-24s %-6s %-24s  %s %s", time, lag, table, op, key, shard, seq);
    }

    private static String line(String time, String lag, String body, String shard, String seq) {
        return String.format("%-24s  %-8s %-56s  %s %s", time, lag, body, shard, seq);
    }

    @Test
    void insertUpdateAndDeleteAreShownWithCommitTimeLagTableOpKeyShardAndSequence() {
        h = new TailHarness(1);
        String insert = put(SHARD0, HISTORY.get(0));
        String update = put(SHARD0, HISTORY.get(3));
        String delete = put(SHARD0, HISTORY.get(6));
        String composite = put(SHARD0, HISTORY.get(17));
        String bigKey = put(SHARD0, HISTORY.get(28));

        TailHarness.Run run = h.run("--stream", STREAM, "--from", "trim-horizon", "--count", "5");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.lines())
                .containsExactly(
                        line(
                                "2025-11-21T04:40:05.161Z",
                                "350ms",
                                "public.orders",
                                "insert",
                                "{\"order_id\":1000}",
                                SHARD0,
                                insert),
                        line(
                                "2025-11-21T04:40:10.989Z",
                                "350ms",
                                "public.orders",
                                "update",
                                "{\"order_id\":1001}",
                                SHARD0,
                                update),
                        line(
                                "2025-11-21T04:40:16.723Z",
                                "350ms",
                                "public.orders",
                                "delete",
                                "{\"order_id\":1002}",
                                SHARD0,
                                delete),
                        line(
                                "2025-11-21T04:40:47.767Z",
                                "350ms",
                                "public.order_items",
                                "update",
                                "{\"order_id\":1000,\"line_no\":2}",
                                SHARD0,
                                composite),
                        line(
                                "2025-11-21T04:41:08.712Z",
                                "350ms",
                                "public.accounts",
                                "insert",
                                "{\"id\":9007199254740993}",
                                SHARD0,
                                bigKey));
        assertThat(run.err())
                .contains("tail: reading 1 shard of dsql-cdc (" + SHARD0 + ") from the oldest record")
                .contains("COMMIT TIME (UTC)");
    }

    @Test
    void anUnknownOpIsShownAsTheUpsertTheConsumerAppliesAndLagIsArrivalMinusCommit() {
        h = new TailHarness(1);
        String record = Fixtures.lines("unknown-op.jsonl").get(0);
        String seq = h.put(SHARD0, record, Instant.parse("2025-11-21T04:42:08.753Z"));

        TailHarness.Run run = h.run("--stream", STREAM, "--from", "trim-horizon", "--count", "1");

        assertThat(run.lines())
                .containsExactly(line(
                        "2025-11-21T04:40:06.753Z",
                        "2m02s",
                        "public.orders            upsert(r) {\"order_id\":1000}",
                        SHARD0,
                        seq));
    }

    @Test
    void aChunkedChangeShowsItsMainRecordAndEachFragmentAsSuch() {
        h = new TailHarness(1);
        // One fragment before its main record (it cannot know the total yet), the rest after.
        String early = put(SHARD0, CHUNKED.get(1));
        String main = put(SHARD0, CHUNKED.get(0));
        List<String> rest = new ArrayList<>();
        for (String f : CHUNKED.subList(2, CHUNKED.size())) {
            rest.add(put(SHARD0, f));
        }

        TailHarness.Run run = h.run("--stream", STREAM, "--from", "trim-horizon", "--timeout", "5s");

        assertThat(run.exitCode()).isEqualTo(TailCommand.TIMED_OUT);
        assertThat(run.lines()).hasSize(6);
        assertThat(run.lines().get(0))
                .isEqualTo(line(
                        "-",
                        "-",
                        "fragment 1/? of chunk " + CHUNK_ID + " ("
                                + CHUNKED.get(1).getBytes(java.nio.charset.StandardCharsets.UTF_8).length + " bytes)",
                        SHARD0,
                        early));
        assertThat(run.lines().get(1))
                .isEqualTo(line(
                        "2025-11-21T04:41:49.079Z",
                        "350ms",
                        "public.documents",
                        "update",
                        "chunked: after in 5 fragments (chunk " + CHUNK_ID + ")",
                        SHARD0,
                        main));
        for (int i = 0; i < rest.size(); i++) {
            assertThat(run.lines().get(2 + i))
                    .startsWith(String.format("%-24s  %-8s fragment %d/5 of chunk %s (", "-", "-", i + 2, CHUNK_ID))
                    .endsWith(SHARD0 + " " + rest.get(i));
        }
        // The chunked main record counts as a change: the timeout message says so.
        assertThat(run.err()).contains("no further record arrived within 5s (1 change printed)");
    }

    @Test
    void everyMalformedRecordIsShownAsUnreadableWithItsReasonShardAndSequence() {
        h = new TailHarness(1);
        List<String> seqs = new ArrayList<>();
        List<String> whys = new ArrayList<>();
        for (Fixtures.Malformed record : Fixtures.malformed()) {
            whys.add(record.why());
            seqs.add(h.put(SHARD0, record.data(), T0));
        }

        TailHarness.Run run = h.run("--stream", STREAM, "--from", "trim-horizon", "--count", "1", "--timeout", "3s");

        assertThat(run.exitCode())
                .as("unreadable records are not changes: --count 1 is never reached")
                .isEqualTo(TailCommand.TIMED_OUT);
        assertThat(run.lines()).hasSize(seqs.size());
        for (int i = 0; i < seqs.size(); i++) {
            assertThat(run.lines().get(i))
                    .as(whys.get(i))
                    .contains("UNREADABLE ")
                    .endsWith("  " + SHARD0 + " " + seqs.get(i));
        }
        assertThat(run.lines().get(0))
                .startsWith(line("-", "-", "UNREADABLE not-json (", "", "").strip());
        assertThat(run.lines().get(1)).contains("UNREADABLE not-an-object (");
        assertThat(run.lines().get(3))
                .as("missing op: what the source says is still shown")
                .startsWith("2025-11-21T04:40:05.161Z")
                .contains("public.orders")
                .contains("UNREADABLE missing-op (no op)");
        assertThat(run.err()).contains("(0 changes printed, " + seqs.size() + " unreadable)");
    }

    @Test
    void countStopsAfterThatManyChanges() {
        h = new TailHarness(1);
        for (int i = 0; i < 6; i++) {
            put(SHARD0, HISTORY.get(i));
        }

        TailHarness.Run run = h.run("--stream", STREAM, "--from", "trim-horizon", "--count", "2");

        assertThat(run.exitCode()).isZero();
        assertThat(run.lines()).hasSize(2);
        assertThat(h.slept).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void timeoutEndsWithExitCodeThreeAndSaysSoWhenNothingArrives() {
        h = new TailHarness(1);

        TailHarness.Run run = h.run("--stream", STREAM, "--count", "1", "--timeout", "5m");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("tail: no record arrived within 5m (0 changes printed)");
        assertThat(h.slept).isEqualTo(Duration.ofMinutes(5));
        assertThat(h.kinesis.calls("GetRecords"))
                .as("about one poll a second at the tip")
                .isBetween(250, 310);
    }

    @Test
    void latestShowsOnlyWhatArrivesAfterTheStartAndTheFirstInsertEndsTheWalkthroughStep() {
        h = new TailHarness(1);
        put(SHARD0, HISTORY.get(0));
        h.at(Duration.ofSeconds(7), () -> h.put(SHARD0, HISTORY.get(2), T0.plusSeconds(7)));

        TailHarness.Run run = h.run("--stream", h.kinesis.streamArn(STREAM), "--count", "1", "--timeout", "5m");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.lines())
                .singleElement()
                .asString()
                .contains("public.orders")
                .contains("{\"order_id\":1001}");
        assertThat(run.err()).contains("from the tip");
        assertThat(h.slept).isBetween(Duration.ofSeconds(7), Duration.ofSeconds(9));
    }

    @Test
    void fromTrimHorizonAnInstantOrADurationAgoStartsAtTheMatchingArrival() {
        h = new TailHarness(1);
        h.put(SHARD0, HISTORY.get(0), T0.minus(Duration.ofMinutes(30)));
        h.put(SHARD0, HISTORY.get(2), T0.minus(Duration.ofMinutes(10)));
        h.put(SHARD0, HISTORY.get(4), T0.minus(Duration.ofMinutes(2)));

        assertThat(keys(h.run("--stream", STREAM, "--from", "trim-horizon", "--timeout", "2s")))
                .containsExactly("{\"order_id\":1000}", "{\"order_id\":1001}", "{\"order_id\":1002}");
        assertThat(keys(h.run("--stream", STREAM, "--from", "15m", "--timeout", "2s")))
                .containsExactly("{\"order_id\":1001}", "{\"order_id\":1002}");
        assertThat(keys(h.run(
                        "--stream",
                        STREAM,
                        "--from",
                        T0.minus(Duration.ofMinutes(2)).toString(),
                        "--timeout",
                        "2s")))
                .containsExactly("{\"order_id\":1002}");
        assertThat(keys(h.run("--stream", STREAM, "--from", "latest", "--timeout", "2s")))
                .isEmpty();
    }

    @Test
    void theTableFilterKeepsOnlyThoseTablesAndTheFragmentsOfTheirChunkedChanges() {
        h = new TailHarness(1);
        put(SHARD0, HISTORY.get(0));
        put(SHARD0, HISTORY.get(14));
        put(SHARD0, HISTORY.get(28));
        CHUNKED.forEach(r -> put(SHARD0, r));

        TailHarness.Run orders = h.run(
                "--stream",
                STREAM,
                "--from",
                "trim-horizon",
                "--table",
                "public.order_items",
                "--table",
                "accounts",
                "--timeout",
                "2s");
        TailHarness.Run documents =
                h.run("--stream", STREAM, "--from", "trim-horizon", "--table", "public.documents", "--timeout", "2s");

        assertThat(orders.lines()).hasSize(2);
        assertThat(orders.lines().get(0)).contains("public.order_items");
        assertThat(orders.lines().get(1)).contains("public.accounts");
        assertThat(documents.lines()).hasSize(6);
        assertThat(documents.lines().get(0)).contains("public.documents").contains("chunked:");
        assertThat(documents.lines().subList(1, 6))
                .allSatisfy(l -> assertThat(l).contains("fragment "));
    }

    @Test
    void jsonPrintsOneParsableObjectPerRecord() {
        h = new TailHarness(1);
        String seq = put(SHARD0, HISTORY.get(17));
        put(SHARD0, CHUNKED.get(0));
        put(SHARD0, CHUNKED.get(1));
        h.put(SHARD0, "this is not json", T0);

        TailHarness.Run run = h.run("--stream", STREAM, "--from", "trim-horizon", "--json", "--timeout", "2s");

        List<JsonNode> objects =
                run.lines().stream().map(TailCommandTest::readTree).toList();
        assertThat(objects)
                .extracting(o -> o.get("kind").asText())
                .containsExactly("change", "chunked", "fragment", "unreadable");
        JsonNode change = objects.get(0);
        assertThat(change.get("table").asText()).isEqualTo("public.order_items");
        assertThat(change.get("op").asText()).isEqualTo("u");
        assertThat(change.get("key")).isEqualTo(readTree("{\"order_id\":1000,\"line_no\":2}"));
        assertThat(change.get("commit_ts_ns").asLong()).isEqualTo(1763700047767113717L);
        assertThat(change.get("commit_time").asText()).isEqualTo("2025-11-21T04:40:47.767113717Z");
        assertThat(change.get("lag_ms").asLong()).isEqualTo(350);
        assertThat(change.get("shard").asText()).isEqualTo(SHARD0);
        assertThat(change.get("sequence_number").asText()).isEqualTo(seq);
        assertThat(objects.get(1).get("chunks").get(0).get("total_fragments").asInt())
                .isEqualTo(5);
        assertThat(objects.get(2).get("index").asInt()).isZero();
        assertThat(objects.get(2).get("total_fragments").asInt()).isEqualTo(5);
        assertThat(objects.get(3).get("reason").asText()).isEqualTo("not-json");
        assertThat(run.err()).doesNotContain("COMMIT TIME");
    }

    @Test
    void everyShardOfTheStreamIsRead() {
        h = new TailHarness(3);
        put("shardId-000000000000", HISTORY.get(0));
        put("shardId-000000000001", HISTORY.get(2));
        put("shardId-000000000002", HISTORY.get(4));

        TailHarness.Run run = h.run("--stream", STREAM, "--from", "trim-horizon", "--count", "3");

        assertThat(run.exitCode()).isZero();
        assertThat(run.lines())
                .hasSize(3)
                .anySatisfy(l -> assertThat(l).contains("{\"order_id\":1000}").contains("shardId-000000000000 "))
                .anySatisfy(l -> assertThat(l).contains("{\"order_id\":1001}").contains("shardId-000000000001 "))
                .anySatisfy(l -> assertThat(l).contains("{\"order_id\":1002}").contains("shardId-000000000002 "));
        assertThat(run.err()).contains("reading 3 shards");
    }

    @Test
    void aShardThatIsSplitWhileTailingContinuesWithItsChildren() {
        h = new TailHarness(1);
        h.at(Duration.ofSeconds(3), () -> {
            h.put(SHARD0, HISTORY.get(0), T0.plusSeconds(3));
            List<String> children = h.kinesis.splitShard(STREAM, SHARD0);
            h.put(children.get(0), HISTORY.get(2), T0.plusSeconds(3));
            h.put(children.get(1), HISTORY.get(4), T0.plusSeconds(3));
        });

        TailHarness.Run run = h.run("--stream", STREAM, "--count", "3", "--timeout", "1m");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.lines()).hasSize(3);
        assertThat(run.lines().get(0)).contains("{\"order_id\":1000}").contains(SHARD0);
        assertThat(run.lines().subList(1, 3))
                .anySatisfy(l -> assertThat(l).contains("{\"order_id\":1001}").contains("shardId-000000000001"))
                .anySatisfy(l -> assertThat(l).contains("{\"order_id\":1002}").contains("shardId-000000000002"));
        assertThat(run.err())
                .contains(SHARD0
                        + " is closed and read to its end; continuing with shardId-000000000001, shardId-000000000002");
    }

    @Test
    void fromTrimHorizonParentsAreReadBeforeTheirChildrenAndAMergedChildAfterBothParents() {
        h = new TailHarness(1);
        put(SHARD0, HISTORY.get(0));
        List<String> halves = h.kinesis.splitShard(STREAM, SHARD0);
        put(halves.get(0), HISTORY.get(2));
        put(halves.get(1), HISTORY.get(4));
        String merged = h.kinesis.mergeShards(STREAM, halves.get(0), halves.get(1));
        put(merged, HISTORY.get(7));

        TailHarness.Run run = h.run("--stream", STREAM, "--from", "trim-horizon", "--count", "4", "--timeout", "1m");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(keys(run))
                .startsWith("{\"order_id\":1000}")
                .endsWith("{\"order_id\":1003}")
                .contains("{\"order_id\":1001}", "{\"order_id\":1002}");
        assertThat(run.err()).contains("reading 1 shard of dsql-cdc (" + SHARD0 + ")");
    }

    @Test
    void aStartAtLatestSkipsClosedShardsAndNewShardsFoundByListingAgainAreReadFromTheirBeginning() {
        h = new TailHarness(2);
        List<String> children = h.kinesis.splitShard(STREAM, SHARD0);
        // A shard whose parent this tail never read (closed before the start): found by the periodic ListShards.
        h.at(Duration.ofSeconds(5), () -> {
            String merged = h.kinesis.mergeShards(STREAM, children.get(1), "shardId-000000000001");
            h.put(merged, HISTORY.get(7), T0.plusSeconds(5));
        });

        TailHarness.Run run = h.run("--stream", STREAM, "--count", "1", "--timeout", "2m");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err())
                .contains("reading 3 shards of dsql-cdc (shardId-000000000001, " + children.get(0) + ", "
                        + children.get(1) + ")");
        assertThat(run.lines())
                .singleElement()
                .asString()
                .contains("{\"order_id\":1003}")
                .contains("shardId-000000000004");
    }

    @Test
    void throttlingIsRetriedBySdkAndThenWithABackoffWithoutLosingRecords() {
        h = new TailHarness(1);
        put(SHARD0, HISTORY.get(0));
        put(SHARD0, HISTORY.get(2));
        // 4 SDK attempts per call: the first call fails for good, the tail backs off, the second succeeds on its 3rd
        // attempt.
        h.kinesis.failNextCalls(
                "GetRecords", 6, 400, "ProvisionedThroughputExceededException", "Rate exceeded for shard");

        TailHarness.Run run = h.run("--stream", STREAM, "--from", "trim-horizon", "--count", "2");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(keys(run)).containsExactly("{\"order_id\":1000}", "{\"order_id\":1001}");
        assertThat(h.kinesis.calls("GetRecords")).isEqualTo(7);
        assertThat(h.slept).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void throttlingThatNeverEndsFailsWithExitOneNamingTheOperation() {
        h = new TailHarness(1);
        h.kinesis.failNextCalls(
                "GetRecords", 1_000, 400, "ProvisionedThroughputExceededException", "Rate exceeded for shard");

        TailHarness.Run run = h.run("--stream", STREAM, "--timeout", "1h");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .contains("tail: GetRecords on " + SHARD0 + " of stream dsql-cdc (throttled 8 times in a row) failed: "
                        + "ProvisionedThroughputExceededException: Rate exceeded for shard");
    }

    @Test
    void aStreamThatDoesNotExistEndsWithExitOneAndTheServiceMessage() {
        h = new TailHarness(1);

        TailHarness.Run run = h.run("--stream", "no-such-stream", "--timeout", "1m");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .contains("tail: ListShards on stream no-such-stream failed: ResourceNotFoundException: "
                        + "Stream no-such-stream under account 123456789012 not found.");
    }

    @Test
    void aNonRetryableErrorWhileReadingEndsWithExitOneAfterWhatWasRead() {
        h = new TailHarness(1);
        put(SHARD0, HISTORY.get(0));
        h.at(
                Duration.ofSeconds(2),
                () -> h.kinesis.failNextCalls(
                        "GetRecords",
                        1,
                        400,
                        "AccessDeniedException",
                        "User is not authorized to perform: kinesis:GetRecords"));

        TailHarness.Run run = h.run("--stream", STREAM, "--from", "trim-horizon", "--timeout", "1m");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.lines()).hasSize(1);
        assertThat(run.err())
                .contains("tail: GetRecords on " + SHARD0 + " of stream dsql-cdc failed: AccessDeniedException: "
                        + "User is not authorized to perform: kinesis:GetRecords");
    }

    @Test
    void anExpiredIteratorIsRenewedAfterTheLastRecordRead() {
        h = new TailHarness(1);
        put(SHARD0, HISTORY.get(0));
        // The tail is suspended (e.g. a laptop asleep) for longer than an iterator lives.
        h.at(Duration.ofSeconds(2), () -> {
            h.clock.advance(Duration.ofMinutes(6));
            h.put(SHARD0, HISTORY.get(2), T0.plusSeconds(400));
        });

        TailHarness.Run run = h.run("--stream", STREAM, "--from", "trim-horizon", "--count", "2", "--timeout", "1h");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(keys(run)).containsExactly("{\"order_id\":1000}", "{\"order_id\":1001}");
        assertThat(h.kinesis.calls("GetShardIterator")).isEqualTo(2);
    }

    @Test
    void aClosedStdoutEndsTheTailQuietly() {
        h = new TailHarness(1);
        for (int i = 0; i < 5; i++) {
            put(SHARD0, HISTORY.get(i));
        }
        List<String> written = new ArrayList<>();
        java.io.StringWriter err = new java.io.StringWriter();

        int code = h.run(
                TailHarness.closingAfter(2, written),
                new java.io.PrintWriter(err, true),
                "--stream",
                STREAM,
                "--from",
                "trim-horizon",
                "--timeout",
                "1h");

        assertThat(code).isZero();
        assertThat(written).hasSize(2);
        assertThat(h.slept).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void ctrlCStopsCleanlyWithExitCode130() {
        h = new TailHarness(1);
        h.stopAt(Duration.ofSeconds(3));

        TailHarness.Run run = h.run("--stream", STREAM);

        assertThat(run.exitCode()).isEqualTo(130);
        assertThat(run.err()).contains("tail: stopped; 0 changes printed");
    }

    @Test
    void badCommandLinesAreUsageErrors() {
        h = new TailHarness(1);

        assertThat(h.run("--from", "latest").exitCode()).isEqualTo(64);
        TailHarness.Run badFrom = h.run("--stream", STREAM, "--from", "yesterday");
        assertThat(badFrom.exitCode()).isEqualTo(64);
        assertThat(badFrom.err()).contains("--from 'yesterday' is none of latest, trim-horizon");
        assertThat(h.run("--stream", STREAM, "--timeout", "soon").exitCode()).isEqualTo(64);
        assertThat(h.run("--stream", STREAM, "--count", "0").exitCode()).isEqualTo(64);
        assertThat(h.kinesis.calls("ListShards")).isZero();
    }

    @Test
    void helpDocumentsTheLagAndTheExitCodes() {
        h = new TailHarness(1);

        TailHarness.Run help = h.run("--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out().replaceAll("\\s+", " "))
                .contains("Lag is the record's ApproximateArrivalTimestamp in Kinesis minus its DSQL commit time")
                .contains("Exit codes: 0 --count changes printed")
                .contains(" 130 stopped with Ctrl-C")
                .contains(" 1 an AWS call failed")
                .contains(" 3 --timeout: nothing arrived")
                .contains(" 64 invalid command line")
                .contains("--endpoint-url=<url>")
                .contains("--table=<schema.table>");
    }

    private static List<String> keys(TailHarness.Run run) {
        return run.lines().stream()
                .map(l -> l.replaceAll(".*(\\{[^}]*\\}).*", "$1"))
                .toList();
    }

    private static JsonNode readTree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
