package com.dsqlcdc.consumer.stage;

import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.consumer.decode.Change;
import com.dsqlcdc.sql.CdcEventsTable;
import com.dsqlcdc.sql.current.ControlTables;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class StagedFileWriterTest {

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private final StagedFileWriter writer = new StagedFileWriter(new JsonFactory());

    private static Change change(String image, String txId) {
        return new Change(
                "public",
                "accounts",
                "u",
                false,
                "[9007199254740993]",
                1_705_318_200_000_125_483L,
                1_705_318_200_000L,
                txId,
                image,
                "a".repeat(64));
    }

    @Test
    void everyColumnIsAKeyNamedLikeTheColumnAndTheImageIsEmbeddedByteForByte() throws IOException {
        String image = "{\"id\":9007199254740993,\"balance\":\"12.50\",\"score\":1.10,\"name\":\"ünï\\\"\"}";
        StagedFileWriter.Line line =
                writer.line(new StagedRow(3, change(image, "tx1"), "shardId-000000000001", "4954"));

        String text = new String(line.json(), StandardCharsets.UTF_8);
        JsonNode node = MAPPER.readTree(text);
        assertThat(node.properties())
                .extracting(e -> e.getKey())
                .containsExactlyElementsOf(CdcEventsTable.INSERT_COLUMNS);
        assertThat(node.get("commit_ts_ns").isIntegralNumber()).isTrue();
        assertThat(node.get("commit_ts_ns").longValue()).isEqualTo(1_705_318_200_000_125_483L);
        assertThat(node.get("commit_ts").asText()).isEqualTo("2024-01-15 11:30:00.000125");
        assertThat(node.get("is_delete").isBoolean()).isTrue();
        assertThat(node.get("record_key").asText()).isEqualTo("[9007199254740993]");
        assertThat(text).contains("\"row_image\":" + image + ",");
        assertThat(line.fits()).isTrue();
    }

    @Test
    void aMissingTransactionIdIsLeftOutSoCopyLoadsNull() throws IOException {
        JsonNode node = MAPPER.readTree(writer.line(new StagedRow(0, change("{\"id\":1}", null), "s", "1"))
                .json());
        assertThat(node.has("tx_id")).isFalse();
    }

    @Test
    void aLineOverTheCopyRecordLimitDoesNotFit() {
        String image = "{\"id\":1,\"body\":\"" + "x".repeat(StagedFileWriter.MAX_RECORD_BYTES) + "\"}";
        assertThat(writer.line(new StagedRow(0, change(image, null), "s", "1")).fits())
                .isFalse();
    }

    @Test
    void theFileIsGzippedJsonLinesInRowOrderEachStartingWithTheBatchIdOfItsLines() throws Exception {
        List<StagedFileWriter.Line> lines = List.of(
                writer.line(new StagedRow(0, change("{\"id\":1}", "a"), "s", "1")),
                writer.line(new StagedRow(1, change("{\"id\":2}", "b"), "s", "2")));
        StagedFileWriter.StagedFile file = writer.file(lines);
        String text;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(file.gzip()))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String first = new String(lines.get(0).json(), StandardCharsets.UTF_8);
        String second = new String(lines.get(1).json(), StandardCharsets.UTF_8);
        String id = "{\"" + ControlTables.BATCH_ID + "\":\"" + file.batchId() + "\",";
        assertThat(text).isEqualTo(id + first.substring(1) + "\n" + id + second.substring(1) + "\n");
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        sha.update((first + "\n" + second + "\n").getBytes(StandardCharsets.UTF_8));
        assertThat(file.batchId()).isEqualTo(java.util.HexFormat.of().formatHex(sha.digest()));
    }

    @Test
    void theSameRowsGiveTheSameBatchIdAndOtherRowsAnother() {
        StagedFileWriter.Line a = writer.line(new StagedRow(0, change("{\"id\":1}", "a"), "s", "1"));
        StagedFileWriter.Line b = writer.line(new StagedRow(1, change("{\"id\":2}", "b"), "s", "2"));
        assertThat(writer.file(List.of(a, b)).batchId())
                .isEqualTo(writer.file(List.of(a, b)).batchId());
        assertThat(writer.file(List.of(a)).batchId())
                .isNotEqualTo(writer.file(List.of(a, b)).batchId());
    }

    @Test
    void theObjectKeyIsMadeOfTheShardTheSequenceRangeAndTheBatchId() {
        assertThat(Stager.key("shardId-000000000001", "49", "53", "ab".repeat(32)))
                .isEqualTo("staged/shardId-000000000001/49-53-" + "ab".repeat(32) + ".jsonl.gz");
    }
}
