package com.dsqlcdc.consumer.testing;

import com.dsqlcdc.consumer.BatchProcessor;
import com.dsqlcdc.consumer.BatchResult;
import com.dsqlcdc.consumer.ConsumerHandler;
import com.dsqlcdc.consumer.Json;
import com.dsqlcdc.consumer.chunk.ChunkAssembler;
import com.dsqlcdc.consumer.chunk.ChunkStore;
import com.dsqlcdc.consumer.decode.ChangeDecoder;
import com.dsqlcdc.consumer.quarantine.S3QuarantineStore;
import com.dsqlcdc.consumer.stage.StagedFileWriter;
import com.dsqlcdc.consumer.stage.Stager;
import com.dsqlcdc.sql.EventRow;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.testing.EventRows;
import com.dsqlcdc.testing.FakeS3;
import com.dsqlcdc.testing.SigV4Verifier;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The consumer wired exactly as in production, but with its real S3 client pointed at a local fake
 * S3 (the consumer talks to nothing else: staging, quarantine, chunk assembly). Retries back off in
 * milliseconds instead of seconds so fault tests stay fast; the retry policy itself is the SDK's.
 */
public final class ConsumerHarness implements AutoCloseable {

    public static final String BUCKET = "dsql-cdc-quarantine";
    public static final String STAGING_BUCKET = "dsql-cdc-staging";
    /** Attempts the S3 client makes per call (the SDK's standard retry strategy, with millisecond backoff here). */
    public static final int S3_ATTEMPTS = 8;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public final FakeS3 s3;
    public final List<BatchResult> published = new CopyOnWriteArrayList<>();
    private final SdkHttpClient http = UrlConnectionHttpClient.create();
    private final S3Client s3Client;
    private final ConsumerHandler handler;

    public ConsumerHarness() {
        this(65_535);
    }

    /** @param maxSuperStringBytes the longest string the warehouse's SUPER takes (its large-strings setting) */
    public ConsumerHarness(int maxSuperStringBytes) {
        this.s3 = FakeS3.start().createBucket(BUCKET).createBucket(STAGING_BUCKET);
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(SigV4Verifier.ACCESS_KEY, SigV4Verifier.SECRET_KEY));
        this.s3Client = S3Client.builder()
                .endpointOverride(s3.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .httpClient(http)
                .forcePathStyle(true)
                .overrideConfiguration(o -> o.retryStrategy(fastRetries()))
                .build();
        JsonFactory json = new JsonFactory();
        TableCatalog catalog = TableCatalog.load();
        Clock clock = Clock.systemUTC();
        ChangeDecoder decoder = new ChangeDecoder(json, catalog, maxSuperStringBytes);
        StagedFileWriter files = new StagedFileWriter(json);
        BatchProcessor processor = new BatchProcessor(
                decoder,
                new ChunkAssembler(new ChunkStore(s3Client, STAGING_BUCKET, clock), decoder, Json.exactMapper()),
                files,
                new Stager(s3Client, STAGING_BUCKET, files),
                new S3QuarantineStore(s3Client, BUCKET, json, clock),
                clock);
        this.handler = new ConsumerHandler(processor, published::add, () -> {});
    }

    private static RetryStrategy fastRetries() {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(S3_ATTEMPTS)
                .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(2), Duration.ofMillis(20)))
                .throttlingBackoffStrategy(
                        BackoffStrategy.exponentialDelay(Duration.ofMillis(2), Duration.ofMillis(20)))
                .circuitBreakerEnabled(false)
                .build();
    }

    public ConsumerHandler handler() {
        return handler;
    }

    /** @return every row staged for the loader (duplicates included), as the loader appends them */
    public List<EventRow> stagedRows() {
        return EventRows.staged(s3, STAGING_BUCKET);
    }

    /** @return the S3 client the consumer uses (for tests that inspect or seed the buckets through the real API) */
    public S3Client s3Client() {
        return s3Client;
    }

    /** @return every quarantined record (one JSON object per line of every quarantine object) */
    public List<JsonNode> quarantined() {
        List<JsonNode> lines = new ArrayList<>();
        s3.objects(BUCKET)
                .values()
                .forEach(object -> object.text()
                        .lines()
                        .filter(l -> !l.isBlank())
                        .forEach(l -> {
                            try {
                                lines.add(MAPPER.readTree(l));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }));
        return lines;
    }

    @Override
    public void close() {
        s3Client.close();
        http.close();
        s3.close();
    }
}
