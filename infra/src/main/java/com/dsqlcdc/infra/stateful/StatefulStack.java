package com.dsqlcdc.infra.stateful;

import com.dsqlcdc.infra.config.ConsumerConfig;
import com.dsqlcdc.infra.config.EnvironmentConfig;
import com.dsqlcdc.infra.config.WarehouseConfig;
import com.dsqlcdc.infra.monitoring.PipelineMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.kms.IKey;
import software.constructs.Construct;

/**
 * What holds data and lives long: the DSQL cluster, the Kinesis stream, the Redshift Serverless
 * warehouse, the quarantine, failed-batch and staging buckets, and their keys. Their removal policy follows
 * {@code retainData}. Deployed, and rarely changed, before the stateless stack that wires them
 * together.
 */
public final class StatefulStack extends Stack implements StatefulResources {

    private final AccessLogBucket accessLogs;
    private final List<String> availabilityZones;
    private final CdcKinesisStream kinesis;
    private final DsqlCluster cluster;
    private final Warehouse warehouse;
    private final EncryptedBucket quarantineBucket;
    private final EncryptedBucket failedBatchBucket;
    private final StagingBucket stagingBucket;

    /**
     * @param scope the stage
     * @param id    stack id
     * @param config the environment's validated settings
     */
    public StatefulStack(Construct scope, String id, EnvironmentConfig config) {
        super(
                scope,
                id,
                StackProps.builder()
                        .description("dsql-cdc-pipeline " + config.name()
                                + ": stateful resources (Aurora DSQL cluster, CDC Kinesis stream, Redshift Serverless"
                                + " warehouse, quarantine, failed-batch and staging buckets, KMS keys)")
                        .build());
        this.availabilityZones = availabilityZones(config.warehouse());
        this.accessLogs = new AccessLogBucket(this, "AccessLogs", config.dataRemovalPolicy());

        this.cluster = new DsqlCluster(this, "Cluster", config.cluster(), config.dataRemovalPolicy());
        this.kinesis = new CdcKinesisStream(this, "Kinesis", config.kinesis(), config.dataRemovalPolicy());
        ConsumerConfig consumer = config.consumer();
        this.stagingBucket = new StagingBucket(
                this,
                "StagingBucket",
                new StagingBucketProps(
                        consumer.chunks().doneMarkerRetentionDays(),
                        config.dataRemovalPolicy(),
                        accessLogs.getBucket()));
        this.warehouse = new Warehouse(
                this,
                "Warehouse",
                new WarehouseProps(
                        config.warehouse(),
                        getAvailabilityZones(),
                        config.dataRemovalPolicy(),
                        config.logRetention(),
                        stagingBucket));

        this.quarantineBucket = new EncryptedBucket(
                this,
                "QuarantineBucket",
                EncryptedBucketProps.expiringAfter(
                        "quarantined CDC records (records the consumer could not apply, with the reason)",
                        consumer.quarantineRetentionDays(),
                        Map.of(),
                        config.dataRemovalPolicy(),
                        accessLogs.getBucket()));
        this.failedBatchBucket = new EncryptedBucket(
                this,
                "FailedBatchBucket",
                EncryptedBucketProps.expiringAfter(
                        "failed CDC batches (the consumer's on-failure destination, with their payload)",
                        consumer.failedBatchRetentionDays(),
                        // What the on-failure alarm counts: the batches the event source mapping gave up on.
                        Map.of(PipelineMetrics.ON_FAILURE_DELIVERIES_FILTER, PipelineMetrics.ON_FAILURE_PREFIX),
                        config.dataRemovalPolicy(),
                        accessLogs.getBucket()));
    }

    /**
     * The configured zones, or the Region's first three as {@code Fn::Select} of {@code Fn::GetAZs}.
     * Never a lookup: synth stays offline for fixed environments too.
     */
    private static List<String> availabilityZones(WarehouseConfig warehouse) {
        return warehouse.availabilityZones().orElseGet(() -> {
            List<String> zones = new ArrayList<>();
            for (int i = 0; i < WarehouseConfig.AVAILABILITY_ZONE_COUNT; i++) {
                zones.add(Fn.select(i, Fn.getAzs()));
            }
            return List.copyOf(zones);
        });
    }

    /**
     * Three zones, where the default is two for an environment-agnostic stack and a context
     * lookup (credentials, network) for a fixed one: Redshift Serverless needs subnets in three.
     *
     * @return {@code warehouse.availabilityZones} when configured, else the Region's first three
     */
    @Override
    public List<String> getAvailabilityZones() {
        return availabilityZones;
    }

    @Override
    public IDsqlCluster getCluster() {
        return cluster;
    }

    @Override
    public IStream getKinesisStream() {
        return kinesis.getStream();
    }

    /** @return the customer managed key of the Kinesis stream */
    public IKey getKinesisKey() {
        return kinesis.getEncryptionKey();
    }

    @Override
    public IWarehouse getWarehouse() {
        return warehouse;
    }

    @Override
    public EncryptedBucket getQuarantineBucket() {
        return quarantineBucket;
    }

    @Override
    public EncryptedBucket getFailedBatchBucket() {
        return failedBatchBucket;
    }

    /** @return the bucket of the data buckets' server access logs */
    public AccessLogBucket getAccessLogs() {
        return accessLogs;
    }

    @Override
    public StagingBucket getStagingBucket() {
        return stagingBucket;
    }
}
