package com.dsqlcdc.consumer;

import com.dsqlcdc.clients.SdkClients;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The SDK clients of the consumer, built once per execution environment. The consumer only
 * talks to S3 (staging, quarantine, chunk assembly): Region and endpoint come from the SDK's
 * standard chains ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL_S3}, …), which is also how tests
 * point it at a local fake.
 *
 * @param s3 the S3 client
 */
public record AwsClients(S3Client s3) {

    /** @return clients for the Lambda environment (see {@link SdkClients}) */
    public static AwsClients create() {
        return new AwsClients(SdkClients.s3(SdkClients.httpClient()));
    }
}
