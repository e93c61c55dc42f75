package com.dsqlcdc.infra.delivery;

import com.dsqlcdc.infra.Ordered;
import com.dsqlcdc.infra.PipelineStage;
import com.dsqlcdc.infra.config.DeliveryConfig;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.pipelines.AddStageOpts;
import software.amazon.awscdk.pipelines.CodeBuildOptions;
import software.amazon.awscdk.pipelines.CodeBuildStep;
import software.amazon.awscdk.pipelines.CodePipeline;
import software.amazon.awscdk.pipelines.CodePipelineSource;
import software.amazon.awscdk.pipelines.ConnectionSourceOptions;
import software.amazon.awscdk.pipelines.ManualApprovalStep;
import software.amazon.awscdk.pipelines.ManualApprovalStepProps;
import software.amazon.awscdk.services.codebuild.BucketCacheOptions;
import software.amazon.awscdk.services.codebuild.BuildEnvironment;
import software.amazon.awscdk.services.codebuild.BuildEnvironmentVariable;
import software.amazon.awscdk.services.codebuild.BuildSpec;
import software.amazon.awscdk.services.codebuild.Cache;
import software.amazon.awscdk.services.codebuild.CfnProject;
import software.amazon.awscdk.services.codebuild.CloudWatchLoggingOptions;
import software.amazon.awscdk.services.codebuild.ComputeType;
import software.amazon.awscdk.services.codebuild.LinuxBuildImage;
import software.amazon.awscdk.services.codebuild.LoggingOptions;
import software.amazon.awscdk.services.codepipeline.PipelineType;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.logs.ILogGroup;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * The delivery pipeline (CDK Pipelines, CodePipeline V2) in the tools account: source from a
 * CodeConnections repository connection; a synth step that runs the test suite and then
 * synthesises the app; self-mutation; asset publishing; then the same {@link PipelineStage} as a
 * laptop deploy, once per configured environment, in order, each behind a manual approval where
 * configured. Deploys to other accounts through their CDK bootstrap roles (see
 * docs/delivery-pipeline.md for the bootstrap trust).
 *
 * <p>The pipeline deploys the app's own stages (the ones {@code cdk deploy '<env>/*'} deploys from a
 * laptop), so both paths produce the same CloudFormation stacks ({@code <env>-Stateful},
 * {@code <env>-Stateless}) from the same templates.
 */
public final class DeliveryPipelineStack extends Stack {

    /** The README's test command: the synth step runs it first, so a failing suite stops the pipeline. */
    public static final String TEST_COMMAND = "mvn -B verify";
    /** The README's synth command, run after the tests; its {@code cdk.out} is the pipeline's cloud assembly. */
    public static final String SYNTH_COMMAND = "npx --yes aws-cdk@2.1148.1 synth";
    /** CDK CLI for self-mutation: the 3.x CLI rejects this aws-cdk-lib's cloud assembly (schema 54). */
    public static final String CLI_VERSION = "2.1148.1";
    /** Build logs: kept long enough to investigate a release a quarter later. */
    static final RetentionDays LOG_RETENTION = RetentionDays.THREE_MONTHS;
    /** Server access logs of the artifact bucket. */
    static final int ACCESS_LOG_RETENTION_DAYS = 365;
    /** Where the synth step caches Maven's repository in the artifact bucket. */
    static final String MAVEN_CACHE_PREFIX = "synth-cache";
    /** The id CDK Pipelines gives the pipeline's first stage (and its construct). */
    static final String SOURCE_STAGE = "Source";

    private final Key key;
    private final Bucket artifactBucket;
    private final Bucket accessLogBucket;
    private final LogGroup buildLogs;
    private final CodeBuildStep synth;
    private final CodePipeline pipeline;
    private final Map<String, PipelineStage> stages = new LinkedHashMap<>();

    /**
     * @param scope the app
     * @param id    stack id ({@code Delivery} in the app)
     * @param props the pipeline's settings and the app's stages it deploys
     */
    public DeliveryPipelineStack(Construct scope, String id, DeliveryPipelineStackProps props) {
        super(
                scope,
                id,
                StackProps.builder()
                        .env(Environment.builder()
                                .account(props.delivery().pipeline().account())
                                .region(props.delivery().pipeline().region())
                                .build())
                        .description("dsql-cdc-pipeline delivery pipeline (CDK Pipelines)")
                        .build());
        DeliveryConfig delivery = props.delivery();
        // The same AwsSolutions checks as every stage's stacks (see PipelineStage).
        Aspects.of(this).add(new AwsSolutionsChecks());

        // One customer managed key for what the pipeline stores: artifacts (readable by the target
        // accounts' deploy roles through the key policy the pipeline adds), build outputs and logs.
        this.key = Key.Builder.create(this, "Key")
                .description("dsql-cdc delivery pipeline: artifacts, build outputs and build logs")
                .enableKeyRotation(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowCloudWatchLogsOfThisAccount")
                .principals(List.of(new ServicePrincipal("logs." + getRegion() + ".amazonaws.com")))
                .actions(List.of(
                        "kms:Encrypt",
                        "kms:Decrypt",
                        "kms:ReEncryptFrom",
                        "kms:ReEncryptTo",
                        "kms:GenerateDataKey",
                        "kms:GenerateDataKeyWithoutPlaintext",
                        "kms:DescribeKey"))
                .resources(List.of("*"))
                .conditions(Map.of(
                        "ArnLike",
                        Map.of(
                                "kms:EncryptionContext:aws:logs:arn",
                                "arn:" + getPartition() + ":logs:" + getRegion() + ":" + getAccount()
                                        + ":log-group:*")))
                .build());

        // Server access logs only support SSE-S3 on the target bucket.
        this.accessLogBucket = Bucket.Builder.create(this, "AccessLogs")
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .expiration(Duration.days(ACCESS_LOG_RETENTION_DAYS))
                        .build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        this.artifactBucket = Bucket.Builder.create(this, "Artifacts")
                .encryption(BucketEncryption.KMS)
                .encryptionKey(key)
                .bucketKeyEnabled(true)
                .enforceSsl(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .serverAccessLogsBucket(accessLogBucket)
                .serverAccessLogsPrefix("artifacts/")
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        this.buildLogs = LogGroup.Builder.create(this, "BuildLogs")
                .retention(LOG_RETENTION)
                .encryptionKey(key)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();

        DeliveryConfig.Source source = delivery.source();
        this.synth = CodeBuildStep.Builder.create("Synth")
                .input(CodePipelineSource.connection(
                        source.repository(),
                        source.branch(),
                        ConnectionSourceOptions.builder()
                                .connectionArn(source.connectionArn())
                                .build()))
                .commands(List.of(TEST_COMMAND, SYNTH_COMMAND))
                .primaryOutputDirectory("cdk.out")
                .buildEnvironment(BuildEnvironment.builder()
                        // Ubuntu 22.04 image with Corretto 17/21 and Node 18/20 (chosen below)
                        .buildImage(LinuxBuildImage.STANDARD_7_0)
                        // 4 vCPUs, 7 GB: the suite takes ~2 min on 2 cores
                        .computeType(ComputeType.MEDIUM)
                        .environmentVariables(Map.of(
                                "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION",
                                BuildEnvironmentVariable.builder().value("20").build()))
                        .build())
                // Ordered maps: Map.of iterates in an order salted per JVM, which reordered the
                // runtime versions in the build spec (and the pipeline's config hash) between synths.
                .partialBuildSpec(BuildSpec.fromObject(Ordered.map(
                        "phases",
                                Map.of(
                                        "install",
                                        Map.of(
                                                "runtime-versions",
                                                Ordered.map(
                                                        "java", "corretto17",
                                                        "nodejs", "20"))),
                        "cache", Map.of("paths", List.of("/root/.m2/**/*")))))
                .cache(Cache.bucket(
                        artifactBucket,
                        BucketCacheOptions.builder().prefix(MAVEN_CACHE_PREFIX).build()))
                .timeout(Duration.minutes(30))
                .build();

        this.pipeline = CodePipeline.Builder.create(this, "Pipeline")
                .pipelineType(PipelineType.V2)
                .artifactBucket(artifactBucket)
                // Keys for cross-Region support stacks (a target in another Region than the pipeline).
                .crossAccountKeys(true)
                .enableKeyRotation(true)
                .cliVersion(CLI_VERSION)
                .selfMutation(true)
                .synth(synth)
                .codeBuildDefaults(CodeBuildOptions.builder()
                        .logging(LoggingOptions.builder()
                                .cloudWatch(CloudWatchLoggingOptions.builder()
                                        .logGroup(buildLogs)
                                        .build())
                                .build())
                        .build())
                .build();

        for (DeliveryConfig.Stage stageConfig : delivery.stages()) {
            String name = stageConfig.environment().name();
            // The app's own stage (the laptop one), not a copy: same stack names, and the same
            // templates (a copy in this stack's scope would get other construct paths, which leak
            // into VPC Name tags and key descriptions).
            PipelineStage stage = props.stages().get(name);
            stages.put(name, stage);
            AddStageOpts.Builder options = AddStageOpts.builder();
            if (stageConfig.manualApproval()) {
                options.pre(List.of(new ManualApprovalStep(
                        "Approve",
                        ManualApprovalStepProps.builder()
                                .comment("Promote to " + name + " (account "
                                        + stageConfig.target().account() + ", "
                                        + stageConfig.target().region() + "): check the earlier stages and the change"
                                        + " sets of " + name + "-Stateful and " + name + "-Stateless first.")
                                .build())));
            }
            pipeline.addStage(stage, options.build());
        }

        pipeline.buildPipeline();
        allowUseOfConnection(pipeline, source);
        encryptBuildOutputs(pipeline, key);
        new PipelineNagSuppressions(this, pipeline, artifactBucket, key).apply();
    }

    /**
     * The source action's role may use the connection under the IAM prefix of the connection's own
     * ARN. CDK Pipelines grants {@code codestar-connections:UseConnection} whatever the ARN, and an
     * action matches only resources of its own service: for the current
     * {@code arn:aws:codeconnections:...} connections (what the docs and the config recommend)
     * {@code codeconnections:UseConnection} is granted too. CDK's grant stays: it is the matching
     * one for an older {@code codestar-connections} ARN.
     *
     * <p>The action's role is the one CodePipeline makes under the {@code Source} stage (CDK
     * Pipelines' connection source takes no role of ours): exactly one, or synth fails.
     */
    private static void allowUseOfConnection(CodePipeline pipeline, DeliveryConfig.Source source) {
        if (!source.connectionService().equals(DeliveryConfig.Source.CODECONNECTIONS)) {
            return;
        }
        IConstruct sourceStage = pipeline.getPipeline().getNode().findChild(SOURCE_STAGE);
        List<Role> roles = sourceStage.getNode().findAll().stream()
                .filter(Role.class::isInstance)
                .map(Role.class::cast)
                .toList();
        if (roles.size() != 1) {
            throw new IllegalStateException("expected one role in the pipeline's " + SOURCE_STAGE
                    + " stage (its connection action's), found " + roles.size());
        }
        roles.get(0)
                .addToPrincipalPolicy(PolicyStatement.Builder.create()
                        .actions(List.of(DeliveryConfig.Source.CODECONNECTIONS + ":UseConnection"))
                        .resources(List.of(source.connectionArn()))
                        .build());
    }

    /**
     * CDK Pipelines creates its CodeBuild projects (synth, self-mutation, asset publishing) without an
     * encryption key option, so they would fall back to the AWS managed S3 key. Set the pipeline's
     * key on each, at the L1 level because the L2 projects are created inside CDK Pipelines. Their
     * roles can already use the key: each reads and writes pipeline artifacts encrypted with it.
     */
    private static void encryptBuildOutputs(CodePipeline pipeline, IKey key) {
        for (IConstruct construct : pipeline.getNode().findAll()) {
            if (construct instanceof CfnProject project && project.getEncryptionKey() == null) {
                project.setEncryptionKey(key.getKeyArn());
            }
        }
    }

    /** @return the customer managed key of artifacts, build outputs and build logs */
    public IKey getKey() {
        return key;
    }

    /** @return the pipeline's artifact bucket (KMS-encrypted with {@link #getKey()}) */
    public IBucket getArtifactBucket() {
        return artifactBucket;
    }

    /** @return the bucket receiving the artifact bucket's server access logs */
    public IBucket getAccessLogBucket() {
        return accessLogBucket;
    }

    /** @return the log group of every CodeBuild project of the pipeline */
    public ILogGroup getBuildLogs() {
        return buildLogs;
    }

    /** @return the synth step (tests, then synth) */
    public CodeBuildStep getSynth() {
        return synth;
    }

    /** @return the CDK pipeline (built) */
    public CodePipeline getPipeline() {
        return pipeline;
    }

    /** @return the deployed stages by environment name, in promotion order */
    public Map<String, PipelineStage> getStages() {
        return Collections.unmodifiableMap(stages);
    }
}
