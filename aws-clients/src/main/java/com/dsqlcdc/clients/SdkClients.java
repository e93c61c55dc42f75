package com.dsqlcdc.clients;

import com.dsqlcdc.contract.env.LambdaEnvironment;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.services.dsql.DsqlClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * How every function, custom resource and tool builds its SDK clients, once per process: one
 * url-connection HTTP client shared by all of them (the only HTTP client in each Lambda jar),
 * Region and credentials from the SDK's default chains, endpoints from the standard overrides
 * ({@code AWS_ENDPOINT_URL_<SERVICE>}, which the generated clients apply by themselves; see {@link
 * EndpointOverrides}), and S3 with path-style addressing exactly when its endpoint is overridden (a
 * local endpoint has no bucket subdomains; real S3 keeps virtual-hosted style).
 */
public final class SdkClients {

    /**
     * Long enough for a Data API long poll ({@code DataApiStatements.Settings.DEFAULT_LONG_POLL},
     * 20 s) plus the answer.
     */
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);

    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    private SdkClients() {}

    /** @return a new url-connection HTTP client, to share between a process's SDK clients */
    public static SdkHttpClient httpClient() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECTION_TIMEOUT)
                .socketTimeout(SOCKET_TIMEOUT)
                .build();
    }

    /**
     * @param maxAttempts attempts per call, the first included
     * @return the SDK's standard strategy (throttling, 5xx, I/O errors; exponential backoff with
     *         jitter) bounded to {@code maxAttempts}; anything else is thrown at once
     */
    public static StandardRetryStrategy retries(int maxAttempts) {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(maxAttempts)
                .build();
    }

    /**
     * @param http        the shared HTTP client
     * @param maxAttempts attempts per call (the statement quotas are per account: throttling is
     *                    expected)
     * @return the Redshift Data API client
     */
    public static RedshiftDataClient dataApi(SdkHttpClient http, int maxAttempts) {
        return RedshiftDataClient.builder()
                .httpClient(http)
                .overrideConfiguration(o -> o.retryStrategy(retries(maxAttempts)))
                .build();
    }

    /**
     * @param http the shared HTTP client
     * @return the S3 client, path-style when its endpoint is overridden
     */
    public static S3Client s3(SdkHttpClient http) {
        return S3Client.builder()
                .httpClient(http)
                .forcePathStyle(s3PathStyle(System.getenv(), System.getProperties()))
                .build();
    }

    /**
     * @param http   the shared HTTP client
     * @param region the Region
     * @return the generated DSQL client (GetCluster, TagResource, UntagResource)
     */
    public static DsqlClient dsql(SdkHttpClient http, Region region) {
        return DsqlClient.builder().region(region).httpClient(http).build();
    }

    /**
     * @return the Region this process runs in: {@code AWS_REGION} (Lambda sets it), or the
     *         {@code aws.region} system property for local runs
     * @throws IllegalStateException naming the variable when neither is a Region name
     */
    public static Region region() {
        String name = System.getenv(LambdaEnvironment.AWS_REGION.name());
        if (name == null || name.isBlank()) {
            name = System.getProperty(
                    LambdaEnvironment.AWS_REGION.systemProperty().orElseThrow());
        }
        if (name == null || !LambdaEnvironment.REGION.matcher(name.trim()).matches()) {
            throw new IllegalStateException(LambdaEnvironment.AWS_REGION.name() + " is not set to a Region name ("
                    + name + "): Lambda always sets it; for a local run set it or the aws.region system property");
        }
        return Region.of(name.trim());
    }

    /** @return whether S3 requests go path-style: exactly when an S3 endpoint override is in effect */
    static boolean s3PathStyle(Map<String, String> env, Properties systemProperties) {
        return EndpointOverrides.of("S3", "S3", env, systemProperties).isPresent();
    }
}
