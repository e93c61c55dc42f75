package com.dsqlcdc.consumer.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.contract.env.ConsumerEnvironment;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.testing.Fixtures;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChangeDecoderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TableCatalog CATALOG = TableCatalog.load();
    private final ChangeDecoder decoder = new ChangeDecoder(new JsonFactory(), CATALOG);

    private Decoded decode(String json) {
        return decoder.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    private Change change(String json) {
        Decoded decoded = decode(json);
        assertThat(decoded).isInstanceOf(Decoded.Ok.class);
        return ((Decoded.Ok) decoded).change();
    }

    private PoisonReason reason(String json) {
        Decoded decoded = decode(json);
        assertThat(decoded).isInstanceOf(Decoded.Poison.class);
        return ((Decoded.Poison) decoded).reason();
    }

    static List<String> history() {
        return Fixtures.lines("history-in-commit-order.jsonl");
    }

    @ParameterizedTest
    @MethodSource("history")
    void everyFixtureRecordDecodesToItsRow(String line) throws Exception {
        JsonNode record = MAPPER.readTree(line);
        Change change = change(line);

        String table = record.at("/source/table").asText();
        boolean delete = record.get("op").asText().equals("d");
        JsonNode image = delete ? record.get("before") : record.get("after");
        List<String> key = CATALOG.find("public", table).orElseThrow().primaryKey();
        StringBuilder expectedKey = new StringBuilder("[");
        for (String column : key) {
            expectedKey
                    .append(expectedKey.length() > 1 ? "," : "")
                    .append(image.get(column).toString());
        }
        expectedKey.append(']');

        assertThat(change.sourceSchema()).isEqualTo("public");
        assertThat(change.sourceTable()).isEqualTo(table);
        assertThat(change.op()).isEqualTo(record.get("op").asText());
        assertThat(change.delete()).isEqualTo(delete);
        assertThat(change.recordKey()).isEqualTo(expectedKey.toString());
        // Commit time comes from source, never the top-level processing time.
        assertThat(change.commitTsNs())
                .isEqualTo(record.at("/source/ts_ns").asLong())
                .isNotEqualTo(record.get("ts_ns").asLong());
        assertThat(change.commitTsMs()).isEqualTo(record.at("/source/ts_ms").asLong());
        assertThat(change.txId()).isEqualTo(record.at("/source/txId").asText());
        assertThat(MAPPER.readTree(change.rowImageJson())).isEqualTo(image);
        assertThat(change.eventId()).matches("[0-9a-f]{64}");
    }

    @Test
    void theRowImageIsTheExactTextDsqlWrote() {
        String line =
                "{\"op\":\"c\",\"after\":{\"id\":9007199254740993, \"balance\":\"1.50\",\"score\":1.0E-7,\"email\":\"a\\u00e9\"},"
                        + "\"source\":{\"schema\":\"public\",\"table\":\"accounts\",\"ts_ns\":1}}";
        Change change = change(line);
        assertThat(change.rowImageJson())
                .isEqualTo("{\"id\":9007199254740993, \"balance\":\"1.50\",\"score\":1.0E-7,\"email\":\"a\\u00e9\"}");
        assertThat(change.recordKey()).isEqualTo("[9007199254740993]");
    }

    @Test
    void bigintKeysAbove2To53StayExact() {
        List<String> accounts = history().stream()
                .filter(l -> l.contains("\"table\":\"accounts\""))
                .toList();
        assertThat(accounts).isNotEmpty();
        for (String line : accounts) {
            String id = line.replaceAll(".*\"id\":(\\d+).*", "$1");
            assertThat(change(line).recordKey()).isEqualTo("[" + id + "]");
        }
        assertThat(accounts).anyMatch(l -> Long.parseLong(l.replaceAll(".*\"id\":(\\d+).*", "$1")) > (1L << 53));
    }

    @Test
    void compositeKeysAreJsonArraysInCatalogOrderAndUnambiguous() {
        String a = "{\"op\":\"c\",\"after\":{\"line_no\":2,\"order_id\":1000,\"sku\":\"x\"},"
                + "\"source\":{\"schema\":\"public\",\"table\":\"order_items\",\"ts_ns\":5}}";
        assertThat(change(a).recordKey()).isEqualTo("[1000,2]");
        // Strings are JSON-escaped, so a comma or quote inside a value cannot imitate another key.
        String b =
                "{\"op\":\"c\",\"after\":{\"doc_id\":\"1,2\"},\"source\":{\"schema\":\"public\",\"table\":\"documents\",\"ts_ns\":5}}";
        String c =
                "{\"op\":\"c\",\"after\":{\"doc_id\":\"1\\\",\\\"2\"},\"source\":{\"schema\":\"public\",\"table\":\"documents\",\"ts_ns\":5}}";
        assertThat(change(b).recordKey()).isEqualTo("[\"1,2\"]");
        assertThat(change(c).recordKey())
                .isEqualTo("[\"1\\\",\\\"2\"]")
                .isNotEqualTo(change(b).recordKey());
    }

    @Test
    void deletesTakeTheKeyFromBeforeAndKeepItAsTheImage() {
        String line = "{\"op\":\"d\",\"before\":{\"order_id\":1000,\"line_no\":3},\"after\":null,"
                + "\"source\":{\"schema\":\"public\",\"table\":\"order_items\",\"ts_ns\":7}}";
        Change change = change(line);
        assertThat(change.delete()).isTrue();
        assertThat(change.recordKey()).isEqualTo("[1000,3]");
        assertThat(change.rowImageJson()).isEqualTo("{\"order_id\":1000,\"line_no\":3}");
    }

    @Test
    void anUnknownOpWithAnAfterIsAnUpsert() {
        Change change = change(Fixtures.lines("unknown-op.jsonl").get(0));
        assertThat(change.op()).isEqualTo("r");
        assertThat(change.delete()).isFalse();
        assertThat(change.recordKey()).isEqualTo("[1000]");
    }

    @Test
    void aMissingTypeIsFull() {
        assertThat(change(
                                "{\"op\":\"u\",\"after\":{\"doc_id\":1},\"source\":{\"schema\":\"public\",\"table\":\"documents\",\"ts_ns\":5}}")
                        .recordKey())
                .isEqualTo("[1]");
    }

    @Test
    void duplicatesShareAnEventIdEvenWithADifferentProcessingTime() {
        String first = history().get(0);
        String redelivered = first.replaceFirst("\"ts_ms\":(\\d+),\"ts_ns\":(\\d+)}$", "\"ts_ms\":1,\"ts_ns\":2}");
        assertThat(redelivered).isNotEqualTo(first);
        assertThat(change(redelivered).eventId()).isEqualTo(change(first).eventId());
        assertThat(change(history().get(1)).eventId())
                .isNotEqualTo(change(first).eventId());
    }

    static List<Object[]> malformed() throws Exception {
        Map<String, PoisonReason> expected = Map.ofEntries(
                Map.entry("not JSON", PoisonReason.NOT_JSON),
                Map.entry("JSON but not an object", PoisonReason.NOT_AN_OBJECT),
                Map.entry("missing source", PoisonReason.MISSING_SOURCE),
                Map.entry("missing op", PoisonReason.MISSING_OP),
                Map.entry("insert with null after", PoisonReason.MISSING_ROW_IMAGE),
                Map.entry("delete with null before (table without primary key)", PoisonReason.DELETE_WITHOUT_KEY),
                Map.entry("missing source.ts_ns", PoisonReason.MISSING_COMMIT_TIME),
                Map.entry("ts_ns not a number", PoisonReason.MISSING_COMMIT_TIME),
                Map.entry("primary key column missing from after", PoisonReason.KEY_COLUMN_MISSING),
                Map.entry("fragment without chunk_id", PoisonReason.MALFORMED_CHUNK),
                Map.entry("unknown type", PoisonReason.UNKNOWN_TYPE));
        List<Object[]> cases = new java.util.ArrayList<>();
        for (String line : Fixtures.lines("malformed.jsonl")) {
            JsonNode node = MAPPER.readTree(line);
            String why = node.get("why").asText();
            assertThat(expected)
                    .as("a reason is expected for fixture '%s'", why)
                    .containsKey(why);
            cases.add(new Object[] {why, node.get("data").asText(), expected.get(why)});
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void everyMalformedFixtureIsPoisonWithItsReason(String why, String data, PoisonReason expected) {
        assertThat(reason(data)).isEqualTo(expected);
    }

    @Test
    void chunkedMainRecordAndFragmentsDecodeAsPiecesOfTheirSet() {
        List<String> lines = Fixtures.lines("chunked-record.jsonl");
        assertThat(decode(lines.get(0)))
                .isEqualTo(new Decoded.ChunkedMain(
                        List.of(new ChunkRef("after", "ijk5jikfqpwukr6te3jw4gjuel6ccmwx", 5, 2_964_919_034L))));
        StringBuilder image = new StringBuilder();
        for (int i = 1; i < lines.size(); i++) {
            Decoded.Fragment fragment = (Decoded.Fragment) decode(lines.get(i));
            assertThat(fragment.chunkId()).isEqualTo("ijk5jikfqpwukr6te3jw4gjuel6ccmwx");
            assertThat(fragment.index()).isEqualTo(i - 1);
            image.append(fragment.slice());
        }
        assertThat(image.toString())
                .isEqualTo(Fixtures.text("chunked-record-expected-after.json").strip());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedChunks")
    void malformedChunkFieldsAreQuarantinedWithTheFieldNamed(String record, String detail) {
        Decoded decoded = decode(record);
        assertThat(decoded).isInstanceOf(Decoded.Poison.class);
        assertThat(((Decoded.Poison) decoded).reason()).isEqualTo(PoisonReason.MALFORMED_CHUNK);
        assertThat(((Decoded.Poison) decoded).detail()).contains(detail);
    }

    static Stream<Arguments> malformedChunks() {
        String main =
                "{\"type\":\"chunked\",\"op\":\"u\",\"source\":{\"schema\":\"public\",\"table\":\"documents\",\"ts_ns\":1},";
        return Stream.of(
                Arguments.of(main + "\"chunked\":{}}", "without chunked.before or chunked.after"),
                Arguments.of(
                        main + "\"chunked\":{\"after\":{\"chunk_id\":\"a/b\",\"total_fragments\":2,\"crc32c\":\"1\"}}}",
                        "chunked.after.chunk_id"),
                Arguments.of(
                        main + "\"chunked\":{\"after\":{\"chunk_id\":\"ab\",\"total_fragments\":0,\"crc32c\":\"1\"}}}",
                        "chunked.after.total_fragments"),
                Arguments.of(
                        main
                                + "\"chunked\":{\"after\":{\"chunk_id\":\"ab\",\"total_fragments\":2,\"crc32c\":\"4294967296\"}}}",
                        "chunked.after.crc32c"),
                Arguments.of(main + "\"chunked\":{\"before\":[1]}}", "chunked.before is not an object"),
                Arguments.of("{\"type\":\"fragment\",\"chunk_id\":\"ab\",\"data\":\"x\"}", "without an index"),
                Arguments.of(
                        "{\"type\":\"fragment\",\"chunk_id\":\"ab\",\"index\":-1,\"data\":\"x\"}", "without an index"),
                Arguments.of("{\"type\":\"fragment\",\"chunk_id\":\"ab\",\"index\":0}", "without a data string"));
    }

    @Test
    void theStringLimitFollowsTheWarehousesLargeStringSetting() {
        String record = "{\"op\":\"c\",\"after\":{\"doc_id\":1,\"body\":\"" + "x".repeat(70_000)
                + "\"},\"source\":{\"schema\":\"public\",\"table\":\"documents\",\"ts_ns\":5}}";
        Decoded strict = decode(record);
        assertThat(strict).isInstanceOf(Decoded.Poison.class);
        assertThat(((Decoded.Poison) strict).reason()).isEqualTo(PoisonReason.STRING_TOO_LONG);
        assertThat(((Decoded.Poison) strict).detail()).contains("warehouse.largeStrings");
        Decoded large = new ChangeDecoder(new JsonFactory(), CATALOG, ConsumerEnvironment.LARGE_SUPER_STRING_BYTES)
                .decode(record.getBytes(StandardCharsets.UTF_8));
        assertThat(large).isInstanceOf(Decoded.Ok.class);
    }

    @Test
    void tablesOutsideTheCatalogAreNeverSilentlyDropped() {
        Decoded decoded = decode(
                "{\"op\":\"c\",\"after\":{\"id\":1},\"source\":{\"schema\":\"public\",\"table\":\"secrets\",\"ts_ns\":5}}");
        assertThat(decoded)
                .isEqualTo(new Decoded.Poison(
                        PoisonReason.TABLE_NOT_IN_CATALOG,
                        "public.secrets is not in sql/catalog.json; add it (with its key columns) to capture it"));
    }

    @Test
    void aNullKeyValueIsPoison() {
        assertThat(
                        reason(
                                "{\"op\":\"c\",\"after\":{\"doc_id\":null},\"source\":{\"schema\":\"public\",\"table\":\"documents\",\"ts_ns\":5}}"))
                .isEqualTo(PoisonReason.KEY_COLUMN_MISSING);
    }

    @Test
    void stringsOverSupersLimitArePoisonEvenNested() {
        String big = "é".repeat(32_768); // 65,536 bytes in UTF-8, 32,768 chars
        assertThat(reason("{\"op\":\"c\",\"after\":{\"doc_id\":1,\"body\":\"" + big + "\"},"
                        + "\"source\":{\"schema\":\"public\",\"table\":\"documents\",\"ts_ns\":5}}"))
                .isEqualTo(PoisonReason.STRING_TOO_LONG);
        assertThat(reason("{\"op\":\"c\",\"after\":{\"doc_id\":1,\"body\":[{\"x\":\"" + "a".repeat(65_536) + "\"}]},"
                        + "\"source\":{\"schema\":\"public\",\"table\":\"documents\",\"ts_ns\":5}}"))
                .isEqualTo(PoisonReason.STRING_TOO_LONG);
        String fits = "é".repeat(32_767);
        assertThat(decode("{\"op\":\"c\",\"after\":{\"doc_id\":1,\"body\":\"" + fits + "\"},"
                        + "\"source\":{\"schema\":\"public\",\"table\":\"documents\",\"ts_ns\":5}}"))
                .isInstanceOf(Decoded.Ok.class);
    }

    @Test
    void recordKeysLongerThanTheColumnArePoison() {
        assertThat(reason("{\"op\":\"c\",\"after\":{\"doc_id\":\"" + "k".repeat(2_100) + "\"},"
                        + "\"source\":{\"schema\":\"public\",\"table\":\"documents\",\"ts_ns\":5}}"))
                .isEqualTo(PoisonReason.RECORD_KEY_TOO_LONG);
    }

    @Test
    void wrongFieldTypesArePoisonNotCrashes() {
        assertThat(
                        reason(
                                "{\"op\":1,\"after\":{\"doc_id\":1},\"source\":{\"schema\":\"public\",\"table\":\"documents\",\"ts_ns\":5}}"))
                .isEqualTo(PoisonReason.MALFORMED_FIELD);
        assertThat(
                        reason(
                                "{\"op\":\"c\",\"after\":[1],\"source\":{\"schema\":\"public\",\"table\":\"documents\",\"ts_ns\":5}}"))
                .isEqualTo(PoisonReason.MALFORMED_FIELD);
        assertThat(reason("{\"op\":\"c\",\"after\":{\"doc_id\":1},\"source\":\"public.documents\"}"))
                .isEqualTo(PoisonReason.MALFORMED_FIELD);
        assertThat(
                        reason(
                                "{\"op\":\"c\",\"after\":{\"doc_id\":1},\"source\":{\"schema\":\"public\",\"table\":\"documents\",\"ts_ns\":1.5}}"))
                .isEqualTo(PoisonReason.MISSING_COMMIT_TIME);
        assertThat(
                        reason(
                                "{\"op\":\"c\",\"after\":{\"doc_id\":1},\"source\":{\"schema\":\"public\",\"table\":\"documents\",\"ts_ns\":99999999999999999999}}"))
                .isEqualTo(PoisonReason.MISSING_COMMIT_TIME);
        assertThat(reason("{\"op\":\"c\"} trailing")).isEqualTo(PoisonReason.NOT_JSON);
        assertThat(reason("")).isEqualTo(PoisonReason.NOT_JSON);
        assertThat(reason("{\"op\":\"c\",\"after\":{\"doc_id\":1")).isEqualTo(PoisonReason.NOT_JSON);
        assertThat(reason("\u00ff\u00fe")).isEqualTo(PoisonReason.NOT_JSON);
    }

    @Test
    void hostileValuesAndColumnNamesDecodeAsPlainData() throws Exception {
        String hostile = "'); DROP TABLE cdc_events; --";
        ObjectNode after = MAPPER.createObjectNode().put("doc_id", hostile).put(hostile, hostile);
        ObjectNode record = MAPPER.createObjectNode().put("op", "c");
        record.set("after", after);
        record.set(
                "source",
                MAPPER.createObjectNode()
                        .put("schema", "public")
                        .put("table", "documents")
                        .put("ts_ns", 5));
        Change change = change(MAPPER.writeValueAsString(record));
        assertThat(change.recordKey()).isEqualTo(MAPPER.writeValueAsString(List.of(hostile)));
        assertThat(MAPPER.readTree(change.rowImageJson())).isEqualTo(after);
    }
}
