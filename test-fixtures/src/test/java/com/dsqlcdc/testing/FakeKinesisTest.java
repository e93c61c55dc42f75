package com.dsqlcdc.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** Drives {@link FakeKinesis} with the real SDK Kinesis client (JSON wire protocol), as a shard reader would. */
class FakeKinesisTest {

    private static final String STREAM = "dsql-cdc";
    private static final String SHARD = "shardId-000000000000";
    private static final Instant T0 = Instant.parse("2026-01-15T12:00:00Z");

    private FakeKinesis fake;
    private KinesisClient kinesis;
    private ManualClock clock;

    @BeforeAll
    static void json() {
        FakeKinesis.useJsonWireProtocol();
    }

    @BeforeEach
    void start() {
        clock = new ManualClock(T0.plus(Duration.ofMinutes(10)));
        fake = FakeKinesis.start().createStream(STREAM).clock(clock);
        kinesis = client(FakeRedshiftDataApiTest.fastRetries(4), SigV4Verifier.SECRET_KEY);
    }

    @AfterEach
    void stop() {
        kinesis.close();
        fake.close();
    }

    @Test
    void readsARangeAtASequenceNumberAcrossSeveralPages() {
        List<String> sequenceNumbers = putRecords(25);
        assertThat(sequenceNumbers).allSatisfy(s -> assertThat(s).matches("\\d{56}"));
        assertThat(sequenceNumbers).extracting(BigInteger::new).isSorted().doesNotHaveDuplicates();

        String iterator = kinesis.getShardIterator(r -> r.streamARN(fake.streamArn(STREAM))
                        .shardId(SHARD)
                        .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)
                        .startingSequenceNumber(sequenceNumbers.get(4)))
                .shardIterator();
        List<Record> read = new ArrayList<>();
        List<Long> behind = new ArrayList<>();
        int pages = 0;
        while (read.size() < 16) {
            String current = iterator;
            GetRecordsResponse page =
                    kinesis.getRecords(r -> r.shardIterator(current).limit(7));
            assertThat(page.records()).hasSizeLessThanOrEqualTo(7);
            read.addAll(page.records());
            behind.add(page.millisBehindLatest());
            iterator = page.nextShardIterator();
            pages++;
        }

        assertThat(pages).isEqualTo(3);
        assertThat(read).extracting(Record::sequenceNumber).containsExactlyElementsOf(sequenceNumbers.subList(4, 25));
        assertThat(read.get(0).data().asUtf8String()).isEqualTo("record 4");
        assertThat(read.get(0).approximateArrivalTimestamp()).isEqualTo(T0.plusMillis(4_125));
        assertThat(read.get(0).partitionKey()).isNotBlank();
        assertThat(behind.get(0))
                .isEqualTo(
                        Duration.between(T0.plusMillis(11_125), clock.instant()).toMillis());
        assertThat(behind.get(2)).isZero();
        assertThat(fake.calls("GetRecords")).isEqualTo(3);
        assertThat(fake.signatureProblems()).isEmpty();
        assertThat(fake.protocolProblems()).isEmpty();
        assertThat(fake.internalErrors()).isEmpty();
    }

    @Test
    void aNineMebibyteRecordComesBackWholeAndPagesStayUnderTenMebibytes() {
        byte[] two = bytes(2 * 1024 * 1024, 'a');
        byte[] nine = bytes(9 * 1024 * 1024, 'b');
        byte[] small = bytes(1024, 'c');
        fake.put(STREAM, SHARD, two, T0);
        fake.put(STREAM, SHARD, nine, T0);
        fake.put(STREAM, SHARD, small, T0);

        GetRecordsResponse first =
                kinesis.getRecords(r -> r.shardIterator(iterator(ShardIteratorType.TRIM_HORIZON, null)));
        GetRecordsResponse second = kinesis.getRecords(r -> r.shardIterator(first.nextShardIterator()));

        assertThat(first.records()).hasSize(1); // 2 MiB + 9 MiB would pass the 10 MiB per call
        assertThat(first.records().get(0).data().asByteArray()).isEqualTo(two);
        assertThat(second.records()).hasSize(2);
        assertThat(second.records().get(0).data().asByteArray()).isEqualTo(nine);
        assertThat(second.records().get(1).data().asByteArray()).isEqualTo(small);
        assertThat(second.millisBehindLatest()).isZero();
        assertThatThrownBy(() -> fake.put(STREAM, SHARD, bytes(FakeKinesis.MAX_RECORD_BYTES, 'x'), T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maximum");
    }

    @Test
    void afterSequenceNumberLatestAndAtTimestamp() {
        List<String> sequenceNumbers = putRecords(5);

        assertThat(read(iterator(ShardIteratorType.AFTER_SEQUENCE_NUMBER, sequenceNumbers.get(2))))
                .extracting(Record::sequenceNumber)
                .containsExactlyElementsOf(sequenceNumbers.subList(3, 5));
        assertThat(read(iterator(ShardIteratorType.AFTER_SEQUENCE_NUMBER, sequenceNumbers.get(4))))
                .isEmpty();

        String latest = iterator(ShardIteratorType.LATEST, null);
        GetRecordsResponse nothingYet = kinesis.getRecords(r -> r.shardIterator(latest));
        assertThat(nothingYet.records()).isEmpty();
        assertThat(nothingYet.millisBehindLatest()).isZero();
        String later = fake.put(STREAM, SHARD, "later".getBytes(StandardCharsets.UTF_8), T0.plusSeconds(60));
        assertThat(kinesis.getRecords(r -> r.shardIterator(nothingYet.nextShardIterator()))
                        .records())
                .extracting(Record::sequenceNumber)
                .containsExactly(later);

        String atTimestamp = kinesis.getShardIterator(r -> r.streamName(STREAM)
                        .shardId(SHARD)
                        .shardIteratorType(ShardIteratorType.AT_TIMESTAMP)
                        .timestamp(T0.plusMillis(3_000)))
                .shardIterator();
        assertThat(read(atTimestamp))
                .extracting(Record::sequenceNumber)
                .containsExactly(sequenceNumbers.get(3), sequenceNumbers.get(4), later);

        // The shard's StartingSequenceNumber is a valid position: AT it reads from the first record.
        String start = kinesis.listShards(r -> r.streamName(STREAM))
                .shards()
                .get(0)
                .sequenceNumberRange()
                .startingSequenceNumber();
        assertThat(read(iterator(ShardIteratorType.AT_SEQUENCE_NUMBER, start))).hasSize(6);
    }

    @Test
    void trimmedRecordsAreGoneAndAStaleCheckpointResumesAtTheTrimHorizon() {
        List<String> sequenceNumbers = putRecords(10);
        String issuedBeforeTrim = iterator(ShardIteratorType.TRIM_HORIZON, null);

        fake.trimBefore(STREAM, SHARD, sequenceNumbers.get(6));

        assertThat(read(iterator(ShardIteratorType.TRIM_HORIZON, null)))
                .extracting(Record::sequenceNumber)
                .containsExactlyElementsOf(sequenceNumbers.subList(6, 10));
        // A checkpoint older than the retention is not rejected; the first page is empty and the
        // next iterator points at the trim horizon.
        String stale = iterator(ShardIteratorType.AFTER_SEQUENCE_NUMBER, sequenceNumbers.get(1));
        GetRecordsResponse empty = kinesis.getRecords(r -> r.shardIterator(stale));
        assertThat(empty.records()).isEmpty();
        assertThat(empty.millisBehindLatest()).isPositive();
        assertThat(read(empty.nextShardIterator()))
                .extracting(Record::sequenceNumber)
                .containsExactlyElementsOf(sequenceNumbers.subList(6, 10));
        assertThat(read(issuedBeforeTrim))
                .extracting(Record::sequenceNumber)
                .containsExactlyElementsOf(sequenceNumbers.subList(6, 10));
    }

    @Test
    void iteratorsExpireAfterFiveMinutes() {
        putRecords(3);
        String iterator = iterator(ShardIteratorType.TRIM_HORIZON, null);
        clock.advance(FakeKinesis.ITERATOR_LIFETIME);
        GetRecordsResponse page =
                kinesis.getRecords(r -> r.shardIterator(iterator).limit(1));
        assertThat(page.records()).hasSize(1);

        clock.advance(Duration.ofMillis(1));
        assertThatThrownBy(() -> kinesis.getRecords(r -> r.shardIterator(iterator)))
                .isInstanceOf(ExpiredIteratorException.class)
                .hasMessageContaining("Iterator expired. The iterator was created at time")
                .hasMessageContaining("tolerated delay of 300000 milliseconds")
                .satisfies(e ->
                        assertThat(((ExpiredIteratorException) e).statusCode()).isEqualTo(400));
        assertThat(fake.calls("GetRecords")).isEqualTo(2); // not retried
        // The iterator the last successful call returned is fresh.
        assertThat(kinesis.getRecords(r -> r.shardIterator(page.nextShardIterator()))
                        .records())
                .hasSize(2);
    }

    @Test
    void injectedThrottlingIsRetriedByTheSdk() {
        putRecords(2);
        String iterator = iterator(ShardIteratorType.TRIM_HORIZON, null);
        fake.failNextCalls(
                "GetRecords", 2, 400, "ProvisionedThroughputExceededException", "Rate exceeded for shard " + SHARD);
        fake.failNextCalls("GetShardIterator", 1, 500, "InternalFailure", "boom");

        assertThat(kinesis.getRecords(r -> r.shardIterator(iterator)).records()).hasSize(2);
        assertThat(iterator(ShardIteratorType.LATEST, null)).isNotBlank();
        assertThat(fake.calls("GetRecords")).isEqualTo(3);
        assertThat(fake.calls("GetShardIterator")).isEqualTo(3);

        fake.failNextCalls(
                "GetRecords", 10, 400, "ProvisionedThroughputExceededException", "Rate exceeded for shard " + SHARD);
        try (KinesisClient threeAttempts = client(FakeRedshiftDataApiTest.fastRetries(3), SigV4Verifier.SECRET_KEY)) {
            assertThatThrownBy(() -> threeAttempts.getRecords(r -> r.shardIterator(iterator)))
                    .isInstanceOf(ProvisionedThroughputExceededException.class)
                    .satisfies(e -> assertThat(((KinesisException) e).isThrottlingException())
                            .isTrue());
        }
        assertThat(fake.calls("GetRecords")).isEqualTo(6);
    }

    @Test
    void badRequestsAreAnsweredAsTheServiceDoes() {
        fake.createStream("other", 2);
        String fromShard1 = fake.put("other", "shardId-000000000001", new byte[] {1}, T0);
        String seq = putRecords(1).get(0);

        assertThatThrownBy(() -> kinesis.getShardIterator(
                        r -> r.streamName("missing").shardId(SHARD).shardIteratorType(ShardIteratorType.LATEST)))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("Stream missing under account 123456789012 not found");
        assertThatThrownBy(() -> kinesis.getShardIterator(r -> r.streamName(STREAM)
                        .shardId("shardId-000000000009")
                        .shardIteratorType(ShardIteratorType.LATEST)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> kinesis.getShardIterator(r -> r.streamName("other")
                        .shardId(SHARD)
                        .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)
                        .startingSequenceNumber(fromShard1)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining(
                        "It encodes shardId-000000000001, while it was used in a call to shardId-000000000000");
        assertThatThrownBy(() -> kinesis.getShardIterator(r -> r.streamName("other")
                        .shardId(SHARD)
                        .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)
                        .startingSequenceNumber(seq)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("did not come from this stream");
        assertThatThrownBy(() -> kinesis.getShardIterator(r -> r.streamName(STREAM)
                        .shardId(SHARD)
                        .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)
                        .startingSequenceNumber("49abc")))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> kinesis.getRecords(r -> r.shardIterator("not-an-iterator")))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> kinesis.getRecords(r -> r.shardIterator(iterator(ShardIteratorType.LATEST, null))
                        .limit(10_001)))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> kinesis.describeStreamSummary(r -> r.streamName(STREAM)))
                .isInstanceOf(KinesisException.class)
                .satisfies(e -> {
                    assertThat(((KinesisException) e).statusCode()).isEqualTo(400);
                    assertThat(((KinesisException) e).awsErrorDetails().errorCode())
                            .isEqualTo("UnknownOperationException");
                });
        assertThat(fake.signatureProblems()).isEmpty();
        assertThat(fake.internalErrors()).isEmpty();
    }

    @Test
    void listShardsPagesThroughTheShards() {
        fake.createStream("wide", 3);

        ListShardsResponse first =
                kinesis.listShards(r -> r.streamARN(fake.streamArn("wide")).maxResults(2));
        ListShardsResponse rest = kinesis.listShards(r -> r.nextToken(first.nextToken()));

        List<Shard> shards = new ArrayList<>(first.shards());
        shards.addAll(rest.shards());
        assertThat(first.nextToken()).isNotBlank();
        assertThat(rest.nextToken()).isNull();
        assertThat(shards)
                .extracting(Shard::shardId)
                .containsExactly("shardId-000000000000", "shardId-000000000001", "shardId-000000000002");
        assertThat(shards.get(0).hashKeyRange().startingHashKey()).isEqualTo("0");
        assertThat(shards.get(2).hashKeyRange().endingHashKey())
                .isEqualTo(BigInteger.TWO.pow(128).subtract(BigInteger.ONE).toString());
        assertThat(new BigInteger(shards.get(1).hashKeyRange().startingHashKey()))
                .isEqualTo(new BigInteger(shards.get(0).hashKeyRange().endingHashKey()).add(BigInteger.ONE));
        assertThat(shards)
                .allSatisfy(s -> assertThat(s.sequenceNumberRange().startingSequenceNumber())
                        .matches("\\d{56}"));
    }

    @Test
    void aSplitShardEndsWithItsChildrenAndListShardsShowsTheLineage() {
        String before = fake.put(STREAM, SHARD, "before the split".getBytes(StandardCharsets.UTF_8), T0);
        List<String> children = fake.splitShard(STREAM, SHARD);
        fake.put(STREAM, children.get(1), "on a child".getBytes(StandardCharsets.UTF_8), T0.plusSeconds(1));

        String iterator = kinesis.getShardIterator(
                        r -> r.streamName(STREAM).shardId(SHARD).shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                .shardIterator();
        GetRecordsResponse end = kinesis.getRecords(r -> r.shardIterator(iterator));
        ListShardsResponse listed = kinesis.listShards(r -> r.streamName(STREAM));

        assertThat(children).containsExactly("shardId-000000000001", "shardId-000000000002");
        assertThat(end.records()).extracting(Record::sequenceNumber).containsExactly(before);
        assertThat(end.nextShardIterator()).isNull();
        assertThat(end.childShards()).extracting(c -> c.shardId()).containsExactlyElementsOf(children);
        assertThat(end.childShards())
                .allSatisfy(c -> assertThat(c.parentShards()).containsExactly(SHARD));
        assertThat(listed.shards()).extracting(Shard::shardId).containsExactly(SHARD, children.get(0), children.get(1));
        assertThat(listed.shards().get(0).sequenceNumberRange().endingSequenceNumber())
                .isEqualTo(before);
        assertThat(listed.shards().subList(1, 3)).allSatisfy(s -> {
            assertThat(s.parentShardId()).isEqualTo(SHARD);
            assertThat(s.sequenceNumberRange().endingSequenceNumber()).isNull();
        });
        assertThat(new BigInteger(listed.shards().get(2).hashKeyRange().startingHashKey()))
                .isEqualTo(new BigInteger(listed.shards().get(1).hashKeyRange().endingHashKey()).add(BigInteger.ONE));
        assertThatThrownBy(() -> fake.put(STREAM, SHARD, "late".getBytes(StandardCharsets.UTF_8), T0))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void mergedShardsBothNameTheirChild() {
        List<String> halves = fake.splitShard(STREAM, SHARD);
        String merged = fake.mergeShards(STREAM, halves.get(0), halves.get(1));

        String iterator = kinesis.getShardIterator(
                        r -> r.streamName(STREAM).shardId(halves.get(1)).shardIteratorType(ShardIteratorType.LATEST))
                .shardIterator();
        GetRecordsResponse end = kinesis.getRecords(r -> r.shardIterator(iterator));
        Shard child = kinesis.listShards(r -> r.streamName(STREAM)).shards().get(3);

        assertThat(end.nextShardIterator()).isNull();
        assertThat(end.childShards()).singleElement().satisfies(c -> {
            assertThat(c.shardId()).isEqualTo(merged);
            assertThat(c.parentShards()).containsExactly(halves.get(0), halves.get(1));
        });
        assertThat(child.shardId()).isEqualTo(merged);
        assertThat(child.parentShardId()).isEqualTo(halves.get(0));
        assertThat(child.adjacentParentShardId()).isEqualTo(halves.get(1));
    }

    @Test
    void aBadSignatureIsRejectedAndRecorded() {
        try (KinesisClient wrongKey = client(AwsRetryStrategy.doNotRetry(), "not-the-secret")) {
            assertThatThrownBy(() -> wrongKey.listShards(r -> r.streamName(STREAM)))
                    .isInstanceOf(KinesisException.class)
                    .satisfies(e -> {
                        assertThat(((KinesisException) e).statusCode()).isEqualTo(400);
                        assertThat(((KinesisException) e).awsErrorDetails().errorCode())
                                .isEqualTo("InvalidSignatureException");
                    });
        }
        assertThat(fake.signatureProblems())
                .singleElement()
                .asString()
                .startsWith("ListShards: signature does not match");
    }

    @Test
    void aClientStillOnCborIsToldWhatToChange() {
        String before = System.getProperty("aws.cborEnabled");
        KinesisClient cbor;
        System.setProperty("aws.cborEnabled", "true");
        try {
            cbor = client(AwsRetryStrategy.doNotRetry(), SigV4Verifier.SECRET_KEY);
        } finally {
            if (before == null) {
                System.clearProperty("aws.cborEnabled");
            } else {
                System.setProperty("aws.cborEnabled", before);
            }
        }
        try (cbor) {
            assertThatThrownBy(() -> cbor.listShards(r -> r.streamName(STREAM))).isInstanceOf(SdkException.class);
        }
        assertThat(fake.protocolProblems())
                .singleElement()
                .asString()
                .contains("application/x-amz-cbor-1.1")
                .contains("aws.cborEnabled=false");
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private KinesisClient client(RetryStrategy retryStrategy, String secretKey) {
        return KinesisClient.builder()
                .endpointOverride(fake.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(SigV4Verifier.ACCESS_KEY, secretKey)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(retryStrategy))
                .build();
    }

    /** Puts {@code n} records "record i", arriving at T0 + i seconds + 125 ms; returns their sequence numbers. */
    private List<String> putRecords(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(fake.put(
                    STREAM, SHARD, ("record " + i).getBytes(StandardCharsets.UTF_8), T0.plusMillis(i * 1_000L + 125)));
        }
        return out;
    }

    private String iterator(ShardIteratorType type, String sequenceNumber) {
        Consumer<GetShardIteratorRequest.Builder> request =
                r -> r.streamName(STREAM).shardId(SHARD).shardIteratorType(type).startingSequenceNumber(sequenceNumber);
        return kinesis.getShardIterator(request).shardIterator();
    }

    /** Every record from {@code iterator} to the tip of the shard. */
    private List<Record> read(String iterator) {
        List<Record> out = new ArrayList<>();
        String current = iterator;
        while (true) {
            String it = current;
            GetRecordsResponse page = kinesis.getRecords(r -> r.shardIterator(it));
            out.addAll(page.records());
            if (page.millisBehindLatest() == 0) {
                return out;
            }
            current = page.nextShardIterator();
        }
    }

    private static byte[] bytes(int n, char c) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }
}
