package com.dsqlcdc.customresource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.clients.dsql.SignedDsqlStreamClient;
import com.dsqlcdc.contract.retry.Backoff;
import com.dsqlcdc.customresource.stream.CdcStreamResource;
import com.dsqlcdc.customresource.stream.ClusterReadiness;
import com.dsqlcdc.customresource.stream.StreamResourceException;
import com.dsqlcdc.customresource.testing.CloudFormationEvents;
import com.dsqlcdc.testing.FakeDsqlServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlClient;

/**
 * The stream resource's scenarios end to end: the real handlers, the real generated DSQL client
 * and the real signed stream client, against a local fake of the DSQL API.
 */
class CdcStreamHandlersTest {

    static final String REGION = "eu-west-1";
    static final String CLUSTER = "abcdefghijklmnopqrstuvwxyz";
    static final String OTHER_CLUSTER = "zyxwvutsrqponmlkjihgfedcba";
    static final String STACK_ID =
            "arn:aws:cloudformation:eu-west-1:123456789012:stack/dev-Stateless/5b6f3f10-c6d8-11f0-8f0e-0a1b2c3d4e5f";
    static final String KINESIS = "arn:aws:kinesis:eu-west-1:123456789012:stream/dev-Stateful-CdcStream1234";
    static final String OTHER_KINESIS = "arn:aws:kinesis:eu-west-1:123456789012:stream/other";
    static final String ROLE = "arn:aws:iam::123456789012:role/dev-Stateless-DsqlStreamServiceRole";
    static final String FAILED_CREATE_MARKER = "AWSCDK::CustomResourceProviderFramework::CREATE_FAILED";

    private final List<Duration> sleeps = new ArrayList<>();
    private FakeDsqlServer fake;
    private SdkHttpClient http;
    private DsqlClient dsql;
    private SignedDsqlStreamClient streams;
    private CdcStreamOnEventHandler onEvent;
    private CdcStreamIsCompleteHandler isComplete;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeDsqlServer(REGION).cluster(CLUSTER, "ACTIVE").cluster(OTHER_CLUSTER, "ACTIVE");
        http = UrlConnectionHttpClient.create();
        var credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(FakeDsqlServer.ACCESS_KEY, FakeDsqlServer.SECRET_KEY));
        dsql = DsqlClient.builder()
                .region(Region.of(REGION))
                .endpointOverride(fake.endpoint())
                .credentialsProvider(credentials)
                .httpClient(http)
                .build();
        streams = SignedDsqlStreamClient.builder()
                .region(Region.of(REGION))
                .endpointOverride(fake.endpoint())
                .credentialsProvider(credentials)
                .httpClient(http)
                .backoff(Backoff.doubling(Duration.ofMillis(10), Duration.ofSeconds(1)))
                .sleeper(sleeps::add)
                .build();
        ClusterReadiness readiness =
                new ClusterReadiness(dsql, REGION, Duration.ofSeconds(10), Duration.ofSeconds(30), sleeps::add);
        CdcStreamResource resource = new CdcStreamResource(streams, dsql, readiness, REGION);
        onEvent = new CdcStreamOnEventHandler(resource);
        isComplete = new CdcStreamIsCompleteHandler(resource);
    }

    @AfterEach
    void stop() {
        dsql.close();
        streams.close();
        http.close();
        fake.close();
        assertThat(fake.signatureProblems())
                .as("every request carries a valid SigV4 signature for dsql")
                .isEmpty();
    }

    // ---- events, as the CDK Provider framework hands them to the user handlers -----------------

    static Map<String, Object> properties(String cluster, String kinesis, String role, Map<String, String> tags) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(
                "ServiceToken",
                "arn:aws:lambda:eu-west-1:123456789012:function:dev-Stateless-ProviderframeworkonEvent");
        props.put("ClusterIdentifier", cluster);
        props.put("KinesisStreamArn", kinesis);
        props.put("RoleArn", role);
        props.put("Ordering", "UNORDERED");
        props.put("Format", "JSON");
        props.put("Tags", tags);
        return props;
    }

    static Map<String, Object> defaultProperties() {
        return properties(CLUSTER, KINESIS, ROLE, Map.of("project", "dsql-cdc", "env", "dev"));
    }

    static Map<String, Object> event(
            String type, String requestId, String physicalId, Map<String, Object> props, Map<String, Object> oldProps) {
        return CloudFormationEvents.event(
                "Custom::DsqlCdcStream",
                "CdcStreamResource4F2C1A7B",
                STACK_ID,
                type,
                requestId,
                physicalId,
                props,
                oldProps);
    }

    static Map<String, Object> create(Map<String, Object> props) {
        return event("Create", "6f1c0a6e-0b5e-4c54-8f3b-1c1e2a3b4c5d", null, props, null);
    }

    /** What the framework passes to isComplete: the request plus onEvent's result. */
    static Map<String, Object> followUp(Map<String, Object> request, Map<String, Object> onEventResult) {
        Map<String, Object> event = new LinkedHashMap<>(request);
        event.putAll(onEventResult);
        return event;
    }

    private String physicalId(Map<String, Object> result) {
        return (String) result.get("PhysicalResourceId");
    }

    /** Polls isComplete as the framework's waiter does, at most {@code maxPolls} times. */
    private Map<String, Object> pollUntilComplete(Map<String, Object> event, int maxPolls) {
        for (int i = 0; i < maxPolls; i++) {
            Map<String, Object> result = isComplete.handleRequest(event, null);
            if (Boolean.TRUE.equals(result.get("IsComplete"))) {
                return result;
            }
        }
        throw new AssertionError("not complete after " + maxPolls + " polls");
    }

    // ---- create ---------------------------------------------------------------------------------

    @Test
    void freshCreateIsIncompleteWhileCreatingAndCompleteWithAttributesOnceActive() {
        Map<String, Object> request = create(defaultProperties());

        Map<String, Object> result = onEvent.handleRequest(request, null);

        String arn = physicalId(result);
        String streamId = fake.liveStreamIds(CLUSTER).get(0);
        assertThat(arn).isEqualTo(fake.arnOf(CLUSTER, streamId));
        assertThat(fake.tagsOf(streamId))
                .containsExactlyInAnyOrderEntriesOf(Map.of("project", "dsql-cdc", "env", "dev"));
        Map<String, Object> followUp = followUp(request, result);
        assertThat(isComplete.handleRequest(followUp, null)).containsEntry("IsComplete", false);
        Map<String, Object> done = isComplete.handleRequest(followUp, null);
        assertThat(done).containsEntry("IsComplete", true);
        assertThat(done.get("Data"))
                .isEqualTo(Map.of("StreamIdentifier", streamId, "StreamArn", arn, "Status", "ACTIVE"));
    }

    @Test
    void theSameCreateRetriedMakesNoSecondStream() {
        Map<String, Object> request = create(defaultProperties());

        String first = physicalId(onEvent.handleRequest(request, null));
        String second = physicalId(onEvent.handleRequest(request, null));

        assertThat(second).isEqualTo(first);
        assertThat(fake.liveStreamIds(CLUSTER)).hasSize(1);
    }

    @Test
    void aCreateWhoseResponseWasLostIsRetriedWithTheSameClientToken() {
        fake.failAfterApplying("CreateStream", 500, "InternalServerException");

        String arn = physicalId(onEvent.handleRequest(create(defaultProperties()), null));

        assertThat(fake.count("CreateStream")).isEqualTo(2);
        assertThat(fake.liveStreamIds(CLUSTER)).hasSize(1);
        assertThat(arn)
                .isEqualTo(fake.arnOf(CLUSTER, fake.liveStreamIds(CLUSTER).get(0)));
    }

    @Test
    void differentRequestsUseDifferentClientTokens() {
        onEvent.handleRequest(create(properties(CLUSTER, KINESIS, ROLE, Map.of())), null);
        onEvent.handleRequest(
                event("Create", "another-request", null, properties(OTHER_CLUSTER, KINESIS, ROLE, Map.of()), null),
                null);

        List<String> tokens = fake.calls().stream()
                .filter(c -> c.operation().equals("CreateStream"))
                .map(c -> c.body().replaceAll(".*\"clientToken\":\"([^\"]+)\".*", "$1"))
                .toList();
        assertThat(tokens).hasSize(2).doesNotHaveDuplicates().allMatch(t -> t.matches("[0-9a-f]{64}"));
    }

    @Test
    void adoptsALiveStreamOfTheClusterWithTheSameTargetInsteadOfCreatingOne() {
        fake.seedStream(CLUSTER, "ACTIVE", OTHER_KINESIS, ROLE, Map.of());
        String existing = fake.seedStream(CLUSTER, "ACTIVE", KINESIS, ROLE, Map.of("stale", "tag", "env", "old"));
        fake.pageSize(1);

        Map<String, Object> request = create(defaultProperties());
        Map<String, Object> result = onEvent.handleRequest(request, null);

        assertThat(physicalId(result)).isEqualTo(fake.arnOf(CLUSTER, existing));
        assertThat(fake.count("CreateStream")).isZero();
        assertThat(fake.count("ListStreams")).as("paginated").isEqualTo(2);
        assertThat(fake.tagsOf(existing))
                .containsExactlyInAnyOrderEntriesOf(Map.of("project", "dsql-cdc", "env", "dev"));
        assertThat(isComplete.handleRequest(followUp(request, result), null)).containsEntry("IsComplete", true);
    }

    @Test
    void doesNotAdoptStreamsWithAnotherTargetOrThatAreFailedOrDeleting() {
        fake.seedStream(CLUSTER, "ACTIVE", OTHER_KINESIS, ROLE, Map.of());
        fake.seedStream(CLUSTER, "FAILED", KINESIS, ROLE, Map.of());
        fake.seedStream(CLUSTER, "DELETING", KINESIS, ROLE, Map.of());
        fake.seedStream(CLUSTER, "ACTIVE", KINESIS, "arn:aws:iam::123456789012:role/another-role", Map.of());

        onEvent.handleRequest(create(defaultProperties()), null);

        assertThat(fake.count("CreateStream")).isEqualTo(1);
    }

    @Test
    void quotaExceededNamesTheLimitAndTheExistingStreams() {
        List<String> existing = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            existing.add(fake.seedStream(CLUSTER, "ACTIVE", OTHER_KINESIS + i, ROLE, Map.of()));
        }

        assertThatThrownBy(() -> onEvent.handleRequest(create(defaultProperties()), null))
                .isInstanceOf(StreamResourceException.class)
                .hasMessageContaining("maximum of 5 CDC streams per cluster")
                .hasMessageContaining("cannot be raised")
                .hasMessageContaining(existing.get(0) + " (ACTIVE)")
                .hasMessageContaining(existing.get(4))
                .hasMessageContaining("aws dsql delete-stream");
    }

    @ParameterizedTest
    @CsvSource({"IDLE", "INACTIVE"})
    void anIdleClusterFailsWithHowToWakeItAndCreatesNothing(String status) {
        fake.cluster(CLUSTER, status);

        assertThatThrownBy(() -> onEvent.handleRequest(create(defaultProperties()), null))
                .isInstanceOf(StreamResourceException.class)
                .hasMessageContaining("is " + status)
                .hasMessageContaining("wake it by connecting any PostgreSQL client")
                .hasMessageContaining(CLUSTER + ".dsql.eu-west-1.on.aws")
                .hasMessageContaining("then deploy again");
        assertThat(fake.count("CreateStream")).isZero();
    }

    @Test
    void aClusterStillCreatingIsWaitedFor() {
        fake.cluster(CLUSTER, "CREATING", "CREATING", "ACTIVE");

        String arn = physicalId(onEvent.handleRequest(create(defaultProperties()), null));

        assertThat(arn).contains(CLUSTER);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    @Test
    void aClusterThatStaysUpdatingFailsAfterTheWait() {
        fake.cluster(CLUSTER, "UPDATING");

        assertThatThrownBy(() -> onEvent.handleRequest(create(defaultProperties()), null))
                .hasMessageContaining("still UPDATING after 30 s")
                .hasMessageContaining("aws dsql get-cluster --identifier " + CLUSTER);
        assertThat(fake.count("GetCluster")).isEqualTo(3);
        assertThat(fake.count("CreateStream")).isZero();
    }

    @Test
    void aDeletingClusterOrAMissingOneFailsClearly() {
        fake.cluster(CLUSTER, "DELETING");
        assertThatThrownBy(() -> onEvent.handleRequest(create(defaultProperties()), null))
                .hasMessageContaining("is DELETING")
                .hasMessageContaining("ACTIVE cluster");

        Map<String, Object> unknown = properties("qqqqqqqqqqqqqqqqqqqqqqqqqq", KINESIS, ROLE, Map.of());
        assertThatThrownBy(() -> onEvent.handleRequest(create(unknown), null))
                .hasMessageContaining("does not exist in eu-west-1");
    }

    @Test
    void aValidationErrorFromCreateStreamIsExplained() {
        fake.fail("CreateStream", 400, "ValidationException", "Cluster is not in ACTIVE state", Map.of());

        assertThatThrownBy(() -> onEvent.handleRequest(create(defaultProperties()), null))
                .hasMessageContaining(
                        "DSQL rejected CreateStream for cluster " + CLUSTER + ": Cluster is not in ACTIVE state")
                .hasMessageContaining("wake an idle one");
    }

    @Test
    void accessDeniedNamesThePermissionsNeeded() {
        fake.fail("CreateStream", 403, "AccessDeniedException", "not authorized to perform iam:PassRole", Map.of());

        assertThatThrownBy(() -> onEvent.handleRequest(create(defaultProperties()), null))
                .hasMessageContaining("not authorized to perform iam:PassRole")
                .hasMessageContaining("iam:PassRole on " + ROLE);
    }

    @Test
    void throttlingThenSuccess() {
        fake.fail("CreateStream", 429, "ThrottlingException", "Rate exceeded", Map.of("Retry-After", "1"));
        fake.fail("ListStreams", 429, "ThrottlingException", "Rate exceeded", Map.of());

        String arn = physicalId(onEvent.handleRequest(create(defaultProperties()), null));

        assertThat(arn)
                .isEqualTo(fake.arnOf(CLUSTER, fake.liveStreamIds(CLUSTER).get(0)));
        assertThat(fake.liveStreamIds(CLUSTER)).hasSize(1);
        assertThat(sleeps).contains(Duration.ofSeconds(1));
    }

    @Test
    void serverErrorThenSuccess() {
        fake.fail("CreateStream", 500, "InternalServerException", "Internal error", Map.of());
        Map<String, Object> request = create(defaultProperties());

        Map<String, Object> result = onEvent.handleRequest(request, null);
        fake.fail("GetStream", 503, "InternalServerException", "Internal error", Map.of());

        assertThat(fake.liveStreamIds(CLUSTER)).hasSize(1);
        assertThat(pollUntilComplete(followUp(request, result), 5)).containsEntry("IsComplete", true);
    }

    @ParameterizedTest
    @CsvSource({
        "KINESIS_THROUGHPUT_EXCEEDED, ON_DEMAND",
        "KINESIS_STREAM_NOT_FOUND, restore the Kinesis stream",
        "ROLE_ACCESS_DENIED, trust policy",
        "KINESIS_ACCESS_DENIED, kinesis:PutRecords",
        "KINESIS_KMS_ACCESS_DENIED, kms:GenerateDataKey",
        "KINESIS_OVERSIZE_RECORD, MaxRecordSizeInKiB to 10240",
        "CLUSTER_CMK_INACCESSIBLE, re-enable the key",
        "INTERNAL_ERROR, AWS Support case"
    })
    void aStreamThatFailsWhileCreatingFailsTheDeployWithCauseAndFix(String reason, String fixMentions) {
        fake.nextStreamSettlesTo("FAILED", reason);
        Map<String, Object> request = create(defaultProperties());
        Map<String, Object> result = onEvent.handleRequest(request, null);
        Map<String, Object> followUp = followUp(request, result);

        assertThat(isComplete.handleRequest(followUp, null)).containsEntry("IsComplete", false);
        assertThatThrownBy(() -> isComplete.handleRequest(followUp, null))
                .isInstanceOf(StreamResourceException.class)
                .hasMessageContaining(physicalId(result) + " is FAILED (" + reason + " since ")
                .hasMessageContaining("Cause: ")
                .hasMessageContaining("Fix: ")
                .hasMessageContaining(fixMentions);
    }

    @Test
    void aStreamImpairedWhileCreatingFailsTheDeploy() {
        fake.nextStreamSettlesTo("IMPAIRED", "KINESIS_KMS_ACCESS_DENIED");
        fake.getsUntilSettled(1);
        Map<String, Object> request = create(defaultProperties());
        Map<String, Object> followUp = followUp(request, onEvent.handleRequest(request, null));

        assertThatThrownBy(() -> isComplete.handleRequest(followUp, null))
                .hasMessageContaining("is IMPAIRED (KINESIS_KMS_ACCESS_DENIED")
                .hasMessageContaining("kms:GenerateDataKey");
    }

    @Test
    void aStreamDeletedBehindCloudFormationsBackFailsInsteadOfWaitingForever() {
        Map<String, Object> request = create(defaultProperties());
        Map<String, Object> result = onEvent.handleRequest(request, null);
        String streamId = fake.liveStreamIds(CLUSTER).get(0);
        fake.setStreamStatus(streamId, "DELETING", null);

        assertThatThrownBy(() -> isComplete.handleRequest(followUp(request, result), null))
                .hasMessageContaining("is DELETING")
                .hasMessageContaining("deploy again");
    }

    @Test
    void invalidPropertiesAreAllReportedTogether() {
        Map<String, Object> props = properties("Not-A-Cluster", "arn:aws:s3:::bucket", "", Map.of("aws:reserved", "x"));
        props.put("Ordreing", "UNORDERED");

        assertThatThrownBy(() -> onEvent.handleRequest(create(props), null))
                .hasMessageContaining("ClusterIdentifier must be 26 characters a-z and 0-9, got \"Not-A-Cluster\"")
                .hasMessageContaining("KinesisStreamArn must be a Kinesis stream ARN")
                .hasMessageContaining("RoleArn is required")
                .hasMessageContaining("Tags.aws:reserved")
                .hasMessageContaining("unknown property Ordreing");
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void aKinesisStreamInAnotherRegionIsRefusedBeforeCallingDsql() {
        Map<String, Object> props =
                properties(CLUSTER, "arn:aws:kinesis:us-east-1:123456789012:stream/cdc", ROLE, Map.of());

        assertThatThrownBy(() -> onEvent.handleRequest(create(props), null))
                .hasMessageContaining(
                        "the Kinesis stream is in us-east-1 but the cluster and this stack are in eu-west-1");
        assertThat(fake.calls()).isEmpty();
    }

    // ---- update ---------------------------------------------------------------------------------

    private String createActive(Map<String, Object> props) {
        Map<String, Object> request = create(props);
        Map<String, Object> result = onEvent.handleRequest(request, null);
        pollUntilComplete(followUp(request, result), 5);
        return physicalId(result);
    }

    @Test
    void anUpdateWithANewTargetCreatesANewStreamWithANewPhysicalId() {
        Map<String, Object> before = defaultProperties();
        String old = createActive(before);
        Map<String, Object> after =
                properties(CLUSTER, OTHER_KINESIS, ROLE, Map.of("project", "dsql-cdc", "env", "dev"));

        Map<String, Object> update = event("Update", "update-request-1", old, after, before);
        Map<String, Object> result = onEvent.handleRequest(update, null);

        assertThat(physicalId(result)).isNotEqualTo(old).startsWith(fake.arnOf(CLUSTER, ""));
        assertThat(pollUntilComplete(followUp(update, result), 5)).containsEntry("IsComplete", true);
        assertThat(fake.liveStreamIds(CLUSTER)).hasSize(2).as("CloudFormation deletes the old one afterwards");
    }

    @Test
    void rollingBackAReplacementReadoptsTheOldStreamEvenWhileItIsImpaired() {
        Map<String, Object> before = defaultProperties();
        String old = createActive(before);
        String oldStreamId = fake.liveStreamIds(CLUSTER).get(0);
        Map<String, Object> after =
                properties(CLUSTER, OTHER_KINESIS, ROLE, Map.of("project", "dsql-cdc", "env", "dev"));
        Map<String, Object> update = event("Update", "update-request-1", old, after, before);
        Map<String, Object> updated = onEvent.handleRequest(update, null);
        String replacement = physicalId(updated);
        pollUntilComplete(followUp(update, updated), 5);
        // Meanwhile the old stream's delivery is failing (DSQL keeps retrying it): IMPAIRED.
        fake.setStreamStatus(oldStreamId, "IMPAIRED", "KINESIS_THROUGHPUT_EXCEEDED");

        // Another resource of the stack fails: CloudFormation rolls this one back with an Update
        // from the new properties to the old ones, on the replacement's physical id.
        Map<String, Object> rollback = event("Update", "rollback-request-1", replacement, before, after);
        Map<String, Object> rolledBack = onEvent.handleRequest(rollback, null);

        assertThat(physicalId(rolledBack)).as("the old stream is adopted again").isEqualTo(old);
        assertThat(fake.count("CreateStream")).as("no third stream").isEqualTo(2);
        Map<String, Object> done = isComplete.handleRequest(followUp(rollback, rolledBack), null);
        assertThat(done).containsEntry("IsComplete", true);
        assertThat(done.get("Data"))
                .isEqualTo(Map.of("StreamIdentifier", oldStreamId, "StreamArn", old, "Status", "IMPAIRED"));

        // The rollback's cleanup deletes the replacement; the old stream stays.
        Map<String, Object> cleanup = event("Delete", "cleanup-request-1", replacement, after, null);
        Map<String, Object> deleting = onEvent.handleRequest(cleanup, null);
        pollUntilComplete(followUp(cleanup, deleting), 5);
        assertThat(fake.liveStreamIds(CLUSTER)).containsExactly(oldStreamId);
        assertThat(fake.statusOf(oldStreamId)).isEqualTo("IMPAIRED");
    }

    @Test
    void aStreamAdoptedWhileStillCreatingThatTurnsImpairedFailsLikeAFreshOne() {
        // The leftover of an attempt whose CreateStream answer was lost is a stream being created:
        // impaired before it ever was ACTIVE, it fails the deploy as a fresh one does.
        String leftover = fake.seedStream(CLUSTER, "CREATING", KINESIS, ROLE, Map.of());
        Map<String, Object> request = create(defaultProperties());
        Map<String, Object> result = onEvent.handleRequest(request, null);
        assertThat(physicalId(result)).isEqualTo(fake.arnOf(CLUSTER, leftover));
        fake.setStreamStatus(leftover, "IMPAIRED", "ROLE_ACCESS_DENIED");

        assertThatThrownBy(() -> isComplete.handleRequest(followUp(request, result), null))
                .isInstanceOf(StreamResourceException.class)
                .hasMessageContaining("is IMPAIRED (ROLE_ACCESS_DENIED");
    }

    @Test
    void anAdoptionMarkerForAnotherStreamDoesNotExcuseAnImpairedOne() {
        fake.nextStreamSettlesTo("IMPAIRED", "KINESIS_ACCESS_DENIED");
        fake.getsUntilSettled(1);
        Map<String, Object> request = create(defaultProperties());
        Map<String, Object> followUp = followUp(request, onEvent.handleRequest(request, null));
        followUp.put(CdcStreamResource.ADOPTED_STREAM, fake.arnOf(CLUSTER, "someotherstream0000000000"));

        assertThatThrownBy(() -> isComplete.handleRequest(followUp, null))
                .hasMessageContaining("is IMPAIRED (KINESIS_ACCESS_DENIED");
    }

    @Test
    void aNewGenerationReplacesAFailedStreamWithANewOne() {
        Map<String, Object> before = defaultProperties();
        String old = createActive(before);
        String oldStreamId = fake.liveStreamIds(CLUSTER).get(0);
        fake.setStreamStatus(oldStreamId, "FAILED", "INTERNAL_ERROR");
        Map<String, Object> after = new LinkedHashMap<>(before);
        after.put("Generation", "2");

        Map<String, Object> update = event("Update", "recreate-1", old, after, before);
        Map<String, Object> result = onEvent.handleRequest(update, null);

        assertThat(physicalId(result)).isNotEqualTo(old).startsWith(fake.arnOf(CLUSTER, ""));
        assertThat(fake.count("CreateStream")).isEqualTo(2);
        assertThat(pollUntilComplete(followUp(update, result), 5)).containsEntry("IsComplete", true);
    }

    @Test
    void aGenerationMustBeAPositiveWholeNumber() {
        Map<String, Object> props = defaultProperties();
        props.put("Generation", "two");

        assertThatThrownBy(() -> onEvent.handleRequest(create(props), null))
                .hasMessageContaining("Generation must be a whole number from 1");
    }

    @Test
    void anUpdateToAnotherClusterCreatesTheStreamThere() {
        Map<String, Object> before = defaultProperties();
        String old = createActive(before);
        Map<String, Object> after = properties(OTHER_CLUSTER, KINESIS, ROLE, Map.of());

        String replacement = physicalId(onEvent.handleRequest(event("Update", "u2", old, after, before), null));

        assertThat(replacement).contains("cluster/" + OTHER_CLUSTER + "/stream/");
    }

    @Test
    void anUpdateOfTagsOnlyKeepsThePhysicalIdAndRetagsInPlace() {
        Map<String, Object> before = defaultProperties();
        String id = createActive(before);
        String streamId = fake.liveStreamIds(CLUSTER).get(0);
        Map<String, Object> after =
                properties(CLUSTER, KINESIS, ROLE, Map.of("project", "dsql-cdc", "owner", "data-eng"));

        Map<String, Object> update = event("Update", "update-tags", id, after, before);
        Map<String, Object> result = onEvent.handleRequest(update, null);

        assertThat(physicalId(result)).isEqualTo(id);
        assertThat(fake.count("CreateStream")).isEqualTo(1);
        assertThat(fake.tagsOf(streamId))
                .containsExactlyInAnyOrderEntriesOf(Map.of("project", "dsql-cdc", "owner", "data-eng"));
        FakeDsqlServer.Call untag = fake.calls().stream()
                .filter(c -> c.operation().equals("UntagResource"))
                .findFirst()
                .orElseThrow();
        assertThat(untag.query()).isEqualTo("tagKeys=env");
        assertThat(isComplete.handleRequest(followUp(update, result), null)).containsEntry("IsComplete", true);
    }

    @Test
    void aTagsOnlyUpdateOfAnImpairedStreamSucceedsBecauseTheTagsWereApplied() {
        Map<String, Object> before = defaultProperties();
        String id = createActive(before);
        fake.setStreamStatus(fake.liveStreamIds(CLUSTER).get(0), "IMPAIRED", "KINESIS_THROUGHPUT_EXCEEDED");
        Map<String, Object> update = event("Update", "u3", id, properties(CLUSTER, KINESIS, ROLE, Map.of()), before);

        Map<String, Object> result =
                isComplete.handleRequest(followUp(update, onEvent.handleRequest(update, null)), null);

        assertThat(result).containsEntry("IsComplete", true);
        assertThat(((Map<?, ?>) result.get("Data")).get("Status")).isEqualTo("IMPAIRED");
    }

    // ---- delete ---------------------------------------------------------------------------------

    private Map<String, Object> delete(String physicalId) {
        return event("Delete", "delete-request-1", physicalId, defaultProperties(), null);
    }

    @Test
    void deletingAnExistingStreamWaitsUntilItIsGone() {
        String arn = createActive(defaultProperties());
        String streamId = fake.liveStreamIds(CLUSTER).get(0);

        Map<String, Object> request = delete(arn);
        Map<String, Object> result = onEvent.handleRequest(request, null);

        assertThat(physicalId(result)).isEqualTo(arn);
        assertThat(fake.statusOf(streamId)).isEqualTo("DELETING");
        assertThat(fake.calls().stream()
                        .filter(c -> c.operation().equals("DeleteStream"))
                        .findFirst()
                        .orElseThrow()
                        .query())
                .matches("client-token=[0-9a-f]{64}");
        Map<String, Object> followUp = followUp(request, result);
        assertThat(isComplete.handleRequest(followUp, null)).containsEntry("IsComplete", false);
        assertThat(isComplete.handleRequest(followUp, null)).containsEntry("IsComplete", true);
        assertThat(fake.statusOf(streamId)).isNull();
    }

    @Test
    void deletingAStreamThatIsAlreadyGoneSucceeds() {
        String arn = fake.arnOf(CLUSTER, "gonegonegonegonegonegone00");
        Map<String, Object> request = delete(arn);

        Map<String, Object> result = onEvent.handleRequest(request, null);

        assertThat(physicalId(result)).isEqualTo(arn);
        assertThat(isComplete.handleRequest(followUp(request, result), null)).containsEntry("IsComplete", true);
    }

    @Test
    void deletingAfterAFailedCreateTouchesNothing() {
        fake.seedStream(CLUSTER, "ACTIVE", KINESIS, ROLE, Map.of());
        Map<String, Object> request = delete(FAILED_CREATE_MARKER);

        Map<String, Object> result = onEvent.handleRequest(request, null);

        assertThat(physicalId(result)).isEqualTo(FAILED_CREATE_MARKER);
        assertThat(isComplete.handleRequest(followUp(request, result), null)).containsEntry("IsComplete", true);
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void deletingAfterACreateThatFailedInIsCompleteRemovesTheFailedStream() {
        fake.nextStreamSettlesTo("FAILED", "KINESIS_STREAM_NOT_FOUND").getsUntilSettled(1);
        Map<String, Object> request = create(defaultProperties());
        String arn = physicalId(onEvent.handleRequest(request, null));
        assertThatThrownBy(() -> isComplete.handleRequest(followUp(request, Map.of("PhysicalResourceId", arn)), null));

        Map<String, Object> rollback = delete(arn);
        onEvent.handleRequest(rollback, null);

        assertThat(pollUntilComplete(followUp(rollback, Map.of("PhysicalResourceId", arn)), 5))
                .containsEntry("IsComplete", true);
        assertThat(fake.liveStreamIds(CLUSTER)).isEmpty();
    }

    @Test
    void aStreamStillCreatingThatRefusesDeletionIsAskedAgainUntilGone() {
        fake.refuseDeleteWhileCreating().getsUntilSettled(3);
        Map<String, Object> created = create(defaultProperties());
        String arn = physicalId(onEvent.handleRequest(created, null));

        Map<String, Object> request = delete(arn);
        onEvent.handleRequest(request, null);

        assertThat(pollUntilComplete(followUp(request, Map.of("PhysicalResourceId", arn)), 6))
                .containsEntry("IsComplete", true);
        assertThat(fake.count("DeleteStream")).isEqualTo(2);
    }

    @Test
    void deletingWhenTheClusterIsGoneSucceeds() {
        String arn =
                "arn:aws:dsql:eu-west-1:123456789012:cluster/qqqqqqqqqqqqqqqqqqqqqqqqqq/stream/strm0000000000000000000001";
        Map<String, Object> request = delete(arn);

        Map<String, Object> result = onEvent.handleRequest(request, null);

        assertThat(isComplete.handleRequest(followUp(request, result), null)).containsEntry("IsComplete", true);
    }
}
