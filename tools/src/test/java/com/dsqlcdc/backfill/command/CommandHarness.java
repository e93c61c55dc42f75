package com.dsqlcdc.backfill.command;

import com.dsqlcdc.backfill.CommandTestbed;
import com.dsqlcdc.backfill.SourceConnections;
import com.dsqlcdc.backfill.WarehouseReader;
import com.dsqlcdc.clients.dsql.DsqlStreamClient;
import com.dsqlcdc.clients.dsql.SignedDsqlStreamClient;
import com.dsqlcdc.testing.FakeDsqlServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The backfill command run as an operator runs it, its clients pointed at the local stand-ins: the
 * source is the test bed's embedded PostgreSQL (through the command's own SQL connector, with a
 * password instead of an IAM token), GetStream goes to the DSQL fake through the real signed client,
 * the staging bucket is the S3 fake, and the warehouse is the test bed's PostgreSQL running the
 * Redshift SQL as the Data API would. S3 PUTs can be made to fail after a number of them, to kill a
 * job midway.
 */
final class CommandHarness implements AutoCloseable {

    static final String REGION = "us-east-1";

    final CommandTestbed testbed;
    final FakeDsqlServer dsql;
    final String activeStream;
    /** The database roles the command connected as, in order. */
    final List<String> roles = new CopyOnWriteArrayList<>();
    /** PUTs the command sent (failed ones included). */
    final AtomicInteger puts = new AtomicInteger();

    private final SdkHttpClient http = UrlConnectionHttpClient.create();
    private volatile int putsAllowed = Integer.MAX_VALUE;

    CommandHarness() throws Exception {
        testbed = new CommandTestbed();
        dsql = new FakeDsqlServer(REGION).cluster(CommandTestbed.CLUSTER, "ACTIVE");
        activeStream = dsql.seedStream(
                CommandTestbed.CLUSTER,
                "ACTIVE",
                "arn:aws:kinesis:us-east-1:123456789012:stream/dsql-cdc",
                "arn:aws:iam::123456789012:role/stream",
                java.util.Map.of());
    }

    /** From now on, PUTs after the next {@code n} fail as a dropped connection would. */
    void failPutsAfter(int n) {
        putsAllowed = puts.get() + n;
    }

    void allPutsSucceed() {
        putsAllowed = Integer.MAX_VALUE;
    }

    /** What one run printed and returned. */
    record Run(int exitCode, String out, String err) {}

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new BackfillCommand(new BackfillCommand.Wiring(region -> clients(), Clock.systemUTC()))
                .run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private BackfillClients clients() {
        DsqlStreamClient streams = SignedDsqlStreamClient.builder()
                .region(Region.of(REGION))
                .endpointOverride(dsql.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(FakeDsqlServer.ACCESS_KEY, FakeDsqlServer.SECRET_KEY)))
                .httpClient(http)
                .build();
        S3Client s3 = countingS3(testbed.s3Client());
        return new BackfillClients() {
            @Override
            public SourceConnections source(String clusterId, String role) {
                roles.add(role);
                return testbed.sourceConnections();
            }

            @Override
            public DsqlStreamClient streams() {
                return streams;
            }

            @Override
            public S3Client s3() {
                return s3;
            }

            @Override
            public WarehouseReader warehouse(String workgroup, String database) {
                return testbed.warehouseReader();
            }

            @Override
            public void close() {
                streams.close();
            }
        };
    }

    /** The test bed's S3 client, counting PUTs and failing those past {@link #failPutsAfter}. */
    private S3Client countingS3(S3Client s3) {
        return (S3Client) Proxy.newProxyInstance(
                S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    if (method.getName().equals("putObject") && puts.incrementAndGet() > putsAllowed) {
                        throw SdkClientException.create("injected: the connection to S3 dropped");
                    }
                    try {
                        return method.invoke(s3, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public void close() {
        http.close();
        dsql.close();
        testbed.close();
    }
}
