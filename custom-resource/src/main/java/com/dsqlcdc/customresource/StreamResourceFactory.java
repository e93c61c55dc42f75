package com.dsqlcdc.customresource;

import com.dsqlcdc.clients.dsql.SignedDsqlStreamClient;
import com.dsqlcdc.contract.retry.Sleeper;
import com.dsqlcdc.customresource.stream.CdcStreamResource;
import com.dsqlcdc.customresource.stream.ClusterReadiness;
import java.time.Duration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlClient;

/**
 * Builds the real clients once per Lambda container: the generated DSQL client (GetCluster, tags)
 * and the signed stream client share one HTTP client; both honour AWS_ENDPOINT_URL_DSQL.
 */
final class StreamResourceFactory {

  /** Transitional cluster states are waited out this long, inside the onEvent 5-minute timeout. */
  static final Duration CLUSTER_WAIT = Duration.ofMinutes(3);

  static final Duration CLUSTER_POLL = Duration.ofSeconds(10);

  private StreamResourceFactory() {}

  static CdcStreamResource fromEnvironment() {
    String regionName = regionName();
    Region region = Region.of(regionName);
    SdkHttpClient http = UrlConnectionHttpClient.create();
    DsqlClient dsql = DsqlClient.builder().region(region).httpClient(http).build();
    SignedDsqlStreamClient streams = SignedDsqlStreamClient.builder().region(region).httpClient(http).build();
    ClusterReadiness readiness = new ClusterReadiness(dsql, regionName, CLUSTER_POLL, CLUSTER_WAIT, Sleeper.SYSTEM);
    return new CdcStreamResource(streams, dsql, readiness, regionName);
  }

  /** Lambda sets AWS_REGION; the aws.region system property (as in the SDK) serves local runs. */
  static String regionName() {
    String regionName = System.getenv("AWS_REGION");
    if (regionName == null || regionName.isBlank()) {
      regionName = System.getProperty("aws.region");
    }
    if (regionName == null || regionName.isBlank()) {
      throw new IllegalStateException("AWS_REGION is not set (Lambda always sets it)");
    }
    return regionName;
  }
}
