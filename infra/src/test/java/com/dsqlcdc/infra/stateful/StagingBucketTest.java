package com.dsqlcdc.infra.stateful;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.infra.TestStages;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.s3.IBucket;

/**
 * The staging bucket: its per-prefix lifecycle with a configured marker retention
 * ({@link TestStages#CREATED}: 10 days) and the default ({@link TestStages#EXISTING}: 35), and its
 * removal policy. Encryption, TLS, public access and versioning are checked for every bucket in
 * {@link EncryptedBucketTest}; the COPY role's access in {@link WarehouseTest}, the consumer's and
 * the loader's in their tests.
 */
class StagingBucketTest {

    private static StatefulStack created;
    private static Template createdTemplate;
    private static StatefulStack disposable;
    private static Template disposableTemplate;

    @BeforeAll
    static void synth() {
        created = TestStages.get().stage(TestStages.CREATED).getStateful();
        createdTemplate = Template.fromStack(created);
        disposable = TestStages.get().stage(TestStages.EXISTING).getStateful();
        disposableTemplate = Template.fromStack(disposable);
    }

    private static String logicalId(StatefulStack stack) {
        return stack.getLogicalId(
                (CfnElement) stack.getStagingBucket().getBucket().getNode().getDefaultChild());
    }

    /**
     * Exactly these rules: nothing expires objects under staged/ (a change not loaded yet) or chunks/
     * (an incomplete set is kept); the legacy staging/ and the loader's manifests/ go after a week.
     */
    private static Map<String, Object> lifecycle(int markerDays) {
        return Map.of(
                "Rules",
                List.of(
                        Map.of(
                                "Id",
                                "Expire-staging",
                                "Status",
                                "Enabled",
                                "Prefix",
                                "staging/",
                                "ExpirationInDays",
                                7),
                        Map.of(
                                "Id",
                                "Expire-chunk-done",
                                "Status",
                                "Enabled",
                                "Prefix",
                                "chunk-done/",
                                "ExpirationInDays",
                                markerDays),
                        Map.of(
                                "Id",
                                "Expire-manifests",
                                "Status",
                                "Enabled",
                                "Prefix",
                                "manifests/",
                                "ExpirationInDays",
                                7),
                        Map.of(
                                "Id",
                                "ExpireNoncurrentVersions",
                                "Status",
                                "Enabled",
                                "NoncurrentVersionExpiration",
                                Map.of("NoncurrentDays", 7),
                                "AbortIncompleteMultipartUpload",
                                Map.of("DaysAfterInitiation", 7)),
                        Map.of(
                                "Id",
                                "RemoveExpiredDeleteMarkers",
                                "Status",
                                "Enabled",
                                "ExpiredObjectDeleteMarker",
                                true)));
    }

    @Test
    void doneMarkersExpireAfterTheirConfiguredDaysWhileStagedBatchesAndChunkPiecesNeverDo() {
        assertThat(createdTemplate.findResources(
                        "AWS::S3::Bucket",
                        Match.objectLike(Map.of(
                                "Properties",
                                Match.objectLike(
                                        Map.of("LifecycleConfiguration", Match.objectEquals(lifecycle(10))))))))
                .containsOnlyKeys(logicalId(created));
    }

    @Test
    void defaultsKeepDoneMarkersFiveWeeks() {
        assertThat(disposableTemplate.findResources(
                        "AWS::S3::Bucket",
                        Match.objectLike(Map.of(
                                "Properties",
                                Match.objectLike(
                                        Map.of("LifecycleConfiguration", Match.objectEquals(lifecycle(35))))))))
                .containsOnlyKeys(logicalId(disposable));
    }

    @Test
    void bucketAndKeyFollowRetainData() {
        Map<String, Object> retained = Map.of("DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain");
        Map<String, Object> deleted = Map.of("DeletionPolicy", "Delete", "UpdateReplacePolicy", "Delete");
        assertThat(createdTemplate.findResources("AWS::S3::Bucket", Match.objectLike(retained)))
                .containsKey(logicalId(created));
        assertThat(createdTemplate.findResources("AWS::KMS::Key", Match.objectLike(retained)))
                .containsKey(created.getLogicalId((CfnElement)
                        created.getStagingBucket().getEncryptionKey().getNode().getDefaultChild()));
        assertThat(disposableTemplate.findResources("AWS::S3::Bucket", Match.objectLike(deleted)))
                .containsKey(logicalId(disposable));
        disposableTemplate.hasResourceProperties(
                "Custom::S3AutoDeleteObjects",
                Match.objectLike(Map.of("BucketName", Map.of("Ref", logicalId(disposable)))));
    }

    @Test
    void keyDescriptionSaysWhatTheBucketHolds() {
        createdTemplate.hasResourceProperties(
                "AWS::KMS::Key",
                Match.objectLike(Map.of(
                        "Description",
                        Match.stringLikeRegexp(
                                "Encrypts the bucket of staging \\(staged batches, .*StagingBucket.*"))));
    }

    @Test
    void bucketPropsTakeEitherOneRetentionOrPrefixes() {
        IBucket logs = created.getAccessLogs().getBucket();
        assertThatThrownBy(() ->
                        new EncryptedBucketProps("p", null, Map.of(), null, Map.of(), RemovalPolicy.DESTROY, logs))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("either retentionDays or prefixRetentionDays");
        assertThatThrownBy(() -> new EncryptedBucketProps(
                        "p", 7, Map.of("staging/", 7), 7, Map.of(), RemovalPolicy.DESTROY, logs))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> new EncryptedBucketProps(
                        "p", null, Map.of("staging/", 7), null, Map.of(), RemovalPolicy.DESTROY, logs))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("noncurrentVersionRetentionDays is required");
        assertThatThrownBy(() -> new EncryptedBucketProps("p", 7, Map.of(), 3, Map.of(), RemovalPolicy.DESTROY, logs))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("goes with prefixRetentionDays");
    }

    @Test
    void expiringPrefixesEndInASlashAndDoNotOverlap() {
        IBucket logs = created.getAccessLogs().getBucket();
        assertThatThrownBy(() -> new EncryptedBucketProps(
                        "p", null, Map.of("staging", 7), 7, Map.of(), RemovalPolicy.DESTROY, logs))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ending in /");
        Map<String, Integer> overlapping = new LinkedHashMap<>();
        overlapping.put("a/", 7);
        overlapping.put("a/b/", 7);
        assertThatThrownBy(() ->
                        new EncryptedBucketProps("p", null, overlapping, 7, Map.of(), RemovalPolicy.DESTROY, logs))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefixes overlap: a/, a/b/");
        assertThatThrownBy(() -> new StagingBucketProps(0, RemovalPolicy.DESTROY, logs))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("doneMarkerRetentionDays is required");
    }
}
