package com.dsqlcdc.consumer.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.consumer.decode.Change;
import com.dsqlcdc.consumer.write.InsertStatementBuilder.Envelope;
import com.dsqlcdc.consumer.write.InsertStatementBuilder.Row;
import com.dsqlcdc.sql.CdcEventsTable;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class InsertStatementBuilderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String HOSTILE = "'); DROP TABLE cdc_events; --";
    private final InsertStatementBuilder builder = new InsertStatementBuilder(new JsonFactory());

    private static Change change(int key, String image) {
        return new Change(
                "public",
                "documents",
                "c",
                false,
                "[" + key + "]",
                1_763_700_005_161_998_890L,
                1_763_700_005_161L,
                "tx" + key,
                image,
                "e".repeat(64));
    }

    private List<Envelope> envelopes(int rows, int imageBytes) {
        List<Envelope> list = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            String image = "{\"doc_id\":" + i + ",\"body\":\"" + "x".repeat(imageBytes) + "\"}";
            list.add(builder.envelope(new Row(i, change(i, image), "shardId-000000000001", "4954" + i)));
        }
        return list;
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void theEnvelopeCarriesEveryColumnAndTheImageVerbatim() throws Exception {
        String image = "{\"doc_id\":9007199254740993,\"price\":\"1.50\",\"x\":1.0E-7}";
        Envelope envelope = builder.envelope(new Row(0, change(1, image), "shardId-000000000001", "49541"));
        JsonNode json = MAPPER.readTree(envelope.json());
        assertThat(json.get(InsertStatementBuilder.envelopeKey(CdcEventsTable.SOURCE_SCHEMA))
                        .asText())
                .isEqualTo("public");
        assertThat(json.get(InsertStatementBuilder.envelopeKey(CdcEventsTable.SOURCE_TABLE))
                        .asText())
                .isEqualTo("documents");
        assertThat(json.get(InsertStatementBuilder.envelopeKey(CdcEventsTable.RECORD_KEY))
                        .asText())
                .isEqualTo("[1]");
        assertThat(json.get(InsertStatementBuilder.envelopeKey(CdcEventsTable.COMMIT_TS_NS))
                        .asText())
                .isEqualTo("1763700005161998890");
        assertThat(json.get(InsertStatementBuilder.envelopeKey(CdcEventsTable.COMMIT_TS))
                        .asText())
                .isEqualTo("2025-11-21 04:40:05.161998");
        assertThat(json.get(InsertStatementBuilder.envelopeKey(CdcEventsTable.IS_DELETE))
                        .asBoolean())
                .isFalse();
        assertThat(json.get(InsertStatementBuilder.envelopeKey(CdcEventsTable.TX_ID))
                        .asText())
                .isEqualTo("tx1");
        assertThat(json.get(InsertStatementBuilder.envelopeKey(CdcEventsTable.KINESIS_SEQUENCE_NUMBER))
                        .asText())
                .isEqualTo("49541");
        assertThat(envelope.json()).contains("\"i\":" + image);
    }

    @Test
    void statementsHoldNothingButNamesAndPlaceholders() {
        Change hostile = new Change(
                "public",
                "documents",
                HOSTILE,
                false,
                "[\"" + HOSTILE + "\"]",
                5,
                0,
                HOSTILE,
                "{\"" + HOSTILE + "\":\"" + HOSTILE + "\"}",
                "0".repeat(64));
        List<PlannedStatement> planned = builder.plan(List.of(builder.envelope(new Row(0, hostile, HOSTILE, HOSTILE))));
        assertThat(planned).hasSize(1);
        String sql = planned.get(0).sql();
        assertThat(sql)
                .doesNotContain("DROP")
                .doesNotContain("'")
                .doesNotContain("--")
                .doesNotContain(";");
        // Strip what is allowed: quoted identifiers, :placeholders, keywords and casts; nothing may remain.
        String residue = sql.replaceAll("\"[a-z_]+\"", "")
                .replaceAll(":r\\d+", "")
                .replaceAll(
                        "\\b(INSERT|INTO|SELECT|FROM|UNION|ALL|AS|JSON_PARSE|VARCHAR|BIGINT|TIMESTAMP|BOOLEAN|v|r)\\b",
                        "")
                .replaceAll("[\\s().,:0-9]", "");
        assertThat(residue).isEmpty();
        assertThat(planned.get(0).parameters()).containsOnlyKeys("r0");
        assertThat(planned.get(0).parameters().get("r0")).contains(HOSTILE);
    }

    @Test
    void everyPlaceholderHasItsParameterAndEveryRowLandsOnceInOrder() {
        List<Envelope> rows = envelopes(500, 900);
        List<PlannedStatement> planned = builder.plan(rows);
        List<Integer> covered =
                planned.stream().flatMap(s -> s.records().stream()).toList();
        assertThat(covered)
                .containsExactlyElementsOf(IntStream.range(0, 500).boxed().toList());
        for (PlannedStatement statement : planned) {
            Matcher m = Pattern.compile(":(r\\d+)").matcher(statement.sql());
            List<String> used = new ArrayList<>();
            while (m.find()) {
                used.add(m.group(1));
            }
            assertThat(used)
                    .containsExactlyInAnyOrderElementsOf(statement.parameters().keySet());
            assertThat(used).hasSize(statement.records().size());
        }
    }

    @Test
    void statementsStayUnderTheDataApiLimitsCountingParameterValues() {
        for (int imageBytes : new int[] {10, 1_000, 5_000, 40_000, 90_000}) {
            List<Envelope> rows = envelopes(300, imageBytes).stream()
                    .filter(InsertStatementBuilder::fits)
                    .toList();
            for (PlannedStatement statement : builder.plan(rows)) {
                int total = bytes(statement.sql())
                        + statement.parameters().entrySet().stream()
                                .mapToInt(p -> bytes(p.getKey()) + bytes(p.getValue()))
                                .sum();
                assertThat(total)
                        .as("SQL + parameters of %d-byte rows", imageBytes)
                        .isLessThanOrEqualTo(100_000);
                assertThat(statement.parameters()).hasSizeLessThanOrEqualTo(200);
            }
        }
    }

    @Test
    void oneKilobyteRowsPackAboutEightyToAStatement() {
        List<PlannedStatement> planned = builder.plan(envelopes(1_000, 1_000));
        assertThat(planned.size()).isBetween(11, 14);
    }

    @Test
    void smallRowsAreCappedByTheParameterCount() {
        List<PlannedStatement> planned = builder.plan(envelopes(1_000, 10));
        assertThat(planned.get(0).records()).hasSize(InsertStatementBuilder.MAX_ROWS);
    }

    @Test
    void aRowOverTheBudgetDoesNotFitAndIsRefusedByThePlanner() {
        Envelope huge = envelopes(1, 100_000).get(0);
        assertThat(InsertStatementBuilder.fits(huge)).isFalse();
        assertThatThrownBy(() -> builder.plan(List.of(huge)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("quarantine it");
    }

    @Test
    void commitTimestampsMatchJavaTimeAcrossTheWholeRangeOfNanoseconds() {
        java.time.format.DateTimeFormatter reference = java.time.format.DateTimeFormatter.ofPattern(
                        "yyyy-MM-dd HH:mm:ss.SSSSSS")
                .withZone(java.time.ZoneOffset.UTC);
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 10_000; i++) {
            long ns = i < 2 ? (i == 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : random.nextLong();
            java.time.Instant instant = java.time.Instant.ofEpochSecond(
                    Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L));
            assertThat(InsertStatementBuilder.commitTimestamp(ns)).isEqualTo(reference.format(instant));
        }
    }

    @Test
    void commitTimestampsBeforeTheEpochStayExact() throws Exception {
        Change old = new Change("public", "documents", "c", false, "[1]", -1_500L, 0, null, "{}", "0".repeat(64));
        JsonNode json =
                MAPPER.readTree(builder.envelope(new Row(0, old, "s", "1")).json());
        assertThat(json.get(InsertStatementBuilder.envelopeKey(CdcEventsTable.COMMIT_TS))
                        .asText())
                .isEqualTo("1969-12-31 23:59:59.999998");
        assertThat(json.has(InsertStatementBuilder.envelopeKey(CdcEventsTable.TX_ID)))
                .isFalse();
    }
}
