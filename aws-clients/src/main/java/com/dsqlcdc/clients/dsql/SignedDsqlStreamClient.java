package com.dsqlcdc.clients.dsql;

import com.dsqlcdc.clients.SdkClients;
import com.dsqlcdc.contract.retry.Backoff;
import com.dsqlcdc.contract.retry.RetryPolicy;
import com.dsqlcdc.contract.retry.Sleeper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.model.AccessDeniedException;
import software.amazon.awssdk.services.dsql.model.ConflictException;
import software.amazon.awssdk.services.dsql.model.DsqlException;
import software.amazon.awssdk.services.dsql.model.InternalServerException;
import software.amazon.awssdk.services.dsql.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dsql.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.dsql.model.ThrottlingException;
import software.amazon.awssdk.services.dsql.model.ValidationException;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * {@link DsqlStreamClient} over the DSQL control plane's restJson1 protocol (API 2018-05-10),
 * SigV4-signed for service {@code dsql}, because no {@code dsql} artifact on this project's Maven
 * registry has the stream operations yet.
 *
 * <p>Throttling (429) and server errors (500, 502, 503, 504) and I/O failures are retried with
 * exponential backoff and full jitter, waiting at least what a {@code Retry-After} header asks
 * (capped): the shared {@link RetryPolicy}. Every other error is thrown at once as the generated
 * model's exception, carrying the service's message. Retrying CreateStream and DeleteStream is safe
 * because callers pass a client token. An answer that is not the DSQL API's (not JSON: a captive
 * portal, a proxy, a wrong endpoint) is reported with its status, Content-Type and a body excerpt;
 * it is retried only for a retryable status, and never reported as "could not reach".
 */
public final class SignedDsqlStreamClient implements DsqlStreamClient {

    private static final Logger LOG = LoggerFactory.getLogger(SignedDsqlStreamClient.class);
    private static final String SIGNING_NAME = "dsql";

    private final SdkHttpClient http;
    private final boolean ownsHttpClient;
    private final AwsCredentialsProvider credentials;
    private final Region region;
    private final URI endpoint;
    private final RetryPolicy retries;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final ObjectMapper json = new ObjectMapper();

    private SignedDsqlStreamClient(Builder builder) {
        this.region = Objects.requireNonNull(builder.region, "region");
        this.endpoint = builder.endpoint != null ? builder.endpoint : DsqlEndpoint.resolve(region.id());
        this.ownsHttpClient = builder.httpClient == null;
        this.http = ownsHttpClient ? SdkClients.httpClient() : builder.httpClient;
        this.credentials = builder.credentials != null
                ? builder.credentials
                : DefaultCredentialsProvider.builder().build();
        this.retries = RetryPolicy.builder(builder.maxAttempts, builder.backoff)
                .maxServerWait(builder.maxRetryAfter)
                .sleeper(builder.sleeper)
                .listener((operation, attempt, maxAttempts, failure, wait) -> LOG.warn(
                        "{} attempt {}/{} failed ({}); retrying in {} ms",
                        operation,
                        attempt,
                        maxAttempts,
                        failure.getMessage(),
                        wait.toMillis()))
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public CreateStreamResponse createStream(CreateStreamRequest request) {
        ObjectNode body = json.createObjectNode();
        ObjectNode kinesis = body.putObject("targetDefinition").putObject("kinesis");
        kinesis.put("streamArn", request.targetDefinition().streamArn());
        kinesis.put("roleArn", request.targetDefinition().roleArn());
        body.put("ordering", request.ordering());
        body.put("format", request.format());
        if (!request.tags().isEmpty()) {
            ObjectNode tags = body.putObject("tags");
            request.tags().forEach(tags::put);
        }
        if (request.clientToken() != null) {
            body.put("clientToken", request.clientToken());
        }
        JsonNode out = call(
                "CreateStream", SdkHttpMethod.POST, "/stream/" + segment(request.clusterIdentifier()), Map.of(), body);
        return new CreateStreamResponse(
                text(out, "clusterIdentifier"),
                text(out, "streamIdentifier"),
                text(out, "arn"),
                StreamStatus.fromValue(text(out, "status")),
                epochSeconds(out.get("creationTime")),
                text(out, "ordering"),
                text(out, "format"));
    }

    @Override
    public GetStreamResponse getStream(GetStreamRequest request) {
        JsonNode out = call(
                "GetStream",
                SdkHttpMethod.GET,
                "/stream/" + segment(request.clusterIdentifier()) + "/" + segment(request.streamIdentifier()),
                Map.of(),
                null);
        JsonNode kinesis = out.path("targetDefinition").path("kinesis");
        KinesisTarget target =
                kinesis.isObject() ? new KinesisTarget(text(kinesis, "streamArn"), text(kinesis, "roleArn")) : null;
        Map<String, String> tags = new LinkedHashMap<>();
        out.path("tags")
                .properties()
                .forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
        JsonNode reason = out.get("statusReason");
        StatusReason statusReason = reason != null && reason.isObject()
                ? new StatusReason(text(reason, "error"), epochSeconds(reason.get("updatedAt")))
                : null;
        return new GetStreamResponse(
                text(out, "clusterIdentifier"),
                text(out, "streamIdentifier"),
                text(out, "arn"),
                StreamStatus.fromValue(text(out, "status")),
                epochSeconds(out.get("creationTime")),
                text(out, "ordering"),
                text(out, "format"),
                target,
                tags,
                statusReason);
    }

    @Override
    public ListStreamsResponse listStreams(ListStreamsRequest request) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (request.maxResults() != null) {
            query.put("max-results", List.of(request.maxResults().toString()));
        }
        if (request.nextToken() != null) {
            query.put("next-token", List.of(request.nextToken()));
        }
        JsonNode out =
                call("ListStreams", SdkHttpMethod.GET, "/stream/" + segment(request.clusterIdentifier()), query, null);
        List<StreamSummary> streams = new ArrayList<>();
        for (JsonNode s : out.path("streams")) {
            streams.add(new StreamSummary(
                    text(s, "clusterIdentifier"),
                    text(s, "streamIdentifier"),
                    text(s, "arn"),
                    epochSeconds(s.get("creationTime")),
                    StreamStatus.fromValue(text(s, "status"))));
        }
        return new ListStreamsResponse(streams, text(out, "nextToken"));
    }

    @Override
    public DeleteStreamResponse deleteStream(DeleteStreamRequest request) {
        Map<String, List<String>> query =
                request.clientToken() == null ? Map.of() : Map.of("client-token", List.of(request.clientToken()));
        JsonNode out = call(
                "DeleteStream",
                SdkHttpMethod.DELETE,
                "/stream/" + segment(request.clusterIdentifier()) + "/" + segment(request.streamIdentifier()),
                query,
                null);
        return new DeleteStreamResponse(
                text(out, "clusterIdentifier"),
                text(out, "streamIdentifier"),
                text(out, "arn"),
                StreamStatus.fromValue(text(out, "status")),
                epochSeconds(out.get("creationTime")));
    }

    @Override
    public void close() {
        if (ownsHttpClient) {
            http.close();
        }
    }

    private JsonNode call(
            String operation, SdkHttpMethod method, String path, Map<String, List<String>> query, ObjectNode body) {
        byte[] payload = body == null ? null : writeJson(body);
        return retries.run(operation, null, attempt -> {
            HttpExecuteResponse response;
            byte[] responseBody;
            try {
                response = execute(method, path, query, payload);
                responseBody = readBody(response);
            } catch (IOException e) {
                // Only a failed exchange is "could not reach": an answer, whatever it says, is reported as such.
                return RetryPolicy.Outcome.retry(
                        SdkClientException.create(
                                operation + " could not reach " + endpoint + ": " + e.getMessage(), e),
                        Optional.empty());
            }
            SdkHttpResponse head = response.httpResponse();
            if (head.isSuccessful()) {
                return RetryPolicy.Outcome.done(successBody(operation, head, responseBody));
            }
            DsqlException error = toException(operation, head, responseBody);
            if (!isRetryable(head.statusCode())) {
                throw error;
            }
            return RetryPolicy.Outcome.retry(
                    error, head.firstMatchingHeader("Retry-After").flatMap(SignedDsqlStreamClient::parseRetryAfter));
        });
    }

    /**
     * A 2xx answer's JSON. One that is not JSON did not come from the DSQL API (a captive portal, a
     * proxy, another service at the endpoint): it is reported at once with what was answered, never
     * retried as if the service could not be reached.
     */
    private JsonNode successBody(String operation, SdkHttpResponse head, byte[] body) {
        if (body.length == 0) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(body);
        } catch (IOException notJson) {
            throw SdkClientException.create(
                    operation + ": " + endpoint + " answered " + answer(head, body)
                            + ", which is not JSON, so not an answer of the DSQL API; check the endpoint"
                            + " (AWS_ENDPOINT_URL_DSQL / AWS_ENDPOINT_URL) and any proxy on the way",
                    notJson);
        }
    }

    /** Longest part of an unexpected body quoted in a message. */
    static final int BODY_EXCERPT_CHARS = 300;

    /** @return {@code HTTP <status> (<content type>): <body excerpt> (<n> bytes)}, for messages */
    static String answer(SdkHttpResponse head, byte[] body) {
        String contentType = head.firstMatchingHeader("Content-Type").orElse("no Content-Type");
        String text =
                new String(body, StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
        String excerpt = text.length() > BODY_EXCERPT_CHARS ? text.substring(0, BODY_EXCERPT_CHARS) + "…" : text;
        return "HTTP " + head.statusCode() + " (" + contentType + "): " + excerpt + " (" + body.length + " bytes)";
    }

    private HttpExecuteResponse execute(
            SdkHttpMethod method, String path, Map<String, List<String>> query, byte[] payload) throws IOException {
        SdkHttpFullRequest.Builder unsigned = SdkHttpFullRequest.builder()
                .uri(endpoint)
                .encodedPath(stripTrailingSlash(endpoint.getRawPath()) + path)
                .method(method)
                .putHeader("Accept", "application/json")
                .putHeader("User-Agent", "dsql-cdc-pipeline/DsqlStreamClient");
        query.forEach(unsigned::putRawQueryParameter);
        ContentStreamProvider content = null;
        if (payload != null) {
            content = ContentStreamProvider.fromByteArray(payload);
            unsigned.putHeader("Content-Type", "application/json")
                    .putHeader("Content-Length", Integer.toString(payload.length));
        }
        ContentStreamProvider signedContent = content;
        SignedRequest signed = signer.sign(r -> r.identity(credentials.resolveCredentials())
                .request(unsigned.build())
                .payload(signedContent)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region.id()));
        HttpExecuteRequest request = HttpExecuteRequest.builder()
                .request(signed.request())
                .contentStreamProvider(signed.payload().orElse(null))
                .build();
        return http.prepareRequest(request).call();
    }

    private static byte[] readBody(HttpExecuteResponse response) throws IOException {
        if (response.responseBody().isEmpty()) {
            return new byte[0];
        }
        try (InputStream in = response.responseBody().get()) {
            return in.readAllBytes();
        }
    }

    /**
     * Builds the exception the generated client would throw for this error response. A body that is
     * not JSON, without {@code x-amzn-ErrorType}, is not a DSQL error (a wrong endpoint's 404 page, a
     * proxy's 403): it becomes a plain {@link DsqlException} with what was answered, never a modelled
     * one that a caller would act on (a 404 read as "the stream is gone").
     */
    private DsqlException toException(String operation, SdkHttpResponse head, byte[] body) {
        JsonNode parsed = null;
        try {
            parsed = body.length == 0 ? null : json.readTree(body);
        } catch (IOException notJson) {
            if (head.firstMatchingHeader("x-amzn-ErrorType").isEmpty()) {
                return (DsqlException) DsqlException.builder()
                        .message(operation + ": " + endpoint + " answered " + answer(head, body)
                                + ", which is not an answer of the DSQL API (no JSON error); check the endpoint"
                                + " (AWS_ENDPOINT_URL_DSQL / AWS_ENDPOINT_URL) and any proxy on the way")
                        .statusCode(head.statusCode())
                        .requestId(head.firstMatchingHeader("x-amzn-RequestId").orElse(null))
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("NotADsqlAnswer")
                                .errorMessage(answer(head, body))
                                .serviceName("DSQL")
                                .sdkHttpResponse(head)
                                .build())
                        .build();
            }
            // A typed error with a body that is not JSON: the message below falls back to the raw body.
        }
        String type = head.firstMatchingHeader("x-amzn-ErrorType")
                .orElse(
                        parsed != null && parsed.hasNonNull("__type")
                                ? parsed.get("__type").asText()
                                : null);
        type = shortErrorType(type, head.statusCode());
        String message = parsed != null && parsed.hasNonNull("message")
                ? parsed.get("message").asText()
                : parsed != null && parsed.hasNonNull("Message")
                        ? parsed.get("Message").asText()
                        : new String(body, StandardCharsets.UTF_8);
        String requestId = head.firstMatchingHeader("x-amzn-RequestId").orElse(null);
        AwsErrorDetails details = AwsErrorDetails.builder()
                .errorCode(type)
                .errorMessage(message)
                .serviceName("DSQL")
                .sdkHttpResponse(head)
                .build();
        DsqlException.Builder builder = switch (type) {
            case "ValidationException" -> ValidationException.builder();
            case "ResourceNotFoundException" -> ResourceNotFoundException.builder();
            case "ConflictException" -> ConflictException.builder();
            case "ServiceQuotaExceededException" -> ServiceQuotaExceededException.builder();
            case "AccessDeniedException" -> AccessDeniedException.builder();
            case "ThrottlingException" -> ThrottlingException.builder();
            case "InternalServerException" -> InternalServerException.builder();
            default -> DsqlException.builder();
        };
        return (DsqlException)
                builder.message(operation + ": " + type + " (HTTP " + head.statusCode() + "): " + message)
                        .statusCode(head.statusCode())
                        .requestId(requestId)
                        .awsErrorDetails(details)
                        .build();
    }

    /** {@code aws.protocoltests#ThrottlingException:http://...} → {@code ThrottlingException}. */
    private static String shortErrorType(String raw, int status) {
        if (raw == null || raw.isBlank()) {
            return switch (status) {
                case 400 -> "ValidationException";
                case 402 -> "ServiceQuotaExceededException";
                case 403 -> "AccessDeniedException";
                case 404 -> "ResourceNotFoundException";
                case 409 -> "ConflictException";
                case 429 -> "ThrottlingException";
                default -> status >= 500 ? "InternalServerException" : "UnknownError";
            };
        }
        String type = raw;
        int colon = type.indexOf(':');
        if (colon >= 0) {
            type = type.substring(0, colon);
        }
        int hash = type.lastIndexOf('#');
        if (hash >= 0) {
            type = type.substring(hash + 1);
        }
        return type.trim();
    }

    private static boolean isRetryable(int status) {
        return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    /** Retry-After is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
    static Optional<Duration> parseRetryAfter(String value) {
        String v = value.trim();
        try {
            return Optional.of(Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration until = Duration.between(Instant.now(), at);
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    private byte[] writeJson(ObjectNode body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String segment(String value) {
        return SdkHttpUtils.urlEncode(Objects.requireNonNull(value, "identifier"));
    }

    private static String stripTrailingSlash(String path) {
        if (path == null) {
            return "";
        }
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** The service sends timestamps as JSON numbers of epoch seconds, possibly with a fraction. */
    private static Instant epochSeconds(JsonNode value) {
        if (value == null || !value.isNumber()) {
            return null;
        }
        BigDecimal seconds = value.decimalValue();
        long whole = seconds.longValue();
        long nanos =
                seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
        return Instant.ofEpochSecond(whole, nanos);
    }

    /** Builder; only {@link #region} is required. */
    public static final class Builder {
        private Region region;
        private URI endpoint;
        private SdkHttpClient httpClient;
        private AwsCredentialsProvider credentials;
        private int maxAttempts = 6;
        private Backoff backoff = Backoff.fullJitter(Duration.ofMillis(250), Duration.ofSeconds(20));
        private Duration maxRetryAfter = Duration.ofSeconds(30);
        private Sleeper sleeper = Sleeper.SYSTEM;

        private Builder() {}

        public Builder region(Region region) {
            this.region = region;
            return this;
        }

        /** Explicit endpoint; default: {@link DsqlEndpoint#resolve(String)}. */
        public Builder endpointOverride(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** Shared HTTP client (not closed by this client); default: a new {@link SdkClients#httpClient()}. */
        public Builder httpClient(SdkHttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        /** Default: the SDK's default credentials chain (Lambda's role in production). */
        public Builder credentialsProvider(AwsCredentialsProvider credentials) {
            this.credentials = credentials;
            return this;
        }

        /** Attempts per call including the first, at least 1; default 6. */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Waits between attempts; default doubling from 250 ms to 20 s, full jitter. */
        public Builder backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff);
            return this;
        }

        /** The longest Retry-After honoured (a longer one is cut to this); default 30 s. */
        public Builder maxRetryAfter(Duration maxRetryAfter) {
            this.maxRetryAfter = Objects.requireNonNull(maxRetryAfter);
            return this;
        }

        /** How to wait between attempts (tests: one that records the waits). */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper);
            return this;
        }

        public SignedDsqlStreamClient build() {
            return new SignedDsqlStreamClient(this);
        }
    }
}
