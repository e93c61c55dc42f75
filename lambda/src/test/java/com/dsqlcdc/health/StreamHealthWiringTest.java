package com.dsqlcdc.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.testing.FakeDsqlServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stream health function's configuration, and its production wiring: the environment validated
 * at init, the signed client with the default credentials chain and the standard endpoint override.
 */
class StreamHealthWiringTest {

    private static final String[] PROPERTIES = {
        "aws.region", "aws.endpointUrlDsql", "aws.accessKeyId", "aws.secretAccessKey"
    };

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("CLUSTER_ID", StreamHealthHandlerTest.CLUSTER);
        env.put("STREAM_ID", "strm0000000000000000000001");
        env.put("AWS_REGION", StreamHealthHandlerTest.REGION);
        env.put("POWERTOOLS_METRICS_NAMESPACE", StreamHealthHandlerTest.NAMESPACE);
        return env;
    }

    @AfterEach
    void restore() {
        for (String property : PROPERTIES) {
            System.clearProperty(property);
        }
    }

    @Test
    void aCompleteEnvironmentIsRead() {
        assertThat(StreamHealthConfig.from(env(), new Properties()))
                .isEqualTo(new StreamHealthConfig(
                        StreamHealthHandlerTest.CLUSTER,
                        "strm0000000000000000000001",
                        StreamHealthHandlerTest.REGION,
                        StreamHealthHandlerTest.NAMESPACE));
    }

    @Test
    void everyMissingVariableIsNamed() {
        assertThatThrownBy(() -> StreamHealthConfig.from(Map.of(), new Properties()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CLUSTER_ID is not set")
                .hasMessageContaining("STREAM_ID is not set")
                .hasMessageContaining("AWS_REGION is not set")
                .hasMessageContaining("POWERTOOLS_METRICS_NAMESPACE is not set");
    }

    @Test
    void oneMissingVariableIsTheOnlyOneNamed() {
        Map<String, String> env = env();
        env.put("STREAM_ID", "  ");

        assertThatThrownBy(() -> StreamHealthConfig.from(env, new Properties()))
                .hasMessageContaining("STREAM_ID is not set")
                .hasMessageNotContaining("CLUSTER_ID")
                .hasMessageNotContaining("AWS_REGION")
                .hasMessageNotContaining("POWERTOOLS_METRICS_NAMESPACE");
    }

    @Test
    void malformedIdentifiersAndRegionAreNamedWithTheExpectedShape() {
        Map<String, String> env = env();
        env.put("CLUSTER_ID", "arn:aws:dsql:eu-west-1:123456789012:cluster/abcdefghijklmnopqrstuvwxyz");
        env.put("STREAM_ID", "STRM0000000000000000000001");
        env.put("AWS_REGION", "Ireland");

        assertThatThrownBy(() -> StreamHealthConfig.from(env, new Properties()))
                .hasMessageContaining("CLUSTER_ID=arn:aws:dsql")
                .hasMessageContaining("STREAM_ID=STRM0000000000000000000001 is not")
                .hasMessageContaining("26 characters a-z and 0-9")
                .hasMessageContaining("AWS_REGION=Ireland is not a Region name");
    }

    @Test
    void theRegionMayComeFromTheSdkSystemPropertyForLocalRuns() {
        Map<String, String> env = env();
        env.remove("AWS_REGION");
        Properties properties = new Properties();
        properties.setProperty("aws.region", "us-east-1");

        assertThat(StreamHealthConfig.from(env, properties).region()).isEqualTo("us-east-1");
    }

    @Test
    void theNoArgHandlerValidatesThisProcesssEnvironmentAtInit() {
        // The test JVM has no CLUSTER_ID, STREAM_ID or POWERTOOLS_METRICS_NAMESPACE.
        assertThatThrownBy(StreamHealthHandler::new)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CLUSTER_ID is not set")
                .hasMessageContaining("POWERTOOLS_METRICS_NAMESPACE is not set");
    }

    @Test
    void theProductionWiringSignsWithTheDefaultCredentialsAndHonoursTheEndpointOverride() throws Exception {
        try (FakeDsqlServer fake = new FakeDsqlServer(StreamHealthHandlerTest.REGION)) {
            fake.cluster(StreamHealthHandlerTest.CLUSTER, "ACTIVE");
            String stream = fake.seedStream(
                    StreamHealthHandlerTest.CLUSTER,
                    "ACTIVE",
                    StreamHealthHandlerTest.KINESIS,
                    StreamHealthHandlerTest.ROLE,
                    Map.of());
            fake.setStreamStatus(stream, "FAILED", "KINESIS_KMS_ACCESS_DENIED");
            System.setProperty("aws.endpointUrlDsql", fake.endpoint().toString());
            System.setProperty("aws.accessKeyId", FakeDsqlServer.ACCESS_KEY);
            System.setProperty("aws.secretAccessKey", FakeDsqlServer.SECRET_KEY);
            Map<String, String> env = env();
            env.put("STREAM_ID", stream);
            StreamHealthHandler handler = new StreamHealthHandler(StreamHealthConfig.from(env, new Properties()));

            StreamHealthHandlerTest.Output output =
                    StreamHealthHandlerTest.capture(() -> handler.handleRequest(Map.of(), null));

            assertThat(fake.signatureProblems()).isEmpty();
            assertThat(fake.count("GetStream")).isEqualTo(1);
            JsonNode status = StreamHealthHandlerTest.document(output, "StreamFailed");
            assertThat(status.get("StreamFailed").asInt()).isEqualTo(1);
            assertThat(status.at("/_aws/CloudWatchMetrics/0/Namespace").asText())
                    .isEqualTo(StreamHealthHandlerTest.NAMESPACE);
            assertThat(status.at("/_aws/CloudWatchMetrics/0/Dimensions").toString())
                    .isEqualTo("[[\"ClusterId\",\"StreamId\"]]");
            assertThat(StreamHealthHandlerTest.document(output, "StreamStatusReason")
                            .get("Error")
                            .asText())
                    .isEqualTo("KINESIS_KMS_ACCESS_DENIED");
            assertThat(output.logs())
                    .singleElement()
                    .satisfies(log -> assertThat(log.get("level").asText()).isEqualTo("ERROR"));
        }
    }
}
