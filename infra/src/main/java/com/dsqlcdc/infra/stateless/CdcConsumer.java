package com.dsqlcdc.infra.stateless;

import com.dsqlcdc.contract.MetricNames;
import com.dsqlcdc.contract.StagingLayout;
import com.dsqlcdc.contract.env.ConsumerEnvironment;
import com.dsqlcdc.contract.env.LambdaEnvironment;
import com.dsqlcdc.infra.Nag;
import com.dsqlcdc.infra.Ordered;
import com.dsqlcdc.infra.monitoring.PipelineMetrics;
import com.dsqlcdc.infra.stateful.BucketGrants;
import com.dsqlcdc.infra.stateful.StagingBucket;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.EventSourceMapping;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.IAlias;
import software.amazon.awscdk.services.lambda.IEventSourceMapping;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * The consumer: a Java Lambda (SnapStart, arm64) that turns Kinesis batches of CDC records into
 * staged objects ({@code staged/} of the staging bucket), where the loader ({@link CdcLoader}) picks
 * them up. A batch is done when its changes are durably staged (or quarantined); the consumer never
 * talks to Redshift. Its Kinesis event source mapping is on the {@code live} alias (SnapStart only
 * applies to published versions), starts at the oldest record, bisects failing batches, takes
 * partial-batch responses, and hands batches it gives up on to the failed-batch bucket with their
 * payload.
 *
 * <p>The execution role is this construct's own, with exactly: its log group, object writes to the
 * quarantine bucket, the staging bucket's prefixes (staged batches, chunked-record pieces and
 * markers), Kinesis read (the stream's key only through Kinesis), and what the on-failure
 * destination needs. No Data API, no warehouse, no managed policy.
 *
 * <p>Usable on its own in any app ({@link CdcConsumerProps} takes CDK types): {@link #grantInvoke}
 * and the {@code metricXxx} methods (the consumer's own metrics, namespace {@value
 * MetricNames#NAMESPACE}) work like CDK's. Those metrics carry only the {@code Service} dimension,
 * so two consumers in one account and Region add up in them; the function's own Lambda metrics
 * ({@link #getFunction()}) are per consumer.
 */
public final class CdcConsumer extends Construct {

    /** The handler in {@code lambda/}'s shaded jar. */
    public static final String HANDLER = "com.dsqlcdc.consumer.ConsumerHandler::handleRequest";
    /** Name of the alias the event source mapping invokes. */
    public static final String ALIAS_NAME = "live";
    /** Powertools service name (logs and metrics dimension). */
    static final String SERVICE_NAME = MetricNames.CONSUMER_SERVICE;
    /** CloudWatch namespace of the consumer's metrics. */
    static final String METRICS_NAMESPACE = MetricNames.NAMESPACE;
    /**
     * What the event source mapping needs to read the stream (what CDK's {@code grantRead} gives,
     * written out so its key's statement can carry a condition).
     */
    static final List<String> KINESIS_READ_ACTIONS = List.of(
            "kinesis:DescribeStream",
            "kinesis:DescribeStreamConsumer",
            "kinesis:DescribeStreamSummary",
            "kinesis:GetRecords",
            "kinesis:GetShardIterator",
            "kinesis:ListShards",
            "kinesis:ListStreams",
            "kinesis:SubscribeToShard");

    private final Role role;
    private final Function function;
    private final Alias alias;
    private final EventSourceMapping mapping;

    /**
     * @param scope parent construct
     * @param id    construct id
     * @param props handler code, stream, SUPER string limit, buckets, tuning
     */
    public CdcConsumer(Construct scope, String id, CdcConsumerProps props) {
        super(scope, id);
        CdcConsumerProps.Tuning tuning = props.tuning();

        LogGroup logGroup = HandlerFunctions.logGroup(this, "Logs", props.logRetention());
        this.role = HandlerFunctions.executionRole(
                this, "DSQL CDC consumer: Kinesis batches into the staging bucket", logGroup);

        Map<String, String> environment = ConsumerEnvironment.ENVIRONMENT
                .writer(Token::isUnresolved)
                .put(
                        ConsumerEnvironment.QUARANTINE_BUCKET,
                        props.quarantineBucket().getBucketName())
                .put(ConsumerEnvironment.STAGING_BUCKET, props.stagingBucket().getBucketName())
                // the longest string the warehouse takes inside a SUPER value (warehouse.largeStrings)
                .put(ConsumerEnvironment.MAX_SUPER_STRING_BYTES, props.maxSuperStringBytes())
                .put(LambdaEnvironment.SERVICE_NAME, SERVICE_NAME)
                .put(ConsumerEnvironment.METRICS_NAMESPACE, METRICS_NAMESPACE)
                .put(LambdaEnvironment.LOG_LEVEL, "INFO")
                .build();

        this.function = Function.Builder.create(this, "Function")
                .description("DSQL CDC consumer: Kinesis batches of CDC records, staged for the loader")
                .runtime(Runtime.JAVA_25)
                .architecture(Architecture.ARM_64)
                .memorySize(tuning.memoryMb())
                .timeout(tuning.timeout())
                .handler(HANDLER)
                .code(props.handlerCode())
                .role(role)
                .logGroup(logGroup)
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .environment(environment)
                .build();
        this.alias = Alias.Builder.create(this, "Alias")
                .aliasName(ALIAS_NAME)
                .version(function.getCurrentVersion())
                .build();
        // The warning says SnapStart needs a published version: the line above publishes one.
        Annotations.of(function)
                .acknowledgeWarning(
                        "@aws-cdk/aws-lambda:snapStartRequirePublish",
                        "every deploy publishes currentVersion and points the live alias at it");

        BucketGrants.writeObjects(props.quarantineBucket(), role);
        StagingBucket.grantConsumer(props.stagingBucket(), role);
        grantKinesisRead(props.kinesisStream());
        Nag.suppress(
                role,
                Nag.findings(
                        "AwsSolutions-IAM5",
                        "Quarantined records are written under keys made from their shard,"
                                + " sequence number and time, and the on-failure destination writes under"
                                + " aws/lambda/<mapping id>/ (an id that exists only after the mapping): PutObject on"
                                + " <bucket>/* of these two buckets, with no read or delete.",
                        "Resource::<" + Nag.logicalId("QuarantineBucket") + "\\.Arn>/\\*",
                        "Resource::<" + Nag.logicalId("FailedBatchBucket") + "\\.Arn>/\\*"),
                StagingBucket.objectsUnderPrefixes(
                        StagingLayout.STAGED, StagingLayout.CHUNKS, StagingLayout.CHUNK_DONE));

        EventSourceMapping.Builder mappingBuilder = EventSourceMapping.Builder.create(this, "KinesisMapping")
                .target(alias)
                .eventSourceArn(props.kinesisStream().getStreamArn())
                // LATEST would lose whatever DSQL wrote before the mapping existed.
                .startingPosition(StartingPosition.TRIM_HORIZON)
                .batchSize(tuning.batchSize())
                .maxBatchingWindow(tuning.maxBatchingWindow())
                .parallelizationFactor(tuning.parallelizationFactor())
                .retryAttempts(tuning.retryAttempts())
                .bisectBatchOnError(true)
                .reportBatchItemFailures(true)
                .supportS3OnFailureDestination(true)
                .onFailure(new FailedBatchDestination(props.failedBatchBucket()));
        if (tuning.maxRecordAge() != null) {
            mappingBuilder.maxRecordAge(tuning.maxRecordAge());
        }
        this.mapping = mappingBuilder.build();
        // The mapping polls with the role's permissions (Kinesis read, the destination's writes):
        // create it only once they exist.
        mapping.getNode().addDependency(role);
    }

    /**
     * Kinesis read on the stream, and its key's {@code kms:Decrypt} only through Kinesis (the
     * {@code kms:ViaService} condition): the role cannot decrypt anything with that key directly.
     */
    private void grantKinesisRead(IStream stream) {
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(KINESIS_READ_ACTIONS)
                .resources(List.of(stream.getStreamArn()))
                .build());
        IKey key = stream.getEncryptionKey();
        if (key != null) {
            Stack stack = Stack.of(this);
            role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                    .actions(List.of("kms:Decrypt"))
                    .resources(List.of(key.getKeyArn()))
                    .conditions(Ordered.map(
                            "StringEquals",
                            Ordered.map("kms:ViaService", "kinesis." + stack.getRegion() + "." + stack.getUrlSuffix())))
                    .build());
        }
    }

    /**
     * Lets the grantee invoke the {@value #ALIAS_NAME} alias (e.g. a tool that re-drives a batch).
     *
     * @param grantee the invoker
     * @return the grant
     */
    public Grant grantInvoke(IGrantable grantee) {
        return alias.grantInvoke(grantee);
    }

    /**
     * @param metricName one of the consumer's metrics ({@link MetricNames#CONSUMER_METRICS}), in its
     *                   namespace with its {@code Service} dimension
     * @param options    statistic (default Average), period (default 5 minutes), label, ...; may be null
     * @return the metric
     */
    public Metric metric(String metricName, MetricOptions options) {
        return metric(metricName, "Average", options);
    }

    /** @return {@value MetricNames#RECORDS_IN} (default Sum) */
    public Metric metricRecordsIn(MetricOptions options) {
        return metric(MetricNames.RECORDS_IN, "Sum", options);
    }

    /** @return {@value MetricNames#RECORDS_STAGED}: records whose change is staged for the loader (default Sum) */
    public Metric metricRecordsStaged(MetricOptions options) {
        return metric(MetricNames.RECORDS_STAGED, "Sum", options);
    }

    /** @return {@value MetricNames#RECORDS_QUARANTINED}, all reasons together (default Sum) */
    public Metric metricRecordsQuarantined(MetricOptions options) {
        return metric(MetricNames.RECORDS_QUARANTINED, "Sum", options);
    }

    /** @return {@value MetricNames#RECORDS_PARKED}: chunk pieces waiting for their set (default Sum) */
    public Metric metricRecordsParked(MetricOptions options) {
        return metric(MetricNames.RECORDS_PARKED, "Sum", options);
    }

    /** @return {@value MetricNames#RECORDS_FAILED}: records to be retried (default Sum) */
    public Metric metricRecordsFailed(MetricOptions options) {
        return metric(MetricNames.RECORDS_FAILED, "Sum", options);
    }

    /** @return {@value MetricNames#COMMIT_TO_STAGED_LAG}: ms from DSQL commit to staged (default Maximum) */
    public Metric metricCommitToStagedLag(MetricOptions options) {
        return metric(MetricNames.COMMIT_TO_STAGED_LAG, "Maximum", options);
    }

    private static Metric metric(String metricName, String statistic, MetricOptions options) {
        return PipelineMetrics.withOptions(
                PipelineMetrics.consumer(metricName, statistic, PipelineMetrics.DEFAULT_PERIOD), options);
    }

    /** @return the function (its published version is behind {@link #getAlias()}) */
    public IFunction getFunction() {
        return function;
    }

    /** @return the {@value #ALIAS_NAME} alias that the event source mapping invokes */
    public IAlias getAlias() {
        return alias;
    }

    /** @return the execution role */
    public IRole getRole() {
        return role;
    }

    /** @return the Kinesis event source mapping */
    public IEventSourceMapping getEventSourceMapping() {
        return mapping;
    }
}
