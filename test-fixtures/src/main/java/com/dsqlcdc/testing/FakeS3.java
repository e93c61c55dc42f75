package com.dsqlcdc.testing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * A local HTTP fake of Amazon S3 (restXml, path-style addressing only: {@code
 * http://127.0.0.1:port/<bucket>/<key>}), for tests that point the real {@code S3Client} at it
 * with {@code endpointOverride} and {@code forcePathStyle(true)}.
 *
 * <p>Implements PutObject, GetObject (with a single byte range), HeadObject, DeleteObject and
 * ListObjectsV2 (prefix, delimiter, max-keys, continuation-token, start-after, encoding-type),
 * plus CreateBucket and HeadBucket; anything else is answered 501 NotImplemented. Errors carry
 * S3's XML body ({@code <Error><Code>NoSuchKey</Code>...}); HEAD errors have no body, as on S3.
 *
 * <p>Uploads: the SDK (2.40) sends PutObject over plain HTTP as an {@code aws-chunked} body
 * signed chunk by chunk ({@code x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER})
 * with a CRC32 checksum trailer. The fake verifies the request's SigV4 signature, every chunk
 * signature and the trailer signature (see {@link AwsChunkedBody}), stores the decoded payload,
 * checks {@code x-amz-decoded-content-length}, and verifies any checksum sent, as a header or a
 * trailer (CRC32, CRC32C, CRC64NVME, SHA1, SHA256; and Content-MD5), answering 400 BadDigest on a
 * mismatch. {@code If-None-Match: *} and {@code If-Match} on PutObject are honoured (412).
 *
 * <p>A bad signature is answered 403 SignatureDoesNotMatch and recorded in {@link
 * #signatureProblems()}. Thread-safe (a pool of threads serves the requests).
 */
public final class FakeS3 implements AutoCloseable {

    private static final String XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    /** Query parameters that name a sub-resource or feature this fake does not implement. */
    private static final List<String> UNSUPPORTED_SUBRESOURCES = List.of(
            "uploads",
            "uploadId",
            "partNumber",
            "tagging",
            "acl",
            "attributes",
            "retention",
            "legal-hold",
            "torrent",
            "restore",
            "select",
            "versionId",
            "versions",
            "policy",
            "lifecycle",
            "cors",
            "encryption",
            "notification",
            "versioning",
            "website",
            "location",
            "logging",
            "replication");

    private final SigV4Verifier verifier = new SigV4Verifier(SigV4Verifier.S3);
    private final FakeHttpServers.Running http;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final List<String> signatureProblems = Collections.synchronizedList(new ArrayList<>());
    private final List<String> internalErrors = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong requestIds = new AtomicLong();
    /** The id of the request being served on this thread, for the header and error bodies. */
    private static final ThreadLocal<String> REQUEST_ID = ThreadLocal.withInitial(() -> "FAKE0");

    // Guarded by `this`.
    private Clock clock = Clock.systemUTC();
    private final Map<String, TreeMap<String, Entry>> buckets = new TreeMap<>();
    private final Map<String, Deque<Fault>> faults = new HashMap<>();
    /** PutObject faults by key prefix ({@link #failNextPutsUnder}). */
    private final Map<String, Deque<Fault>> prefixFaults = new HashMap<>();

    private record Entry(
            StoredObject object, String etag, Instant lastModified, String checksumAlgorithm, String checksum) {}

    private record Fault(int status, String code) {}

    private record Reply(int status, Map<String, String> headers, byte[] body) {
        static Reply of(int status, Map<String, String> headers) {
            return new Reply(status, headers, new byte[0]);
        }
    }

    private FakeS3() {
        http = FakeHttpServers.start("fake-s3", this::handle);
    }

    /** Starts a fake on 127.0.0.1 at an ephemeral port, with no buckets. */
    public static FakeS3 start() {
        return new FakeS3();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + http.port());
    }

    @Override
    public void close() {
        http.close();
    }

    // ---- scripting -------------------------------------------------------------------------------

    public synchronized FakeS3 createBucket(String bucket) {
        buckets.putIfAbsent(bucket, new TreeMap<>());
        return this;
    }

    /** The clock used for Last-Modified (default: the system UTC clock). */
    public synchronized FakeS3 clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
        return this;
    }

    /** Stores an object directly, without HTTP (not counted as a call); creates the bucket if needed. */
    public synchronized FakeS3 seedObject(String bucket, String key, byte[] body, String contentType) {
        createBucket(bucket);
        store(
                bucket,
                new StoredObject(key, body, contentType == null ? DEFAULT_CONTENT_TYPE : contentType, Map.of()),
                null,
                null);
        return this;
    }

    /**
     * The next {@code count} PutObject calls (with a valid signature) are answered {@code
     * httpStatus} with error {@code errorCode} (e.g. 503 SlowDown, 500 InternalError) and store
     * nothing.
     */
    public void failNextPuts(int count, int httpStatus, String errorCode) {
        failNextCalls("PutObject", count, httpStatus, errorCode);
    }

    /**
     * The next {@code count} PutObject calls whose key starts with {@code keyPrefix} fail, others go
     * through: to fail one kind of write (e.g. staging) while the others (e.g. chunk pieces) work.
     */
    public synchronized void failNextPutsUnder(String keyPrefix, int count, int httpStatus, String errorCode) {
        Deque<Fault> queue = prefixFaults.computeIfAbsent(keyPrefix, k -> new ArrayDeque<>());
        for (int i = 0; i < count; i++) {
            queue.add(new Fault(httpStatus, errorCode));
        }
    }

    /** Drops every fault still queued: the calls from now on work. */
    public synchronized void clearFaults() {
        faults.clear();
        prefixFaults.clear();
    }

    /** As {@link #failNextPuts}, for any operation (the names {@link #calls} uses). */
    public synchronized void failNextCalls(String operation, int count, int httpStatus, String errorCode) {
        Deque<Fault> queue = faults.computeIfAbsent(operation, k -> new ArrayDeque<>());
        for (int i = 0; i < count; i++) {
            queue.add(new Fault(httpStatus, errorCode));
        }
    }

    // ---- observation -----------------------------------------------------------------------------

    /** Whether the bucket exists. */
    public synchronized boolean hasBucket(String bucket) {
        return buckets.containsKey(bucket);
    }

    /** The bucket's objects, key to object, sorted by key. */
    public synchronized Map<String, StoredObject> objects(String bucket) {
        TreeMap<String, Entry> objects = buckets.get(bucket);
        if (objects == null) {
            throw new IllegalArgumentException("no bucket " + bucket + " (buckets: " + buckets.keySet() + ")");
        }
        TreeMap<String, StoredObject> out = new TreeMap<>();
        objects.forEach((key, entry) -> out.put(key, entry.object()));
        return Collections.unmodifiableMap(out);
    }

    /**
     * The body of the object at {@code s3://<bucket>/<key>}, read directly (no HTTP, not counted as
     * a call), as the warehouse's COPY reads it; empty when the bucket or the object does not exist.
     *
     * @param s3Url the object's URL
     * @return its body
     */
    public synchronized Optional<byte[]> read(String s3Url) {
        if (s3Url == null || !s3Url.startsWith("s3://") || s3Url.indexOf('/', 5) < 0) {
            return Optional.empty();
        }
        int slash = s3Url.indexOf('/', 5);
        TreeMap<String, Entry> objects = buckets.get(s3Url.substring(5, slash));
        Entry entry = objects == null ? null : objects.get(s3Url.substring(slash + 1));
        return entry == null ? Optional.empty() : Optional.of(entry.object().body());
    }

    /**
     * HTTP calls per operation, including rejected ones: PutObject, GetObject, HeadObject,
     * ListObjectsV2, DeleteObject, CreateBucket, HeadBucket (others by their S3 names).
     */
    public int calls(String operation) {
        AtomicInteger n = calls.get(operation);
        return n == null ? 0 : n.get();
    }

    public List<String> signatureProblems() {
        synchronized (signatureProblems) {
            return List.copyOf(signatureProblems);
        }
    }

    /** Failures of the fake itself (answered 500 InternalError). */
    public List<String> internalErrors() {
        synchronized (internalErrors) {
            return List.copyOf(internalErrors);
        }
    }

    // ---- HTTP ------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            REQUEST_ID.set(String.format("FAKE%012d", requestIds.incrementAndGet()));
            byte[] raw = exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod();
            URI uri = exchange.getRequestURI();
            Map<String, List<String>> query = SigV4Verifier.decodedQuery(uri.getRawQuery());
            String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
            int slash = path.indexOf('/');
            String bucket = SigV4Verifier.percentDecode(slash < 0 ? path : path.substring(0, slash));
            String key = slash < 0 || slash == path.length() - 1
                    ? null
                    : SigV4Verifier.percentDecode(path.substring(slash + 1));
            Headers headers = exchange.getRequestHeaders();
            String operation = operationOf(method, bucket, key, query, headers);
            calls.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
            String resource = "/" + bucket + (key == null ? "" : "/" + key);

            SigV4Verifier.Verification verification = verifier.verify(exchange, raw);
            Reply reply;
            if (!verification.ok()) {
                signatureProblems.add(operation + ": " + verification.problem());
                reply = error(403, "SignatureDoesNotMatch", verification.problem(), resource, Map.of());
            } else {
                try {
                    reply = process(operation, bucket, key, query, headers, raw, verification, resource);
                } catch (RuntimeException e) {
                    internalErrors.add(operation + ": " + e);
                    reply = error(500, "InternalError", "the fake failed: " + e, resource, Map.of());
                }
            }
            send(exchange, method, reply);
        }
    }

    private static String operationOf(
            String method, String bucket, String key, Map<String, List<String>> query, Headers headers) {
        String unsupported = UNSUPPORTED_SUBRESOURCES.stream()
                .filter(query::containsKey)
                .findFirst()
                .orElse(null);
        if (bucket.isEmpty()) {
            return method.equals("GET") ? "ListBuckets" : "Unknown";
        }
        if (unsupported != null) {
            return method + "?" + unsupported;
        }
        if (key == null) {
            if (method.equals("POST") && query.containsKey("delete")) {
                return "DeleteObjects";
            }
            switch (method) {
                case "PUT":
                    return "CreateBucket";
                case "HEAD":
                    return "HeadBucket";
                case "DELETE":
                    return "DeleteBucket";
                case "GET":
                    return query.containsKey("list-type")
                                    && query.get("list-type").contains("2")
                            ? "ListObjectsV2"
                            : "ListObjects";
                default:
                    return "Unknown";
            }
        }
        switch (method) {
            case "PUT":
                return headers.containsKey("x-amz-copy-source") ? "CopyObject" : "PutObject";
            case "GET":
                return "GetObject";
            case "HEAD":
                return "HeadObject";
            case "DELETE":
                return "DeleteObject";
            default:
                return "Unknown";
        }
    }

    private Reply process(
            String operation,
            String bucket,
            String key,
            Map<String, List<String>> query,
            Headers headers,
            byte[] raw,
            SigV4Verifier.Verification verification,
            String resource) {
        byte[] body = raw;
        Map<String, String> trailers = Map.of();
        String payloadHash = verification.payloadHash();
        String contentEncoding = String.join(",", headers.getOrDefault("Content-Encoding", List.of()));
        if ((payloadHash != null && payloadHash.startsWith("STREAMING-")) || contentEncoding.contains("aws-chunked")) {
            AwsChunkedBody.Decoded decoded;
            try {
                decoded = AwsChunkedBody.decode(raw, verification);
            } catch (AwsChunkedBody.MalformedException e) {
                return error(
                        400, "IncompleteBody", "malformed aws-chunked body: " + e.getMessage(), resource, Map.of());
            }
            if (decoded.signatureProblem() != null) {
                signatureProblems.add(operation + ": " + decoded.signatureProblem());
                return error(403, "SignatureDoesNotMatch", decoded.signatureProblem(), resource, Map.of());
            }
            body = decoded.payload();
            trailers = decoded.trailers();
            String decodedLength = headers.getFirst("x-amz-decoded-content-length");
            if (decodedLength == null || !decodedLength.equals(Integer.toString(body.length))) {
                return error(
                        400,
                        "IncompleteBody",
                        "x-amz-decoded-content-length is " + decodedLength + " but the decoded body has " + body.length
                                + " bytes",
                        resource,
                        Map.of());
            }
        }
        synchronized (this) {
            Deque<Fault> queue = faults.get(operation);
            Fault fault = queue == null ? null : queue.poll();
            if (fault == null && operation.equals("PutObject") && key != null) {
                for (Map.Entry<String, Deque<Fault>> byPrefix : prefixFaults.entrySet()) {
                    if (key.startsWith(byPrefix.getKey())
                            && !byPrefix.getValue().isEmpty()) {
                        fault = byPrefix.getValue().poll();
                        break;
                    }
                }
            }
            if (fault != null) {
                return error(fault.status(), fault.code(), defaultMessage(fault.code()), resource, Map.of());
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            switch (operation) {
                case "CreateBucket":
                    if (buckets.containsKey(bucket)) {
                        return error(
                                409,
                                "BucketAlreadyOwnedByYou",
                                "Your previous request to create the named bucket succeeded and you already own it.",
                                resource,
                                Map.of("BucketName", bucket));
                    }
                    buckets.put(bucket, new TreeMap<>());
                    return Reply.of(200, Map.of("Location", "/" + bucket));
                case "HeadBucket":
                    return buckets.containsKey(bucket) ? Reply.of(200, Map.of()) : noSuchBucket(bucket, resource);
                case "PutObject":
                    return putObject(bucket, key, headers, body, trailers, now, resource);
                case "GetObject":
                case "HeadObject":
                    return getObject(operation.equals("HeadObject"), bucket, key, query, headers, resource);
                case "DeleteObject":
                    if (!buckets.containsKey(bucket)) {
                        return noSuchBucket(bucket, resource);
                    }
                    buckets.get(bucket).remove(key);
                    return Reply.of(204, Map.of());
                case "ListObjectsV2":
                    return listObjectsV2(bucket, query, resource);
                case "DeleteObjects":
                    return deleteObjects(bucket, body, resource);
                default:
                    return error(
                            501,
                            "NotImplemented",
                            "A header or query you provided implies functionality that is not implemented (" + operation
                                    + " is not supported by this fake).",
                            resource,
                            Map.of());
            }
        }
    }

    // ---- operations (called with the lock held) ----------------------------------------------------

    private Reply putObject(
            String bucket,
            String key,
            Headers headers,
            byte[] body,
            Map<String, String> trailers,
            Instant now,
            String resource) {
        TreeMap<String, Entry> objects = buckets.get(bucket);
        if (objects == null) {
            return noSuchBucket(bucket, resource);
        }
        String contentMd5 = headers.getFirst("Content-MD5");
        if (contentMd5 != null && !contentMd5.equals(Checksums.base64("MD5", body))) {
            return error(
                    400,
                    "BadDigest",
                    "The Content-MD5 you specified did not match what we received.",
                    resource,
                    Map.of());
        }
        // Flexible checksums: as headers, or as trailers announced by x-amz-trailer.
        Map<String, String> checksums = new LinkedHashMap<>();
        for (String name : headers.keySet()) {
            String algorithm = Checksums.algorithmOfHeader(name);
            if (algorithm != null) {
                checksums.put(algorithm, headers.getFirst(name));
            }
        }
        List<String> declaredTrailers = new ArrayList<>();
        for (String value : headers.getOrDefault("x-amz-trailer", List.of())) {
            for (String name : value.split(",")) {
                if (!name.isBlank()) {
                    declaredTrailers.add(name.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        for (String declared : declaredTrailers) {
            if (!trailers.containsKey(declared)) {
                return error(
                        400,
                        "InvalidRequest",
                        "x-amz-trailer announces " + declared + " but the body has no such trailer",
                        resource,
                        Map.of());
            }
        }
        for (Map.Entry<String, String> trailer : trailers.entrySet()) {
            if (!declaredTrailers.contains(trailer.getKey())) {
                return error(
                        400,
                        "InvalidRequest",
                        "the body has trailer " + trailer.getKey() + " that x-amz-trailer does not announce",
                        resource,
                        Map.of());
            }
            String algorithm = Checksums.algorithmOfHeader(trailer.getKey());
            if (algorithm != null) {
                checksums.put(algorithm, trailer.getValue());
            }
        }
        if (checksums.size() > 1) {
            return error(
                    400,
                    "InvalidRequest",
                    "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.",
                    resource,
                    Map.of());
        }
        String sdkAlgorithm = headers.getFirst("x-amz-sdk-checksum-algorithm");
        if (sdkAlgorithm != null
                && !checksums.isEmpty()
                && !checksums.containsKey(sdkAlgorithm.toUpperCase(Locale.ROOT))) {
            return error(
                    400,
                    "InvalidRequest",
                    "Value for x-amz-sdk-checksum-algorithm header is invalid.",
                    resource,
                    Map.of());
        }
        String checksumAlgorithm = null;
        String checksum = null;
        for (Map.Entry<String, String> c : checksums.entrySet()) {
            String computed = Checksums.base64(c.getKey(), body);
            if (!computed.equals(c.getValue())) {
                return error(
                        400,
                        "BadDigest",
                        "The " + c.getKey() + " you specified did not match the calculated checksum.",
                        resource,
                        Map.of());
            }
            checksumAlgorithm = c.getKey();
            checksum = c.getValue();
        }
        Entry existing = objects.get(key);
        String ifNoneMatch = headers.getFirst("If-None-Match");
        if ("*".equals(ifNoneMatch) && existing != null) {
            return error(
                    412,
                    "PreconditionFailed",
                    "At least one of the pre-conditions you specified did not hold",
                    resource,
                    Map.of("Condition", "If-None-Match"));
        }
        String ifMatch = headers.getFirst("If-Match");
        if (ifMatch != null) {
            if (existing == null) {
                return error(404, "NoSuchKey", "The specified key does not exist.", resource, Map.of("Key", key));
            }
            if (!ifMatch.equals("*")
                    && !ifMatch.equals(existing.etag())
                    && !("\"" + ifMatch + "\"").equals(existing.etag())) {
                return error(
                        412,
                        "PreconditionFailed",
                        "At least one of the pre-conditions you specified did not hold",
                        resource,
                        Map.of("Condition", "If-Match"));
            }
        }
        Map<String, String> stored = new TreeMap<>();
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (isStoredHeader(name)) {
                stored.put(name, String.join(",", h.getValue()));
            }
        }
        List<String> encodings = new ArrayList<>();
        for (String e : contentEncodingOf(headers)) {
            if (!e.equalsIgnoreCase("aws-chunked")) {
                encodings.add(e);
            }
        }
        if (!encodings.isEmpty()) {
            stored.put("content-encoding", String.join(",", encodings));
        }
        if (checksumAlgorithm != null) {
            stored.put(Checksums.headerName(checksumAlgorithm), checksum);
        }
        String contentType = headers.getFirst("Content-Type");
        StoredObject object =
                new StoredObject(key, body, contentType == null ? DEFAULT_CONTENT_TYPE : contentType, stored);
        Entry entry = store(bucket, object, checksumAlgorithm, checksum, now);
        Map<String, String> out = new LinkedHashMap<>();
        out.put("ETag", entry.etag());
        encryptionHeaders(stored).forEach(out::put);
        if (checksumAlgorithm != null) {
            out.put(Checksums.headerName(checksumAlgorithm), checksum);
            out.put("x-amz-checksum-type", "FULL_OBJECT");
        }
        return Reply.of(200, out);
    }

    private Reply getObject(
            boolean head,
            String bucket,
            String key,
            Map<String, List<String>> query,
            Headers headers,
            String resource) {
        TreeMap<String, Entry> objects = buckets.get(bucket);
        if (objects == null) {
            return noSuchBucket(bucket, resource);
        }
        Entry entry = objects.get(key);
        if (entry == null) {
            return error(404, "NoSuchKey", "The specified key does not exist.", resource, Map.of("Key", key));
        }
        StoredObject object = entry.object();
        byte[] body = object.body();
        Map<String, String> out = new LinkedHashMap<>();
        out.put("Content-Type", object.contentType());
        out.put("ETag", entry.etag());
        out.put("Last-Modified", HTTP_DATE.format(entry.lastModified().truncatedTo(ChronoUnit.SECONDS)));
        out.put("Accept-Ranges", "bytes");
        for (Map.Entry<String, String> h : object.headers().entrySet()) {
            String name = h.getKey();
            if (name.startsWith("x-amz-checksum-") || name.equals("x-amz-acl")) {
                continue;
            }
            if (name.equals("x-amz-tagging")) {
                out.put(
                        "x-amz-tagging-count",
                        Integer.toString(
                                h.getValue().isEmpty() ? 0 : h.getValue().split("&").length));
                continue;
            }
            out.put(name, h.getValue());
        }
        encryptionHeaders(object.headers()).forEach(out::put);
        for (String override : List.of(
                "content-type",
                "cache-control",
                "content-disposition",
                "content-encoding",
                "content-language",
                "expires")) {
            List<String> value = query.get("response-" + override);
            if (value != null && !head) {
                out.put(override, value.get(0));
            }
        }
        String range = headers.getFirst("Range");
        int status = 200;
        if (range != null) {
            long[] r = parseRange(range, body.length);
            if (r == null) {
                return error(
                        416,
                        "InvalidRange",
                        "The requested range is not satisfiable",
                        resource,
                        Map.of("RangeRequested", range, "ActualObjectSize", Integer.toString(body.length)));
            }
            out.put("Content-Range", "bytes " + r[0] + "-" + r[1] + "/" + body.length);
            body = Arrays.copyOfRange(body, (int) r[0], (int) r[1] + 1);
            status = 206;
        } else if ("ENABLED".equalsIgnoreCase(headers.getFirst("x-amz-checksum-mode"))
                && entry.checksumAlgorithm() != null) {
            out.put(Checksums.headerName(entry.checksumAlgorithm()), entry.checksum());
            out.put("x-amz-checksum-type", "FULL_OBJECT");
        }
        if (head) {
            out.put("Content-Length", Integer.toString(body.length));
            return Reply.of(status, out);
        }
        return new Reply(status, out, body);
    }

    private Reply listObjectsV2(String bucket, Map<String, List<String>> query, String resource) {
        TreeMap<String, Entry> objects = buckets.get(bucket);
        if (objects == null) {
            return noSuchBucket(bucket, resource);
        }
        String prefix = param(query, "prefix", "");
        String delimiter = param(query, "delimiter", "");
        String token = param(query, "continuation-token", null);
        String startAfter = param(query, "start-after", null);
        boolean urlEncoding = "url".equals(param(query, "encoding-type", null));
        int maxKeys;
        try {
            maxKeys = Integer.parseInt(param(query, "max-keys", "1000"));
        } catch (NumberFormatException e) {
            maxKeys = -1;
        }
        if (maxKeys < 0) {
            return error(
                    400,
                    "InvalidArgument",
                    "Provided max-keys not an integer or within integer range",
                    resource,
                    Map.of());
        }
        maxKeys = Math.min(maxKeys, 1000);
        String marker = startAfter;
        boolean markerIsCommonPrefix = false;
        if (token != null) {
            String decoded;
            try {
                decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                decoded = "";
            }
            if (!decoded.startsWith("K:") && !decoded.startsWith("P:")) {
                return error(
                        400, "InvalidArgument", "The continuation token provided is incorrect", resource, Map.of());
            }
            marker = decoded.substring(2);
            markerIsCommonPrefix = decoded.startsWith("P:");
        }
        List<Entry> contents = new ArrayList<>();
        List<String> commonPrefixes = new ArrayList<>();
        String last = null;
        boolean lastIsCommonPrefix = false;
        boolean truncated = false;
        for (Map.Entry<String, Entry> e : objects.tailMap(prefix, true).entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(prefix)) {
                break;
            }
            if (marker != null && (key.compareTo(marker) <= 0 || (markerIsCommonPrefix && key.startsWith(marker)))) {
                continue;
            }
            String commonPrefix = null;
            if (!delimiter.isEmpty()) {
                int at = key.indexOf(delimiter, prefix.length());
                if (at >= 0) {
                    commonPrefix = key.substring(0, at + delimiter.length());
                    if (lastIsCommonPrefix && commonPrefix.equals(last)) {
                        continue;
                    }
                }
            }
            if (contents.size() + commonPrefixes.size() >= maxKeys) {
                truncated = maxKeys > 0;
                break;
            }
            if (commonPrefix != null) {
                commonPrefixes.add(commonPrefix);
                last = commonPrefix;
                lastIsCommonPrefix = true;
            } else {
                contents.add(e.getValue());
                last = key;
                lastIsCommonPrefix = false;
            }
        }
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append("<ListBucketResult xmlns=\"").append(XMLNS).append("\">");
        element(xml, "Name", bucket);
        element(xml, "Prefix", encode(prefix, urlEncoding));
        if (!delimiter.isEmpty()) {
            element(xml, "Delimiter", encode(delimiter, urlEncoding));
        }
        element(xml, "MaxKeys", Integer.toString(maxKeys));
        if (urlEncoding) {
            element(xml, "EncodingType", "url");
        }
        element(xml, "KeyCount", Integer.toString(contents.size() + commonPrefixes.size()));
        element(xml, "IsTruncated", Boolean.toString(truncated));
        if (token != null) {
            element(xml, "ContinuationToken", token);
        }
        if (truncated) {
            String next = (lastIsCommonPrefix ? "P:" : "K:") + last;
            element(
                    xml,
                    "NextContinuationToken",
                    Base64.getUrlEncoder().withoutPadding().encodeToString(next.getBytes(StandardCharsets.UTF_8)));
        }
        if (startAfter != null) {
            element(xml, "StartAfter", encode(startAfter, urlEncoding));
        }
        for (Entry entry : contents) {
            xml.append("<Contents>");
            element(xml, "Key", encode(entry.object().key(), urlEncoding));
            element(xml, "LastModified", ISO_MILLIS.format(entry.lastModified()));
            element(xml, "ETag", entry.etag());
            if (entry.checksumAlgorithm() != null) {
                element(xml, "ChecksumAlgorithm", entry.checksumAlgorithm());
                element(xml, "ChecksumType", "FULL_OBJECT");
            }
            element(xml, "Size", Integer.toString(entry.object().size()));
            element(xml, "StorageClass", entry.object().headers().getOrDefault("x-amz-storage-class", "STANDARD"));
            xml.append("</Contents>");
        }
        for (String commonPrefix : commonPrefixes) {
            xml.append("<CommonPrefixes>");
            element(xml, "Prefix", encode(commonPrefix, urlEncoding));
            xml.append("</CommonPrefixes>");
        }
        xml.append("</ListBucketResult>");
        return new Reply(
                200, Map.of("Content-Type", "application/xml"), xml.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static final Pattern DELETE_KEY = Pattern.compile("<Key>([^<]*)</Key>");
    private static final Pattern QUIET = Pattern.compile("<Quiet>\\s*true\\s*</Quiet>");

    /**
     * DeleteObjects: the keys of the {@code <Delete>} document go (a missing key counts as deleted, as
     * S3 answers); quiet mode answers errors only. At most 1,000 keys, as S3.
     */
    private Reply deleteObjects(String bucket, byte[] body, String resource) {
        TreeMap<String, Entry> objects = buckets.get(bucket);
        if (objects == null) {
            return noSuchBucket(bucket, resource);
        }
        String document = new String(body, StandardCharsets.UTF_8);
        List<String> keys = new ArrayList<>();
        Matcher matcher = DELETE_KEY.matcher(document);
        while (matcher.find()) {
            keys.add(unescape(matcher.group(1)));
        }
        if (keys.isEmpty() || keys.size() > 1000) {
            return error(
                    400,
                    "MalformedXML",
                    "The XML you provided was not well-formed or did not validate against"
                            + " our published schema (1-1000 keys).",
                    resource,
                    Map.of());
        }
        boolean quiet = QUIET.matcher(document).find();
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append("<DeleteResult xmlns=\"").append(XMLNS).append("\">");
        for (String key : keys) {
            objects.remove(key);
            if (!quiet) {
                xml.append("<Deleted>");
                element(xml, "Key", key);
                xml.append("</Deleted>");
            }
        }
        xml.append("</DeleteResult>");
        return new Reply(
                200, Map.of("Content-Type", "application/xml"), xml.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String unescape(String xml) {
        return xml.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&");
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private Entry store(String bucket, StoredObject object, String checksumAlgorithm, String checksum) {
        return store(
                bucket, object, checksumAlgorithm, checksum, clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }

    private Entry store(String bucket, StoredObject object, String checksumAlgorithm, String checksum, Instant now) {
        Entry entry =
                new Entry(object, "\"" + Checksums.md5Hex(object.body()) + "\"", now, checksumAlgorithm, checksum);
        buckets.get(bucket).put(object.key(), entry);
        return entry;
    }

    private static boolean isStoredHeader(String name) {
        return name.startsWith("x-amz-meta-")
                || name.startsWith("x-amz-server-side-encryption")
                || name.startsWith("x-amz-object-lock-")
                || List.of(
                                "x-amz-storage-class",
                                "x-amz-tagging",
                                "x-amz-website-redirect-location",
                                "x-amz-acl",
                                "cache-control",
                                "content-disposition",
                                "content-language",
                                "expires")
                        .contains(name);
    }

    private static List<String> contentEncodingOf(Headers headers) {
        List<String> out = new ArrayList<>();
        for (String value : headers.getOrDefault("Content-Encoding", List.of())) {
            for (String e : value.split(",")) {
                if (!e.isBlank()) {
                    out.add(e.trim());
                }
            }
        }
        return out;
    }

    /** The server-side encryption headers S3 answers with: the ones stored, else its default SSE-S3. */
    private static Map<String, String> encryptionHeaders(Map<String, String> stored) {
        Map<String, String> out = new LinkedHashMap<>();
        stored.forEach((name, value) -> {
            if (name.startsWith("x-amz-server-side-encryption")
                    && !name.equals("x-amz-server-side-encryption-context")
                    && !name.equals("x-amz-server-side-encryption-customer-key")) {
                out.put(name, value);
            }
        });
        out.putIfAbsent("x-amz-server-side-encryption", "AES256");
        return out;
    }

    /** A single range {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n} as [first, last], or null if unsatisfiable. */
    private static long[] parseRange(String range, long size) {
        Matcher m = RANGE.matcher(range.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty()) || size == 0) {
            return null;
        }
        long first;
        long last;
        if (m.group(1).isEmpty()) {
            long suffix = Long.parseLong(m.group(2));
            first = Math.max(0, size - suffix);
            last = size - 1;
        } else {
            first = Long.parseLong(m.group(1));
            last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
        }
        return first >= size || first > last ? null : new long[] {first, last};
    }

    private static String param(Map<String, List<String>> query, String name, String otherwise) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? otherwise : values.get(0);
    }

    private static String encode(String value, boolean urlEncoding) {
        return urlEncoding ? SdkHttpUtils.urlEncodeIgnoreSlashes(value) : value;
    }

    private static void element(StringBuilder xml, String name, String value) {
        xml.append('<')
                .append(name)
                .append('>')
                .append(escape(value))
                .append("</")
                .append(name)
                .append('>');
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        out.append("&#").append((int) c).append(';');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static String defaultMessage(String code) {
        return switch (code) {
            case "SlowDown" -> "Please reduce your request rate.";
            case "InternalError" -> "We encountered an internal error. Please try again.";
            case "ServiceUnavailable" -> "Service is unable to handle request.";
            case "AccessDenied" -> "Access Denied";
            case "NoSuchBucket" -> "The specified bucket does not exist";
            case "NoSuchKey" -> "The specified key does not exist.";
            case "RequestTimeout" ->
                "Your socket connection to the server was not read from or written to within the timeout period.";
            default -> code;
        };
    }

    private Reply noSuchBucket(String bucket, String resource) {
        return error(
                404, "NoSuchBucket", "The specified bucket does not exist", resource, Map.of("BucketName", bucket));
    }

    private Reply error(int status, String code, String message, String resource, Map<String, String> extra) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>");
        element(xml, "Code", code);
        element(xml, "Message", message);
        new TreeMap<>(extra).forEach((name, value) -> element(xml, name, value));
        element(xml, "Resource", resource);
        element(xml, "RequestId", REQUEST_ID.get());
        element(xml, "HostId", "fake-s3");
        xml.append("</Error>");
        return new Reply(
                status,
                Map.of("Content-Type", "application/xml"),
                xml.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void send(HttpExchange exchange, String method, Reply reply) throws IOException {
        Headers out = exchange.getResponseHeaders();
        out.set("x-amz-request-id", REQUEST_ID.get());
        out.set("x-amz-id-2", "fake-s3");
        if (method.equals("HEAD")) {
            // A HEAD answer carries the GET's headers (Content-Length included) but never a body; a
            // failed one carries only its status, as on S3.
            if (reply.status() < 300) {
                reply.headers().forEach(out::set);
            }
            exchange.sendResponseHeaders(reply.status(), -1);
            return;
        }
        reply.headers().forEach(out::set);
        byte[] body = reply.body();
        exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream stream = exchange.getResponseBody()) {
                stream.write(body);
            }
        }
    }
}
