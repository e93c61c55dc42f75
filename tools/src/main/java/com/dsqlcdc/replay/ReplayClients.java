package com.dsqlcdc.replay;

import com.dsqlcdc.consumer.AwsClients;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The replay's SDK clients: the Lambda's own (S3) and Kinesis, for failed batches
 * whose records must be read back from their shard. Region, credentials and endpoints come from
 * the SDK's default chains ({@code AWS_REGION}, {@code AWS_PROFILE}, {@code AWS_ENDPOINT_URL_*}).
 * The Kinesis client speaks the SDK's default wire format (CBOR) unless {@code aws.cborEnabled}
 * is false.
 *
 * @param aws     the consumer's clients
 * @param kinesis the Kinesis client
 */
public record ReplayClients(AwsClients aws, KinesisClient kinesis) implements AutoCloseable {

    /** @return clients for the operator's environment */
    public static ReplayClients create() {
        return new ReplayClients(
                AwsClients.create(),
                KinesisClient.builder()
                        .httpClientBuilder(UrlConnectionHttpClient.builder())
                        .build());
    }

    @Override
    public void close() {
        aws.s3().close();
        kinesis.close();
    }
}
