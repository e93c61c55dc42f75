package com.dsqlcdc.replay;

import com.dsqlcdc.consumer.AwsClients;
import com.dsqlcdc.contract.StagingLayout;
import com.dsqlcdc.contract.retry.Backoff;
import com.dsqlcdc.contract.retry.RetryPolicy;
import com.dsqlcdc.sql.EventRow;
import com.dsqlcdc.testing.EventRows;
import com.dsqlcdc.testing.FakeKinesis;
import com.dsqlcdc.testing.FakeS3;
import com.dsqlcdc.testing.SigV4Verifier;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The replay command run as an operator would run it, with its real SDK clients pointed at local
 * fakes of S3 and Kinesis (JSON wire protocol: surefire sets aws.cborEnabled=false).
 * SDK retries and slice retries back off in milliseconds so fault tests stay fast.
 */
final class ReplayHarness implements AutoCloseable {

    static final String QUARANTINE_BUCKET = "dsql-cdc-quarantine";
    static final String STAGING_BUCKET = "dsql-cdc-staging";
    static final String FAILED_BATCH_BUCKET = "dsql-cdc-failed-batches";
    static final String STREAM = "dsql-cdc";
    static final String SHARD = "shardId-000000000000";
    static final ObjectMapper MAPPER = new ObjectMapper();

    final FakeS3 s3;
    final FakeKinesis kinesis;
    private final SdkHttpClient http = UrlConnectionHttpClient.create();
    private final RetryPolicy retry = RetryPolicy.builder(3, Backoff.fixed(Duration.ZERO))
            .sleeper(d -> {})
            .build();

    ReplayHarness() {
        FakeKinesis.useJsonWireProtocol();
        s3 = FakeS3.start()
                .createBucket(QUARANTINE_BUCKET)
                .createBucket(STAGING_BUCKET)
                .createBucket(FAILED_BATCH_BUCKET);
        kinesis = FakeKinesis.start().createStream(STREAM);
    }

    String streamArn() {
        return kinesis.streamArn(STREAM);
    }

    /** Fresh clients on the fakes: the command closes its clients when it ends. */
    ReplayClients clients() {
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(SigV4Verifier.ACCESS_KEY, SigV4Verifier.SECRET_KEY));
        S3Client s3Client = S3Client.builder()
                .endpointOverride(s3.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .httpClient(http)
                .forcePathStyle(true)
                .overrideConfiguration(o -> o.retryStrategy(fastRetries()))
                .build();
        KinesisClient kinesisClient = KinesisClient.builder()
                .endpointOverride(kinesis.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .httpClient(http)
                .overrideConfiguration(o -> o.retryStrategy(fastRetries()))
                .build();
        return new ReplayClients(new AwsClients(s3Client), kinesisClient);
    }

    private static RetryStrategy fastRetries() {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(4)
                .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(2), Duration.ofMillis(20)))
                .throttlingBackoffStrategy(
                        BackoffStrategy.exponentialDelay(Duration.ofMillis(2), Duration.ofMillis(20)))
                .circuitBreakerEnabled(false)
                .build();
    }

    /** What one run of the command printed and returned. */
    record Run(int exitCode, String out, String err) {}

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new ReplayCommand(new ReplayCommand.Wiring(this::clients, retry, Duration.ZERO, Clock.systemUTC()))
                .run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    /** {@code replay quarantine} with the staging bucket and the test's bucket. */
    Run quarantine(String... options) {
        return run(with(List.of("quarantine", "--quarantine-bucket", QUARANTINE_BUCKET), options));
    }

    /** {@code replay failed-batches} with the staging bucket and the test's bucket. */
    Run failedBatches(String... options) {
        return run(with(List.of("failed-batches", "--failed-batch-bucket", FAILED_BATCH_BUCKET), options));
    }

    private static String[] with(List<String> head, String... options) {
        List<String> args = new ArrayList<>(head);
        args.addAll(List.of("--staging-bucket", STAGING_BUCKET));
        args.addAll(List.of(options));
        return args.toArray(String[]::new);
    }

    /** A line of a quarantine object, as S3QuarantineStore writes it. */
    static String quarantineLine(String reason, String sequenceNumber, String data) {
        ObjectNode line = MAPPER.createObjectNode();
        line.put("reason", reason);
        line.put("detail", "quarantined by the consumer");
        line.put("shardId", SHARD);
        line.put("sequenceNumber", sequenceNumber);
        line.put("approximateArrivalTimestamp", "2026-05-04T10:15:30.123Z");
        line.put("eventSourceArn", "arn:aws:kinesis:us-east-1:123456789012:stream/dsql-cdc");
        line.put("quarantinedAt", "2026-05-04T10:15:31Z");
        line.put("data", Base64.getEncoder().encodeToString(data.getBytes(StandardCharsets.UTF_8)));
        return line.toString();
    }

    /** Stores a quarantine object made of these lines. */
    void seedQuarantine(String key, String... lines) {
        s3.seedObject(
                QUARANTINE_BUCKET,
                key,
                (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8),
                "application/x-ndjson");
    }

    /**
     * Stores what the event source mapping writes to the S3 on-failure destination.
     *
     * @param payload the invocation event's JSON, stored as an escaped string as Lambda does; null for none
     */
    void seedFailedBatch(String key, String start, String end, int batchSize, String payload) {
        seedFailedBatch(key, start, end, batchSize, payload, streamArn());
    }

    /** As {@link #seedFailedBatch(String, String, String, int, String)}, for a batch of another stream. */
    void seedFailedBatch(String key, String start, String end, int batchSize, String payload, String streamArn) {
        ObjectNode doc = MAPPER.createObjectNode();
        doc.putObject("requestContext")
                .put("requestId", "c9b8fa9f-5a7f-4a2e-af9c-0c604cde93a5")
                .put("functionArn", "arn:aws:lambda:us-east-1:123456789012:function:consumer")
                .put("condition", "RetryAttemptsExhausted")
                .put("approximateInvokeCount", 3);
        doc.putObject("responseContext")
                .put("statusCode", 200)
                .put("executedVersion", "7")
                .put("functionError", "Unhandled");
        doc.put("version", "1.0");
        doc.put("timestamp", "2026-05-04T10:16:06.021Z");
        doc.putObject("KinesisBatchInfo")
                .put("shardId", SHARD)
                .put("startSequenceNumber", start)
                .put("endSequenceNumber", end)
                .put("approximateArrivalOfFirstRecord", "2026-05-04T10:15:30.835Z")
                .put("approximateArrivalOfLastRecord", "2026-05-04T10:15:31.580Z")
                .put("batchSize", batchSize)
                .put("streamArn", streamArn);
        if (payload != null) {
            doc.put("payload", payload);
        }
        s3.seedObject(FAILED_BATCH_BUCKET, key, doc.toString().getBytes(StandardCharsets.UTF_8), "binary/octet-stream");
    }

    /** @return the ledger of a source object */
    JsonNode ledger(String bucket, String sourceKey) {
        try {
            return MAPPER.readTree(
                    s3.objects(bucket).get(LedgerStore.key(sourceKey)).body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Set<String> keys(String bucket) {
        return new TreeSet<>(s3.objects(bucket).keySet());
    }

    /** @return every row the replay staged for the loader, duplicates included */
    List<EventRow> stagedRows() {
        return EventRows.staged(s3, STAGING_BUCKET);
    }

    /** The next staging PUTs fail (each call's every attempt: the harness's clients try 4 times). */
    void failStagingPuts(int calls) {
        s3.failNextPutsUnder(StagingLayout.STAGED, calls * 4, 500, "InternalError");
    }

    @Override
    public void close() {
        http.close();
        s3.close();
        kinesis.close();
    }
}
