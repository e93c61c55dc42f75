package com.dsqlcdc.infra.stateless;

import com.dsqlcdc.infra.monitoring.MonitoredResources;
import com.dsqlcdc.infra.monitoring.Monitoring;
import com.dsqlcdc.infra.monitoring.MonitoringProps;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/**
 * What can be replaced without losing data: roles, the CDC stream and warehouse schema custom
 * resources and their handlers, the consumer Lambda and its event source mapping, the chunk sweep
 * and its alarm. References the stateful stack's resources through the constructs passed in.
 */
public final class StatelessStack extends Stack {

    private final DsqlCdcStream cdcStream;
    private final CdcConsumer consumer;
    private final WarehouseSchemaResource warehouseSchema;
    private final ChunkSweep chunkSweep;
    private final StreamHealthCheck streamHealth;
    private final Monitoring monitoring;

    /**
     * @param scope the stage
     * @param id    stack id
     * @param props the environment's settings and the stateful resources to wire
     */
    public StatelessStack(Construct scope, String id, StatelessStackProps props) {
        super(scope, id, StackProps.builder()
                .description("dsql-cdc-pipeline " + props.getConfig().name()
                        + ": stateless resources (DSQL CDC stream and warehouse schema custom resources, consumer"
                        + " Lambda, chunk sweep, stream health check, alarms, dashboard, handlers, roles)")
                .build());

        this.cdcStream = new DsqlCdcStream(this, "CdcStream", DsqlCdcStreamProps.builder()
                .cluster(props.getCluster())
                .kinesisStream(props.getKinesisStream())
                .kinesisKey(props.getKinesisKey())
                .handlerJar(props.getCustomResourceJar())
                .logRetention(props.getConfig().logRetention())
                .tags(props.getConfig().tags())
                .generation(props.getConfig().cdcStreamGeneration())
                .build());

        this.consumer = new CdcConsumer(this, "Consumer", CdcConsumerProps.builder()
                .config(props.getConfig().consumer())
                .handlerJar(props.getConsumerJar())
                .kinesisStream(props.getKinesisStream())
                .warehouse(props.getWarehouse())
                .quarantineBucket(props.getQuarantineBucket())
                .failedBatchBucket(props.getFailedBatchBucket())
                .stagingBucket(props.getStagingBucket())
                .logRetention(props.getConfig().logRetention())
                .build());

        this.chunkSweep = new ChunkSweep(this, "ChunkSweep", ChunkSweepProps.builder()
                .config(props.getConfig().consumer().chunks())
                .handlerJar(props.getConsumerJar())
                .stagingBucket(props.getStagingBucket())
                .logRetention(props.getConfig().logRetention())
                .build());

        this.warehouseSchema = new WarehouseSchemaResource(this, "WarehouseSchema",
                WarehouseSchemaResourceProps.builder()
                        .warehouse(props.getWarehouse())
                        .consumerRole(consumer.getRole())
                        .catalog(props.getCatalog())
                        .handlerJar(props.getCustomResourceJar())
                        .logRetention(props.getConfig().logRetention())
                        .build());
        // No record is processed before the table, the consumer's user and its grants exist.
        consumer.consumeOnlyAfter(warehouseSchema.getResource());

        String environment = props.getConfig().name();
        this.streamHealth = new StreamHealthCheck(this, "StreamHealth", StreamHealthCheckProps.builder()
                .handlerJar(props.getConsumerJar())
                .clusterIdentifier(props.getCluster().getClusterIdentifier())
                .streamIdentifier(cdcStream.getStreamIdentifier())
                .streamArn(cdcStream.getStreamArn())
                .intervalMinutes(props.getConfig().alarms().streamHealthIntervalMinutes())
                .alarmNamePrefix(Monitoring.alarmNamePrefix(environment))
                .logRetention(props.getConfig().logRetention())
                .build());

        this.monitoring = new Monitoring(this, "Monitoring", MonitoringProps.builder()
                .environmentName(environment)
                .config(props.getConfig().alarms())
                .watched(new MonitoredResources(props.getCluster().getClusterIdentifier(),
                        cdcStream.getStreamIdentifier(), props.getKinesisStream(), consumer.getFunction(),
                        props.getFailedBatchBucket().getBucket().getBucketName()))
                .otherAlarm(streamHealth.getFailedAlarm())
                .otherAlarm(streamHealth.getImpairedAlarm())
                .otherAlarm(chunkSweep.getIncompleteSetsAlarm())
                .build());

        output("StreamIdentifier", cdcStream.getStreamIdentifier(), "Aurora DSQL CDC stream identifier");
        output("StreamArn", cdcStream.getStreamArn(), "Aurora DSQL CDC stream ARN");
        output("KinesisStreamArn", props.getKinesisStream().getStreamArn(), "Kinesis stream receiving the CDC records");
        output("ClusterIdentifier", props.getCluster().getClusterIdentifier(), "Aurora DSQL cluster identifier");
        output("WorkgroupName", props.getWarehouse().getWorkgroupName(), "Redshift Serverless workgroup");
        output("DatabaseName", props.getWarehouse().getDatabaseName(), "Redshift database holding cdc.cdc_events");
        output("ConsumerAliasArn", consumer.getAlias().getFunctionArn(),
                "Consumer Lambda alias invoked by the Kinesis event source mapping");
        output("QuarantineBucketName", props.getQuarantineBucket().getBucket().getBucketName(),
                "S3 bucket of quarantined (poison) CDC records");
        output("FailedBatchBucketName", props.getFailedBatchBucket().getBucket().getBucketName(),
                "S3 bucket of failed batches (the event source mapping's on-failure destination)");
        output("StagingBucketName", props.getStagingBucket().getBucket().getBucketName(),
                "S3 bucket of the consumer's COPY files (staging/) and chunked-record pieces (chunks/, chunk-done/)");
        output("AlarmTopicArn", monitoring.getTopic().getTopic().getTopicArn(),
                "SNS topic every alarm of this environment notifies (subscribe on-call here)");
        output("DashboardName", monitoring.getDashboard().getDashboardName(), "CloudWatch dashboard of this environment");
        output("CopyRoleArn", props.getWarehouse().getCopyRole().getRoleArn(),
                "IAM role of the Redshift Serverless namespace that COPY uses to read staging/");
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

    /** @return the warehouse schema custom resource */
    public WarehouseSchemaResource getWarehouseSchema() {
        return warehouseSchema;
    }

    /** @return the stream health check, its schedule and alarms */
    public StreamHealthCheck getStreamHealth() {
        return streamHealth;
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
