package com.dsqlcdc.infra.stateless;

import com.dsqlcdc.infra.PipelineStageProps;
import com.dsqlcdc.infra.config.ConsumerConfig;
import com.dsqlcdc.infra.config.EnvironmentConfig;
import com.dsqlcdc.infra.monitoring.MonitoredResources;
import com.dsqlcdc.infra.monitoring.Monitoring;
import com.dsqlcdc.infra.monitoring.MonitoringProps;
import com.dsqlcdc.infra.stateful.StatefulResources;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.lambda.Code;
import software.constructs.Construct;

/**
 * What can be replaced without losing data: roles, the CDC stream and warehouse schema custom
 * resources and their handlers, the consumer Lambda and its event source mapping, the loader and its
 * schedule, the chunk sweep and its alarm. References the stateful stack's resources through the one
 * {@link StatefulResources} it is given.
 */
public final class StatelessStack extends Stack {

    private final DsqlCdcStream cdcStream;
    private final CdcConsumer consumer;
    private final CdcLoader loader;
    private final WarehouseSchemaResource warehouseSchema;
    private final ChunkSweep chunkSweep;
    private final StreamHealthCheck streamHealth;
    private final BackfillJob backfill;
    private final Monitoring monitoring;

    /**
     * @param scope    the stage
     * @param id       stack id
     * @param props    the environment's settings, the Lambda jars and the table catalog
     * @param stateful the stateful stack's resources to wire
     */
    public StatelessStack(Construct scope, String id, PipelineStageProps props, StatefulResources stateful) {
        super(
                scope,
                id,
                StackProps.builder()
                        .description("dsql-cdc-pipeline " + props.config().name()
                                + ": stateless resources (DSQL CDC stream and warehouse schema custom resources, consumer"
                                + " and loader Lambdas, chunk sweep, stream health check, backfill job, alarms, dashboard, handlers,"
                                + " roles)")
                        .build());
        EnvironmentConfig config = props.config();

        this.cdcStream = new DsqlCdcStream(
                this,
                "CdcStream",
                new DsqlCdcStreamProps(
                        stateful.getCluster(),
                        stateful.getKinesisStream(),
                        code(props.customResourceJar()),
                        config.logRetention(),
                        config.tags(),
                        config.cdcStreamGeneration()));

        this.consumer = new CdcConsumer(
                this,
                "Consumer",
                new CdcConsumerProps(
                        code(props.consumerJar()),
                        stateful.getKinesisStream(),
                        stateful.getWarehouse().getMaxSuperStringBytes(),
                        stateful.getQuarantineBucket().getBucket(),
                        stateful.getFailedBatchBucket().getBucket(),
                        stateful.getStagingBucket().getBucket(),
                        config.logRetention(),
                        tuning(config.consumer())));

        this.chunkSweep = new ChunkSweep(
                this,
                "ChunkSweep",
                new ChunkSweepProps(
                        config.consumer().chunks(),
                        code(props.consumerJar()),
                        stateful.getStagingBucket(),
                        config.logRetention()));

        this.loader = new CdcLoader(
                this,
                "Loader",
                new CdcLoaderProps(
                        code(props.consumerJar()),
                        stateful.getWarehouse(),
                        stateful.getStagingBucket().getBucket(),
                        config.logRetention(),
                        new CdcLoaderProps.Tuning(
                                config.warehouse().loadIntervalSeconds(),
                                config.warehouse().logRetentionDays())));

        this.backfill = new BackfillJob(
                this,
                "Backfill",
                new BackfillJobProps(
                        code(props.consumerJar()),
                        stateful.getCluster(),
                        cdcStream,
                        stateful.getWarehouse(),
                        stateful.getStagingBucket().getBucket(),
                        config.backfill(),
                        Monitoring.alarmNamePrefix(config.name()),
                        config.logRetention()));

        this.warehouseSchema = new WarehouseSchemaResource(
                this,
                "WarehouseSchema",
                new WarehouseSchemaResourceProps(
                        stateful.getWarehouse(),
                        loader.getRole(),
                        Optional.of(backfill.getWorkerRole()),
                        props.catalog(),
                        config.warehouse().logPruning(),
                        code(props.customResourceJar()),
                        config.logRetention()));
        // No load before the tables, the loader's user and its grants exist.
        loader.loadOnlyAfter(warehouseSchema.getResource());
        // The consumer needs nothing of the warehouse. The other way round: on the upgrade from the
        // consumer that wrote to Redshift, the state tables are built from the log only once the new
        // consumer (which only stages) is live, so the old one cannot append behind the rebuild's back.
        warehouseSchema.getResource().getNode().addDependency(consumer.getAlias());

        String environment = config.name();
        this.streamHealth = new StreamHealthCheck(
                this,
                "StreamHealth",
                new StreamHealthCheckProps(
                        code(props.consumerJar()),
                        cdcStream,
                        config.alarms().streamHealthIntervalMinutes(),
                        Monitoring.alarmNamePrefix(environment),
                        config.logRetention()));

        this.monitoring = new Monitoring(
                this,
                "Monitoring",
                new MonitoringProps(
                        environment,
                        config.alarms(),
                        new MonitoredResources(
                                cdcStream,
                                stateful.getKinesisStream(),
                                consumer,
                                loader,
                                stateful.getFailedBatchBucket().getBucket().getBucketName()),
                        List.of(
                                streamHealth.getFailedAlarm(),
                                streamHealth.getImpairedAlarm(),
                                chunkSweep.getIncompleteSetsAlarm(),
                                backfill.getMismatchAlarm(),
                                backfill.getFailedAlarm())));

        output("StreamIdentifier", cdcStream.getStreamIdentifier(), "Aurora DSQL CDC stream identifier");
        output("StreamArn", cdcStream.getStreamArn(), "Aurora DSQL CDC stream ARN");
        output(
                "KinesisStreamArn",
                stateful.getKinesisStream().getStreamArn(),
                "Kinesis stream receiving the CDC records");
        output("ClusterIdentifier", stateful.getCluster().getClusterIdentifier(), "Aurora DSQL cluster identifier");
        output("WorkgroupName", stateful.getWarehouse().getWorkgroupName(), "Redshift Serverless workgroup");
        output("DatabaseName", stateful.getWarehouse().getDatabaseName(), "Redshift database holding cdc.cdc_events");
        output(
                "ConsumerAliasArn",
                consumer.getAlias().getFunctionArn(),
                "Consumer Lambda alias invoked by the Kinesis event source mapping");
        output(
                "LoaderFunctionName",
                loader.getFunction().getFunctionName(),
                "Loader Lambda: started every " + loader.getScheduleInterval().toHumanString()
                        + "; invoke it to load what is staged now");
        output(
                "BackfillStateMachineArn",
                backfill.getStateMachine().getStateMachineArn(),
                "Backfill, resync and validation job: aws stepfunctions start-execution --state-machine-arn <this>"
                        + " --input '{\"mode\":\"backfill\"}' (modes backfill, resync, validate; optional"
                        + " \"tables\")");
        output(
                "BackfillPlanRoleArn",
                backfill.getSourceRoles().get(0).getRoleArn(),
                "IAM role of the backfill plan step: map it to backfill.sourceDatabaseRole with AWS IAM GRANT"
                        + " (docs/runbook.md, the backfill job)");
        output(
                "BackfillWorkerRoleArn",
                backfill.getWorkerRole().getRoleArn(),
                "IAM role of the backfill range worker: map it to backfill.sourceDatabaseRole with AWS IAM GRANT;"
                        + " its warehouse user is IAMR:<role name>");
        output(
                "QuarantineBucketName",
                stateful.getQuarantineBucket().getBucket().getBucketName(),
                "S3 bucket of quarantined (poison) CDC records");
        output(
                "FailedBatchBucketName",
                stateful.getFailedBatchBucket().getBucket().getBucketName(),
                "S3 bucket of failed batches (the event source mapping's on-failure destination)");
        output(
                "StagingBucketName",
                stateful.getStagingBucket().getBucket().getBucketName(),
                "S3 bucket of staged batches (staged/), the loader's manifests (manifests/) and chunked-record"
                        + " pieces (chunks/, chunk-done/)");
        output(
                "AlarmTopicArn",
                monitoring.getTopic().getTopic().getTopicArn(),
                "SNS topic every alarm of this environment notifies (subscribe on-call here)");
        output(
                "DashboardName",
                monitoring.getDashboard().getDashboardName(),
                "CloudWatch dashboard of this environment");
        output(
                "CopyRoleArn",
                stateful.getWarehouse().getCopyRole().getRoleArn(),
                "IAM role of the Redshift Serverless namespace that the loader's COPY uses to read staged/ and"
                        + " manifests/");
    }

    /** The consumer's settings from the configuration, in the construct's terms. */
    private static CdcConsumerProps.Tuning tuning(ConsumerConfig consumer) {
        return new CdcConsumerProps.Tuning(
                consumer.batchSize(),
                Duration.seconds(consumer.maxBatchingWindowSeconds()),
                consumer.parallelizationFactor(),
                consumer.retryAttempts(),
                consumer.hasMaxRecordAge() ? Duration.seconds(consumer.maxRecordAgeSeconds()) : null,
                consumer.memoryMb(),
                Duration.seconds(consumer.timeoutSeconds()));
    }

    /**
     * @return the jar as Lambda code, a new one per construct: an asset code belongs to the first
     *         function it is bound to, so each construct's function keeps its own asset (and ids)
     */
    private static Code code(Path jar) {
        return Code.fromAsset(jar.toString());
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }

    /** @return the CDC stream custom resource */
    public DsqlCdcStream getCdcStream() {
        return cdcStream;
    }

    /** @return the consumer Lambda, its alias and event source mapping */
    public CdcConsumer getConsumer() {
        return consumer;
    }

    /** @return the loader Lambda and its schedule */
    public CdcLoader getLoader() {
        return loader;
    }

    /** @return the warehouse schema custom resource */
    public WarehouseSchemaResource getWarehouseSchema() {
        return warehouseSchema;
    }

    /** @return the stream health check, its schedule and alarms */
    public StreamHealthCheck getStreamHealth() {
        return streamHealth;
    }

    /** @return the backfill, resync and validation job */
    public BackfillJob getBackfill() {
        return backfill;
    }

    /** @return the alarm topic, every alarm, the dashboard */
    public Monitoring getMonitoring() {
        return monitoring;
    }

    /** @return the chunk sweep, its schedule and alarm */
    public ChunkSweep getChunkSweep() {
        return chunkSweep;
    }
}
