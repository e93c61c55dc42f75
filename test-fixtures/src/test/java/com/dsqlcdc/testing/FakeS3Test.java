package com.dsqlcdc.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** Drives {@link FakeS3} with the real SDK S3 client (path-style, plain HTTP), as the project's code will. */
class FakeS3Test {

    private static final String BUCKET = "cdc-spill";

    private FakeS3 fake;
    private S3Client s3;

    @BeforeEach
    void start() {
        fake = FakeS3.start().createBucket(BUCKET);
        s3 = client(FakeRedshiftDataApiTest.fastRetries(4), SigV4Verifier.SECRET_KEY);
    }

    @AfterEach
    void stop() {
        s3.close();
        fake.close();
    }

    @Test
    void deleteObjectsRemovesEveryKeyGivenAndCountsAMissingOneAsDeleted() {
        for (String key : List.of("staged/a & b.jsonl.gz", "staged/c.jsonl.gz", "keep.json")) {
            s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromString("x"));
        }
        var response = s3.deleteObjects(r -> r.bucket(BUCKET)
                .delete(d -> d.objects(
                        o -> o.key("staged/a & b.jsonl.gz"),
                        o -> o.key("staged/c.jsonl.gz"),
                        o -> o.key("staged/never-there"))));

        assertThat(response.deleted())
                .extracting(d -> d.key())
                .containsExactly("staged/a & b.jsonl.gz", "staged/c.jsonl.gz", "staged/never-there");
        assertThat(response.errors()).isEmpty();
        assertThat(fake.objects(BUCKET).keySet()).containsExactly("keep.json");
        assertThat(fake.calls("DeleteObjects")).isEqualTo(1);
        assertThat(fake.signatureProblems()).isEmpty();
    }

    @Test
    void putThenGetRoundTripsWithAVerifiedChecksum() {
        String key = "batches/2026/01/01/a b+c=d.json";
        String json = "{\"table\":\"orders\",\"rows\":[1,2,3]}";

        PutObjectResponse put = s3.putObject(
                r -> r.bucket(BUCKET)
                        .key(key)
                        .contentType("application/json")
                        .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                        .ssekmsKeyId("alias/cdc")
                        .metadata(Map.of("source-stream", "dsql-cdc"))
                        .checksumAlgorithm(ChecksumAlgorithm.CRC32),
                RequestBody.fromString(json));

        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertThat(put.checksumCRC32()).isEqualTo(Checksums.base64("CRC32", bytes));
        assertThat(put.eTag()).isEqualTo("\"" + Checksums.md5Hex(bytes) + "\"");
        assertThat(put.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);

        StoredObject stored = fake.objects(BUCKET).get(key);
        assertThat(stored.text()).isEqualTo(json);
        assertThat(stored.contentType()).isEqualTo("application/json");
        assertThat(stored.headers())
                .containsEntry("x-amz-server-side-encryption", "aws:kms")
                .containsEntry("x-amz-server-side-encryption-aws-kms-key-id", "alias/cdc")
                .containsEntry("x-amz-meta-source-stream", "dsql-cdc")
                .containsEntry("x-amz-checksum-crc32", Checksums.base64("CRC32", bytes));

        ResponseBytes<GetObjectResponse> got =
                s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key).checksumMode(ChecksumMode.ENABLED));
        assertThat(got.asUtf8String()).isEqualTo(json);
        assertThat(got.response().contentType()).isEqualTo("application/json");
        assertThat(got.response().metadata()).containsEntry("source-stream", "dsql-cdc");
        assertThat(got.response().checksumCRC32()).isEqualTo(Checksums.base64("CRC32", bytes));
        assertThat(got.response().eTag()).isEqualTo(put.eTag());

        HeadObjectResponse head = s3.headObject(r -> r.bucket(BUCKET).key(key));
        assertThat(head.contentLength()).isEqualTo(bytes.length);
        assertThat(head.ssekmsKeyId()).isEqualTo("alias/cdc");
        assertThat(head.lastModified()).isNotNull();

        assertThat(fake.calls("PutObject")).isEqualTo(1);
        assertThat(fake.calls("GetObject")).isEqualTo(1);
        assertThat(fake.calls("HeadObject")).isEqualTo(1);
        assertThat(fake.signatureProblems()).isEmpty();
        assertThat(fake.internalErrors()).isEmpty();
    }

    @Test
    void largeUploadsSpanSeveralSignedChunks() {
        byte[] body = new byte[300_000]; // three 128 KiB chunks
        new Random(7).nextBytes(body);
        for (ChecksumAlgorithm algorithm : List.of(
                ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32_C, ChecksumAlgorithm.SHA256, ChecksumAlgorithm.SHA1)) {
            String key = "big-" + algorithm;
            s3.putObject(r -> r.bucket(BUCKET).key(key).checksumAlgorithm(algorithm), RequestBody.fromBytes(body));
            StoredObject stored = fake.objects(BUCKET).get(key);
            assertThat(stored.body()).isEqualTo(body);
            assertThat(stored.contentType()).isEqualTo("application/octet-stream");
            String header = "x-amz-checksum-" + algorithm.toString().toLowerCase();
            assertThat(stored.headers()).containsEntry(header, Checksums.base64(algorithm.toString(), body));
        }
        assertThat(s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("big-CRC32")).asByteArray())
                .isEqualTo(body);
        assertThat(fake.signatureProblems()).isEmpty();
    }

    @Test
    void theDefaultChecksumIsCrc32AndAnEmptyBodyWorks() {
        s3.putObject(r -> r.bucket(BUCKET).key("empty"), RequestBody.empty());
        s3.putObject(r -> r.bucket(BUCKET).key("plain"), RequestBody.fromString("x"));
        assertThat(fake.objects(BUCKET).get("empty").body()).isEmpty();
        assertThat(fake.objects(BUCKET).get("plain").headers())
                .containsEntry("x-amz-checksum-crc32", Checksums.base64("CRC32", new byte[] {'x'}));
        assertThat(s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("empty")).asByteArray())
                .isEmpty();
        assertThat(s3.headObject(r -> r.bucket(BUCKET).key("plain")).serverSideEncryption())
                .isEqualTo(ServerSideEncryption.AES256);
    }

    @Test
    void aSlowDownIsRetriedByTheSdk() {
        fake.failNextPuts(2, 503, "SlowDown");

        s3.putObject(r -> r.bucket(BUCKET).key("k"), RequestBody.fromString("after two 503s"));

        assertThat(fake.calls("PutObject")).isEqualTo(3);
        assertThat(fake.objects(BUCKET)).containsOnlyKeys("k");
        assertThat(fake.objects(BUCKET).get("k").text()).isEqualTo("after two 503s");
        assertThat(fake.signatureProblems()).isEmpty();
    }

    @Test
    void anInternalErrorSurfacesWhenRetriesAreExhausted() {
        fake.failNextPuts(5, 500, "InternalError");
        try (S3Client twoAttempts = client(FakeRedshiftDataApiTest.fastRetries(2), SigV4Verifier.SECRET_KEY)) {
            assertThatThrownBy(() -> twoAttempts.putObject(r -> r.bucket(BUCKET).key("k"), RequestBody.fromString("x")))
                    .isInstanceOf(S3Exception.class)
                    .satisfies(e -> {
                        S3Exception s = (S3Exception) e;
                        assertThat(s.statusCode()).isEqualTo(500);
                        assertThat(s.awsErrorDetails().errorCode()).isEqualTo("InternalError");
                        assertThat(s.awsErrorDetails().errorMessage())
                                .isEqualTo("We encountered an internal error. Please try again.");
                    });
        }
        assertThat(fake.calls("PutObject")).isEqualTo(2);
        assertThat(fake.objects(BUCKET)).isEmpty();
    }

    @Test
    void listingHonoursPrefixDelimiterAndPages() {
        List<String> keys = List.of(
                "events/2026/01/01/a.json",
                "events/2026/01/01/b.json",
                "events/2026/01/02/c.json",
                "events/2026/02/01/d.json",
                "events/2027/01/01/e.json",
                "other/x.json");
        for (String key : keys) {
            s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromString(key));
        }

        ListObjectsV2Response all2026 = s3.listObjectsV2(r -> r.bucket(BUCKET).prefix("events/2026/"));
        assertThat(all2026.contents())
                .extracting(S3Object::key)
                .containsExactly(keys.subList(0, 4).toArray(String[]::new));
        assertThat(all2026.keyCount()).isEqualTo(4);
        assertThat(all2026.isTruncated()).isFalse();
        assertThat(all2026.contents().get(0).size())
                .isEqualTo((long) keys.get(0).length());
        assertThat(all2026.contents().get(0).eTag())
                .isEqualTo("\"" + Checksums.md5Hex(keys.get(0).getBytes(StandardCharsets.UTF_8)) + "\"");

        List<List<String>> pages =
                s3
                        .listObjectsV2Paginator(
                                r -> r.bucket(BUCKET).prefix("events/").maxKeys(2))
                        .stream()
                        .map(p -> p.contents().stream().map(S3Object::key).toList())
                        .toList();
        assertThat(pages).containsExactly(keys.subList(0, 2), keys.subList(2, 4), keys.subList(4, 5));

        ListObjectsV2Response months =
                s3.listObjectsV2(r -> r.bucket(BUCKET).prefix("events/2026/").delimiter("/"));
        assertThat(months.commonPrefixes())
                .extracting(CommonPrefix::prefix)
                .containsExactly("events/2026/01/", "events/2026/02/");
        assertThat(months.contents()).isEmpty();

        List<String> prefixPages = s3
                .listObjectsV2Paginator(r -> r.bucket(BUCKET)
                        .delimiter("/")
                        .prefix("events/2026/01/")
                        .maxKeys(1))
                .stream()
                .flatMap(p -> p.commonPrefixes().stream().map(CommonPrefix::prefix))
                .toList();
        assertThat(prefixPages).containsExactly("events/2026/01/01/", "events/2026/01/02/");

        assertThat(s3.listObjectsV2(r -> r.bucket(BUCKET).startAfter("events/2027/01/01/e.json"))
                        .contents())
                .extracting(S3Object::key)
                .containsExactly("other/x.json");
        assertThat(fake.calls("ListObjectsV2")).isEqualTo(1 + 3 + 1 + 2 + 1);
    }

    @Test
    void missingKeysAndBucketsAreReportedAsS3Does() {
        assertThatThrownBy(() -> s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("nope")))
                .isInstanceOf(NoSuchKeyException.class)
                .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(404));
        assertThatThrownBy(() -> s3.headObject(r -> r.bucket(BUCKET).key("nope")))
                .isInstanceOf(NoSuchKeyException.class);
        assertThatThrownBy(() -> s3.putObject(r -> r.bucket("no-bucket").key("k"), RequestBody.fromString("x")))
                .isInstanceOf(NoSuchBucketException.class);
        assertThatThrownBy(() -> s3.listObjectsV2(r -> r.bucket("no-bucket")))
                .isInstanceOf(NoSuchBucketException.class);

        s3.putObject(r -> r.bucket(BUCKET).key("k"), RequestBody.fromString("x"));
        s3.deleteObject(r -> r.bucket(BUCKET).key("k"));
        s3.deleteObject(r -> r.bucket(BUCKET).key("k")); // deleting what is not there succeeds, as on S3
        assertThat(fake.objects(BUCKET)).isEmpty();
        assertThat(fake.calls("DeleteObject")).isEqualTo(2);
        assertThatThrownBy(() -> fake.objects("no-bucket")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bucketsCanBeCreatedThroughTheApi() {
        s3.createBucket(r -> r.bucket("made-by-sdk"));
        s3.headBucket(r -> r.bucket("made-by-sdk"));
        s3.putObject(r -> r.bucket("made-by-sdk").key("k"), RequestBody.fromString("x"));
        assertThat(fake.objects("made-by-sdk")).containsOnlyKeys("k");
    }

    @Test
    void conditionalPutsAndRangedGets() {
        s3.putObject(r -> r.bucket(BUCKET).key("once").ifNoneMatch("*"), RequestBody.fromString("0123456789"));
        assertThatThrownBy(() -> s3.putObject(
                        r -> r.bucket(BUCKET).key("once").ifNoneMatch("*"), RequestBody.fromString("again")))
                .isInstanceOf(S3Exception.class)
                .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(412));
        assertThat(fake.objects(BUCKET).get("once").text()).isEqualTo("0123456789");

        ResponseBytes<GetObjectResponse> slice =
                s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("once").range("bytes=2-4"));
        assertThat(slice.asUtf8String()).isEqualTo("234");
        assertThat(slice.response().contentRange()).isEqualTo("bytes 2-4/10");
    }

    @Test
    void seededObjectsAreVisibleToClients() {
        fake.seedObject("seeded", "a/b.txt", "hi".getBytes(StandardCharsets.UTF_8), "text/plain");
        assertThat(s3.getObjectAsBytes(r -> r.bucket("seeded").key("a/b.txt")).asUtf8String())
                .isEqualTo("hi");
        assertThat(fake.calls("PutObject")).isZero();
    }

    // ---- signatures and payload integrity ---------------------------------------------------------------

    @Test
    void aBadSignatureIsRejectedAndRecorded() {
        try (S3Client wrongKey = client(AwsRetryStrategy.doNotRetry(), "not-the-secret")) {
            assertThatThrownBy(() -> wrongKey.putObject(r -> r.bucket(BUCKET).key("k"), RequestBody.fromString("x")))
                    .isInstanceOf(S3Exception.class)
                    .satisfies(e -> {
                        assertThat(((S3Exception) e).statusCode()).isEqualTo(403);
                        assertThat(((S3Exception) e).awsErrorDetails().errorCode())
                                .isEqualTo("SignatureDoesNotMatch");
                    });
            assertThatThrownBy(() -> wrongKey.listObjectsV2(r -> r.bucket(BUCKET)))
                    .isInstanceOf(S3Exception.class);
        }
        assertThat(fake.signatureProblems()).hasSize(2);
        assertThat(fake.signatureProblems().get(0)).startsWith("PutObject: signature does not match");
        assertThat(fake.signatureProblems().get(1)).startsWith("ListObjectsV2: signature does not match");
        assertThat(fake.objects(BUCKET)).isEmpty();
    }

    @Test
    void aTamperedChunkIsRejectedAndRecorded() throws Exception {
        byte[] body = "hello chunked world".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> intact = rawChunkedPut("intact", body, true, UnaryOperator.identity());
        assertThat(intact.statusCode()).isEqualTo(200);
        assertThat(fake.objects(BUCKET).get("intact").body()).isEqualTo(body);

        HttpResponse<String> tampered =
                rawChunkedPut("tampered", body, true, encoded -> replace(encoded, "chunked", "CHUNKED"));
        assertThat(tampered.statusCode()).isEqualTo(403);
        assertThat(tampered.body()).contains("<Code>SignatureDoesNotMatch</Code>");
        assertThat(fake.signatureProblems()).singleElement().asString().contains("chunk 0 signature does not match");
        assertThat(fake.objects(BUCKET)).containsOnlyKeys("intact");
    }

    @Test
    void unsignedTrailerUploadsAreDecodedAndAWrongChecksumIsABadDigest() throws Exception {
        byte[] body = "unsigned payload, checksummed".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> intact = rawChunkedPut("unsigned", body, false, UnaryOperator.identity());
        assertThat(intact.statusCode()).isEqualTo(200);
        assertThat(fake.objects(BUCKET).get("unsigned").body()).isEqualTo(body);

        String right = Checksums.base64("CRC32", body);
        String wrong = Checksums.base64("CRC32", "something else".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> corrupted =
                rawChunkedPut("corrupted", body, false, encoded -> replace(encoded, right, wrong));
        assertThat(corrupted.statusCode()).isEqualTo(400);
        assertThat(corrupted.body()).contains("<Code>BadDigest</Code>").contains("CRC32");
        assertThat(fake.objects(BUCKET)).containsOnlyKeys("unsigned");
        assertThat(fake.signatureProblems()).isEmpty();
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private S3Client client(RetryStrategy retryStrategy, String secretKey) {
        return S3Client.builder()
                .endpointOverride(fake.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(SigV4Verifier.ACCESS_KEY, secretKey)))
                .httpClient(UrlConnectionHttpClient.create())
                .forcePathStyle(true)
                .overrideConfiguration(o -> o.retryStrategy(retryStrategy))
                .build();
    }

    /**
     * A PutObject made by hand: chunk-encoded and signed by the SDK signer (signed chunks, or an
     * unsigned payload with a CRC32 trailer), then altered by {@code tamper} before it is sent.
     */
    private HttpResponse<String> rawChunkedPut(
            String key, byte[] body, boolean signedChunks, UnaryOperator<byte[]> tamper) throws Exception {
        // Unsigned payloads are only allowed over HTTPS; the signature does not cover the scheme, so
        // sign as if for https and send over plain http.
        URI signingUri = URI.create((signedChunks ? "http" : "https") + "://127.0.0.1:"
                + fake.endpoint().getPort());
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .uri(signingUri)
                .encodedPath("/" + BUCKET + "/" + key)
                .method(SdkHttpMethod.PUT)
                .putHeader("Content-Type", "text/plain")
                .putHeader("Content-Length", Integer.toString(body.length))
                .build();
        SignedRequest signed = AwsV4HttpSigner.create()
                .sign(r -> r.identity(AwsBasicCredentials.create(SigV4Verifier.ACCESS_KEY, SigV4Verifier.SECRET_KEY))
                        .request(request)
                        .payload(ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SigV4Verifier.S3)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, SigV4Verifier.DEFAULT_REGION)
                        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                        .putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, true)
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, signedChunks)
                        .putProperty(AwsV4HttpSigner.CHECKSUM_ALGORITHM, DefaultChecksumAlgorithm.CRC32));
        assertThat(signed.request().firstMatchingHeader("x-amz-content-sha256"))
                .hasValue(
                        signedChunks
                                ? SigV4Verifier.STREAMING_SIGNED_PAYLOAD_TRAILER
                                : SigV4Verifier.STREAMING_UNSIGNED_PAYLOAD_TRAILER);
        byte[] encoded = tamper.apply(signed.payload().orElseThrow().newStream().readAllBytes());
        HttpRequest.Builder http = HttpRequest.newBuilder(URI.create(fake.endpoint() + "/" + BUCKET + "/" + key))
                .timeout(Duration.ofSeconds(5))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(encoded));
        signed.request().headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(v -> http.header(name, v));
            }
        });
        return HttpClient.newHttpClient().send(http.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] replace(byte[] haystack, String from, String to) {
        byte[] needle = from.getBytes(StandardCharsets.UTF_8);
        byte[] replacement = to.getBytes(StandardCharsets.UTF_8);
        assertThat(replacement).hasSameSizeAs(needle);
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                byte[] out = haystack.clone();
                System.arraycopy(replacement, 0, out, i, replacement.length);
                return out;
            }
        }
        throw new AssertionError("'" + from + "' is not in the encoded body");
    }
}
