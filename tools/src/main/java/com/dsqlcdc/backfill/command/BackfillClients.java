package com.dsqlcdc.backfill.command;

import com.dsqlcdc.backfill.DataApiWarehouseReader;
import com.dsqlcdc.backfill.SourceConnections;
import com.dsqlcdc.backfill.WarehouseReader;
import com.dsqlcdc.clients.SdkClients;
import com.dsqlcdc.clients.dataapi.DataApiStatements;
import com.dsqlcdc.clients.dataapi.DataApiTarget;
import com.dsqlcdc.clients.dsql.DsqlStreamClient;
import com.dsqlcdc.clients.dsql.SignedDsqlStreamClient;
import com.dsqlcdc.clients.dsql.SqlConnector;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the backfill commands talk to: the DSQL source (SQL with IAM tokens), its CDC stream
 * (GetStream), the staging bucket and the warehouse (the Data API). The commands close it when they
 * end. Tests give their own: the embedded PostgreSQL, the local fakes.
 */
public interface BackfillClients extends AutoCloseable {

    /**
     * @param clusterId the cluster
     * @param role      the database role
     * @return connections to the source as {@code role}
     */
    SourceConnections source(String clusterId, String role);

    /** @return the CDC stream client (GetStream) */
    DsqlStreamClient streams();

    /** @return the S3 client of the staging bucket */
    S3Client s3();

    /**
     * @param workgroup the Redshift Serverless workgroup
     * @param database  the database holding the state tables
     * @return the warehouse, read as the caller
     */
    WarehouseReader warehouse(String workgroup, String database);

    @Override
    void close();

    /**
     * The operator's AWS clients: credentials from the SDK's default chain ({@code AWS_PROFILE}, ...),
     * the Region given or the default chain's ({@code AWS_REGION}, the profile's), one url-connection
     * HTTP client for all, each client built when first needed.
     *
     * @param region the Region, or null for the default chain's
     * @return the clients
     */
    static BackfillClients aws(Region region) {
        if (region != null) {
            return new Aws(region);
        }
        try {
            return new Aws(new DefaultAwsRegionProviderChain().getRegion());
        } catch (SdkClientException e) {
            throw new IllegalStateException(
                    "no Region: pass --region (the cluster's), or set AWS_REGION or the" + " profile's region");
        }
    }

    /** {@link #aws}: built lazily, closed together. */
    final class Aws implements BackfillClients {
        private final Region region;
        private final AwsCredentialsProvider credentials =
                DefaultCredentialsProvider.builder().build();
        private final SdkHttpClient http = SdkClients.httpClient();
        private final List<AutoCloseable> open = new ArrayList<>();
        private DsqlStreamClient streams;
        private S3Client s3;

        private Aws(Region region) {
            this.region = region;
        }

        @Override
        public SourceConnections source(String clusterId, String role) {
            return SqlConnector.forCluster(clusterId, region, role, credentials)::connect;
        }

        @Override
        public synchronized DsqlStreamClient streams() {
            if (streams == null) {
                streams = SignedDsqlStreamClient.builder()
                        .region(region)
                        .credentialsProvider(credentials)
                        .httpClient(http)
                        .build();
                open.add(streams);
            }
            return streams;
        }

        @Override
        public synchronized S3Client s3() {
            if (s3 == null) {
                s3 = S3Client.builder()
                        .region(region)
                        .credentialsProvider(credentials)
                        .httpClient(http)
                        .build();
                open.add(s3);
            }
            return s3;
        }

        @Override
        public synchronized WarehouseReader warehouse(String workgroup, String database) {
            RedshiftDataClient client = RedshiftDataClient.builder()
                    .region(region)
                    .credentialsProvider(credentials)
                    .httpClient(http)
                    .overrideConfiguration(o -> o.retryStrategy(SdkClients.retries(5)))
                    .build();
            open.add(client);
            return new DataApiWarehouseReader(new DataApiStatements(
                    client, DataApiTarget.asCaller(workgroup, database), DataApiStatements.Settings.defaults()));
        }

        @Override
        public synchronized void close() {
            for (AutoCloseable c : open) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing at exit: nothing left to do with a client that fails to close
                }
            }
            http.close();
        }
    }
}
