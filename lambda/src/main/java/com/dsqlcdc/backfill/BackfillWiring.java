package com.dsqlcdc.backfill;

import com.dsqlcdc.clients.SdkClients;
import com.dsqlcdc.clients.dataapi.DataApiStatements;
import com.dsqlcdc.clients.dataapi.DataApiTarget;
import com.dsqlcdc.clients.dsql.SignedDsqlStreamClient;
import com.dsqlcdc.clients.dsql.SqlConnector;
import com.dsqlcdc.contract.env.BackfillEnvironment;
import com.dsqlcdc.contract.env.FunctionEnvironment;
import com.dsqlcdc.contract.env.LambdaEnvironment;
import com.dsqlcdc.contract.retry.Sleeper;
import com.dsqlcdc.loader.S3StagingStore;
import com.dsqlcdc.sql.catalog.TableCatalog;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The production object graphs of the job's three handlers, read once at init from their
 * environments ({@link BackfillEnvironment}'s {@code PLAN}, {@code WORKER} and {@code REPORT}, written
 * by infra's {@code BackfillJob} construct); a missing or bad variable fails the function's init with
 * every problem named. Source connections use IAM {@code DbConnect} tokens for the configured database
 * role ({@link SqlConnector#forCluster}), never {@code admin}.
 */
final class BackfillWiring {

    /** Attempts per Data API call (its quotas are per account: throttling is expected). */
    static final int DATA_API_ATTEMPTS = 8;

    private BackfillWiring() {}

    /** The range step's graph, and how long one call works. */
    record Worker(JobSteps steps, Duration workBudget) {}

    /** The report step's graph, and its metrics' namespace. */
    record Report(JobSteps steps, String namespace) {}

    /** What the two steps that read the source share: their settings, the source, the bucket. */
    private record Source(
            FunctionEnvironment.Values values,
            Region region,
            String clusterId,
            SdkHttpClient http,
            S3Client s3,
            String bucket,
            SourceConnections connections) {

        static Source of(FunctionEnvironment environment, Map<String, String> env) {
            FunctionEnvironment.Values values = read(environment, env);
            Region region = Region.of(values.get(LambdaEnvironment.AWS_REGION));
            String clusterId = values.get(BackfillEnvironment.CLUSTER_IDENTIFIER);
            SdkHttpClient http = SdkClients.httpClient();
            SqlConnector connector = SqlConnector.forCluster(
                    clusterId,
                    region,
                    values.get(BackfillEnvironment.SOURCE_DATABASE_ROLE),
                    DefaultCredentialsProvider.builder().build());
            return new Source(
                    values,
                    region,
                    clusterId,
                    http,
                    SdkClients.s3(http),
                    values.get(BackfillEnvironment.STAGING_BUCKET),
                    connector::connect);
        }
    }

    static JobSteps plan(Map<String, String> env) {
        Source source = Source.of(BackfillEnvironment.PLAN, env);
        FunctionEnvironment.Values values = source.values();
        return new JobSteps(
                new S3JobStore(source.s3(), source.bucket()),
                new S3StagingStore(source.s3(), source.bucket()),
                new StreamGate(
                        SignedDsqlStreamClient.builder().region(source.region()).build()),
                source.connections(),
                TableCatalog.load(),
                null,
                new JobSteps.Settings(
                        source.clusterId(),
                        values.get(BackfillEnvironment.STREAM_IDENTIFIER),
                        values.get(BackfillEnvironment.PAGE_ROWS),
                        values.get(BackfillEnvironment.RANGE_ROWS),
                        values.get(BackfillEnvironment.RESYNC_MARGIN_MILLIS)),
                Clock.systemUTC(),
                Sleeper.SYSTEM);
    }

    static Worker worker(Map<String, String> env) {
        Source source = Source.of(BackfillEnvironment.WORKER, env);
        FunctionEnvironment.Values values = source.values();
        S3Client s3 = source.s3();
        String bucket = source.bucket();
        S3JobStore store = new S3JobStore(s3, bucket);
        TableCatalog catalog = TableCatalog.load();
        Clock clock = Clock.systemUTC();
        DataApiStatements statements = new DataApiStatements(
                SdkClients.dataApi(source.http(), DATA_API_ATTEMPTS),
                DataApiTarget.asCaller(
                        values.get(BackfillEnvironment.WORKGROUP_NAME), values.get(BackfillEnvironment.DATABASE_NAME)),
                DataApiStatements.Settings.defaults());
        JobSteps steps = new JobSteps(
                store,
                null,
                null,
                source.connections(),
                catalog,
                RangeWorkers.factory(
                        source.clusterId(),
                        catalog,
                        values.get(BackfillEnvironment.MAX_SUPER_STRING_BYTES),
                        s3,
                        bucket,
                        new DataApiWarehouseReader(statements),
                        store,
                        clock,
                        RangeWorker.Progress.NONE,
                        RangeWorker.FLUSH_ROWS),
                null,
                clock,
                Sleeper.SYSTEM);
        return new Worker(steps, Duration.ofSeconds(values.get(BackfillEnvironment.WORK_SECONDS)));
    }

    static Report report(Map<String, String> env) {
        FunctionEnvironment.Values values = read(BackfillEnvironment.REPORT, env);
        S3Client s3 = SdkClients.s3(SdkClients.httpClient());
        JobSteps steps = new JobSteps(
                new S3JobStore(s3, values.get(BackfillEnvironment.STAGING_BUCKET)),
                null,
                null,
                null,
                TableCatalog.load(),
                null,
                null,
                Clock.systemUTC(),
                Sleeper.SYSTEM);
        return new Report(steps, values.get(BackfillEnvironment.METRICS_NAMESPACE));
    }

    static FunctionEnvironment.Values read(FunctionEnvironment environment, Map<String, String> env) {
        FunctionEnvironment.Values values = environment.read(env, System.getProperties());
        values.throwIfInvalid();
        return values;
    }
}
