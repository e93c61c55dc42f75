package com.dsqlcdc.consumer.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.contract.env.ConsumerEnvironment;
import com.dsqlcdc.sql.CdcEventsTable;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.testing.Fixtures;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChangeDecoderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TableCatalog CATALOG = TableCatalog.load();
    /**
     * The shipped catalog's keys are all integers; this one (test resources) has a key column of
     * every other kind ({@code public.keys_<kind>}, key {@code k}) and a text-keyed table.
     */
    private static final TableCatalog KEY_KINDS =
            TableCatalog.parse(Fixtures.resource("/key-kinds-catalog.json"), "key-kinds-catalog.json");

    private final ChangeDecoder decoder = new ChangeDecoder(new JsonFactory(), CATALOG);
    private final ChangeDecoder keyKinds = new ChangeDecoder(new JsonFactory(), KEY_KINDS);

    private Decoded decode(String json) {
        return decoder.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    private Change change(String json) {
        Decoded decoded = decode(json);
        assertThat(decoded).isInstanceOf(Decoded.Ok.class);
        return ((Decoded.Ok) decoded).change();
    }

    private Change keyKindsChange(String json) {
        Decoded decoded = keyKinds.decode(json.getBytes(StandardCharsets.UTF_8));
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
                "{\"op\":\"c\",\"after\":{\"label\":\"1,2\"},\"source\":{\"schema\":\"public\",\"table\":\"labels\",\"ts_ns\":5}}";
        String c =
                "{\"op\":\"c\",\"after\":{\"label\":\"1\\\",\\\"2\"},\"source\":{\"schema\":\"public\",\"table\":\"labels\",\"ts_ns\":5}}";
        assertThat(keyKindsChange(b).recordKey()).isEqualTo("[\"1,2\"]");
        assertThat(keyKindsChange(c).recordKey())
                .isEqualTo("[\"1\\\",\\\"2\"]")
                .isNotEqualTo(keyKindsChange(b).recordKey());
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
                Map.entry("unknown type", PoisonReason.UNKNOWN_TYPE),
                Map.entry("UTF-16LE with a byte-order mark", PoisonReason.NOT_UTF8),
                Map.entry("UTF-16BE without a byte-order mark", PoisonReason.NOT_UTF8),
                Map.entry("UTF-32LE with a byte-order mark", PoisonReason.NOT_UTF8),
                Map.entry("UTF-32BE without a byte-order mark", PoisonReason.NOT_UTF8),
                Map.entry("UTF-8 with a byte-order mark", PoisonReason.NOT_UTF8),
                Map.entry("Latin-1 text (invalid UTF-8 bytes)", PoisonReason.NOT_UTF8),
                Map.entry("an overlong UTF-8 sequence", PoisonReason.NOT_UTF8),
                Map.entry("a UTF-8 surrogate", PoisonReason.NOT_UTF8),
                Map.entry("a UTF-8 sequence cut short at the end", PoisonReason.NOT_UTF8),
                Map.entry("bigint key sent as a string", PoisonReason.KEY_TYPE_MISMATCH),
                Map.entry("bigint key sent as a fraction", PoisonReason.KEY_TYPE_MISMATCH),
                Map.entry("bigint key beyond 64 bits", PoisonReason.KEY_TYPE_MISMATCH),
                Map.entry("op longer than cdc_events.op", PoisonReason.VALUE_TOO_LONG),
                Map.entry("txId longer than cdc_events.tx_id", PoisonReason.VALUE_TOO_LONG));
        List<Object[]> cases = new java.util.ArrayList<>();
        for (Fixtures.Malformed record : Fixtures.malformed()) {
            assertThat(expected)
                    .as("a reason is expected for fixture '%s'", record.why())
                    .containsKey(record.why());
            cases.add(new Object[] {record.why(), record.data(), expected.get(record.why())});
        }
        assertThat(cases).hasSameSizeAs(expected.keySet());
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void everyMalformedFixtureIsPoisonWithItsReason(String why, byte[] data, PoisonReason expected) {
        Decoded decoded = decoder.decode(data);
        assertThat(decoded).isInstanceOf(Decoded.Poison.class);
        assertThat(((Decoded.Poison) decoded).reason()).isEqualTo(expected);
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
        Decoded decoded = keyKinds.decode(("{\"op\":\"c\",\"after\":{\"label\":\"" + "k".repeat(2_100) + "\"},"
                        + "\"source\":{\"schema\":\"public\",\"table\":\"labels\",\"ts_ns\":5}}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(((Decoded.Poison) decoded).reason()).isEqualTo(PoisonReason.RECORD_KEY_TOO_LONG);
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
        ObjectNode after = MAPPER.createObjectNode().put("label", hostile).put(hostile, hostile);
        ObjectNode record = MAPPER.createObjectNode().put("op", "c");
        record.set("after", after);
        record.set(
                "source",
                MAPPER.createObjectNode()
                        .put("schema", "public")
                        .put("table", "labels")
                        .put("ts_ns", 5));
        Change change = keyKindsChange(MAPPER.writeValueAsString(record));
        assertThat(change.recordKey()).isEqualTo(MAPPER.writeValueAsString(List.of(hostile)));
        assertThat(MAPPER.readTree(change.rowImageJson())).isEqualTo(after);
    }

    private Decoded keyKindsDecode(String table, String keyJson) {
        return keyKinds.decode(("{\"op\":\"c\",\"after\":{\"k\":" + keyJson
                        + "},\"source\":{\"schema\":\"public\",\"table\":\"" + table + "\",\"ts_ns\":5}}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private Decoded.Poison keyPoison(String table, String keyJson) {
        Decoded decoded = keyKindsDecode(table, keyJson);
        assertThat(decoded).as("%s key %s", table, keyJson).isInstanceOf(Decoded.Poison.class);
        return (Decoded.Poison) decoded;
    }

    private String keyOf(String table, String keyJson) {
        Decoded decoded = keyKindsDecode(table, keyJson);
        assertThat(decoded).as("%s key %s", table, keyJson).isInstanceOf(Decoded.Ok.class);
        return ((Decoded.Ok) decoded).change().recordKey();
    }

    @ParameterizedTest(name = "{0} key {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "keys_smallint    | \"123\"",
                "keys_smallint    | 1.5",
                "keys_smallint    | 32768",
                "keys_smallint    | true",
                "keys_integer     | 2147483648",
                "keys_integer     | 1e3",
                "keys_bigint      | \"123\"",
                "keys_bigint      | 1.5",
                "keys_bigint      | 9223372036854775808",
                "keys_bigint      | -9223372036854775809",
                "keys_bigint      | 18446744073709551616",
                "keys_bigint      | -0",
                "keys_bigint      | {\"id\":1}",
                "keys_bigint      | [1]",
                "keys_numeric     | 12.5",
                "keys_numeric     | \"12.5\"",
                "keys_numeric     | \"12345.00\"",
                "keys_numeric     | \"1e2\"",
                "keys_numeric     | \"-0.00\"",
                "keys_numeric     | \"Infinity\"",
                "keys_real        | \"1.5\"",
                "keys_double      | false",
                "keys_boolean     | \"true\"",
                "keys_boolean     | 1",
                "keys_varchar     | 42",
                "keys_varchar     | true",
                "keys_char        | 1.5",
                "keys_uuid        | 42",
                "keys_uuid        | \"00000476-AAAA-4BBB-8CCC-242784319676\"",
                "keys_uuid        | \"00000476aaaa4bbb8ccc242784319676\"",
                "keys_date        | \"2026-12-02\"",
                "keys_date        | 2147483648",
                "keys_time        | 86400000001",
                "keys_time        | -1",
                "keys_timestamptz | \"2026-12-02T00:00:00Z\"",
                "keys_timestamptz | 1.7e15",
                "keys_interval    | 1.5",
                "keys_jsonb       | {\"a\":1}",
                "keys_bytea       | \"not base64!\"",
                "keys_bytea       | 7"
            })
    void aKeyValueOfTheWrongTypeForTheCatalogIsQuarantinedNamingColumnTypeAndValue(String table, String key) {
        Decoded.Poison poison = keyPoison(table, key);

        assertThat(poison.reason()).isEqualTo(PoisonReason.KEY_TYPE_MISMATCH);
        assertThat(poison.reason().label()).isEqualTo("key-type-mismatch");
        String spelling = KEY_KINDS
                .find("public", table)
                .orElseThrow()
                .columns()
                .get(0)
                .type()
                .spelling();
        String arrived = key.startsWith("{") ? "an object" : key.startsWith("[") ? "an array" : key.replace("\"", "");
        assertThat(poison.detail())
                .startsWith("key column k of public." + table + " (" + spelling + ") is sent as ")
                .contains(arrived);
    }

    @ParameterizedTest(name = "{0} key {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "keys_smallint    | -32768",
                "keys_integer     | 2147483647",
                "keys_bigint      | -9223372036854775808",
                "keys_bigint      | 9223372036854775807",
                "keys_numeric     | \"1234.50\"",
                "keys_numeric     | \"-0.01\"",
                "keys_numeric     | \"NaN\"",
                "keys_real        | 1.5",
                "keys_double      | \"-Infinity\"",
                "keys_boolean     | false",
                "keys_varchar     | \"abc\"",
                "keys_char        | \"ab\"",
                "keys_uuid        | \"00000476-aaaa-4bbb-8ccc-242784319676\"",
                "keys_date        | -719528",
                "keys_time        | 86400000000",
                "keys_timestamptz | 1764078958212153",
                "keys_interval    | -3600000000",
                "keys_jsonb       | \"{\\\"a\\\":1}\"",
                "keys_bytea       | \"3q2+7w==\""
            })
    void aKeyValueOfItsCatalogTypeLandsAsSent(String table, String key) {
        assertThat(keyOf(table, key)).isEqualTo("[" + key + "]");
    }

    @Test
    void theSameRowCannotLandUnderTwoKeys() {
        // Before: "123" and 123 were two record keys of one bigint row.
        assertThat(keyOf("keys_bigint", "123")).isEqualTo("[123]");
        assertThat(keyPoison("keys_bigint", "\"123\"").reason()).isEqualTo(PoisonReason.KEY_TYPE_MISMATCH);
        assertThat(reason("{\"op\":\"d\",\"before\":{\"order_id\":\"1000\",\"line_no\":1},"
                        + "\"source\":{\"schema\":\"public\",\"table\":\"order_items\",\"ts_ns\":7}}"))
                .as("deletes take their key from before, checked the same way")
                .isEqualTo(PoisonReason.KEY_TYPE_MISMATCH);
    }

    @Test
    void anOpOrTxIdWiderThanItsColumnIsQuarantinedNamingTheFieldNeverCut() {
        String sixteen = "x".repeat(CdcEventsTable.MAX_OP_BYTES);
        String record = "{\"op\":\"%s\",\"after\":{\"doc_id\":1},"
                + "\"source\":{\"schema\":\"public\",\"table\":\"documents\",\"ts_ns\":5,\"txId\":\"%s\"}}";

        Change fits = change(record.formatted(sixteen, "t".repeat(CdcEventsTable.MAX_TX_ID_BYTES)));
        assertThat(fits.op()).isEqualTo(sixteen);
        assertThat(fits.txId()).hasSize(CdcEventsTable.MAX_TX_ID_BYTES);
        Decoded.Poison op = (Decoded.Poison) decode(record.formatted(sixteen + "y", "t"));
        assertThat(op.reason()).isEqualTo(PoisonReason.VALUE_TOO_LONG);
        assertThat(op.reason().label()).isEqualTo("value-too-long");
        assertThat(op.detail()).startsWith("op is 17 bytes, over the 16 that cdc_events.op holds");
        // bytes, not characters: 9 × "é" is 18 bytes
        assertThat(reason(record.formatted("é".repeat(9), "t"))).isEqualTo(PoisonReason.VALUE_TOO_LONG);
        Decoded.Poison txId =
                (Decoded.Poison) decode(record.formatted("c", "t".repeat(CdcEventsTable.MAX_TX_ID_BYTES + 1)));
        assertThat(txId.reason()).isEqualTo(PoisonReason.VALUE_TOO_LONG);
        assertThat(txId.detail()).startsWith("source.txId is 129 bytes, over the 128 that cdc_events.tx_id holds");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"})
    void aRecordInAnotherUnicodeEncodingIsQuarantinedWithOrWithoutAByteOrderMark(String encoding) {
        String record = history().get(0);
        Charset charset = Charset.forName(encoding);
        byte[] bare = record.getBytes(charset);
        byte[] mark = "\uFEFF".getBytes(charset);
        byte[] marked = new byte[mark.length + bare.length];
        System.arraycopy(mark, 0, marked, 0, mark.length);
        System.arraycopy(bare, 0, marked, mark.length, bare.length);

        for (byte[] data : List.of(bare, marked)) {
            Decoded decoded = decoder.decode(data);
            assertThat(decoded).isInstanceOf(Decoded.Poison.class);
            assertThat(((Decoded.Poison) decoded).reason()).isEqualTo(PoisonReason.NOT_UTF8);
            assertThat(((Decoded.Poison) decoded).detail()).contains(encoding);
        }
    }

    @Test
    void invalidUtf8IsQuarantinedNamingTheOffsetAndBytes() {
        String line = history().get(0);
        byte[] record = line.getBytes(StandardCharsets.UTF_8);
        int at = line.indexOf("SHIPPED") + 5;
        record[at] = (byte) 0xE9; // Latin-1 é: a lead byte without its continuation bytes

        Decoded decoded = decoder.decode(record);

        assertThat(((Decoded.Poison) decoded).reason()).isEqualTo(PoisonReason.NOT_UTF8);
        assertThat(((Decoded.Poison) decoded).detail()).contains("invalid UTF-8 at byte offset " + at + " (0xE9 0x44)");
        assertThat(decoder.decode(line.getBytes(StandardCharsets.UTF_8))).isInstanceOf(Decoded.Ok.class);
    }
}
