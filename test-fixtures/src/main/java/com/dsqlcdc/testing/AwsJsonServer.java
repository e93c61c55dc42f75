package com.dsqlcdc.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP side the awsJson1_1 fakes ({@link FakeRedshiftDataApi}, {@link FakeKinesis}) share, so
 * that what every such service does with a request before and after its operation runs is written
 * once: read the body, take the operation from {@code X-Amz-Target: <prefix><Operation>} ("Unknown"
 * without the prefix), count the call, verify the SigV4 signature, hand the request to the fake's
 * {@link Processor}, turn an exception of the fake into a 500, and write the reply as JSON with
 * {@code Content-Type} {@value #CONTENT_TYPE} and an {@code x-amzn-RequestId}.
 *
 * <p>Only what the services (or the fakes' choices) differ in is a parameter: the target prefix,
 * the status of a bad signature, the error type of a failure of the fake, and the request ids'
 * high bits (so a test can tell which fake answered). The fakes keep their own public accessors,
 * documented for their service, and delegate to {@link #calls}, {@link #signatureProblems} and
 * {@link #internalErrors}. Thread-safe.
 */
final class AwsJsonServer implements AutoCloseable {

    /** The awsJson1_1 content type, of requests and replies alike. */
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    /** The error type of a bad signature; awsJson services name it alike, only the status differs. */
    static final String INVALID_SIGNATURE = "InvalidSignatureException";

    /** An answer: the HTTP status and the JSON body. */
    record Reply(int status, ObjectNode body) {}

    /** A fake's handling of one signed request: the operation named by X-Amz-Target, the raw body. */
    @FunctionalInterface
    interface Processor {
        Reply process(HttpExchange exchange, String operation, byte[] body);
    }

    private final ObjectMapper json = new ObjectMapper();
    private final String targetPrefix;
    private final SigV4Verifier verifier;
    private final int badSignatureStatus;
    private final String internalErrorType;
    private final long requestIdHighBits;
    private final Processor processor;
    private final FakeHttpServers.Running http;

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final List<String> signatureProblems = Collections.synchronizedList(new ArrayList<>());
    private final List<String> internalErrors = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong requestIds = new AtomicLong();

    /**
     * Starts serving on 127.0.0.1 at an ephemeral port.
     *
     * @param threadName the prefix of the serving threads' names, e.g. "fake-kinesis"
     * @param signingName the SigV4 signing name requests must be signed for (region us-east-1)
     * @param targetPrefix what X-Amz-Target starts with, e.g. "Kinesis_20131202."
     * @param badSignatureStatus the status a bad signature is answered with ({@value
     *     #INVALID_SIGNATURE})
     * @param internalErrorType the error type of a 500 answered when {@code processor} throws
     * @param requestIdHighBits the high 64 bits of the x-amzn-RequestId UUIDs (the low ones count)
     * @param processor answers the requests whose signature is good
     */
    AwsJsonServer(
            String threadName,
            String signingName,
            String targetPrefix,
            int badSignatureStatus,
            String internalErrorType,
            long requestIdHighBits,
            Processor processor) {
        this.targetPrefix = targetPrefix;
        this.verifier = new SigV4Verifier(signingName);
        this.badSignatureStatus = badSignatureStatus;
        this.internalErrorType = internalErrorType;
        this.requestIdHighBits = requestIdHighBits;
        this.processor = processor;
        this.http = FakeHttpServers.start(threadName, this::handle);
    }

    int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.close();
    }

    /** HTTP calls of {@code operation} received, including rejected ones. */
    int calls(String operation) {
        AtomicInteger n = calls.get(operation);
        return n == null ? 0 : n.get();
    }

    List<String> signatureProblems() {
        synchronized (signatureProblems) {
            return List.copyOf(signatureProblems);
        }
    }

    List<String> internalErrors() {
        synchronized (internalErrors) {
            return List.copyOf(internalErrors);
        }
    }

    static Reply ok(ObjectNode body) {
        return new Reply(200, body);
    }

    /** An awsJson error: {@code {"__type": type, "message": message}}, the type in the body only. */
    static Reply error(int status, String type, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("__type", type);
        body.put("message", message);
        return new Reply(status, body);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = target != null && target.startsWith(targetPrefix)
                    ? target.substring(targetPrefix.length())
                    : "Unknown";
            calls.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
            SigV4Verifier.Verification verification = verifier.verify(exchange, body);
            Reply reply;
            if (!verification.ok()) {
                signatureProblems.add(operation + ": " + verification.problem());
                reply = error(badSignatureStatus, INVALID_SIGNATURE, verification.problem());
            } else {
                try {
                    reply = processor.process(exchange, operation, body);
                } catch (RuntimeException e) {
                    internalErrors.add(operation + ": " + e);
                    reply = error(500, internalErrorType, "the fake failed: " + e);
                }
            }
            byte[] out = json.writeValueAsBytes(reply.body());
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.getResponseHeaders()
                    .set("x-amzn-RequestId", new UUID(requestIdHighBits, requestIds.incrementAndGet()).toString());
            exchange.sendResponseHeaders(reply.status(), out.length);
            try (OutputStream stream = exchange.getResponseBody()) {
                stream.write(out);
            }
        }
    }
}
