package com.dsqlcdc.clients.dataapi;

import com.dsqlcdc.testing.FakeRedshiftDataApi;
import com.dsqlcdc.testing.SigV4Verifier;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;

/** Real Data API clients pointed at the fake, for the runner's tests and benchmark. */
public final class FakeDataApiClients {

    private FakeDataApiClients() {}

    /**
     * @param fake the Data API fake
     * @return a client with the verifier's credentials, us-east-1, its own URL connection HTTP
     *         client (closed with it), and no SDK retries: every call is one request
     */
    public static RedshiftDataClient of(FakeRedshiftDataApi fake) {
        return RedshiftDataClient.builder()
                .endpointOverride(fake.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(SigV4Verifier.credentialsProvider())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }
}
