package com.dsqlcdc.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.clients.dsql.SignedDsqlStreamClient;
import com.dsqlcdc.clients.dsql.StreamStatusExplanation;
import com.dsqlcdc.contract.retry.Backoff;
import com.dsqlcdc.testing.FakeDsqlServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.model.AccessDeniedException;
import software.amazon.awssdk.services.dsql.model.InternalServerException;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/**
 * The scheduled stream health check end to end: the real handler, the real signed stream client
 * against the local DSQL fake (which verifies every SigV4 signature), Powertools' real metrics and
 * logging; the EMF documents and the JSON log line are read back from stdout.
 */
class StreamHealthHandlerTest {

    static final String REGION = "eu-west-1";
    static final String CLUSTER = "abcdefghijklmnopqrstuvwxyz";
    static final String NAMESPACE = "DsqlCdcPipelineTest";
    static final String KINESIS = "arn:aws:kinesis:eu-west-1:123456789012:stream/dev-Stateful-CdcStream1234";
    static final String ROLE = "arn:aws:iam::123456789012:role/dev-Stateless-DsqlStreamServiceRole";
    /** 1763700123.5, the fake's statusReason.updatedAt. */
    static final String UPDATED_AT = "2025-11-21T04:42:03.500Z";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Object> SCHEDULED_EVENT = Map.of(
            "version",
            "0",
            "id",
            "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
            "detail-type",
            "Scheduled Event",
            "source",
            "aws.events",
            "account",
            "123456789012",
            "time",
            "2026-11-21T05:00:00Z",
            "region",
            REGION,
            "resources",
            List.of("arn:aws:events:eu-west-1:123456789012:rule/dev-Stateless-StreamHealth"),
            "detail",
            Map.of());

    private final List<Duration> sleeps = new ArrayList<>();
    private FakeDsqlServer fake;
    private SignedDsqlStreamClient streams;
    private String streamId;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeDsqlServer(REGION).cluster(CLUSTER, "ACTIVE");
        streamId = fake.seedStream(CLUSTER, "ACTIVE", KINESIS, ROLE, Map.of());
        streams = SignedDsqlStreamClient.builder()
                .region(Region.of(REGION))
                .endpointOverride(fake.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(FakeDsqlServer.ACCESS_KEY, FakeDsqlServer.SECRET_KEY)))
                .backoff(Backoff.doubling(Duration.ofMillis(10), Duration.ofSeconds(1)))
                .maxAttempts(3)
                .sleeper(sleeps::add)
                .build();
    }

    @AfterEach
    void stop() {
        streams.close();
        fake.close();
        assertThat(fake.signatureProblems())
                .as("every request carries a valid SigV4 signature for dsql")
                .isEmpty();
    }

    private StreamHealthHandler handler(String stream) {
        return new StreamHealthHandler(
                new StreamHealthProbe(streams, CLUSTER, stream),
                new StreamHealthPublisher(MetricsFactory.getMetricsInstance(), NAMESPACE, CLUSTER, stream));
    }

    /** What one run wrote to stdout: EMF documents and JSON log lines. */
    record Output(List<JsonNode> metrics, List<JsonNode> logs) {}

    static Output capture(Runnable run) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            run.run();
        } finally {
            System.setOut(original);
        }
        List<JsonNode> metrics = new ArrayList<>();
        List<JsonNode> logs = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (Exception e) {
                throw new AssertionError("stdout line is not JSON: " + line, e);
            }
            (node.has("_aws") ? metrics : logs).add(node);
        }
        return new Output(metrics, logs);
    }

    private Output run(String stream) {
        return capture(() -> handler(stream).handleRequest(SCHEDULED_EVENT, null));
    }

    /** The one EMF document that holds {@code metric}. */
    static JsonNode document(Output output, String metric) {
        List<JsonNode> holding =
                output.metrics().stream().filter(d -> d.has(metric)).toList();
        assertThat(holding)
                .as("EMF documents with " + metric + " in " + output.metrics())
                .hasSize(1);
        return holding.get(0);
    }

    static List<String> metricNames(JsonNode document) {
        List<String> names = new ArrayList<>();
        document.at("/_aws/CloudWatchMetrics/0/Metrics")
                .forEach(m ->
                        names.add(m.get("Name").asText() + ":" + m.get("Unit").asText()));
        return names;
    }

    /** The status metrics of one run: the document, its exact dimension sets, and the three values. */
    private void assertStatusMetrics(Output output, int failed, int impaired, int active) {
        JsonNode doc = document(output, "StreamFailed");
        assertThat(doc.at("/_aws/CloudWatchMetrics").size()).isEqualTo(1);
        assertThat(doc.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo(NAMESPACE);
        assertThat(doc.at("/_aws/CloudWatchMetrics/0/Dimensions").toString())
                .as("exactly one dimension set, ClusterId and StreamId (no Service)")
                .isEqualTo("[[\"ClusterId\",\"StreamId\"]]");
        assertThat(metricNames(doc))
                .containsExactlyInAnyOrder("StreamFailed:Count", "StreamImpaired:Count", "StreamActive:Count");
        assertThat(doc.get("ClusterId").asText()).isEqualTo(CLUSTER);
        assertThat(doc.get("StreamId").asText()).isEqualTo(streamId);
        assertThat(doc.has("Service")).isFalse();
        assertThat(doc.get("StreamFailed").asInt()).as("StreamFailed").isEqualTo(failed);
        assertThat(doc.get("StreamImpaired").asInt()).as("StreamImpaired").isEqualTo(impaired);
        assertThat(doc.get("StreamActive").asInt()).as("StreamActive").isEqualTo(active);
    }

    private static JsonNode onlyLog(Output output) {
        assertThat(output.logs()).as("one log line per run").hasSize(1);
        return output.logs().get(0);
    }

    // ---- findings -----------------------------------------------------------------------------

    @Test
    void anActiveStreamIsActiveOneAndTheOthersZeroWithExactlyClusterAndStreamDimensions() {
        Output output = run(streamId);

        assertStatusMetrics(output, 0, 0, 1);
        assertThat(output.metrics()).as("no reason metric without a reason").hasSize(1);
        JsonNode log = onlyLog(output);
        assertThat(log.get("level").asText()).isEqualTo("INFO");
        assertThat(log.get("clusterId").asText()).isEqualTo(CLUSTER);
        assertThat(log.get("streamId").asText()).isEqualTo(streamId);
        assertThat(log.get("streamArn").asText()).isEqualTo(fake.arnOf(CLUSTER, streamId));
        assertThat(log.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(log.get("statusReason").isNull()).isTrue();
        assertThat(log.get("explanation").asText()).contains("is ACTIVE");
        assertThat(log.get("service").asText()).isEqualTo("dsql-cdc-stream-health");
        assertThat(fake.calls()).singleElement().satisfies(call -> {
            assertThat(call.operation()).isEqualTo("GetStream");
            assertThat(call.method()).isEqualTo("GET");
            assertThat(call.path()).isEqualTo("/stream/" + CLUSTER + "/" + streamId);
        });
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "KINESIS_THROUGHPUT_EXCEEDED", "ROLE_ACCESS_DENIED", "KINESIS_ACCESS_DENIED",
                        "KINESIS_KMS_ACCESS_DENIED",
                "KINESIS_OVERSIZE_RECORD", "CLUSTER_CMK_INACCESSIBLE", "INTERNAL_ERROR", "KINESIS_STREAM_NOT_FOUND",
                "SOMETHING_DSQL_ADDS_LATER"
            })
    void anImpairedStreamIsImpairedOneWithItsReasonAsAnErrorDimensionAndAWarning(String error) {
        fake.setStreamStatus(streamId, "IMPAIRED", error);

        Output output = run(streamId);

        assertStatusMetrics(output, 0, 1, 0);
        JsonNode reason = document(output, "StreamStatusReason");
        assertThat(reason.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo(NAMESPACE);
        assertThat(reason.at("/_aws/CloudWatchMetrics/0/Dimensions").toString())
                .isEqualTo("[[\"ClusterId\",\"StreamId\",\"Error\"]]");
        assertThat(metricNames(reason)).containsExactly("StreamStatusReason:Count");
        assertThat(reason.get("StreamStatusReason").asInt()).isEqualTo(1);
        assertThat(reason.get("Error").asText()).isEqualTo(error);
        assertThat(reason.get("ClusterId").asText()).isEqualTo(CLUSTER);
        assertThat(reason.get("StreamId").asText()).isEqualTo(streamId);
        assertThat(output.metrics()).hasSize(2);
        JsonNode log = onlyLog(output);
        assertThat(log.get("level").asText()).isEqualTo("WARN");
        assertThat(log.get("status").asText()).isEqualTo("IMPAIRED");
        assertThat(log.at("/statusReason/error").asText()).isEqualTo(error);
        assertThat(log.at("/statusReason/updatedAt").asText()).isEqualTo(UPDATED_AT);
        assertThat(log.get("explanation").asText()).contains(StreamStatusExplanation.explain(error));
    }

    @Test
    void aFailedStreamIsFailedOneAndAnError() {
        fake.setStreamStatus(streamId, "FAILED", "KINESIS_STREAM_NOT_FOUND");

        Output output = run(streamId);

        assertStatusMetrics(output, 1, 0, 0);
        assertThat(document(output, "StreamStatusReason").get("Error").asText()).isEqualTo("KINESIS_STREAM_NOT_FOUND");
        JsonNode log = onlyLog(output);
        assertThat(log.get("level").asText()).isEqualTo("ERROR");
        assertThat(log.get("status").asText()).isEqualTo("FAILED");
        assertThat(log.at("/statusReason/error").asText()).isEqualTo("KINESIS_STREAM_NOT_FOUND");
        assertThat(log.get("explanation").asText())
                .contains(StreamStatusExplanation.explain("KINESIS_STREAM_NOT_FOUND"));
    }

    @Test
    void aFailedStreamWithoutAReasonIsStillFailedAndHasNoReasonMetric() {
        fake.setStreamStatus(streamId, "FAILED", null);

        Output output = run(streamId);

        assertStatusMetrics(output, 1, 0, 0);
        assertThat(output.metrics()).hasSize(1);
        JsonNode log = onlyLog(output);
        assertThat(log.get("level").asText()).isEqualTo("ERROR");
        assertThat(log.get("explanation").asText()).contains(StreamStatusExplanation.explain(null));
    }

    @Test
    void aStreamThatNoLongerExistsIsFailedOneReportedAsNotFoundWithHowToRecreateIt() {
        String missing = "strm9999999999999999999999";
        streamId = missing;

        Output output = run(missing);

        assertStatusMetrics(output, 1, 0, 0);
        JsonNode log = onlyLog(output);
        assertThat(log.get("level").asText()).isEqualTo("ERROR");
        assertThat(log.get("status").asText()).isEqualTo("NOT_FOUND");
        assertThat(log.get("streamId").asText()).isEqualTo(missing);
        assertThat(log.get("explanation").asText()).contains("no longer exists").contains("cdcStreamGeneration");
        assertThat(fake.count("GetStream"))
                .as("a 404 is an answer, not retried")
                .isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"DELETING", "DELETED"})
    void aStreamBeingDeletedIsAsBadAsFailed(String status) {
        fake.setStreamStatus(streamId, status, null);

        Output output = run(streamId);

        assertStatusMetrics(output, 1, 0, 0);
        JsonNode log = onlyLog(output);
        assertThat(log.get("level").asText()).isEqualTo("ERROR");
        assertThat(log.get("status").asText()).isEqualTo(status);
        assertThat(log.get("explanation").asText()).contains("no longer exists").contains("cdcStreamGeneration");
    }

    @Test
    void aStreamBeingCreatedIsAllZerosAndInfo() {
        fake.setStreamStatus(streamId, "CREATING", null);

        Output output = run(streamId);

        assertStatusMetrics(output, 0, 0, 0);
        assertThat(onlyLog(output).get("level").asText()).isEqualTo("INFO");
    }

    @Test
    void everyRunPublishesAgainWithTheSameDimensionsAndNoLeftoverErrorDimension() {
        StreamHealthHandler handler = handler(streamId);
        fake.setStreamStatus(streamId, "IMPAIRED", "KINESIS_ACCESS_DENIED");
        Output impaired = capture(() -> handler.handleRequest(SCHEDULED_EVENT, null));
        fake.setStreamStatus(streamId, "ACTIVE", null);

        Output recovered = capture(() -> handler.handleRequest(SCHEDULED_EVENT, null));

        assertStatusMetrics(impaired, 0, 1, 0);
        assertStatusMetrics(recovered, 0, 0, 1);
        assertThat(recovered.metrics()).hasSize(1);
        assertThat(recovered.metrics().get(0).has("Error")).isFalse();
    }

    @Test
    void theHandlerReturnsTheFinding() {
        fake.setStreamStatus(streamId, "IMPAIRED", "KINESIS_OVERSIZE_RECORD");
        List<Map<String, Object>> result = new ArrayList<>();

        capture(() -> result.add(handler(streamId).handleRequest(SCHEDULED_EVENT, null)));

        assertThat(result.get(0))
                .containsEntry("clusterId", CLUSTER)
                .containsEntry("streamId", streamId)
                .containsEntry("status", "IMPAIRED")
                .containsEntry("statusReason", "KINESIS_OVERSIZE_RECORD");
    }

    // ---- failures are thrown, never published as a finding ------------------------------------

    /** Runs expecting {@code expected} thrown; returns what was written meanwhile. */
    private Output runFailing(Class<? extends Throwable> expected, String messagePart) {
        StreamHealthHandler handler = handler(streamId);
        return capture(() -> assertThatThrownBy(() -> handler.handleRequest(SCHEDULED_EVENT, null))
                .isInstanceOf(expected)
                .hasMessageContaining(messagePart));
    }

    private static void assertNothingPublishedButTheError(Output output, String messagePart) {
        assertThat(output.metrics())
                .as("no metric at all: a failed check must not look healthy")
                .isEmpty();
        JsonNode log = onlyLog(output);
        assertThat(log.get("level").asText()).isEqualTo("ERROR");
        assertThat(log.get("message").asText())
                .contains("stream health check failed")
                .contains(messagePart);
        assertThat(log.get("clusterId").asText()).isEqualTo(CLUSTER);
    }

    @Test
    void accessDeniedIsThrownAtOnceAndPublishesNothing() {
        fake.fail(
                "GetStream",
                403,
                "AccessDeniedException",
                "User is not authorized to perform: dsql:GetStream",
                Map.of());

        Output output = runFailing(AccessDeniedException.class, "not authorized to perform: dsql:GetStream");

        assertNothingPublishedButTheError(output, "AccessDeniedException");
        assertThat(fake.count("GetStream")).as("403 is not retried").isEqualTo(1);
    }

    @Test
    void throttlingIsRetriedByTheClientAndTheAnswerPublished() {
        fake.fail("GetStream", 429, "ThrottlingException", "Rate exceeded", Map.of());

        Output output = run(streamId);

        assertThat(fake.count("GetStream")).isEqualTo(2);
        assertThat(sleeps).hasSize(1);
        assertStatusMetrics(output, 0, 0, 1);
    }

    @Test
    void serverErrorsUntilTheRetriesRunOutAreThrownAndPublishNothing() {
        for (int i = 0; i < 3; i++) {
            fake.fail("GetStream", 500, "InternalServerException", "Internal error", Map.of());
        }

        Output output = runFailing(InternalServerException.class, "Internal error");

        assertThat(fake.count("GetStream")).as("maxAttempts").isEqualTo(3);
        assertNothingPublishedButTheError(output, "InternalServerException");
    }

    @Test
    void anAnswerWithoutAKnownStatusIsThrownAndPublishesNothing() {
        fake.answerRaw(
                "GetStream",
                200,
                "{\"clusterIdentifier\":\"" + CLUSTER + "\",\"streamIdentifier\":\"" + streamId
                        + "\",\"status\":\"PAUSED\"}");

        Output output = runFailing(IllegalStateException.class, "without a status this check knows");

        assertNothingPublishedButTheError(output, "without a status this check knows");
    }

    @Test
    void anAnswerThatIsNotJsonIsThrownWithWhatWasAnsweredAndPublishesNothing() {
        fake.answerRaw("GetStream", 200, "text/html", "<html>captive portal</html>");

        Output output = runFailing(SdkClientException.class, "HTTP 200 (text/html): <html>captive portal</html>");

        assertThat(fake.count("GetStream"))
                .as("an answer is not retried as if DSQL were unreachable")
                .isEqualTo(1);
        assertThat(output.metrics()).isEmpty();
        assertThat(onlyLog(output).get("level").asText()).isEqualTo("ERROR");
    }
}
