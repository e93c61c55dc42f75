package com.dsqlcdc.infra.stateless;

import com.dsqlcdc.contract.env.ConsumerEnvironment;
import com.dsqlcdc.contract.env.LambdaEnvironment;
import com.dsqlcdc.infra.Nag;
import com.dsqlcdc.infra.monitoring.PipelineMetrics;
import com.dsqlcdc.infra.stateful.BucketGrants;
import com.dsqlcdc.infra.stateful.StagingBucket;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
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
import software.constructs.IDependable;

/**
 * The consumer: a Java Lambda (SnapStart, arm64) that turns Kinesis batches of CDC records into
 * rows of {@code cdc_events} through the Redshift Data API. Its Kinesis event source mapping is on
 * the {@code live} alias (SnapStart only applies to published versions), starts at the oldest
 * record, bisects failing batches, takes partial-batch responses, and hands batches it gives up on
 * to the failed-batch bucket with their payload.
 *
 * <p>The execution role is this construct's own, with exactly: its log group, the Data API
 * statement calls, GetCredentials on the one workgroup, object writes to the quarantine bucket,
 * the staging bucket's prefixes (COPY files, chunked-record pieces and markers), Kinesis read, and
 * what the on-failure destination needs. No managed policy.
 *
 * <p>Usable on its own in any app ({@link CdcConsumerProps} takes CDK types and
 * {@link com.dsqlcdc.infra.stateful.IRedshiftTarget}): {@link #grantInvoke} and the
 * {@code metricXxx} methods (the consumer's own metrics, namespace {@value PipelineMetrics#NAMESPACE})
 * work like CDK's. Those metrics carry only the {@code Service} dimension, so two consumers in one
 * account and Region add up in them; the function's own Lambda metrics ({@link #getFunction()}) are
 * per consumer.
 */
public final class CdcConsumer extends Construct {

    /** The handler in {@code lambda/}'s shaded jar. */
    public static final String HANDLER = "com.dsqlcdc.consumer.ConsumerHandler::handleRequest";
    /** Name of the alias the event source mapping invokes. */
    public static final String ALIAS_NAME = "live";
    /** Powertools service name (logs and metrics dimension). */
    static final String SERVICE_NAME = PipelineMetrics.CONSUMER_SERVICE;
    /** CloudWatch namespace of the consumer's metrics. */
    static final String METRICS_NAMESPACE = PipelineMetrics.NAMESPACE;

    private final Role role;
    private final Function function;
    private final Alias alias;
    private final EventSourceMapping mapping;

    /**
     * @param scope parent construct
     * @param id    construct id
     * @param props handler code, stream, warehouse, buckets, tuning
     */
    public CdcConsumer(Construct scope, String id, CdcConsumerProps props) {
        super(scope, id);
        CdcConsumerProps.Tuning tuning = props.tuning();

        LogGroup logGroup = HandlerFunctions.logGroup(this, "Logs", props.logRetention());
        this.role = HandlerFunctions.executionRole(
                this, "DSQL CDC consumer: Kinesis batches into Redshift Serverless", logGroup);

        Map<String, String> environment = ConsumerEnvironment.ENVIRONMENT
                .writer(Token::isUnresolved)
                .put(ConsumerEnvironment.WORKGROUP_NAME, props.warehouse().getWorkgroupName())
                .put(ConsumerEnvironment.DATABASE_NAME, props.warehouse().getDatabaseName())
                .put(
                        ConsumerEnvironment.QUARANTINE_BUCKET,
                        props.quarantineBucket().getBucketName())
                .put(ConsumerEnvironment.STAGING_BUCKET, props.stagingBucket().getBucketName())
                .put(
                        ConsumerEnvironment.COPY_ROLE_ARN,
                        props.warehouse().getCopyRole().getRoleArn())
                // a batch at or over either threshold loads with one COPY
                .put(ConsumerEnvironment.BULK_MIN_ROWS, tuning.bulkMinRows())
                .put(ConsumerEnvironment.BULK_MIN_BYTES, tuning.bulkMinBytes())
                // the longest string the warehouse takes inside a SUPER value (warehouse.largeStrings)
                .put(
                        ConsumerEnvironment.MAX_SUPER_STRING_BYTES,
                        props.warehouse().getMaxSuperStringBytes())
                .put(ConsumerEnvironment.MAX_CONCURRENT_STATEMENTS, tuning.maxConcurrentStatements())
                .put(
                        ConsumerEnvironment.STATEMENT_TIMEOUT_SECONDS,
                        tuning.statementTimeout().toSeconds().intValue())
                .put(LambdaEnvironment.SERVICE_NAME, SERVICE_NAME)
                .put(ConsumerEnvironment.METRICS_NAMESPACE, METRICS_NAMESPACE)
                .put(LambdaEnvironment.LOG_LEVEL, "INFO")
                .build();

        this.function = Function.Builder.create(this, "Function")
                .description("DSQL CDC consumer: Kinesis batches of CDC records into Redshift Serverless cdc_events")
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

        // The Redshift Data API's statement actions accept only Resource "*" (they have no resource
        // type of their own). What the role can do in the warehouse is limited by the database: its
        // user IAMR:<role name> only gets USAGE on schema cdc and INSERT on cdc.cdc_events (see the
        // warehouse schema resource), and GetCredentials below is allowed on this workgroup only.
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of(
                        "redshift-data:ExecuteStatement",
                        "redshift-data:DescribeStatement",
                        "redshift-data:CancelStatement"))
                .resources(List.of("*"))
                .build());
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("redshift-serverless:GetCredentials"))
                .resources(List.of(props.warehouse().getWorkgroupArn()))
                .build());
        BucketGrants.writeObjects(props.quarantineBucket(), role);
        StagingBucket.grantConsumer(props.stagingBucket(), role);
        props.kinesisStream().grantRead(role);
        Nag.suppress(
                role,
                Nag.findings("AwsSolutions-IAM5", HandlerFunctions.DATA_API_STATEMENTS_REASON, "Resource::\\*"),
                Nag.findings(
                        "AwsSolutions-IAM5",
                        "Quarantined records are written under keys made from their shard,"
                                + " sequence number and time, and the on-failure destination writes under"
                                + " aws/lambda/<mapping id>/ (an id that exists only after the mapping): PutObject on"
                                + " <bucket>/* of these two buckets, with no read or delete.",
                        "Resource::<" + Nag.logicalId("QuarantineBucket") + "\\.Arn>/\\*",
                        "Resource::<" + Nag.logicalId("FailedBatchBucket") + "\\.Arn>/\\*"),
                StagingBucket.objectsUnderPrefixes(
                        StagingBucket.STAGING_PREFIX, StagingBucket.CHUNKS_PREFIX, StagingBucket.CHUNK_DONE_PREFIX));

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
     * Holds back the event source mapping, and so every invocation, until {@code dependency} is
     * deployed (e.g. the warehouse schema with the consumer's grants).
     *
     * @param dependency what must exist before the first record is processed
     */
    public void consumeOnlyAfter(IDependable dependency) {
        mapping.getNode().addDependency(dependency);
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
     * @param metricName one of the consumer's metrics ({@link PipelineMetrics}), in its namespace with its
     *                   {@code Service} dimension
     * @param options    statistic (default Average), period (default 5 minutes), label, ...; may be null
     * @return the metric
     */
    public Metric metric(String metricName, MetricOptions options) {
        return metric(metricName, "Average", options);
    }

    /** @return {@value PipelineMetrics#RECORDS_IN} (default Sum) */
    public Metric metricRecordsIn(MetricOptions options) {
        return metric(PipelineMetrics.RECORDS_IN, "Sum", options);
    }

    /** @return {@value PipelineMetrics#RECORDS_LANDED}: records that reached Redshift (default Sum) */
    public Metric metricRecordsLanded(MetricOptions options) {
        return metric(PipelineMetrics.RECORDS_LANDED, "Sum", options);
    }

    /** @return {@value PipelineMetrics#RECORDS_QUARANTINED}, all reasons together (default Sum) */
    public Metric metricRecordsQuarantined(MetricOptions options) {
        return metric(PipelineMetrics.RECORDS_QUARANTINED, "Sum", options);
    }

    /** @return {@value PipelineMetrics#RECORDS_PARKED}: chunk pieces waiting for their set (default Sum) */
    public Metric metricRecordsParked(MetricOptions options) {
        return metric(PipelineMetrics.RECORDS_PARKED, "Sum", options);
    }

    /** @return {@value PipelineMetrics#RECORDS_FAILED}: records to be retried (default Sum) */
    public Metric metricRecordsFailed(MetricOptions options) {
        return metric(PipelineMetrics.RECORDS_FAILED, "Sum", options);
    }

    /** @return {@value PipelineMetrics#STATEMENTS}: Data API statements and COPYs (default Sum) */
    public Metric metricStatements(MetricOptions options) {
        return metric(PipelineMetrics.STATEMENTS, "Sum", options);
    }

    /** @return {@value PipelineMetrics#STATEMENTS_FAILED}: statements that did not land (default Sum) */
    public Metric metricStatementsFailed(MetricOptions options) {
        return metric(PipelineMetrics.STATEMENTS_FAILED, "Sum", options);
    }

    /** @return {@value PipelineMetrics#COPY_LOADS}: batches loaded with one COPY (default Sum) */
    public Metric metricCopyLoads(MetricOptions options) {
        return metric(PipelineMetrics.COPY_LOADS, "Sum", options);
    }

    /** @return {@value PipelineMetrics#STATEMENT_LATENCY}: ms per statement (default Average) */
    public Metric metricStatementLatency(MetricOptions options) {
        return metric(PipelineMetrics.STATEMENT_LATENCY, "Average", options);
    }

    /** @return {@value PipelineMetrics#COMMIT_TO_LANDED_LAG}: ms from DSQL commit to Redshift (default Maximum) */
    public Metric metricCommitToLandedLag(MetricOptions options) {
        return metric(PipelineMetrics.COMMIT_TO_LANDED_LAG, "Maximum", options);
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

    /** @return the execution role (database user {@code IAMR:<role name>}) */
    public IRole getRole() {
        return role;
    }

    /** @return the Kinesis event source mapping */
    public IEventSourceMapping getEventSourceMapping() {
        return mapping;
    }
}
