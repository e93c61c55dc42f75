package com.dsqlcdc.customresource.schema;

import java.time.Duration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;

/**
 * The production Redshift Data API client of the warehouse-schema handler, built once per Lambda
 * container: url-connection HTTP client, default credentials chain, and the standard endpoint
 * override ({@code AWS_ENDPOINT_URL_REDSHIFT_DATA}), which the SDK applies by itself.
 */
public final class DataApiClients {

  /** Attempts per call, the first included: throttling and 5xx wait 1-2-4-8 s (with jitter) at most. */
  static final int MAX_ATTEMPTS = 5;

  private DataApiClients() {}

  /**
   * The SDK's standard strategy (throttling, 5xx, I/O errors; exponential backoff with jitter),
   * bounded to {@value #MAX_ATTEMPTS} attempts. Anything else is thrown at once.
   */
  public static StandardRetryStrategy retryStrategy() {
    return AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(MAX_ATTEMPTS).build();
  }

  public static RedshiftDataClient create(Region region) {
    return RedshiftDataClient.builder()
        .region(region)
        .httpClient(
            UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(30))
                .build())
        .overrideConfiguration(
            o -> o.retryStrategy(retryStrategy())
                .apiCallAttemptTimeout(Duration.ofSeconds(30))
                .apiCallTimeout(Duration.ofSeconds(90)))
        .build();
  }
}
