package com.dsqlcdc.customresource;

import com.dsqlcdc.clients.SdkClients;
import com.dsqlcdc.clients.dsql.SignedDsqlStreamClient;
import com.dsqlcdc.contract.retry.Sleeper;
import com.dsqlcdc.customresource.stream.CdcStreamResource;
import com.dsqlcdc.customresource.stream.ClusterReadiness;
import java.time.Duration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlClient;

/**
 * Builds the real clients once per Lambda container ({@link SdkClients}): the generated DSQL client
 * (GetCluster, tags) and the signed stream client share one HTTP client; both honour
 * AWS_ENDPOINT_URL_DSQL.
 */
final class StreamResourceFactory {

    /** Transitional cluster states are waited out this long, inside the onEvent 5-minute timeout. */
    static final Duration CLUSTER_WAIT = Duration.ofMinutes(3);

    static final Duration CLUSTER_POLL = Duration.ofSeconds(10);

    private StreamResourceFactory() {}

    static CdcStreamResource fromEnvironment() {
        Region region = SdkClients.region();
        SdkHttpClient http = SdkClients.httpClient();
        DsqlClient dsql = SdkClients.dsql(http, region);
        SignedDsqlStreamClient streams =
                SignedDsqlStreamClient.builder().region(region).httpClient(http).build();
        ClusterReadiness readiness =
                new ClusterReadiness(dsql, region.id(), CLUSTER_POLL, CLUSTER_WAIT, Sleeper.SYSTEM);
        return new CdcStreamResource(streams, dsql, readiness, region.id());
    }
}
