package com.dsqlcdc.consumer;

import java.util.Map;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The SDK clients of the consumer, built once per execution environment and sharing one HTTP
 * client. Region and endpoints come from the SDK's standard chains ({@code AWS_REGION},
 * {@code AWS_ENDPOINT_URL_REDSHIFT_DATA}, {@code AWS_ENDPOINT_URL_S3}, …), which is also how tests
 * point them at local fakes.
 *
 * @param dataApi the Redshift Data API client
 * @param s3      the S3 client (quarantine)
 */
public record AwsClients(RedshiftDataClient dataApi, S3Client s3) {

    /**
     * Attempts per Data API call: throttling (the ExecuteStatement quota is ~30/s per account) and
     * 5xx are retried with the SDK's jittered backoff before a statement counts as failed.
     */
    static final int DATA_API_ATTEMPTS = 8;

    /** @return clients for the Lambda environment */
    public static AwsClients create() {
        SdkHttpClient http = UrlConnectionHttpClient.builder().build();
        RedshiftDataClient dataApi = RedshiftDataClient.builder()
                .httpClient(http)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(DATA_API_ATTEMPTS).build()))
                .build();
        S3Client s3 = S3Client.builder()
                .httpClient(http)
                // A local endpoint (tests) has no bucket subdomains; real S3 keeps virtual-hosted style.
                .forcePathStyle(s3EndpointOverridden(System.getenv(), System.getProperties()))
                .build();
        return new AwsClients(dataApi, s3);
    }

    static boolean s3EndpointOverridden(Map<String, String> env, java.util.Properties props) {
        return present(env.get("AWS_ENDPOINT_URL_S3")) || present(env.get("AWS_ENDPOINT_URL"))
                || present(props.getProperty("aws.endpointUrlS3")) || present(props.getProperty("aws.endpointUrl"));
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
