package com.dsqlcdc.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * A local HTTP fake of the Aurora DSQL control plane (restJson1, API 2018-05-10): GetCluster,
 * CreateStream, GetStream, ListStreams, DeleteStream, TagResource and UntagResource, with the
 * service's paths, JSON bodies, status codes and error shapes ({@code x-amzn-ErrorType} header
 * plus a {@code message} body). Every request's SigV4 signature is verified by re-signing it with
 * the SDK's signer at the request's own {@code X-Amz-Date}: a request signed for another service,
 * Region or body is answered 403 and recorded.
 *
 * <p>Streams move CREATING → ACTIVE (or FAILED/IMPAIRED with a reason) after a configurable number
 * of GetStream calls, and DELETING → gone likewise. Faults, and raw (malformed) answers, are
 * scripted per operation.
 */
public final class FakeDsqlServer implements AutoCloseable {

    public static final String ACCOUNT = "123456789012";
    public static final String ACCESS_KEY = "AKIDEXAMPLE";
    public static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    private static final Pattern CLUSTER = Pattern.compile("/cluster/([^/]+)");
    private static final Pattern STREAMS = Pattern.compile("/stream/([^/]+)");
    private static final Pattern STREAM = Pattern.compile("/stream/([^/]+)/([^/]+)");
    private static final Pattern TAGS = Pattern.compile("/tags/(.+)");

    private final ObjectMapper json = new ObjectMapper();
    private final String region;
    private final HttpServer server;
    private final Map<String, Deque<String>> clusterStatuses = new LinkedHashMap<>();
    private final Map<String, FakeStream> streams = new LinkedHashMap<>();
    private final Map<String, String> streamByClientToken = new LinkedHashMap<>();
    private final Map<String, Deque<Fault>> faults = new LinkedHashMap<>();
    private final Map<String, Deque<RawAnswer>> rawAnswers = new LinkedHashMap<>();
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final List<String> signatureProblems = Collections.synchronizedList(new ArrayList<>());
    private int streamCounter;
    private int pageSize = 2;
    private int getsUntilSettled = 2;
    private String nextOutcome = "ACTIVE";
    private String nextOutcomeReason;
    private boolean refuseDeleteWhileCreating;

    /** One request as received: operation name, method, path, query and body. */
    public record Call(String operation, String method, String path, String query, String body) {}

    /** A scripted error response; {@code applyFirst} runs the operation before answering (lost response). */
    public record Fault(int status, String type, String message, Map<String, String> headers, boolean applyFirst) {}

    /** A scripted response sent as is, without running the operation (malformed answers). */
    public record RawAnswer(int status, String contentType, String body) {}

    public FakeDsqlServer(String region) throws IOException {
        this.region = region;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    // ---- scripting -------------------------------------------------------------------------------

    /** Registers a cluster; GetCluster answers the statuses in turn, the last one forever. */
    public synchronized FakeDsqlServer cluster(String clusterId, String... statuses) {
        clusterStatuses.put(clusterId, new ArrayDeque<>(List.of(statuses)));
        return this;
    }

    /** Adds a stream as if created earlier (by someone or an earlier attempt). */
    public synchronized String seedStream(
            String clusterId, String status, String kinesisArn, String roleArn, Map<String, String> tags) {
        FakeStream s = newStream(clusterId, kinesisArn, roleArn, "UNORDERED", "JSON", tags);
        s.status = status;
        return s.streamId;
    }

    /** What the next created stream settles to: ACTIVE, or FAILED/IMPAIRED with {@code reason}. */
    public synchronized FakeDsqlServer nextStreamSettlesTo(String status, String reason) {
        this.nextOutcome = status;
        this.nextOutcomeReason = reason;
        return this;
    }

    public synchronized FakeDsqlServer getsUntilSettled(int n) {
        this.getsUntilSettled = n;
        return this;
    }

    public synchronized FakeDsqlServer pageSize(int n) {
        this.pageSize = n;
        return this;
    }

    /** DeleteStream on a CREATING stream answers 409 ConflictException, as the service may. */
    public synchronized FakeDsqlServer refuseDeleteWhileCreating() {
        this.refuseDeleteWhileCreating = true;
        return this;
    }

    public synchronized FakeDsqlServer fail(
            String operation, int status, String type, String message, Map<String, String> headers) {
        faults.computeIfAbsent(operation, k -> new ArrayDeque<>())
                .add(new Fault(status, type, message, headers, false));
        return this;
    }

    /** The next {@code operation} call is answered with {@code status} and {@code body}, as they are. */
    public synchronized FakeDsqlServer answerRaw(String operation, int status, String body) {
        return answerRaw(operation, status, "application/json", body);
    }

    /**
     * The next call of {@code operation} is answered with exactly this status, Content-Type and body
     * (and no {@code x-amzn-ErrorType}), as a proxy, a captive portal or a wrong endpoint would.
     */
    public synchronized FakeDsqlServer answerRaw(String operation, int status, String contentType, String body) {
        rawAnswers.computeIfAbsent(operation, k -> new ArrayDeque<>()).add(new RawAnswer(status, contentType, body));
        return this;
    }

    /** Performs the operation, then answers with an error: the client never learns it worked. */
    public synchronized FakeDsqlServer failAfterApplying(String operation, int status, String type) {
        faults.computeIfAbsent(operation, k -> new ArrayDeque<>())
                .add(new Fault(status, type, "response lost", Map.of(), true));
        return this;
    }

    public synchronized void setStreamStatus(String streamId, String status, String reason) {
        FakeStream s = streams.get(streamId);
        s.status = status;
        s.reason = reason;
    }

    // ---- observation -----------------------------------------------------------------------------

    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    public long count(String operation) {
        return calls().stream().filter(c -> c.operation().equals(operation)).count();
    }

    public List<String> signatureProblems() {
        return List.copyOf(signatureProblems);
    }

    public synchronized List<String> liveStreamIds(String clusterId) {
        return streams.values().stream()
                .filter(s -> s.clusterId.equals(clusterId) && !s.status.equals("DELETING"))
                .map(s -> s.streamId)
                .toList();
    }

    public synchronized Map<String, String> tagsOf(String streamId) {
        return Map.copyOf(streams.get(streamId).tags);
    }

    public synchronized String statusOf(String streamId) {
        FakeStream s = streams.get(streamId);
        return s == null ? null : s.status;
    }

    public String arnOf(String clusterId, String streamId) {
        return "arn:aws:dsql:" + region + ":" + ACCOUNT + ":cluster/" + clusterId + "/stream/" + streamId;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ---- HTTP ------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        String operation = operationOf(method, path);
        calls.add(new Call(operation, method, path, query, new String(body, StandardCharsets.UTF_8)));
        String signatureProblem = verifySignature(exchange, body);
        if (signatureProblem != null) {
            signatureProblems.add(operation + ": " + signatureProblem);
            error(exchange, 403, "InvalidSignatureException", signatureProblem, Map.of());
            return;
        }
        Fault fault;
        RawAnswer raw;
        synchronized (this) {
            Deque<RawAnswer> answers = rawAnswers.get(operation);
            raw = answers == null ? null : answers.poll();
            Deque<Fault> queue = faults.get(operation);
            fault = raw != null || queue == null ? null : queue.poll();
        }
        if (raw != null) {
            send(exchange, raw.status(), raw.contentType(), raw.body().getBytes(StandardCharsets.UTF_8), Map.of());
            return;
        }
        if (fault != null && !fault.applyFirst()) {
            error(exchange, fault.status(), fault.type(), fault.message(), fault.headers());
            return;
        }
        Response response;
        try {
            synchronized (this) {
                response = route(operation, path, query, body);
            }
        } catch (RuntimeException e) {
            error(exchange, 500, "InternalServerException", "fake failed: " + e, Map.of());
            return;
        }
        if (fault != null) {
            error(exchange, fault.status(), fault.type(), fault.message(), fault.headers());
            return;
        }
        if (response.errorType != null) {
            error(exchange, response.status, response.errorType, response.message, Map.of());
        } else {
            send(exchange, response.status, json.writeValueAsBytes(response.body), Map.of());
        }
    }

    private static String operationOf(String method, String path) {
        if (CLUSTER.matcher(path).matches()) {
            return "GetCluster";
        }
        if (TAGS.matcher(path).matches()) {
            return method.equals("POST") ? "TagResource" : "UntagResource";
        }
        if (STREAM.matcher(path).matches()) {
            return method.equals("DELETE") ? "DeleteStream" : "GetStream";
        }
        if (STREAMS.matcher(path).matches()) {
            return method.equals("POST") ? "CreateStream" : "ListStreams";
        }
        return "Unknown";
    }

    private record Response(int status, Object body, String errorType, String message) {
        static Response ok(Object body) {
            return new Response(200, body, null, null);
        }

        static Response error(int status, String type, String message) {
            return new Response(status, null, type, message);
        }
    }

    private Response route(String operation, String path, String query, byte[] body) throws RuntimeException {
        Map<String, List<String>> params = parseQuery(query);
        switch (operation) {
            case "GetCluster": {
                Matcher m = CLUSTER.matcher(path);
                m.matches();
                return getCluster(m.group(1));
            }
            case "CreateStream": {
                Matcher m = STREAMS.matcher(path);
                m.matches();
                return createStream(m.group(1), readTree(body));
            }
            case "ListStreams": {
                Matcher m = STREAMS.matcher(path);
                m.matches();
                return listStreams(m.group(1), params);
            }
            case "GetStream": {
                Matcher m = STREAM.matcher(path);
                m.matches();
                return getStream(m.group(1), m.group(2));
            }
            case "DeleteStream": {
                Matcher m = STREAM.matcher(path);
                m.matches();
                return deleteStream(m.group(1), m.group(2));
            }
            case "TagResource":
            case "UntagResource": {
                Matcher m = TAGS.matcher(path);
                m.matches();
                String arn = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
                return operation.equals("TagResource")
                        ? tag(arn, readTree(body))
                        : untag(arn, params.getOrDefault("tagKeys", List.of()));
            }
            default:
                return Response.error(404, "UnknownOperationException", "no route for " + path);
        }
    }

    private Response getCluster(String clusterId) {
        Deque<String> statuses = clusterStatuses.get(clusterId);
        if (statuses == null) {
            return Response.error(404, "ResourceNotFoundException", "Cluster not found: " + clusterId);
        }
        String status = statuses.size() > 1 ? statuses.poll() : statuses.peek();
        ObjectNode out = json.createObjectNode();
        out.put("identifier", clusterId);
        out.put("arn", "arn:aws:dsql:" + region + ":" + ACCOUNT + ":cluster/" + clusterId);
        out.put("status", status);
        out.put("creationTime", 1.7637e9);
        out.put("deletionProtectionEnabled", false);
        return Response.ok(out);
    }

    private Response createStream(String clusterId, JsonNode request) {
        Deque<String> statuses = clusterStatuses.get(clusterId);
        if (statuses == null) {
            return Response.error(404, "ResourceNotFoundException", "Cluster not found: " + clusterId);
        }
        if (!"ACTIVE".equals(statuses.peek())) {
            return Response.error(400, "ValidationException", "Cluster is not in ACTIVE state");
        }
        JsonNode kinesis = request.path("targetDefinition").path("kinesis");
        if (!kinesis.hasNonNull("streamArn")
                || !kinesis.hasNonNull("roleArn")
                || !request.hasNonNull("ordering")
                || !request.hasNonNull("format")) {
            return Response.error(400, "ValidationException", "targetDefinition, ordering and format are required");
        }
        String token = request.hasNonNull("clientToken")
                ? clusterId + "|" + request.get("clientToken").asText()
                : null;
        if (token != null && streamByClientToken.containsKey(token)) {
            return Response.ok(createBody(streams.get(streamByClientToken.get(token))));
        }
        long live = streams.values().stream()
                .filter(s -> s.clusterId.equals(clusterId))
                .count();
        if (live >= 5) {
            return Response.error(
                    402, "ServiceQuotaExceededException", "Maximum number of streams per cluster reached");
        }
        Map<String, String> tags = new TreeMap<>();
        request.path("tags")
                .properties()
                .forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
        FakeStream s = newStream(
                clusterId,
                kinesis.get("streamArn").asText(),
                kinesis.get("roleArn").asText(),
                request.get("ordering").asText(),
                request.get("format").asText(),
                tags);
        s.settlesTo = nextOutcome;
        s.settleReason = nextOutcomeReason;
        s.getsLeft = getsUntilSettled;
        if (token != null) {
            streamByClientToken.put(token, s.streamId);
        }
        return Response.ok(createBody(s));
    }

    private Response listStreams(String clusterId, Map<String, List<String>> params) {
        if (!clusterStatuses.containsKey(clusterId)) {
            return Response.error(404, "ResourceNotFoundException", "Cluster not found: " + clusterId);
        }
        int max = params.containsKey("max-results")
                ? Integer.parseInt(params.get("max-results").get(0))
                : 100;
        if (max < 1 || max > 100) {
            return Response.error(400, "ValidationException", "max-results must be 1-100");
        }
        int start = params.containsKey("next-token")
                ? Integer.parseInt(params.get("next-token").get(0))
                : 0;
        List<FakeStream> all = streams.values().stream()
                .filter(s -> s.clusterId.equals(clusterId))
                .toList();
        int end = Math.min(all.size(), start + Math.min(max, pageSize));
        ObjectNode out = json.createObjectNode();
        var array = out.putArray("streams");
        for (FakeStream s : all.subList(start, end)) {
            array.add(summaryBody(s));
        }
        if (end < all.size()) {
            out.put("nextToken", Integer.toString(end));
        }
        return Response.ok(out);
    }

    private Response getStream(String clusterId, String streamId) {
        FakeStream s = streams.get(streamId);
        if (s == null || !s.clusterId.equals(clusterId)) {
            return Response.error(404, "ResourceNotFoundException", "Stream not found: " + streamId);
        }
        if (s.getsLeft > 0 && --s.getsLeft == 0) {
            if (s.status.equals("CREATING")) {
                s.status = s.settlesTo;
                s.reason = s.settleReason;
            } else if (s.status.equals("DELETING")) {
                streams.remove(streamId);
                return Response.error(404, "ResourceNotFoundException", "Stream not found: " + streamId);
            }
        }
        ObjectNode out = createBody(s);
        out.putObject("targetDefinition")
                .putObject("kinesis")
                .put("streamArn", s.kinesisArn)
                .put("roleArn", s.roleArn);
        ObjectNode tags = out.putObject("tags");
        s.tags.forEach(tags::put);
        if (s.reason != null && (s.status.equals("FAILED") || s.status.equals("IMPAIRED"))) {
            out.putObject("statusReason").put("error", s.reason).put("updatedAt", 1763700123.5);
        }
        return Response.ok(out);
    }

    private Response deleteStream(String clusterId, String streamId) {
        FakeStream s = streams.get(streamId);
        if (s == null || !s.clusterId.equals(clusterId)) {
            return Response.error(404, "ResourceNotFoundException", "Stream not found: " + streamId);
        }
        if (refuseDeleteWhileCreating && s.status.equals("CREATING")) {
            s.status = s.settlesTo;
            return Response.error(409, "ConflictException", "Stream is being created");
        }
        if (!s.status.equals("DELETING")) {
            s.status = "DELETING";
            s.getsLeft = getsUntilSettled;
        }
        return Response.ok(summaryBody(s));
    }

    private Response tag(String arn, JsonNode request) {
        FakeStream s = byArn(arn);
        if (s == null) {
            return Response.error(404, "ResourceNotFoundException", "Resource not found: " + arn);
        }
        request.path("tags")
                .properties()
                .forEach(e -> s.tags.put(e.getKey(), e.getValue().asText()));
        return Response.ok(json.createObjectNode());
    }

    private Response untag(String arn, List<String> keys) {
        FakeStream s = byArn(arn);
        if (s == null) {
            return Response.error(404, "ResourceNotFoundException", "Resource not found: " + arn);
        }
        keys.forEach(s.tags::remove);
        return Response.ok(json.createObjectNode());
    }

    private FakeStream byArn(String arn) {
        return streams.values().stream()
                .filter(s -> s.arn.equals(arn))
                .findFirst()
                .orElse(null);
    }

    private FakeStream newStream(
            String clusterId,
            String kinesisArn,
            String roleArn,
            String ordering,
            String format,
            Map<String, String> tags) {
        FakeStream s = new FakeStream();
        s.clusterId = clusterId;
        s.streamId = String.format("strm%022d", ++streamCounter);
        s.arn = arnOf(clusterId, s.streamId);
        s.kinesisArn = kinesisArn;
        s.roleArn = roleArn;
        s.ordering = ordering;
        s.format = format;
        s.tags = new TreeMap<>(tags);
        s.status = "CREATING";
        s.settlesTo = "ACTIVE";
        s.creationTime = 1763700000.25 + streamCounter;
        streams.put(s.streamId, s);
        return s;
    }

    /** The fields every stream operation answers with (ListStreams items, DeleteStream). */
    private ObjectNode summaryBody(FakeStream s) {
        ObjectNode out = json.createObjectNode();
        out.put("clusterIdentifier", s.clusterId);
        out.put("streamIdentifier", s.streamId);
        out.put("arn", s.arn);
        out.put("status", s.status);
        out.put("creationTime", s.creationTime);
        return out;
    }

    /** CreateStream's answer; GetStream adds target, tags and statusReason to it. */
    private ObjectNode createBody(FakeStream s) {
        ObjectNode out = summaryBody(s);
        out.put("ordering", s.ordering);
        out.put("format", s.format);
        return out;
    }

    private static final class FakeStream {
        String clusterId;
        String streamId;
        String arn;
        String kinesisArn;
        String roleArn;
        String ordering;
        String format;
        Map<String, String> tags;
        String status;
        String reason;
        String settlesTo;
        String settleReason;
        int getsLeft;
        double creationTime;
    }

    // ---- wire helpers ----------------------------------------------------------------------------

    private JsonNode readTree(byte[] body) {
        try {
            return body.length == 0 ? json.createObjectNode() : json.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("body is not JSON", e);
        }
    }

    private static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private void error(HttpExchange exchange, int status, String type, String message, Map<String, String> headers)
            throws IOException {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("x-amzn-ErrorType", type);
        ObjectNode body = json.createObjectNode().put("message", message);
        send(exchange, status, json.writeValueAsBytes(body), all);
    }

    private static void send(HttpExchange exchange, int status, byte[] body, Map<String, String> headers)
            throws IOException {
        send(exchange, status, "application/json", body, headers);
    }

    private static void send(
            HttpExchange exchange, int status, String contentType, byte[] body, Map<String, String> headers)
            throws IOException {
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.getResponseHeaders().add("x-amzn-RequestId", "fake-" + System.nanoTime());
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /**
     * Re-signs the request as received (the headers it says it signed, its path, query and body)
     * with the known test credentials for service {@code dsql} in this Region, at its own
     * X-Amz-Date, and compares signatures. Returns a problem, or null when it matches.
     */
    private String verifySignature(HttpExchange exchange, byte[] body) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String amzDate = exchange.getRequestHeaders().getFirst("X-Amz-Date");
        if (authorization == null || amzDate == null) {
            return "missing Authorization or X-Amz-Date";
        }
        Matcher m = Pattern.compile(
                        "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})")
                .matcher(authorization);
        if (!m.matches()) {
            return "malformed Authorization: " + authorization;
        }
        if (!m.group(3).equals(region) || !m.group(4).equals("dsql")) {
            return "signed for region " + m.group(3) + " and service " + m.group(4) + ", expected " + region
                    + " and dsql";
        }
        if (!m.group(1).equals(ACCESS_KEY)) {
            return "unknown access key " + m.group(1);
        }
        Instant signedAt = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(ZoneOffset.UTC)
                .parse(amzDate, Instant::from);
        URI uri = exchange.getRequestURI();
        String host = exchange.getRequestHeaders().getFirst("Host");
        SdkHttpFullRequest.Builder copy = SdkHttpFullRequest.builder()
                .uri(URI.create("http://" + host))
                .encodedPath(uri.getRawPath())
                .method(SdkHttpMethod.fromValue(exchange.getRequestMethod()));
        parseQuery(uri.getRawQuery()).forEach(copy::putRawQueryParameter);
        for (String name : m.group(5).split(";")) {
            if (name.equals("host") || name.equals("x-amz-date")) {
                continue;
            }
            List<String> values = exchange.getRequestHeaders().get(name);
            if (values != null) {
                copy.putHeader(name, values);
            }
        }
        SdkHttpFullRequest request = copy.build();
        SignedRequest expected = AwsV4HttpSigner.create()
                .sign(r -> r.identity(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY))
                        .request(request)
                        .payload(body.length == 0 ? null : ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "dsql")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
        String expectedAuth =
                expected.request().firstMatchingHeader("Authorization").orElse("");
        if (!expectedAuth.endsWith("Signature=" + m.group(6))) {
            return "signature does not match the request (expected " + expectedAuth + ", got " + authorization + ")";
        }
        return null;
    }
}
