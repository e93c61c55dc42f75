package com.dsqlcdc.clients.dsql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.contract.retry.Backoff;
import com.dsqlcdc.testing.FakeDsqlServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.model.AccessDeniedException;
import software.amazon.awssdk.services.dsql.model.ConflictException;
import software.amazon.awssdk.services.dsql.model.DsqlException;
import software.amazon.awssdk.services.dsql.model.InternalServerException;
import software.amazon.awssdk.services.dsql.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dsql.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.dsql.model.ThrottlingException;
import software.amazon.awssdk.services.dsql.model.ValidationException;

class SignedDsqlStreamClientTest {

    private static final String REGION = "eu-west-1";
    private static final String CLUSTER = "abcdefghijklmnopqrstuvwxyz";
    private static final KinesisTarget TARGET = new KinesisTarget(
            "arn:aws:kinesis:eu-west-1:123456789012:stream/cdc", "arn:aws:iam::123456789012:role/dsql-cdc");

    private final ObjectMapper json = new ObjectMapper();
    private final List<Duration> sleeps = new ArrayList<>();
    private FakeDsqlServer fake;
    private SignedDsqlStreamClient client;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeDsqlServer(REGION).cluster(CLUSTER, "ACTIVE");
        client = clientFor(REGION);
    }

    private SignedDsqlStreamClient clientFor(String region) {
        return SignedDsqlStreamClient.builder()
                .region(Region.of(region))
                .endpointOverride(fake.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(FakeDsqlServer.ACCESS_KEY, FakeDsqlServer.SECRET_KEY)))
                .backoff(Backoff.doubling(Duration.ofMillis(100), Duration.ofSeconds(5)))
                .maxAttempts(4)
                .sleeper(sleeps::add)
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        fake.close();
    }

    private CreateStreamResponse create(String token) {
        return client.createStream(
                new CreateStreamRequest(CLUSTER, TARGET, "UNORDERED", "JSON", Map.of("team", "data"), token));
    }

    @Test
    void createStreamSendsTheDocumentedRequestSignedForDsql() throws Exception {
        CreateStreamResponse created = create("token-1");

        FakeDsqlServer.Call call = fake.calls().get(0);
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.path()).isEqualTo("/stream/" + CLUSTER);
        JsonNode body = json.readTree(call.body());
        assertThat(body.at("/targetDefinition/kinesis/streamArn").asText()).isEqualTo(TARGET.streamArn());
        assertThat(body.at("/targetDefinition/kinesis/roleArn").asText()).isEqualTo(TARGET.roleArn());
        assertThat(body.get("ordering").asText()).isEqualTo("UNORDERED");
        assertThat(body.get("format").asText()).isEqualTo("JSON");
        assertThat(body.at("/tags/team").asText()).isEqualTo("data");
        assertThat(body.get("clientToken").asText()).isEqualTo("token-1");
        assertThat(fake.signatureProblems()).isEmpty();

        assertThat(created.clusterIdentifier()).isEqualTo(CLUSTER);
        assertThat(created.streamIdentifier()).hasSize(26);
        assertThat(created.arn()).isEqualTo(fake.arnOf(CLUSTER, created.streamIdentifier()));
        assertThat(created.status()).isEqualTo(StreamStatus.CREATING);
        assertThat(created.creationTime()).isEqualTo(Instant.ofEpochSecond(1763700001, 250_000_000));
    }

    @Test
    void aRequestSignedForAnotherRegionIsRejectedByTheFake() {
        try (SignedDsqlStreamClient wrongRegion = clientFor("us-east-1")) {
            assertThatThrownBy(() -> wrongRegion.listStreams(new ListStreamsRequest(CLUSTER, null, null)))
                    .isInstanceOf(DsqlException.class)
                    .hasMessageContaining("InvalidSignatureException")
                    .satisfies(e -> assertThat(((DsqlException) e).statusCode()).isEqualTo(403));
        }
        assertThat(fake.signatureProblems()).singleElement().asString().contains("region us-east-1");
    }

    @Test
    void getStreamReadsTargetTagsAndStatusReason() {
        CreateStreamResponse created = create("t");
        fake.setStreamStatus(created.streamIdentifier(), "FAILED", "KINESIS_STREAM_NOT_FOUND");

        GetStreamResponse stream = client.getStream(new GetStreamRequest(CLUSTER, created.streamIdentifier()));

        assertThat(stream.targetDefinition()).isEqualTo(TARGET);
        assertThat(stream.tags()).containsExactlyEntriesOf(Map.of("team", "data"));
        assertThat(stream.status()).isEqualTo(StreamStatus.FAILED);
        assertThat(stream.statusReason().error()).isEqualTo("KINESIS_STREAM_NOT_FOUND");
        assertThat(stream.statusReason().updatedAt()).isEqualTo(Instant.ofEpochSecond(1763700123, 500_000_000));
        assertThat(fake.calls().get(1).path()).isEqualTo("/stream/" + CLUSTER + "/" + created.streamIdentifier());
    }

    @Test
    void listStreamsPassesPaginationAsQueryParameters() {
        for (int i = 0; i < 3; i++) {
            create("t" + i);
        }
        ListStreamsResponse first = client.listStreams(new ListStreamsRequest(CLUSTER, 100, null));
        ListStreamsResponse second = client.listStreams(new ListStreamsRequest(CLUSTER, 100, first.nextToken()));

        assertThat(first.streams()).hasSize(2);
        assertThat(first.nextToken()).isNotNull();
        assertThat(second.streams()).hasSize(1);
        assertThat(second.nextToken()).isNull();
        assertThat(fake.calls().get(4).query()).isEqualTo("max-results=100&next-token=" + first.nextToken());
        assertThat(fake.signatureProblems()).isEmpty();
    }

    @Test
    void deleteStreamSendsTheClientTokenAsQuery() {
        CreateStreamResponse created = create("t");
        DeleteStreamResponse deleted =
                client.deleteStream(new DeleteStreamRequest(CLUSTER, created.streamIdentifier(), "del-token"));

        assertThat(deleted.status()).isEqualTo(StreamStatus.DELETING);
        FakeDsqlServer.Call call = fake.calls().get(1);
        assertThat(call.method()).isEqualTo("DELETE");
        assertThat(call.query()).isEqualTo("client-token=del-token");
        assertThat(fake.signatureProblems()).isEmpty();
    }

    @Test
    void throttlingIsRetriedHonouringRetryAfter() {
        fake.fail("CreateStream", 429, "ThrottlingException", "Rate exceeded", Map.of("Retry-After", "2"));

        CreateStreamResponse created = create("t");

        assertThat(created.status()).isEqualTo(StreamStatus.CREATING);
        assertThat(fake.count("CreateStream")).isEqualTo(2);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void serverErrorsAreRetriedWithGrowingBackoff() {
        fake.fail("GetStream", 500, "InternalServerException", "boom", Map.of());
        fake.fail("GetStream", 503, "InternalServerException", "boom", Map.of());
        String id = create("t").streamIdentifier();

        GetStreamResponse stream = client.getStream(new GetStreamRequest(CLUSTER, id));

        assertThat(stream.streamIdentifier()).isEqualTo(id);
        assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void retriesStopAfterMaxAttemptsWithTheServiceError() {
        for (int i = 0; i < 4; i++) {
            fake.fail("ListStreams", 429, "ThrottlingException", "Rate exceeded", Map.of());
        }

        assertThatThrownBy(() -> client.listStreams(new ListStreamsRequest(CLUSTER, null, null)))
                .isInstanceOf(ThrottlingException.class)
                .hasMessageContaining("Rate exceeded");
        assertThat(fake.count("ListStreams")).isEqualTo(4);
    }

    @Test
    void aHugeRetryAfterIsCapped() {
        fake.fail("ListStreams", 503, "InternalServerException", "busy", Map.of("Retry-After", "3600"));
        client.listStreams(new ListStreamsRequest(CLUSTER, null, null));
        assertThat(sleeps).containsExactly(Duration.ofSeconds(30));
    }

    @ParameterizedTest
    @CsvSource({
        "400, ValidationException",
        "402, ServiceQuotaExceededException",
        "403, AccessDeniedException",
        "404, ResourceNotFoundException",
        "409, ConflictException"
    })
    void clientErrorsAreThrownAtOnceAsTheGeneratedModelsExceptions(int status, String type) {
        fake.fail("CreateStream", status, type, "the service said why", Map.of());

        assertThatThrownBy(() -> create("t"))
                .isInstanceOf(expected(type))
                .hasMessageContaining("the service said why")
                .hasMessageContaining("CreateStream")
                .satisfies(e -> assertThat(((DsqlException) e).statusCode()).isEqualTo(status));
        assertThat(fake.count("CreateStream")).isEqualTo(1);
        assertThat(sleeps).isEmpty();
    }

    private static Class<? extends DsqlException> expected(String type) {
        return switch (type) {
            case "ValidationException" -> ValidationException.class;
            case "ServiceQuotaExceededException" -> ServiceQuotaExceededException.class;
            case "AccessDeniedException" -> AccessDeniedException.class;
            case "ResourceNotFoundException" -> ResourceNotFoundException.class;
            case "ConflictException" -> ConflictException.class;
            default -> throw new IllegalArgumentException(type);
        };
    }

    @Test
    void anErrorTypeWithNamespaceAndUriIsShortened() {
        fake.fail(
                "GetStream",
                500,
                "com.amazonaws.dsql#InternalServerException:http://internal.amazon.com/",
                "x",
                Map.of());
        fake.fail("GetStream", 500, "InternalServerException", "x", Map.of());
        fake.fail("GetStream", 500, "InternalServerException", "x", Map.of());
        fake.fail("GetStream", 500, "InternalServerException", "x", Map.of());

        assertThatThrownBy(() -> client.getStream(new GetStreamRequest(CLUSTER, "strm0000000000000000000001")))
                .isInstanceOf(InternalServerException.class);
    }

    @Test
    void aSuccessThatIsNotJsonIsReportedAsWhatTheServiceAnsweredAtOnce() {
        fake.answerRaw("GetStream", 200, "text/html", "<html><body>Sign in to the guest network</body></html>");

        assertThatThrownBy(() -> client.getStream(new GetStreamRequest(CLUSTER, "strm0000000000000000000001")))
                .isInstanceOf(software.amazon.awssdk.core.exception.SdkClientException.class)
                .isNotInstanceOf(DsqlException.class)
                .hasMessageContaining("GetStream")
                .hasMessageContaining("HTTP 200")
                .hasMessageContaining("text/html")
                .hasMessageContaining("<html><body>Sign in to the guest network</body></html>")
                .hasMessageNotContaining("could not reach");
        assertThat(fake.count("GetStream"))
                .as("not retried: the service answered")
                .isEqualTo(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aLongAnswerIsCutToAnExcerptWithItsSize() {
        String body = "maintenance window\n" + "x".repeat(5_000);
        fake.answerRaw("ListStreams", 200, "text/plain; charset=utf-8", body);

        assertThatThrownBy(() -> client.listStreams(new ListStreamsRequest(CLUSTER, null, null)))
                .hasMessageContaining("text/plain")
                .hasMessageContaining("maintenance window x")
                .hasMessageContaining("(" + body.length() + " bytes)")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(600));
    }

    @Test
    void aClientErrorThatIsNotADsqlErrorIsNeverTakenForOne() {
        // A 404 page of a wrong endpoint is not "the stream is gone", a proxy's 403 not DSQL's.
        fake.answerRaw("GetStream", 404, "text/html", "<html>404 Not Found</html>");
        fake.answerRaw("DeleteStream", 403, "text/plain", "Forbidden by proxy policy");

        assertThatThrownBy(() -> client.getStream(new GetStreamRequest(CLUSTER, "strm0000000000000000000001")))
                .isExactlyInstanceOf(DsqlException.class)
                .hasMessageContaining("GetStream")
                .hasMessageContaining("HTTP 404")
                .hasMessageContaining("<html>404 Not Found</html>")
                .hasMessageContaining("not an answer of the DSQL API")
                .satisfies(e -> assertThat(((DsqlException) e).statusCode()).isEqualTo(404));
        assertThatThrownBy(
                        () -> client.deleteStream(new DeleteStreamRequest(CLUSTER, "strm0000000000000000000001", "t")))
                .isExactlyInstanceOf(DsqlException.class)
                .hasMessageContaining("HTTP 403")
                .hasMessageContaining("text/plain")
                .hasMessageContaining("Forbidden by proxy policy");
        assertThat(fake.count("GetStream") + fake.count("DeleteStream")).isEqualTo(2);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aGatewayErrorPageIsRetriedAndThenReportedWithWhatItSaid() {
        for (int i = 0; i < 4; i++) {
            fake.answerRaw("ListStreams", 502, "text/html", "<html>502 Bad Gateway</html>");
        }

        assertThatThrownBy(() -> client.listStreams(new ListStreamsRequest(CLUSTER, null, null)))
                .isInstanceOf(DsqlException.class)
                .hasMessageContaining("HTTP 502")
                .hasMessageContaining("<html>502 Bad Gateway</html>")
                .hasMessageNotContaining("could not reach");
        assertThat(fake.count("ListStreams")).isEqualTo(4);
    }

    @Test
    void aConnectionFailureIsRetriedThenSurfaced() {
        int port = fake.endpoint().getPort();
        fake.close();
        try (SignedDsqlStreamClient unreachable = SignedDsqlStreamClient.builder()
                .region(Region.of(REGION))
                .endpointOverride(java.net.URI.create("http://127.0.0.1:" + port))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .maxAttempts(3)
                .sleeper(sleeps::add)
                .build()) {
            assertThatThrownBy(() -> unreachable.listStreams(new ListStreamsRequest(CLUSTER, null, null)))
                    .isInstanceOf(software.amazon.awssdk.core.exception.SdkClientException.class)
                    .hasMessageContaining("could not reach");
        }
        assertThat(sleeps).hasSize(2);
    }

    @Test
    void retryAfterAcceptsSecondsAndHttpDates() {
        assertThat(SignedDsqlStreamClient.parseRetryAfter("3")).contains(Duration.ofSeconds(3));
        assertThat(SignedDsqlStreamClient.parseRetryAfter("0.5")).contains(Duration.ofMillis(500));
        assertThat(SignedDsqlStreamClient.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"))
                .contains(Duration.ZERO);
        assertThat(SignedDsqlStreamClient.parseRetryAfter("soon")).isEmpty();
    }

    @Test
    void endpointDefaultsToTheApiAwsHostAndHonoursTheStandardOverrides() {
        Properties none = new Properties();
        assertThat(DsqlEndpoint.resolve("us-east-1", Map.of(), none).toString())
                .isEqualTo("https://dsql.us-east-1.api.aws");
        assertThat(DsqlEndpoint.resolve("us-east-1", Map.of("AWS_ENDPOINT_URL", "http://global:1"), none)
                        .toString())
                .isEqualTo("http://global:1");
        assertThat(DsqlEndpoint.resolve(
                                "us-east-1",
                                Map.of("AWS_ENDPOINT_URL", "http://global:1", "AWS_ENDPOINT_URL_DSQL", "http://dsql:2"),
                                none)
                        .toString())
                .isEqualTo("http://dsql:2");
        Properties sys = new Properties();
        sys.setProperty("aws.endpointUrlDsql", "http://sysprop:3");
        assertThat(DsqlEndpoint.resolve("us-east-1", Map.of("AWS_ENDPOINT_URL_DSQL", "http://dsql:2"), sys)
                        .toString())
                .isEqualTo("http://sysprop:3");
        assertThat(DsqlEndpoint.resolve(
                                "us-east-1",
                                Map.of(
                                        "AWS_ENDPOINT_URL_DSQL",
                                        "http://dsql:2",
                                        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
                                        "true"),
                                none)
                        .toString())
                .isEqualTo("https://dsql.us-east-1.api.aws");
        assertThatThrownBy(() -> DsqlEndpoint.resolve(null, Map.of(), none)).hasMessageContaining("AWS_REGION");
    }
}
