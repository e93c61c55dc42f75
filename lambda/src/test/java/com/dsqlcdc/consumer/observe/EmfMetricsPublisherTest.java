package com.dsqlcdc.consumer.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.consumer.BatchResult;
import com.dsqlcdc.consumer.decode.PoisonReason;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/** The batch's figures come out as CloudWatch embedded metric format documents on stdout. */
class EmfMetricsPublisherTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void aBatchBecomesEmbeddedMetricsWithQuarantineReasonsAsADimension() throws Exception {
        BatchResult result = new BatchResult(
                12,
                6,
                Map.of(PoisonReason.NOT_JSON, 2, PoisonReason.TABLE_NOT_IN_CATALOG, 1),
                2,
                Optional.empty(),
                OptionalLong.of(1_234),
                Optional.of("4954"),
                List.of("x"));
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            new EmfMetricsPublisher(MetricsFactory.getMetricsInstance(), "DsqlCdcPipelineTest").publish(result);
        } finally {
            System.setOut(original);
        }
        List<JsonNode> documents = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.contains("\"_aws\"")) {
                documents.add(MAPPER.readTree(line));
            }
        }
        assertThat(documents).hasSize(3);
        JsonNode batch = documents.get(0);
        assertThat(batch.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("DsqlCdcPipelineTest");
        assertThat(batch.get("RecordsIn").asInt()).isEqualTo(12);
        assertThat(batch.get("RecordsParked").asInt()).isEqualTo(2);
        assertThat(batch.get("RecordsStaged").asInt()).isEqualTo(6);
        assertThat(batch.get("RecordsQuarantined").asInt()).isEqualTo(3);
        assertThat(batch.get("RecordsFailed").asInt()).isEqualTo(1);
        assertThat(batch.get("CommitToStagedLag").asInt()).isEqualTo(1_234);
        assertThat(batch.has("Statements")).isFalse();
        assertThat(documents.subList(1, 3))
                .extracting(d -> d.get("Reason").asText() + "="
                        + d.get("RecordsQuarantined").asInt())
                .containsExactlyInAnyOrder("not-json=2", "table-not-in-catalog=1");
        assertThat(documents.get(1).at("/_aws/CloudWatchMetrics/0/Dimensions/0").toString())
                .contains("Reason");
    }
}
