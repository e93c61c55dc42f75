package com.dsqlcdc.infra.stateless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.infra.Policies;
import com.dsqlcdc.infra.TestSupport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.IBucket;

/**
 * {@link CdcConsumer} in an app that has nothing else of this one: a bare stack, an imported Kinesis
 * stream (no key), Redshift's default SUPER string limit, a plain bucket for quarantine (S3 managed
 * keys), an imported one for failed batches and a KMS-encrypted one for staging, and the default
 * tuning. What another team gets: the function and its mapping, the role's grants on exactly those
 * resources, {@link CdcConsumer#grantInvoke} and the consumer's metrics. A bare {@code App} has none
 * of cdk.json's feature flags, so policy actions keep the order the constructs write them in.
 */
class CdcConsumerStandaloneTest {

    private static final String KINESIS_ARN = "arn:aws:kinesis:eu-west-1:123456789012:stream/cdc";

    private static Stack stack;
    private static IStream kinesisStream;
    private static CdcConsumer consumer;
    private static Bucket quarantine;
    private static IBucket failedBatches;
    private static Bucket staging;
    private static Role invoker;
    private static Template template;

    @BeforeAll
    static void synth() {
        stack = new Stack(new App(), "Analytics");
        quarantine = new Bucket(stack, "Quarantine");
        failedBatches = Bucket.fromBucketName(stack, "FailedBatches", "analytics-failed-batches");
        staging = Bucket.Builder.create(stack, "Staging")
                .encryption(BucketEncryption.KMS)
                .build();
        kinesisStream = Stream.fromStreamArn(stack, "Cdc", KINESIS_ARN);
        consumer = new CdcConsumer(
                stack,
                "Consumer",
                new CdcConsumerProps(
                        Code.fromAsset(TestSupport.CONSUMER_JAR.toString()),
                        kinesisStream,
                        65_535,
                        quarantine,
                        failedBatches,
                        staging,
                        RetentionDays.ONE_MONTH,
                        CdcConsumerProps.Tuning.defaults()));
        invoker = Role.Builder.create(stack, "Invoker")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .build();
        consumer.grantInvoke(invoker);
        Alarm.Builder.create(stack, "Quarantined")
                .metric(consumer.metricRecordsQuarantined(
                        MetricOptions.builder().period(Duration.minutes(1)).build()))
                .threshold(1)
                .evaluationPeriods(1)
                .build();
        template = Template.fromStack(stack);
    }

    private static Object ref(Object token) {
        return stack.resolve(token);
    }

    /** Asserts that the consumer's role policy holds this statement (among others). */
    private static void consumerMay(Map<String, Object> statement) {
        template.hasResourceProperties(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "Roles", List.of(ref(consumer.getRole().getRoleName())),
                        "PolicyDocument",
                                Match.objectLike(Map.of(
                                        "Statement", Match.arrayWith(List.of(Match.objectEquals(statement))))))));
    }

    @Test
    void functionIsConfiguredForTheGivenBucketsStringLimitAndDefaults() {
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler",
                        CdcConsumer.HANDLER,
                        "Runtime",
                        "java25",
                        "MemorySize",
                        1024,
                        "Timeout",
                        300,
                        "Environment",
                        Map.of(
                                "Variables",
                                Match.objectEquals(Map.ofEntries(
                                        Map.entry("QUARANTINE_BUCKET", ref(quarantine.getBucketName())),
                                        Map.entry("STAGING_BUCKET", ref(staging.getBucketName())),
                                        Map.entry("MAX_SUPER_STRING_BYTES", "65535"),
                                        Map.entry("POWERTOOLS_SERVICE_NAME", "dsql-cdc-consumer"),
                                        Map.entry("POWERTOOLS_METRICS_NAMESPACE", "DsqlCdcPipeline"),
                                        Map.entry("POWERTOOLS_LOG_LEVEL", "INFO")))))));
    }

    @Test
    void mappingReadsTheImportedStreamAndGivesUpIntoTheFailedBatchBucket() {
        template.hasResourceProperties(
                "AWS::Lambda::EventSourceMapping",
                Match.objectLike(TestSupport.map(
                        "EventSourceArn",
                        KINESIS_ARN,
                        "FunctionName",
                        ref(consumer.getAlias().getFunctionName()),
                        "StartingPosition",
                        "TRIM_HORIZON",
                        "BatchSize",
                        2000,
                        "MaximumBatchingWindowInSeconds",
                        5,
                        "ParallelizationFactor",
                        2,
                        "MaximumRetryAttempts",
                        10,
                        "BisectBatchOnFunctionError",
                        true,
                        "FunctionResponseTypes",
                        List.of("ReportBatchItemFailures"),
                        "MaximumRecordAgeInSeconds",
                        Match.absent(),
                        "DestinationConfig",
                        Map.of("OnFailure", Map.of("Destination", ref(failedBatches.getBucketArn()))))));
    }

    @Test
    void roleMayWriteEachBucketAsItsJobNeedsAndUseOnlyTheStagingKey() {
        consumerMay(
                Map.of("Effect", "Allow", "Action", "s3:PutObject", "Resource", ref(quarantine.arnForObjects("*"))));
        consumerMay(Map.of(
                "Effect",
                "Allow",
                "Action",
                "s3:PutObject",
                "Resource",
                List.of(
                        ref(staging.arnForObjects("staged/*")),
                        ref(staging.arnForObjects("chunks/*")),
                        ref(staging.arnForObjects("chunk-done/*")))));
        consumerMay(Map.of(
                "Effect", "Allow", "Action", "s3:DeleteObject", "Resource", ref(staging.arnForObjects("chunks/*"))));
        consumerMay(Map.of(
                "Effect",
                "Allow",
                "Action",
                List.of("kms:GenerateDataKey", "kms:Decrypt"),
                "Resource",
                ref(staging.getEncryptionKey().getKeyArn()),
                "Condition",
                Map.of(
                        "StringEquals",
                        Map.of(
                                "kms:ViaService",
                                Map.of(
                                        "Fn::Join",
                                        List.of(
                                                "",
                                                List.of(
                                                        "s3.",
                                                        Map.of("Ref", "AWS::Region"),
                                                        ".",
                                                        Map.of("Ref", "AWS::URLSuffix"))))))));
        consumerMay(
                Map.of("Effect", "Allow", "Action", "s3:PutObject", "Resource", ref(failedBatches.arnForObjects("*"))));
        consumerMay(
                Map.of("Effect", "Allow", "Action", "s3:ListBucket", "Resource", ref(failedBatches.getBucketArn())));
        consumerMay(Map.of("Effect", "Allow", "Action", CdcConsumer.KINESIS_READ_ACTIONS, "Resource", KINESIS_ARN));
        // the quarantine bucket and the stream have no customer managed key: the only key statement is
        // the staging one
        template.hasResourceProperties(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "Roles", List.of(ref(consumer.getRole().getRoleName())),
                        "PolicyDocument",
                                Match.objectLike(Map.of(
                                        "Statement",
                                        Match.not(Match.arrayWith(List.of(
                                                Match.objectLike(Map.of("Action", "kms:GenerateDataKey"))))))))));
        template.hasResourceProperties(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "Roles", List.of(ref(consumer.getRole().getRoleName())),
                        "PolicyDocument",
                                Match.objectLike(Map.of(
                                        "Statement",
                                        Match.not(Match.arrayWith(
                                                List.of(Match.objectLike(Map.of("Action", "kms:Decrypt"))))))))));
    }

    @Test
    void noPolicyHoldsADataApiNorAWarehouseAction() {
        Policies.assertNoAction(template, "redshift-data:.*");
        Policies.assertNoAction(template, "redshift-serverless:.*");
        Policies.assertNoAction(template, "secretsmanager:.*");
    }

    @Test
    void grantInvokeAllowsInvokingTheLiveAlias() {
        Policies.assertOnlyPolicy(
                template,
                ref(invoker.getRoleName()),
                List.of(Map.of(
                        "Effect", "Allow",
                        "Action", "lambda:InvokeFunction",
                        "Resource", ref(consumer.getAlias().getFunctionArn()))));
    }

    @Test
    void metricsAreTheConsumersOwn() {
        template.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of(
                        "Namespace", "DsqlCdcPipeline",
                        "MetricName", "RecordsQuarantined",
                        "Dimensions", List.of(Map.of("Name", "Service", "Value", "dsql-cdc-consumer")),
                        "Statistic", "Sum",
                        "Period", 60)));
        Map<Metric, List<String>> defaults = Map.of(
                consumer.metricRecordsIn(null), List.of("RecordsIn", "Sum"),
                consumer.metricRecordsStaged(null), List.of("RecordsStaged", "Sum"),
                consumer.metricRecordsParked(null), List.of("RecordsParked", "Sum"),
                consumer.metricRecordsFailed(null), List.of("RecordsFailed", "Sum"),
                consumer.metricCommitToStagedLag(null), List.of("CommitToStagedLag", "Maximum"),
                consumer.metric("RecordsQuarantined", null), List.of("RecordsQuarantined", "Average"));
        defaults.forEach((metric, nameAndStatistic) -> {
            assertThat(metric.getMetricName()).isEqualTo(nameAndStatistic.get(0));
            assertThat(metric.getStatistic()).isEqualTo(nameAndStatistic.get(1));
            assertThat(metric.getNamespace()).isEqualTo("DsqlCdcPipeline");
            assertThat(metric.getPeriod().toSeconds()).isEqualTo(300);
            assertThat(metric.getDimensions()).isEqualTo(Map.of("Service", "dsql-cdc-consumer"));
        });
    }

    @Test
    void propsRefuseWhatTheHandlerOrTheBucketsCouldNotWorkWith() {
        CdcConsumerProps.Tuning d = CdcConsumerProps.Tuning.defaults();
        assertThatThrownBy(() -> new CdcConsumerProps(
                        Code.fromAsset(TestSupport.CONSUMER_JAR.toString()),
                        kinesisStream,
                        65_534,
                        quarantine,
                        failedBatches,
                        staging,
                        RetentionDays.ONE_MONTH,
                        d))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CdcConsumerProps.maxSuperStringBytes must be from 65535 to 16000000");
        assertThatThrownBy(() -> new CdcConsumerProps(
                        Code.fromAsset(TestSupport.CONSUMER_JAR.toString()),
                        kinesisStream,
                        65_535,
                        quarantine,
                        failedBatches,
                        quarantine,
                        RetentionDays.ONE_MONTH,
                        d))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CdcConsumerProps needs three different buckets");
    }
}
