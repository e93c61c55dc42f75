package com.dsqlcdc.consumer.testing;

import com.dsqlcdc.clients.dataapi.DataApiStatements;
import com.dsqlcdc.clients.dataapi.DataApiTarget;
import com.dsqlcdc.consumer.BatchProcessor;
import com.dsqlcdc.consumer.BatchResult;
import com.dsqlcdc.consumer.ConsumerHandler;
import com.dsqlcdc.consumer.Json;
import com.dsqlcdc.consumer.chunk.ChunkAssembler;
import com.dsqlcdc.consumer.chunk.ChunkStore;
import com.dsqlcdc.consumer.decode.ChangeDecoder;
import com.dsqlcdc.consumer.quarantine.S3QuarantineStore;
import com.dsqlcdc.consumer.write.BulkLoader;
import com.dsqlcdc.consumer.write.CopyFileWriter;
import com.dsqlcdc.consumer.write.InsertStatementBuilder;
import com.dsqlcdc.consumer.write.LoadPlanner;
import com.dsqlcdc.contract.env.ConsumerEnvironment;
import com.dsqlcdc.contract.retry.Backoff;
import com.dsqlcdc.sql.EventRow;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.testing.EventRows;
import com.dsqlcdc.testing.FakeRedshiftDataApi;
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
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The consumer wired exactly as in production, but with its real SDK clients pointed at local
 * fakes of the Data API and S3. Retries back off in milliseconds instead of seconds so fault
 * tests stay fast; the retry policy itself is the SDK's.
 */
public final class ConsumerHarness implements AutoCloseable {

    public static final String BUCKET = "dsql-cdc-quarantine";
    public static final String STAGING_BUCKET = "dsql-cdc-staging";
    public static final String COPY_ROLE = "arn:aws:iam::123456789012:role/dsql-cdc-copy";
    public static final String WORKGROUP = "dsql-cdc";
    public static final String DATABASE = "dev";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public final FakeRedshiftDataApi dataApi;
    public final FakeS3 s3;
    public final List<BatchResult> published = new CopyOnWriteArrayList<>();
    private final SdkHttpClient http = UrlConnectionHttpClient.create();
    private final RedshiftDataClient dataApiClient;
    private final S3Client s3Client;
    private final DataApiStatements runner;
    private final ConsumerHandler handler;

    public ConsumerHarness() {
        this(Duration.ofSeconds(5), 8);
    }

    /**
     * @param statementTimeout how long the runner waits for one statement
     * @param maxConcurrent    statements in flight
     */
    public ConsumerHarness(Duration statementTimeout, int maxConcurrent) {
        this(
                statementTimeout,
                maxConcurrent,
                new Backoff(Duration.ofMillis(2), 1.5, Duration.ofMillis(50), Backoff.Jitter.NONE));
    }

    /**
     * @param statementTimeout how long the runner waits for one statement
     * @param maxConcurrent    statements in flight
     * @param polls            the DescribeStatement schedule
     */
    public ConsumerHarness(Duration statementTimeout, int maxConcurrent, Backoff polls) {
        this(
                statementTimeout,
                maxConcurrent,
                polls,
                ConsumerEnvironment.DEFAULT_BULK_MIN_ROWS,
                ConsumerEnvironment.DEFAULT_BULK_MIN_BYTES);
    }

    /**
     * @param statementTimeout how long the runner waits for one statement
     * @param maxConcurrent    statements in flight
     * @param polls            the DescribeStatement schedule
     * @param bulkMinRows      rows at which a batch loads with COPY
     * @param bulkMinBytes     bytes at which a batch loads with COPY
     */
    public ConsumerHarness(
            Duration statementTimeout, int maxConcurrent, Backoff polls, int bulkMinRows, int bulkMinBytes) {
        this.s3 = FakeS3.start().createBucket(BUCKET).createBucket(STAGING_BUCKET);
        this.dataApi = FakeRedshiftDataApi.start().copySource(s3).copyRoles(COPY_ROLE);
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(SigV4Verifier.ACCESS_KEY, SigV4Verifier.SECRET_KEY));
        this.dataApiClient = RedshiftDataClient.builder()
                .endpointOverride(dataApi.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .httpClient(http)
                .overrideConfiguration(o -> o.retryStrategy(fastRetries()))
                .build();
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
        this.runner = new DataApiStatements(
                dataApiClient,
                DataApiTarget.asCaller(WORKGROUP, DATABASE),
                DataApiStatements.Settings.defaults()
                        .maxConcurrent(maxConcurrent)
                        .statementTimeout(statementTimeout)
                        .polls(polls, DataApiStatements.Settings.DEFAULT_LONG_POLL));
        ChangeDecoder decoder = new ChangeDecoder(json, catalog);
        CopyFileWriter copyFiles = new CopyFileWriter(json);
        BatchProcessor processor = new BatchProcessor(
                decoder,
                new ChunkAssembler(new ChunkStore(s3Client, STAGING_BUCKET, clock), decoder, Json.exactMapper()),
                new LoadPlanner(
                        new InsertStatementBuilder(json),
                        copyFiles,
                        new BulkLoader(s3Client, STAGING_BUCKET, COPY_ROLE, copyFiles),
                        bulkMinRows,
                        bulkMinBytes),
                runner,
                new S3QuarantineStore(s3Client, BUCKET, json, clock));
        this.handler = new ConsumerHandler(processor, published::add, () -> {}, clock);
    }

    /**
     * A harness whose batches always take the INSERT path (bulk thresholds out of reach), for
     * tests about statements: packing, concurrency and their failures.
     */
    public static ConsumerHarness insertsOnly(Duration statementTimeout, int maxConcurrent) {
        return new ConsumerHarness(
                statementTimeout,
                maxConcurrent,
                new Backoff(Duration.ofMillis(2), 1.5, Duration.ofMillis(50), Backoff.Jitter.NONE),
                10_000,
                6 * 1024 * 1024);
    }

    private static RetryStrategy fastRetries() {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(8)
                .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(2), Duration.ofMillis(20)))
                .throttlingBackoffStrategy(
                        BackoffStrategy.exponentialDelay(Duration.ofMillis(2), Duration.ofMillis(20)))
                .circuitBreakerEnabled(false)
                .build();
    }

    public ConsumerHandler handler() {
        return handler;
    }

    /** @return every row that landed in the fake warehouse (duplicates included), as the views read them */
    public List<EventRow> landedRows() {
        return EventRows.landed(dataApi, InsertStatementBuilder::envelopeKey);
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
        runner.close();
        dataApiClient.close();
        s3Client.close();
        http.close();
        dataApi.close();
        s3.close();
    }
}
