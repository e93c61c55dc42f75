package com.dsqlcdc.infra.stateful;

import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.infra.TestStages;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.s3.IBucket;

/**
 * The quarantine, failed-batch and staging buckets: retained with their own keys and configured
 * retention ({@link TestStages#CREATED}: quarantine 90 days, failed batches 400), and disposable
 * with the default retention ({@link TestStages#EXISTING}: 365 days, emptied and deleted with the
 * stack). The staging bucket's per-prefix lifecycle is in {@link StagingBucketTest}.
 */
class EncryptedBucketTest {

    private static StatefulStack created;
    private static Template createdTemplate;
    private static Template disposableTemplate;

    @BeforeAll
    static void synth() {
        created = TestStages.get().stage(TestStages.CREATED).getStateful();
        createdTemplate = Template.fromStack(created);
        disposableTemplate =
                Template.fromStack(TestStages.get().stage(TestStages.EXISTING).getStateful());
    }

    private static String logicalId(IBucket bucket) {
        return created.getLogicalId((CfnElement) bucket.getNode().getDefaultChild());
    }

    private static String logicalId(EncryptedBucket bucket) {
        return logicalId(bucket.getBucket());
    }

    private static String keyLogicalId(IKey key) {
        return created.getLogicalId((CfnElement) key.getNode().getDefaultChild());
    }

    /** @return each bucket of the stack with its key */
    private static Map<IBucket, IKey> bucketsAndKeys() {
        return Map.of(
                created.getQuarantineBucket().getBucket(),
                        created.getQuarantineBucket().getEncryptionKey(),
                created.getFailedBatchBucket().getBucket(),
                        created.getFailedBatchBucket().getEncryptionKey(),
                created.getStagingBucket().getBucket(),
                        created.getStagingBucket().getEncryptionKey());
    }

    @Test
    void eachBucketIsEncryptedWithItsOwnRotatingKey() {
        for (Map.Entry<IBucket, IKey> bucketAndKey : bucketsAndKeys().entrySet()) {
            IBucket bucket = bucketAndKey.getKey();
            IKey key = bucketAndKey.getValue();
            // exactly this bucket uses exactly this key
            assertThat(createdTemplate.findResources(
                            "AWS::S3::Bucket",
                            Match.objectLike(Map.of(
                                    "Properties",
                                    Match.objectLike(Map.of(
                                            "BucketEncryption",
                                            Match.objectEquals(Map.of(
                                                    "ServerSideEncryptionConfiguration",
                                                    List.of(Map.of(
                                                            "BucketKeyEnabled",
                                                            true,
                                                            "ServerSideEncryptionByDefault",
                                                            Map.of(
                                                                    "SSEAlgorithm",
                                                                    "aws:kms",
                                                                    "KMSMasterKeyID",
                                                                    Map.of(
                                                                            "Fn::GetAtt",
                                                                            List.of(
                                                                                    keyLogicalId(key),
                                                                                    "Arn")))))))))))))
                    .containsOnlyKeys(logicalId(bucket));
            assertThat(createdTemplate.findResources(
                            "AWS::KMS::Key",
                            Match.objectLike(
                                    Map.of("Properties", Match.objectLike(Map.of("EnableKeyRotation", true))))))
                    .containsKey(keyLogicalId(key));
        }
        assertThat(bucketsAndKeys().values().stream()
                        .map(EncryptedBucketTest::keyLogicalId)
                        .distinct())
                .hasSize(3);
    }

    @Test
    void publicAccessIsBlockedAndVersioningOn() {
        // the three data buckets and the access-log bucket
        createdTemplate.resourceCountIs("AWS::S3::Bucket", 4);
        createdTemplate.allResourcesProperties(
                "AWS::S3::Bucket",
                Match.objectLike(Map.of(
                        "PublicAccessBlockConfiguration",
                                Match.objectEquals(Map.of(
                                        "BlockPublicAcls", true,
                                        "BlockPublicPolicy", true,
                                        "IgnorePublicAcls", true,
                                        "RestrictPublicBuckets", true)),
                        "OwnershipControls", Map.of("Rules", List.of(Map.of("ObjectOwnership", "BucketOwnerEnforced"))),
                        "BucketName", Match.absent())));
        createdTemplate.resourcePropertiesCountIs(
                "AWS::S3::Bucket", Match.objectLike(Map.of("VersioningConfiguration", Map.of("Status", "Enabled"))), 3);
    }

    @Test
    void everyDataBucketLogsItsAccessToTheAccessLogBucketWhichKeepsThemAYear() {
        String accessLogs = logicalId(created.getAccessLogs().getBucket());
        createdTemplate.resourcePropertiesCountIs(
                "AWS::S3::Bucket",
                Match.objectLike(Map.of(
                        "LoggingConfiguration",
                        Map.of(
                                "DestinationBucketName", Map.of("Ref", accessLogs),
                                "LogFilePrefix", Match.stringLikeRegexp("(Quarantine|FailedBatch|)Bucket/")))),
                3);
        createdTemplate.hasResource(
                "AWS::S3::Bucket",
                Match.objectLike(Map.of(
                        "Properties",
                        Match.objectLike(Map.of(
                                "BucketEncryption",
                                        Map.of(
                                                "ServerSideEncryptionConfiguration",
                                                List.of(Map.of(
                                                        "ServerSideEncryptionByDefault",
                                                        Map.of("SSEAlgorithm", "AES256")))),
                                "LifecycleConfiguration",
                                        Map.of(
                                                "Rules",
                                                List.of(Match.objectLike(Map.of(
                                                        "Id",
                                                        "ExpireAccessLogs",
                                                        "ExpirationInDays",
                                                        365,
                                                        "Status",
                                                        "Enabled")))),
                                "LoggingConfiguration", Match.absent())),
                        "DeletionPolicy",
                        "Retain")));
        assertThat(createdTemplate.findResources(
                        "AWS::S3::Bucket",
                        Match.objectLike(Map.of(
                                "Properties", Match.objectLike(Map.of("LoggingConfiguration", Match.absent()))))))
                .containsOnlyKeys(accessLogs);
    }

    @Test
    void bucketPoliciesRefuseRequestsWithoutTls12() {
        for (IBucket bucket : bucketsAndKeys().keySet()) {
            String id = logicalId(bucket);
            Object resources = List.of(
                    Map.of("Fn::GetAtt", List.of(id, "Arn")),
                    Map.of("Fn::Join", List.of("", List.of(Map.of("Fn::GetAtt", List.of(id, "Arn")), "/*"))));
            createdTemplate.hasResourceProperties(
                    "AWS::S3::BucketPolicy",
                    Match.objectLike(Map.of(
                            "Bucket", Map.of("Ref", id),
                            "PolicyDocument",
                                    Match.objectLike(Map.of(
                                            "Statement",
                                            Match.arrayWith(List.of(
                                                    Match.objectEquals(Map.of(
                                                            "Effect",
                                                            "Deny",
                                                            "Principal",
                                                            Map.of("AWS", "*"),
                                                            "Action",
                                                            "s3:*",
                                                            "Resource",
                                                            resources,
                                                            "Condition",
                                                            Map.of("Bool", Map.of("aws:SecureTransport", "false")))),
                                                    Match.objectEquals(Map.of(
                                                            "Effect",
                                                            "Deny",
                                                            "Principal",
                                                            Map.of("AWS", "*"),
                                                            "Action",
                                                            "s3:*",
                                                            "Resource",
                                                            resources,
                                                            "Condition",
                                                            Map.of(
                                                                    "NumericLessThan",
                                                                    Map.of("s3:TlsVersion", 1.2)))))))))));
        }
    }

    @Test
    void lifecycleExpiresObjectsAndOldVersionsAfterTheConfiguredRetention() {
        assertRetention(createdTemplate, logicalId(created.getQuarantineBucket()), 90);
        assertRetention(createdTemplate, logicalId(created.getFailedBatchBucket()), 400);
        StatefulStack disposable = TestStages.get().stage(TestStages.EXISTING).getStateful();
        for (EncryptedBucket bucket : List.of(disposable.getQuarantineBucket(), disposable.getFailedBatchBucket())) {
            assertRetention(
                    disposableTemplate,
                    disposable.getLogicalId(
                            (CfnElement) bucket.getBucket().getNode().getDefaultChild()),
                    365);
        }
    }

    private static void assertRetention(Template template, String bucket, int days) {
        assertThat(template.findResources(
                        "AWS::S3::Bucket",
                        Match.objectLike(Map.of(
                                "Properties",
                                Match.objectLike(Map.of(
                                        "LifecycleConfiguration",
                                        Match.objectEquals(Map.of(
                                                "Rules",
                                                List.of(
                                                        Map.of(
                                                                "Id",
                                                                "ExpireAfterRetention",
                                                                "Status",
                                                                "Enabled",
                                                                "ExpirationInDays",
                                                                days,
                                                                "NoncurrentVersionExpiration",
                                                                Map.of("NoncurrentDays", days),
                                                                "AbortIncompleteMultipartUpload",
                                                                Map.of("DaysAfterInitiation", 7)),
                                                        Map.of(
                                                                "Id", "RemoveExpiredDeleteMarkers",
                                                                "Status", "Enabled",
                                                                "ExpiredObjectDeleteMarker", true))))))))))
                .containsKey(bucket);
    }

    @Test
    void retainedBucketsAndKeysStayAndAreNeverEmptiedByTheStack() {
        Map<String, Object> retained = Map.of("DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain");
        createdTemplate.allResources("AWS::S3::Bucket", Match.objectLike(retained));
        createdTemplate.resourceCountIs("Custom::S3AutoDeleteObjects", 0);
    }

    @Test
    void disposableBucketsAreEmptiedThenDeleted() {
        disposableTemplate.allResources(
                "AWS::S3::Bucket",
                Match.objectLike(Map.of("DeletionPolicy", "Delete", "UpdateReplacePolicy", "Delete")));
        disposableTemplate.resourceCountIs("Custom::S3AutoDeleteObjects", 4);
    }
}
