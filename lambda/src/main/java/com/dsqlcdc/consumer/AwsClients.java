package com.dsqlcdc.consumer;

import com.dsqlcdc.clients.SdkClients;
import software.amazon.awssdk.http.SdkHttpClient;
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

    /** @return clients for the Lambda environment (see {@link SdkClients}) */
    public static AwsClients create() {
        SdkHttpClient http = SdkClients.httpClient();
        return new AwsClients(SdkClients.dataApi(http, DATA_API_ATTEMPTS), SdkClients.s3(http));
    }
}
