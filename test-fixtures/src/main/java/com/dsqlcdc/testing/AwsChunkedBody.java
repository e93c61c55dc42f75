package com.dsqlcdc.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes an {@code aws-chunked} request body (S3's SigV4 streaming upload format), as the SDK
 * sends it for PutObject over plain HTTP:
 *
 * <pre>
 * hex-size[;chunk-signature=sig]\r\n data \r\n     (repeated)
 * 0[;chunk-signature=sig]\r\n                      (the final, empty chunk)
 * name:value\r\n ...                               (trailers, e.g. x-amz-checksum-crc32)
 * [x-amz-trailer-signature:sig\r\n]
 * \r\n
 * </pre>
 *
 * For {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]} every chunk signature is checked (each
 * signs the previous one, starting from the request's seed signature) and so is the trailer
 * signature; {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER} bodies carry none.
 */
public final class AwsChunkedBody {

    /**
     * A decoded body: the payload, the trailers (names lower-case, in order sent), and a signature
     * problem (a chunk or trailer signature that does not match), or null.
     */
    public record Decoded(byte[] payload, Map<String, String> trailers, String signatureProblem) {}

    /** The body is not well-formed aws-chunked. */
    public static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message);
        }
    }

    private final byte[] raw;
    private int pos;

    private AwsChunkedBody(byte[] raw) {
        this.raw = raw;
    }

    /**
     * Decodes {@code raw}; {@code verification} is the request's (successful) header verification,
     * whose payload hash says whether chunks are signed.
     */
    public static Decoded decode(byte[] raw, SigV4Verifier.Verification verification) throws MalformedException {
        return new AwsChunkedBody(raw).decode(verification);
    }

    private Decoded decode(SigV4Verifier.Verification verification) throws MalformedException {
        String payloadHash = verification.payloadHash() == null ? "" : verification.payloadHash();
        boolean signedChunks = payloadHash.startsWith(SigV4Verifier.STREAMING_SIGNED_PAYLOAD);
        boolean signedTrailer = payloadHash.equals(SigV4Verifier.STREAMING_SIGNED_PAYLOAD_TRAILER);
        String previous = verification.seedSignature();
        String signatureProblem = null;
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (int chunk = 0; ; chunk++) {
            String header = readLine();
            String[] parts = header.split(";");
            int size;
            try {
                size = Integer.parseInt(parts[0].trim(), 16);
            } catch (NumberFormatException e) {
                throw new MalformedException("chunk " + chunk + " has a malformed size line: " + header);
            }
            if (size < 0 || pos + size > raw.length) {
                throw new MalformedException("chunk " + chunk + " declares " + size + " bytes but the body is shorter");
            }
            String chunkSignature = null;
            for (int i = 1; i < parts.length; i++) {
                if (parts[i].startsWith("chunk-signature=")) {
                    chunkSignature = parts[i].substring("chunk-signature=".length());
                }
            }
            if (signedChunks) {
                if (chunkSignature == null) {
                    throw new MalformedException("chunk " + chunk + " has no chunk-signature");
                }
                String expected = verification.expectedChunkSignature(previous, raw, pos, size);
                if (signatureProblem == null && !expected.equals(chunkSignature)) {
                    signatureProblem = "chunk " + chunk + " signature does not match (expected " + expected + ", got "
                            + chunkSignature + ")";
                }
                previous = chunkSignature;
            }
            payload.write(raw, pos, size);
            pos += size;
            if (size == 0) {
                break;
            }
            expectCrlf("after chunk " + chunk);
        }
        Map<String, String> trailers = new LinkedHashMap<>();
        StringBuilder canonicalTrailers = new StringBuilder();
        boolean sawTrailerSignature = false;
        while (pos < raw.length) {
            String line = readLine();
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MalformedException("malformed trailer line: " + line);
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("x-amz-trailer-signature")) {
                sawTrailerSignature = true;
                if (signedTrailer) {
                    String expected = verification.expectedTrailerSignature(previous, canonicalTrailers.toString());
                    if (signatureProblem == null && !expected.equals(value)) {
                        signatureProblem =
                                "trailer signature does not match (expected " + expected + ", got " + value + ")";
                    }
                }
            } else {
                trailers.put(name, value);
                canonicalTrailers.append(name).append(':').append(value).append('\n');
            }
        }
        if (signedTrailer && !sawTrailerSignature) {
            throw new MalformedException("the body has no x-amz-trailer-signature");
        }
        if (pos != raw.length) {
            throw new MalformedException((raw.length - pos) + " unexpected bytes after the final chunk and trailers");
        }
        return new Decoded(payload.toByteArray(), Collections.unmodifiableMap(trailers), signatureProblem);
    }

    private String readLine() throws MalformedException {
        for (int i = pos; i + 1 < raw.length; i++) {
            if (raw[i] == '\r' && raw[i + 1] == '\n') {
                String line = new String(raw, pos, i - pos, StandardCharsets.US_ASCII);
                pos = i + 2;
                return line;
            }
        }
        throw new MalformedException("truncated aws-chunked body: no CRLF after offset " + pos);
    }

    private void expectCrlf(String where) throws MalformedException {
        if (pos + 1 >= raw.length || raw[pos] != '\r' || raw[pos + 1] != '\n') {
            throw new MalformedException("missing CRLF " + where);
        }
        pos += 2;
    }
}
