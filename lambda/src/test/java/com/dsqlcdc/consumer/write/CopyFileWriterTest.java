package com.dsqlcdc.consumer.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.consumer.decode.Change;
import com.dsqlcdc.consumer.write.InsertStatementBuilder.Row;
import com.dsqlcdc.sql.CdcEventsTable;
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

class CopyFileWriterTest {

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private final CopyFileWriter writer = new CopyFileWriter(new JsonFactory());

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
        CopyFileWriter.Line line = writer.line(new Row(3, change(image, "tx1"), "shardId-000000000001", "4954"));

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
        JsonNode node = MAPPER.readTree(
                writer.line(new Row(0, change("{\"id\":1}", null), "s", "1")).json());
        assertThat(node.has("tx_id")).isFalse();
    }

    @Test
    void aLineOverTheCopyRecordLimitDoesNotFit() {
        String image = "{\"id\":1,\"body\":\"" + "x".repeat(CopyFileWriter.MAX_RECORD_BYTES) + "\"}";
        assertThat(writer.line(new Row(0, change(image, null), "s", "1")).fits())
                .isFalse();
    }

    @Test
    void theFileIsGzippedJsonLinesInRowOrder() throws IOException {
        List<CopyFileWriter.Line> lines = List.of(
                writer.line(new Row(0, change("{\"id\":1}", "a"), "s", "1")),
                writer.line(new Row(1, change("{\"id\":2}", "b"), "s", "2")));
        byte[] gz = writer.gzip(lines);
        String text;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(text)
                .isEqualTo(new String(lines.get(0).json(), StandardCharsets.UTF_8) + "\n"
                        + new String(lines.get(1).json(), StandardCharsets.UTF_8) + "\n");
    }

    @Test
    void theCopyNamesTheTableTheColumnsTheObjectTheRoleAndTheFormatAndNeverSkipsOrTruncates() {
        String sql = BulkLoader.copySql(
                "stage-bucket", "staging/2026/11/21/10/s/1-2-ab.jsonl.gz", "arn:aws:iam::123456789012:role/copy");
        assertThat(sql)
                .startsWith("COPY \"cdc\".\"cdc_events\" (\"source_schema\", \"source_table\", \"record_key\", "
                        + "\"commit_ts_ns\", \"commit_ts\", \"op\", \"is_delete\", \"tx_id\", \"event_id\", \"row_image\", "
                        + "\"kinesis_shard_id\", \"kinesis_sequence_number\")");
        assertThat(sql)
                .contains("FROM 's3://stage-bucket/staging/2026/11/21/10/s/1-2-ab.jsonl.gz'")
                .contains("IAM_ROLE 'arn:aws:iam::123456789012:role/copy'")
                .contains("FORMAT JSON 'auto'")
                .contains("GZIP");
        assertThat(sql.toUpperCase())
                .doesNotContain("MAXERROR")
                .doesNotContain("TRUNCATECOLUMNS")
                .doesNotContain("ACCEPTINVCHARS")
                .doesNotContain("IGNOREALLERRORS");
    }

    @Test
    void aQuoteCannotReachTheCopyText() {
        assertThatThrownBy(() -> BulkLoader.copySql("b", "staging/x'; DROP TABLE t; --", "arn"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
