package com.dsqlcdc.infra.stateless;

import com.dsqlcdc.contract.env.CustomResourceEnvironment;
import com.dsqlcdc.infra.Nag;
import com.dsqlcdc.infra.Ordered;
import com.dsqlcdc.infra.monitoring.PipelineMetrics;
import io.github.cdklabs.cdknag.NagPackSuppression;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CustomResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.customresources.Provider;
import software.amazon.awscdk.interfaces.ResourceEnvironment;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.GrantOnPrincipalOptions;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.IFunction;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * An Aurora DSQL CDC stream from a cluster to a Kinesis stream. CloudFormation has no resource
 * type for it, so it is a custom resource ({@code Custom::DsqlCdcStream}) backed by the Java
 * handlers in {@code custom-resource/} through the CDK Provider framework: onEvent starts
 * creation or deletion, isComplete polls until the stream is ACTIVE (or gone).
 *
 * <p>Also creates the service role DSQL assumes to write to Kinesis. Each handler gets only the
 * DSQL, IAM and KMS permissions its half of the lifecycle needs.
 *
 * <p>Usable on its own in any app ({@link DsqlCdcStreamProps} takes CDK types): {@link #grantRead}
 * lets another principal read the stream's status, and the {@code metricXxx} methods give DSQL's
 * {@code AWS/AuroraDSQL} stream metrics (dimensions {@code ClusterId} and {@code StreamId}) the way
 * CDK's constructs give theirs.
 */
public final class DsqlCdcStream extends Construct {

    /** CloudFormation type of the stream resource. */
    public static final String RESOURCE_TYPE = "Custom::DsqlCdcStream";

    static final String ON_EVENT_HANDLER = "com.dsqlcdc.customresource.CdcStreamOnEventHandler::handleRequest";
    static final String IS_COMPLETE_HANDLER = "com.dsqlcdc.customresource.CdcStreamIsCompleteHandler::handleRequest";

    private final String clusterIdentifier;
    private final DsqlStreamServiceRole serviceRole;
    private final Function onEventHandler;
    private final Function isCompleteHandler;
    private final String streamIdentifier;
    private final String streamArn;

    /**
     * @param scope parent construct
     * @param id    construct id
     * @param props cluster, Kinesis stream, handler code, log retention, tags, generation
     */
    public DsqlCdcStream(Construct scope, String id, DsqlCdcStreamProps props) {
        super(scope, id);
        this.clusterIdentifier = props.cluster().getClusterIdentifier();
        String clusterArn = props.cluster().getClusterArn();
        String clusterStreamsArn = clusterArn + "/stream/*";

        this.serviceRole = new DsqlStreamServiceRole(this, "ServiceRole", clusterArn, props.kinesisStream());

        // One asset for both handlers: the first function the code is bound to owns it.
        Code code = props.handlerCode();

        // onEvent retries throttled calls and waits up to 3 minutes for a cluster still CREATING or
        // UPDATING before it answers.
        this.onEventHandler = HandlerFunctions.javaHandler(
                this,
                "OnEvent",
                ON_EVENT_HANDLER,
                Duration.minutes(5),
                "Aurora DSQL CDC stream custom resource: create, update and delete",
                code,
                props.logRetention(),
                CustomResourceEnvironment.STREAM_RESOURCE_SERVICE);
        onEventHandler.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("dsql:GetCluster", "dsql:CreateStream", "dsql:ListStreams"))
                .resources(List.of(clusterArn))
                .build());
        onEventHandler.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("dsql:GetStream", "dsql:DeleteStream", "dsql:TagResource", "dsql:UntagResource"))
                .resources(List.of(clusterStreamsArn))
                .build());
        onEventHandler.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("iam:PassRole"))
                .resources(List.of(serviceRole.getRole().getRoleArn()))
                .conditions(Ordered.map(
                        "StringEquals",
                        Ordered.map("iam:PassedToService", DsqlStreamServiceRole.DSQL_SERVICE_PRINCIPAL)))
                .build());
        // CreateStream reads the cluster's data key: with a customer managed key the caller
        // needs kms:Decrypt on it.
        props.cluster()
                .getEncryptionKey()
                .ifPresent(key -> onEventHandler.addToRolePolicy(PolicyStatement.Builder.create()
                        .actions(List.of("kms:Decrypt"))
                        .resources(List.of(key.getKeyArn()))
                        .build()));

        this.isCompleteHandler = HandlerFunctions.javaHandler(
                this,
                "IsComplete",
                IS_COMPLETE_HANDLER,
                Duration.minutes(1),
                "Aurora DSQL CDC stream custom resource: wait until ACTIVE or gone",
                code,
                props.logRetention(),
                CustomResourceEnvironment.STREAM_RESOURCE_SERVICE);
        isCompleteHandler.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("dsql:GetStream", "dsql:DeleteStream"))
                .resources(List.of(clusterStreamsArn))
                .build());

        // Creation typically takes 1-3 minutes; deletion also waits until the stream is gone.
        Provider provider = Provider.Builder.create(this, "Provider")
                .onEventHandler(onEventHandler)
                .isCompleteHandler(isCompleteHandler)
                .queryInterval(Duration.seconds(15))
                .totalTimeout(Duration.minutes(30))
                .logGroup(HandlerFunctions.logGroup(this, "ProviderLogs", props.logRetention()))
                // Off (the framework's default, made explicit): the handler and framework logs
                // already say why a create or delete failed or timed out, and state machine
                // logging would give the waiter role log-delivery permissions on "*".
                .disableWaiterStateMachineLogging(true)
                .build();
        HandlerFunctions.suppressProviderFramework(provider);
        HandlerFunctions.suppressWaiterStateMachine(provider);
        // The stream's id is DSQL's to choose at create: its ARN can only be named with a wildcard
        // under this cluster.
        Nag.suppress(onEventHandler.getRole(), streamsOfThisCluster());
        Nag.suppress(isCompleteHandler.getRole(), streamsOfThisCluster());

        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("ClusterIdentifier", props.cluster().getClusterIdentifier());
        properties.put("KinesisStreamArn", props.kinesisStream().getStreamArn());
        properties.put("RoleArn", serviceRole.getRole().getRoleArn());
        properties.put("Ordering", "UNORDERED");
        properties.put("Format", "JSON");
        // Raised by the operator (cdcStreamGeneration) to replace a FAILED stream: see the runbook.
        properties.put("Generation", Integer.toString(props.generation()));
        if (!props.tags().isEmpty()) {
            properties.put("Tags", props.tags());
        }
        CustomResource stream = CustomResource.Builder.create(this, "Resource")
                .resourceType(RESOURCE_TYPE)
                .serviceToken(provider.getServiceToken())
                .properties(properties)
                // The CDC stream holds no data (the records are in Kinesis): removing the resource
                // stops the capture and deletes the stream.
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        this.streamIdentifier = stream.getAttString("StreamIdentifier");
        this.streamArn = stream.getAttString("StreamArn");

        // DSQL only streams to a Kinesis stream of the cluster's own account and Region.
        getNode().addValidation(() -> sameEnvironment(props.cluster(), props.kinesisStream()));
    }

    private static NagPackSuppression streamsOfThisCluster() {
        return Nag.findings(
                "AwsSolutions-IAM5",
                "DSQL assigns a CDC stream's id when it creates it, so the"
                        + " handlers' stream actions (GetStream, DeleteStream, tagging) name the streams of this"
                        + " one cluster: arn:...:cluster/<id>/stream/*. Create and list are on the cluster ARN.",
                "Resource::arn:(<AWS::Partition>|aws[a-z-]*):dsql:(<AWS::Region>|[a-z0-9-]+)"
                        + ":(<AWS::AccountId>|\\d{12}):cluster/[^/]+/stream/\\*");
    }

    /** The stream's own account and Region: its stack's, or those of the ARN it was imported from. */
    private static List<String> sameEnvironment(IConstruct cluster, IStream kinesisStream) {
        Stack clusterStack = Stack.of(cluster);
        ResourceEnvironment stream = kinesisStream.getEnv();
        List<String> errors = new ArrayList<>();
        if (differ(clusterStack.getAccount(), stream.getAccount())
                || differ(clusterStack.getRegion(), stream.getRegion())) {
            errors.add("the DSQL cluster (" + clusterStack.getAccount() + "/" + clusterStack.getRegion()
                    + ") and the Kinesis stream (" + stream.getAccount() + "/" + stream.getRegion()
                    + ") must be in the same account and Region: create both in one stage");
        }
        return errors;
    }

    /** @return true when both values are known at synth time and not equal */
    private static boolean differ(String a, String b) {
        return !Token.isUnresolved(a) && !Token.isUnresolved(b) && !a.equals(b);
    }

    /**
     * Lets the grantee read the stream's status, its {@code statusReason} and settings
     * ({@code dsql:GetStream} on this stream only): what a health check needs.
     *
     * @param grantee the reader
     * @return the grant
     */
    public Grant grantRead(IGrantable grantee) {
        return Grant.addToPrincipal(GrantOnPrincipalOptions.builder()
                .grantee(grantee)
                .actions(List.of("dsql:GetStream"))
                .resourceArns(List.of(streamArn))
                .build());
    }

    /**
     * @param metricName an {@code AWS/AuroraDSQL} stream metric
     * @param options    statistic (default Average), period (default 5 minutes), label, ...; may be null
     * @return the metric of this stream
     */
    public Metric metric(String metricName, MetricOptions options) {
        return metric(metricName, "Average", options);
    }

    /** @return {@value PipelineMetrics#IS_IMPAIRED}: 1 while DSQL cannot deliver to Kinesis (default Maximum) */
    public Metric metricIsImpaired(MetricOptions options) {
        return metric(PipelineMetrics.IS_IMPAIRED, "Maximum", options);
    }

    /** @return {@value PipelineMetrics#BEHIND_SOURCE_LAG}: ms publishing is behind the commits (default Maximum) */
    public Metric metricBehindSourceLag(MetricOptions options) {
        return metric(PipelineMetrics.BEHIND_SOURCE_LAG, "Maximum", options);
    }

    /** @return {@value PipelineMetrics#PUBLISHED_RECORDS}: records written to Kinesis (default Sum) */
    public Metric metricPublishedRecords(MetricOptions options) {
        return metric(PipelineMetrics.PUBLISHED_RECORDS, "Sum", options);
    }

    /** @return {@value PipelineMetrics#PUBLISHED_BYTES}: bytes written to Kinesis (default Sum) */
    public Metric metricPublishedBytes(MetricOptions options) {
        return metric(PipelineMetrics.PUBLISHED_BYTES, "Sum", options);
    }

    /** @return {@value PipelineMetrics#BYTES_STREAMED}: bytes read from the cluster's changes (default Sum) */
    public Metric metricBytesStreamed(MetricOptions options) {
        return metric(PipelineMetrics.BYTES_STREAMED, "Sum", options);
    }

    /** @return {@value PipelineMetrics#STREAM_DPU}: the stream's processing units (default Sum) */
    public Metric metricStreamDpu(MetricOptions options) {
        return metric(PipelineMetrics.STREAM_DPU, "Sum", options);
    }

    private Metric metric(String metricName, String statistic, MetricOptions options) {
        return PipelineMetrics.withOptions(
                PipelineMetrics.dsqlStream(
                        metricName, clusterIdentifier, streamIdentifier, statistic, PipelineMetrics.DEFAULT_PERIOD),
                options);
    }

    /** @return the identifier of the cluster whose changes are streamed */
    public String getClusterIdentifier() {
        return clusterIdentifier;
    }

    /** @return the DSQL stream identifier (26 characters) */
    public String getStreamIdentifier() {
        return streamIdentifier;
    }

    /** @return the DSQL stream ARN ({@code ...:cluster/<cluster id>/stream/<stream id>}) */
    public String getStreamArn() {
        return streamArn;
    }

    /** @return the role DSQL assumes to write to Kinesis */
    public IRole getServiceRole() {
        return serviceRole.getRole();
    }

    /** @return the onEvent handler function */
    public IFunction getOnEventHandler() {
        return onEventHandler;
    }

    /** @return the isComplete handler function */
    public IFunction getIsCompleteHandler() {
        return isCompleteHandler;
    }
}
