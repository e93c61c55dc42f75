package com.dsqlcdc.testing;

import com.sun.net.httpserver.HttpExchange;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Verifies the AWS Signature Version 4 of requests received by the local fakes, against the fixed
 * test credentials ({@link #ACCESS_KEY}/{@link #SECRET_KEY}), one signing service name and one
 * Region.
 *
 * <p>How a request is checked:
 *
 * <ul>
 *   <li>The {@code Authorization} header must name the test access key, this service and Region,
 *       the date of {@code X-Amz-Date}, sign {@code host}, and every header it claims to sign must
 *       be present. {@code X-Amz-Date} must be within 15 minutes of now (as AWS requires).
 *   <li>When the request's payload hash is the SHA-256 of its body (every Redshift Data API call,
 *       and any S3 call that signs its payload), the request is re-signed with the SDK's own
 *       {@link AwsV4HttpSigner} at the request's own {@code X-Amz-Date}, exactly as the fake DSQL
 *       server does, and the signatures are compared. A declared {@code x-amz-content-sha256}
 *       must also match the body.
 *   <li>When the payload hash is one of the literal tokens ({@code UNSIGNED-PAYLOAD},
 *       {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]},
 *       {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}: S3 over plain HTTP, see {@link FakeS3}) the
 *       SDK signer cannot be made to reproduce that canonical request without re-chunking the
 *       body, so this class builds the canonical request itself, following the SigV4
 *       specification (S3 style: no double URL-encoding, no path normalisation). The test of this
 *       class checks that this path agrees with {@link AwsV4HttpSigner} byte for byte.
 *   <li>For aws-chunked bodies, {@link Verification#expectedChunkSignature} and {@link
 *       Verification#expectedTrailerSignature} give the rolling chunk and trailer signatures that
 *       {@link AwsChunkedBody} checks.
 * </ul>
 *
 * <p>Thread-safe and stateless.
 */
public final class SigV4Verifier {

    public static final String ACCESS_KEY = "AKIDEXAMPLE";
    public static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public static final String DEFAULT_REGION = "us-east-1";
    public static final String REDSHIFT_DATA = "redshift-data";
    public static final String S3 = "s3";

    public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    public static final String STREAMING_SIGNED_PAYLOAD = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    public static final String STREAMING_SIGNED_PAYLOAD_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    public static final String STREAMING_UNSIGNED_PAYLOAD_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
    private static final Set<String> LITERAL_PAYLOAD_HASHES = Set.of(
            UNSIGNED_PAYLOAD,
            STREAMING_SIGNED_PAYLOAD,
            STREAMING_SIGNED_PAYLOAD_TRAILER,
            STREAMING_UNSIGNED_PAYLOAD_TRAILER);

    /** How far X-Amz-Date may be from the fake's clock, as on AWS. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(15);

    private static final Pattern AUTHORIZATION =
            Pattern.compile("AWS4-HMAC-SHA256 Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request,\\s*"
                    + "SignedHeaders=([^,\\s]+),\\s*Signature=([0-9a-f]{64})");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    static final String EMPTY_SHA256 = hex(sha256(new byte[0]));

    private final String service;
    private final String region;
    private final boolean s3Style;

    /** A verifier for {@code service} (its signing name, e.g. {@code redshift-data}) in us-east-1. */
    public SigV4Verifier(String service) {
        this(service, DEFAULT_REGION);
    }

    public SigV4Verifier(String service, String region) {
        this.service = service;
        this.region = region;
        // S3 signs the path as sent: no second URL-encoding and no dot-segment normalisation.
        this.s3Style = service.equals(S3);
    }

    public String service() {
        return service;
    }

    public String region() {
        return region;
    }

    /** The test credentials every fake accepts, for building SDK clients. */
    public static AwsCredentialsProvider credentialsProvider() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    /** Verifies a request received by a {@code com.sun.net.httpserver} fake; {@code body} as received. */
    public Verification verify(HttpExchange exchange, byte[] body) {
        return verify(exchange.getRequestMethod(), exchange.getRequestURI(), exchange.getRequestHeaders(), body);
    }

    /**
     * Verifies one request.
     *
     * @param uri the request URI as received; only its raw path and raw query are used
     * @param headers the request headers (names in any case)
     * @param body the body exactly as received (for aws-chunked bodies: still encoded)
     */
    public Verification verify(String method, URI uri, Map<String, List<String>> headers, byte[] body) {
        Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) ->
                h.computeIfAbsent(name, k -> new ArrayList<>()).addAll(values));
        String authorization = first(h, "Authorization");
        String amzDate = first(h, "X-Amz-Date");
        if (authorization == null || amzDate == null) {
            return Verification.failed("missing Authorization or X-Amz-Date header");
        }
        Matcher m = AUTHORIZATION.matcher(authorization.trim());
        if (!m.matches()) {
            return Verification.failed("malformed Authorization: " + authorization);
        }
        String accessKey = m.group(1);
        String scopeDate = m.group(2);
        String signedForRegion = m.group(3);
        String signedForService = m.group(4);
        List<String> signedHeaders = List.of(m.group(5).split(";"));
        String signature = m.group(6);
        if (!accessKey.equals(ACCESS_KEY)) {
            return Verification.failed("unknown access key " + accessKey);
        }
        if (!signedForRegion.equals(region) || !signedForService.equals(service)) {
            return Verification.failed("signed for region " + signedForRegion + " and service " + signedForService
                    + ", expected " + region + " and " + service);
        }
        Instant signedAt;
        try {
            signedAt = AMZ_DATE.parse(amzDate, Instant::from);
        } catch (DateTimeParseException e) {
            return Verification.failed("malformed X-Amz-Date " + amzDate);
        }
        if (!amzDate.startsWith(scopeDate)) {
            return Verification.failed("credential scope date " + scopeDate + " does not match X-Amz-Date " + amzDate);
        }
        if (Duration.between(signedAt, Instant.now()).abs().compareTo(MAX_CLOCK_SKEW) > 0) {
            return Verification.failed(
                    "X-Amz-Date " + amzDate + " is more than 15 minutes from now (RequestTimeTooSkewed)");
        }
        List<String> sorted = new ArrayList<>(signedHeaders);
        sorted.sort(null);
        if (!sorted.equals(signedHeaders) || signedHeaders.stream().anyMatch(n -> !n.equals(n.toLowerCase()))) {
            return Verification.failed("SignedHeaders must be lower-case and sorted: " + m.group(5));
        }
        if (!signedHeaders.contains("host")) {
            return Verification.failed("the host header is not signed");
        }
        for (String name : signedHeaders) {
            if (!h.containsKey(name)) {
                return Verification.failed("signed header " + name + " is not in the request");
            }
        }

        String scope = scopeDate + "/" + region + "/" + service + "/aws4_request";
        byte[] signingKey = signingKey(scopeDate);
        String payloadHash = first(h, "x-amz-content-sha256");
        String expected;
        String canonicalRequest = null;
        if (payloadHash == null || SHA256_HEX.matcher(payloadHash).matches()) {
            String bodyHash = hex(sha256(body));
            if (payloadHash != null && !payloadHash.equals(bodyHash)) {
                return Verification.failed(
                        "x-amz-content-sha256 " + payloadHash + " does not match the body (" + bodyHash + ")");
            }
            if (signedHeaders.contains("x-amz-content-sha256")) {
                expected = resignWithSdk(method, uri, h, signedHeaders, body, signedAt);
            } else {
                // The SDK signer always signs x-amz-content-sha256, so a request that did not (a
                // hand-signed one) is checked through the specification path instead.
                canonicalRequest = canonicalRequest(method, uri, h, signedHeaders, bodyHash);
                expected = sign(
                        signingKey,
                        stringToSign("AWS4-HMAC-SHA256", amzDate, scope, hex(sha256(utf8(canonicalRequest)))));
            }
        } else if (LITERAL_PAYLOAD_HASHES.contains(payloadHash)) {
            if (!signedHeaders.contains("x-amz-content-sha256")) {
                return Verification.failed("x-amz-content-sha256 " + payloadHash + " is not signed");
            }
            canonicalRequest = canonicalRequest(method, uri, h, signedHeaders, payloadHash);
            expected = sign(
                    signingKey, stringToSign("AWS4-HMAC-SHA256", amzDate, scope, hex(sha256(utf8(canonicalRequest)))));
        } else {
            return Verification.failed("unsupported x-amz-content-sha256: " + payloadHash);
        }
        if (!expected.equals(signature)) {
            return Verification.failed(
                    "signature does not match the request (expected Signature=" + expected + ", got " + authorization
                            + ")" + (canonicalRequest == null ? "" : "; canonical request:\n" + canonicalRequest));
        }
        return new Verification(null, amzDate, scope, signingKey, signature, payloadHash);
    }

    /**
     * Verifies a presigned request: the SigV4 query-string form, as an IAM authentication token is
     * (Aurora DSQL's and RDS's tokens are {@code <host>/?Action=...&X-Amz-...&X-Amz-Signature=...}
     * without a scheme). The credential must name the test access key, this service and Region; the
     * request must be signed for {@code host} only; {@code now} must lie between {@code X-Amz-Date}
     * and its {@code X-Amz-Expires} later. The signature is recomputed from the specification: the
     * canonical request of {@code method}, the path, every query parameter but the signature, the
     * host header, and the SHA-256 of an empty payload.
     *
     * @param method the HTTP method the signer was told (GET for a token)
     * @param url    the presigned URL; a token's {@code <host>/?...} is read as {@code https://<host>/?...}
     * @param now    the time to check the validity window against
     * @return the verification
     */
    public Verification verifyPresigned(String method, String url, Instant now) {
        URI uri = URI.create(url.contains("://") ? url : "https://" + url);
        Map<String, List<String>> query = decodedQuery(uri.getRawQuery());
        String algorithm = single(query, "X-Amz-Algorithm");
        String credential = single(query, "X-Amz-Credential");
        String amzDate = single(query, "X-Amz-Date");
        String expires = single(query, "X-Amz-Expires");
        String signedHeaders = single(query, "X-Amz-SignedHeaders");
        String signature = single(query, "X-Amz-Signature");
        if (algorithm == null
                || credential == null
                || amzDate == null
                || expires == null
                || signedHeaders == null
                || signature == null) {
            return Verification.failed("a presigned URL needs exactly one of each X-Amz-Algorithm, X-Amz-Credential,"
                    + " X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders and X-Amz-Signature: " + url);
        }
        if (!algorithm.equals("AWS4-HMAC-SHA256")) {
            return Verification.failed("unsupported X-Amz-Algorithm " + algorithm);
        }
        String[] scope = credential.split("/");
        if (scope.length != 5 || !scope[4].equals("aws4_request")) {
            return Verification.failed("malformed X-Amz-Credential " + credential);
        }
        if (!scope[0].equals(ACCESS_KEY)) {
            return Verification.failed("unknown access key " + scope[0]);
        }
        if (!scope[2].equals(region) || !scope[3].equals(service)) {
            return Verification.failed("signed for region " + scope[2] + " and service " + scope[3] + ", expected "
                    + region + " and " + service);
        }
        if (!amzDate.startsWith(scope[1])) {
            return Verification.failed("credential scope date " + scope[1] + " does not match X-Amz-Date " + amzDate);
        }
        if (!signedHeaders.equals("host")) {
            return Verification.failed("X-Amz-SignedHeaders is " + signedHeaders + "; a token signs host only");
        }
        Instant signedAt;
        long seconds;
        try {
            signedAt = AMZ_DATE.parse(amzDate, Instant::from);
            seconds = Long.parseLong(expires);
        } catch (DateTimeParseException | NumberFormatException e) {
            return Verification.failed("malformed X-Amz-Date " + amzDate + " or X-Amz-Expires " + expires);
        }
        if (seconds < 1 || seconds > 604_800) {
            return Verification.failed("X-Amz-Expires " + seconds + " is outside 1-604800 seconds");
        }
        if (now.isBefore(signedAt.minus(MAX_CLOCK_SKEW)) || now.isAfter(signedAt.plusSeconds(seconds))) {
            return Verification.failed("not valid at " + now + ": signed at " + signedAt + " for " + seconds + " s");
        }
        String rawQuery = uri.getRawQuery().replaceAll("(^|&)X-Amz-Signature=[^&]*", "");
        URI unsigned = URI.create(uri.getScheme() + "://" + uri.getRawAuthority()
                + (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath()) + "?" + rawQuery);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("host", List.of(uri.getRawAuthority()));
        String canonicalRequest = canonicalRequest(method, unsigned, headers, List.of("host"), EMPTY_SHA256);
        String expected = sign(
                signingKey(scope[1]),
                stringToSign(
                        algorithm,
                        amzDate,
                        String.join("/", scope[1], scope[2], scope[3], scope[4]),
                        hex(sha256(utf8(canonicalRequest)))));
        if (!expected.equals(signature)) {
            return Verification.failed("signature does not match the presigned request (expected " + expected + ", got "
                    + signature + "); canonical request:\n" + canonicalRequest);
        }
        return new Verification(
                null,
                amzDate,
                String.join("/", scope[1], scope[2], scope[3], scope[4]),
                signingKey(scope[1]),
                signature,
                EMPTY_SHA256);
    }

    private static String single(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.size() != 1 ? null : values.get(0);
    }

    /** The outcome of {@link #verify}: {@link #ok()}, or a {@link #problem()} to report. */
    public static final class Verification {
        private final String problem;
        private final String amzDate;
        private final String scope;
        private final byte[] signingKey;
        private final String seedSignature;
        private final String payloadHash;

        private Verification(
                String problem,
                String amzDate,
                String scope,
                byte[] signingKey,
                String seedSignature,
                String payloadHash) {
            this.problem = problem;
            this.amzDate = amzDate;
            this.scope = scope;
            this.signingKey = signingKey;
            this.seedSignature = seedSignature;
            this.payloadHash = payloadHash;
        }

        static Verification failed(String problem) {
            return new Verification(problem, null, null, null, null, null);
        }

        public boolean ok() {
            return problem == null;
        }

        /** What is wrong with the signature, or null when it verified. */
        public String problem() {
            return problem;
        }

        /** The request's {@code x-amz-content-sha256}, or null when it sent none. */
        public String payloadHash() {
            return payloadHash;
        }

        /** The request's own signature: the seed of an aws-chunked body's rolling chunk signatures. */
        public String seedSignature() {
            return seedSignature;
        }

        /**
         * The signature of one chunk of an aws-chunked body signed with
         * {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]}, given the previous chunk's signature
         * (the seed signature for the first chunk).
         */
        public String expectedChunkSignature(String previousSignature, byte[] data, int offset, int length) {
            requireOk();
            MessageDigest digest = sha256Digest();
            digest.update(data, offset, length);
            String toSign = "AWS4-HMAC-SHA256-PAYLOAD\n" + amzDate + "\n" + scope + "\n" + previousSignature + "\n"
                    + EMPTY_SHA256 + "\n" + hex(digest.digest());
            return sign(signingKey, toSign);
        }

        /**
         * The signature of the trailing headers of a {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER}
         * body, given the final (empty) chunk's signature and the trailers in canonical form (each
         * {@code name:value\n}, in the order sent).
         */
        public String expectedTrailerSignature(String previousSignature, String canonicalTrailers) {
            requireOk();
            String toSign = "AWS4-HMAC-SHA256-TRAILER\n" + amzDate + "\n" + scope + "\n" + previousSignature + "\n"
                    + hex(sha256(utf8(canonicalTrailers)));
            return sign(signingKey, toSign);
        }

        private void requireOk() {
            if (problem != null) {
                throw new IllegalStateException("the request did not verify: " + problem);
            }
        }
    }

    // ---- the SDK path ------------------------------------------------------------------------------

    /** Re-signs the request as received with the SDK signer at its own date; returns the signature. */
    private String resignWithSdk(
            String method,
            URI uri,
            Map<String, List<String>> h,
            List<String> signedHeaders,
            byte[] body,
            Instant signedAt) {
        SdkHttpFullRequest.Builder copy = SdkHttpFullRequest.builder()
                .uri(URI.create("http://" + first(h, "Host")))
                .encodedPath(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                .method(SdkHttpMethod.fromValue(method));
        decodedQuery(uri.getRawQuery()).forEach(copy::putRawQueryParameter);
        for (String name : signedHeaders) {
            if (name.equals("host") || name.equals("x-amz-date")) {
                continue; // the signer sets these itself, from the URI and the clock
            }
            copy.putHeader(name, h.get(name));
        }
        SdkHttpFullRequest request = copy.build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> {
            r.identity(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY))
                    .request(request)
                    .payload(body.length == 0 ? null : ContentStreamProvider.fromByteArray(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC));
            if (s3Style) {
                r.putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false);
            }
        });
        String authorization =
                signed.request().firstMatchingHeader("Authorization").orElse("");
        int at = authorization.indexOf("Signature=");
        return at < 0 ? "" : authorization.substring(at + "Signature=".length());
    }

    // ---- the specification path --------------------------------------------------------------------

    /** The SigV4 canonical request, with {@code payloadHash} as its last line. Package-visible for tests. */
    String canonicalRequest(
            String method, URI uri, Map<String, List<String>> h, List<String> signedHeaders, String payloadHash) {
        StringBuilder out = new StringBuilder();
        out.append(method).append('\n');
        out.append(canonicalUri(uri.getRawPath())).append('\n');
        out.append(canonicalQuery(uri.getRawQuery())).append('\n');
        for (String name : signedHeaders) {
            List<String> values = new ArrayList<>();
            for (String value : h.get(name)) {
                values.add(value.trim().replaceAll(" +", " "));
            }
            out.append(name).append(':').append(String.join(",", values)).append('\n');
        }
        out.append('\n').append(String.join(";", signedHeaders)).append('\n').append(payloadHash);
        return out.toString();
    }

    private String canonicalUri(String rawPath) {
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        if (s3Style) {
            return path;
        }
        String normalized = URI.create(path).normalize().getRawPath();
        if (normalized.isEmpty()) {
            normalized = "/";
        }
        if (path.endsWith("/") && !normalized.endsWith("/")) {
            normalized += "/";
        }
        return SdkHttpUtils.urlEncodeIgnoreSlashes(normalized);
    }

    private static String canonicalQuery(String rawQuery) {
        List<String[]> pairs = new ArrayList<>();
        decodedQuery(rawQuery)
                .forEach((name, values) -> values.forEach(
                        v -> pairs.add(new String[] {SdkHttpUtils.urlEncode(name), SdkHttpUtils.urlEncode(v)})));
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        List<String> joined = new ArrayList<>();
        for (String[] p : pairs) {
            joined.add(p[0] + "=" + p[1]);
        }
        return String.join("&", joined);
    }

    /**
     * The query's parameters, percent-decoded ({@code +} stays {@code +}: the SDK always encodes a
     * space as {@code %20}), in order of appearance; a parameter without {@code =} has value "".
     */
    static Map<String, List<String>> decodedQuery(String rawQuery) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = percentDecode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1));
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    /** Decodes %XX escapes (as UTF-8) and nothing else; a malformed escape stays as it is. */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    // ---- crypto helpers ----------------------------------------------------------------------------

    private byte[] signingKey(String date) {
        byte[] kDate = hmac(utf8("AWS4" + SECRET_KEY), date);
        byte[] kRegion = hmac(kDate, region);
        byte[] kService = hmac(kRegion, service);
        return hmac(kService, "aws4_request");
    }

    private static String stringToSign(String algorithm, String amzDate, String scope, String hashedCanonicalRequest) {
        return algorithm + "\n" + amzDate + "\n" + scope + "\n" + hashedCanonicalRequest;
    }

    private static String sign(byte[] signingKey, String stringToSign) {
        return hex(hmac(signingKey, stringToSign));
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(utf8(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[] data) {
        return sha256Digest().digest(data);
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String first(Map<String, List<String>> h, String name) {
        List<String> values = h.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
