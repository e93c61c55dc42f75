package com.dsqlcdc.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * The verifier against requests signed by the SDK's own signer: its specification path (used for
 * S3's literal payload hashes) must agree with the SDK byte for byte, and tampering must show.
 */
class SigV4VerifierTest {

    private static final String HOST = "127.0.0.1:4566";

    @Test
    void unsignedPayloadRequestsVerifyThroughTheSpecificationPath() {
        // Unsigned payloads need https (the SDK insists); the scheme is not part of the signature.
        SignedRequest signed = sign(
                "s3",
                SdkHttpMethod.GET,
                "https",
                "/bucket/dir/a%20b%2Bc%3D%2A~.json",
                Map.of("list-type", "2", "prefix", "a b/ü", "empty", ""),
                null,
                false,
                Map.of("X-Amz-Meta-Spaced", "  two   spaces "));
        assertThat(signed.request().firstMatchingHeader("x-amz-content-sha256")).hasValue("UNSIGNED-PAYLOAD");

        SigV4Verifier.Verification v =
                new SigV4Verifier("s3").verify("GET", received(signed), headers(signed), new byte[0]);

        assertThat(v.problem()).isNull();
        assertThat(v.payloadHash()).isEqualTo("UNSIGNED-PAYLOAD");
    }

    @Test
    void nonS3ServicesDoubleEncodeAndNormaliseThePath() {
        SignedRequest signed = sign(
                "redshift-data",
                SdkHttpMethod.GET,
                "https",
                "/a%20b/./c/../d",
                Map.of("q", "x y"),
                null,
                false,
                Map.of());
        SigV4Verifier.Verification v =
                new SigV4Verifier("redshift-data").verify("GET", received(signed), headers(signed), new byte[0]);
        assertThat(v.problem()).isNull();
    }

    @Test
    void signedPayloadsVerifyThroughTheSdkAndTamperingShows() {
        byte[] body = "{\"Id\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        SignedRequest signed = sign(
                "redshift-data",
                SdkHttpMethod.POST,
                "http",
                "/",
                Map.of(),
                body,
                true,
                Map.of("X-Amz-Target", "RedshiftData.DescribeStatement"));
        SigV4Verifier verifier = new SigV4Verifier("redshift-data");

        assertThat(verifier.verify("POST", received(signed), headers(signed), body)
                        .ok())
                .isTrue();
        assertThat(verifier.verify(
                                "POST",
                                received(signed),
                                headers(signed),
                                "{\"Id\":\"y\"}".getBytes(StandardCharsets.UTF_8))
                        .problem())
                .contains("x-amz-content-sha256");
        Map<String, List<String>> otherTarget = headers(signed);
        otherTarget.put("X-Amz-Target", List.of("RedshiftData.CancelStatement"));
        assertThat(verifier.verify("POST", received(signed), otherTarget, body).problem())
                .startsWith("signature does not match");
        assertThat(new SigV4Verifier("s3")
                        .verify("POST", received(signed), headers(signed), body)
                        .problem())
                .contains("signed for region us-east-1 and service redshift-data, expected us-east-1 and s3");
        assertThat(new SigV4Verifier("redshift-data", "eu-west-1")
                        .verify("POST", received(signed), headers(signed), body)
                        .problem())
                .contains("expected eu-west-1");
    }

    @Test
    void missingAndStaleSignaturesAreProblems() {
        SigV4Verifier verifier = new SigV4Verifier("s3");
        assertThat(verifier.verify("GET", URI.create("/b"), Map.of("Host", List.of(HOST)), new byte[0])
                        .problem())
                .isEqualTo("missing Authorization or X-Amz-Date header");

        SignedRequest old = sign(
                "s3",
                SdkHttpMethod.GET,
                "https",
                "/b",
                Map.of(),
                null,
                false,
                Map.of(),
                Instant.now().minusSeconds(3600));
        assertThat(verifier.verify("GET", received(old), headers(old), new byte[0])
                        .problem())
                .contains("RequestTimeTooSkewed");
    }

    @Test
    void checksumsMatchTheirReferenceValues() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(Checksums.crc64nvme(check)).isEqualTo(0xAE8B14860A799888L);
        assertThat(Checksums.base64("CRC32", check)).isEqualTo("y/Q5Jg=="); // 0xCBF43926
        assertThat(Checksums.base64("CRC32C", check)).isEqualTo("4waSgw=="); // 0xE3069283
        assertThat(Checksums.base64("CRC64NVME", check)).isEqualTo("rosUhgp5mIg=");
        assertThat(Checksums.algorithmOfHeader("X-Amz-Checksum-Crc64nvme")).isEqualTo("CRC64NVME");
    }

    @Test
    void percentDecodingLeavesPlusAlone() {
        assertThat(SigV4Verifier.percentDecode("a%20b+c%2Bd%C3%BC%zz")).isEqualTo("a b+c+dü%zz");
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private static SignedRequest sign(
            String service,
            SdkHttpMethod method,
            String scheme,
            String encodedPath,
            Map<String, String> query,
            byte[] body,
            boolean payloadSigning,
            Map<String, String> headers) {
        return sign(service, method, scheme, encodedPath, query, body, payloadSigning, headers, Instant.now());
    }

    private static SignedRequest sign(
            String service,
            SdkHttpMethod method,
            String scheme,
            String encodedPath,
            Map<String, String> query,
            byte[] body,
            boolean payloadSigning,
            Map<String, String> headers,
            Instant at) {
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder()
                .uri(URI.create(scheme + "://" + HOST))
                .encodedPath(encodedPath)
                .method(method);
        query.forEach(request::putRawQueryParameter);
        headers.forEach(request::putHeader);
        SdkHttpFullRequest built = request.build();
        boolean s3 = service.equals("s3");
        return AwsV4HttpSigner.create()
                .sign(r -> r.identity(AwsBasicCredentials.create(SigV4Verifier.ACCESS_KEY, SigV4Verifier.SECRET_KEY))
                        .request(built)
                        .payload(body == null ? null : ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, SigV4Verifier.DEFAULT_REGION)
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, payloadSigning)
                        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, !s3)
                        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, !s3)
                        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)));
    }

    /** The request URI as a server sees it: raw path and query, encoded as the SDK sends them. */
    private static URI received(SignedRequest signed) {
        return URI.create(signed.request().getUri().getRawPath()
                + (signed.request().getUri().getRawQuery() == null
                        ? ""
                        : "?" + signed.request().getUri().getRawQuery()));
    }

    private static Map<String, List<String>> headers(SignedRequest signed) {
        Map<String, List<String>> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        out.putAll(signed.request().headers());
        return out;
    }
}
