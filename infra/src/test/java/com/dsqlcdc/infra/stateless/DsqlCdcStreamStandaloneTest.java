package com.dsqlcdc.infra.stateless;

import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.infra.Policies;
import com.dsqlcdc.infra.TestSupport;
import com.dsqlcdc.infra.stateful.DsqlCluster;
import com.dsqlcdc.infra.stateful.IDsqlCluster;
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
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.kinesis.StreamAttributes;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.logs.RetentionDays;

/**
 * {@link DsqlCdcStream} in an app that has nothing else of this one: bare stacks, a cluster made
 * elsewhere (by identifier) and imported Kinesis streams, one on Kinesis's default key
 * ({@code Plain}) and one with customer managed keys on both sides ({@code Encrypted}, tagged,
 * second generation). What another team gets: the resource, the roles and their policies,
 * {@link DsqlCdcStream#grantRead} and DSQL's stream metrics. A bare {@code App} has none of cdk.json's
 * feature flags, so policy actions keep the order the construct writes them in.
 */
class DsqlCdcStreamStandaloneTest {

    private static final String CLUSTER_ID = "abcdefghijklmnopqrstuvwxyz";
    private static final String KINESIS_ARN = "arn:aws:kinesis:eu-west-1:123456789012:stream/cdc";
    private static final String KINESIS_KEY_ARN =
            "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final String CLUSTER_KEY_ARN =
            "arn:aws:kms:eu-west-1:123456789012:key/abcd1234-12ab-34cd-56ef-1234567890ab";

    private static Stack plainStack;
    private static DsqlCdcStream plainStream;
    private static IDsqlCluster plainCluster;
    private static Role reader;
    private static Template plain;
    private static Stack encryptedStack;
    private static DsqlCdcStream encryptedStream;
    private static Template encrypted;

    @BeforeAll
    static void synth() {
        App app = new App();
        plainStack = new Stack(app, "Plain");
        plainCluster = DsqlCluster.fromClusterIdentifier(plainStack, "Cluster", CLUSTER_ID, null);
        plainStream = new DsqlCdcStream(
                plainStack,
                "CdcStream",
                new DsqlCdcStreamProps(
                        plainCluster,
                        Stream.fromStreamArn(plainStack, "Kinesis", KINESIS_ARN),
                        handlerCode(),
                        RetentionDays.ONE_WEEK));
        reader = Role.Builder.create(plainStack, "Reader")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .build();
        plainStream.grantRead(reader);
        alarm("Impaired", plainStream.metricIsImpaired(null));
        alarm(
                "Lag",
                plainStream.metricBehindSourceLag(MetricOptions.builder()
                        .statistic("p99")
                        .period(Duration.minutes(1))
                        .build()));

        encryptedStack = new Stack(app, "Encrypted");
        encryptedStream = new DsqlCdcStream(
                encryptedStack,
                "CdcStream",
                new DsqlCdcStreamProps(
                        DsqlCluster.fromClusterIdentifier(
                                encryptedStack,
                                "Cluster",
                                CLUSTER_ID,
                                Key.fromKeyArn(encryptedStack, "ClusterKey", CLUSTER_KEY_ARN)),
                        Stream.fromStreamAttributes(
                                encryptedStack,
                                "Kinesis",
                                StreamAttributes.builder()
                                        .streamArn(KINESIS_ARN)
                                        .encryptionKey(Key.fromKeyArn(encryptedStack, "KinesisKey", KINESIS_KEY_ARN))
                                        .build()),
                        handlerCode(),
                        RetentionDays.ONE_WEEK,
                        Map.of("team", "data"),
                        2));

        plain = Template.fromStack(plainStack);
        encrypted = Template.fromStack(encryptedStack);
    }

    private static Code handlerCode() {
        return Code.fromAsset(TestSupport.CUSTOM_RESOURCE_JAR.toString());
    }

    private static void alarm(String id, IMetric metric) {
        Alarm.Builder.create(plainStack, id)
                .metric(metric)
                .threshold(1)
                .evaluationPeriods(1)
                .build();
    }

    private static Object serviceRoleArn(Stack stack, DsqlCdcStream stream) {
        return stack.resolve(stream.getServiceRole().getRoleArn());
    }

    @Test
    void resourceStreamsTheClusterToTheImportedStreamThroughItsServiceRole() {
        plain.hasResourceProperties(
                DsqlCdcStream.RESOURCE_TYPE,
                Match.objectEquals(Map.of(
                        "ServiceToken",
                        Match.anyValue(),
                        "ClusterIdentifier",
                        CLUSTER_ID,
                        "KinesisStreamArn",
                        KINESIS_ARN,
                        "RoleArn",
                        serviceRoleArn(plainStack, plainStream),
                        "Ordering",
                        "UNORDERED",
                        "Format",
                        "JSON",
                        "Generation",
                        "1")));
        encrypted.hasResourceProperties(
                DsqlCdcStream.RESOURCE_TYPE,
                Match.objectLike(Map.of(
                        "RoleArn", serviceRoleArn(encryptedStack, encryptedStream),
                        "Generation", "2",
                        "Tags", Map.of("team", "data"))));
    }

    @Test
    void serviceRoleUsesTheStreamsKeyOnlyWhenItHasOne() {
        Map<String, Object> write = Map.of(
                "Sid",
                "WriteCdcRecords",
                "Effect",
                "Allow",
                "Action",
                List.of(
                        "kinesis:PutRecord",
                        "kinesis:PutRecords",
                        "kinesis:DescribeStreamSummary",
                        "kinesis:ListShards"),
                "Resource",
                KINESIS_ARN);
        plain.hasResourceProperties(
                "AWS::IAM::Role",
                Match.objectLike(Map.of(
                        "Policies",
                        List.of(Map.of(
                                "PolicyName",
                                "WriteCdcRecordsToKinesis",
                                "PolicyDocument",
                                Map.of("Version", "2012-10-17", "Statement", List.of(write)))))));
        encrypted.hasResourceProperties(
                "AWS::IAM::Role",
                Match.objectLike(Map.of(
                        "Policies",
                        List.of(Map.of(
                                "PolicyName",
                                "WriteCdcRecordsToKinesis",
                                "PolicyDocument",
                                Map.of(
                                        "Version",
                                        "2012-10-17",
                                        "Statement",
                                        List.of(
                                                write,
                                                Map.of(
                                                        "Sid", "EncryptCdcRecordsThroughKinesis",
                                                        "Effect", "Allow",
                                                        "Action", "kms:GenerateDataKey",
                                                        "Resource", KINESIS_KEY_ARN,
                                                        "Condition",
                                                                Map.of(
                                                                        "StringEquals",
                                                                        Match.objectLike(Map.of(
                                                                                "kms:EncryptionContext:aws:kinesis:arn",
                                                                                KINESIS_ARN)))))))))));
    }

    @Test
    void onEventHandlerManagesStreamsOfThisClusterAndDecryptsWithItsKeyOnlyWhenItHasOne() {
        Object createOnCluster = Match.objectLike(Map.of(
                "Action", List.of("dsql:GetCluster", "dsql:CreateStream", "dsql:ListStreams"),
                "Resource", plainStack.resolve(plainCluster.getClusterArn())));
        Object decrypt = Match.objectLike(Map.of("Action", "kms:Decrypt", "Resource", CLUSTER_KEY_ARN));
        Object onEventRole =
                plainStack.resolve(plainStream.getOnEventHandler().getRole().getRoleName());
        plain.hasResourceProperties(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "Roles", List.of(onEventRole),
                        "PolicyDocument",
                                Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(createOnCluster)))))));
        plain.hasResourceProperties(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "Roles", List.of(onEventRole),
                        "PolicyDocument",
                                Match.objectLike(Map.of("Statement", Match.not(Match.arrayWith(List.of(decrypt))))))));
        encrypted.hasResourceProperties(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "Roles",
                                List.of(encryptedStack.resolve(encryptedStream
                                        .getOnEventHandler()
                                        .getRole()
                                        .getRoleName())),
                        "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(decrypt)))))));
    }

    @Test
    void grantReadAllowsGetStreamOnThisStreamOnly() {
        Policies.assertOnlyPolicy(
                plain,
                plainStack.resolve(reader.getRoleName()),
                List.of(Map.of(
                        "Effect", "Allow",
                        "Action", "dsql:GetStream",
                        "Resource", plainStack.resolve(plainStream.getStreamArn()))));
    }

    @Test
    void metricsAreThisStreamsAuroraDsqlMetrics() {
        List<Map<String, Object>> dimensions = List.of(
                Map.of("Name", "ClusterId", "Value", CLUSTER_ID),
                Map.of("Name", "StreamId", "Value", plainStack.resolve(plainStream.getStreamIdentifier())));
        plain.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of(
                        "Namespace", "AWS/AuroraDSQL",
                        "MetricName", "IsImpaired",
                        "Dimensions", dimensions,
                        "Statistic", "Maximum",
                        "Period", 300)));
        plain.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of(
                        "Namespace", "AWS/AuroraDSQL",
                        "MetricName", "BehindSourceLag",
                        "Dimensions", dimensions,
                        "ExtendedStatistic", "p99",
                        "Period", 60)));
        Map<String, Metric> others = Map.of(
                "PublishedRecords", plainStream.metricPublishedRecords(null),
                "PublishedBytes", plainStream.metricPublishedBytes(null),
                "BytesStreamed", plainStream.metricBytesStreamed(null),
                "StreamDPU", plainStream.metricStreamDpu(null));
        others.forEach((name, metric) -> {
            assertThat(metric.getMetricName()).isEqualTo(name);
            assertThat(metric.getNamespace()).isEqualTo("AWS/AuroraDSQL");
            assertThat(metric.getStatistic()).isEqualTo("Sum");
            assertThat(plainStack.resolve(metric.getDimensions()))
                    .isEqualTo(Map.of(
                            "ClusterId",
                            CLUSTER_ID,
                            "StreamId",
                            plainStack.resolve(plainStream.getStreamIdentifier())));
        });
    }
}
