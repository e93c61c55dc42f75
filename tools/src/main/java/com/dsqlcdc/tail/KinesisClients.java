package com.dsqlcdc.tail;

import java.net.URI;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;

/**
 * Builds the tail's Kinesis client the way the replay command does (the SDK's default chains:
 * {@code AWS_REGION}, {@code AWS_PROFILE}, {@code AWS_ENDPOINT_URL_KINESIS}, …, and the SDK's
 * standard retries, which retry throttling and 5xx), with {@code --region}, {@code --profile}
 * and {@code --endpoint-url} taking precedence when given. The client speaks the SDK's default wire
 * format (CBOR) unless {@code aws.cborEnabled} is false.
 */
final class KinesisClients {

    private KinesisClients() {}

    /**
     * @param region   a Region, or null for the default chain
     * @param profile  a profile of the shared config files, or null for the default chain
     * @param endpoint an endpoint URL, or null for the default
     * @param adjust   last changes to the builder (tests: credentials and quick retries)
     */
    static KinesisClient create(String region, String profile, URI endpoint, Consumer<KinesisClientBuilder> adjust) {
        KinesisClientBuilder builder = KinesisClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        if (profile != null) {
            // Used for both the credentials and the Region, as AWS_PROFILE would be (but ahead of
            // AWS_ACCESS_KEY_ID and friends, as the AWS CLI's --profile is).
            builder.credentialsProvider(ProfileCredentialsProvider.create(profile))
                    .overrideConfiguration(o -> o.defaultProfileName(profile));
        }
        if (region != null) {
            builder.region(Region.of(region));
        }
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        adjust.accept(builder);
        return builder.build();
    }
}
