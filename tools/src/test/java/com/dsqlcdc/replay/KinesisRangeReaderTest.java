package com.dsqlcdc.replay;

import static com.dsqlcdc.replay.ReplayHarness.SHARD;
import static com.dsqlcdc.replay.ReplayHarness.STREAM;
import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.consumer.InputRecord;
import com.dsqlcdc.testing.FakeKinesis;
import com.dsqlcdc.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reading a sequence-number range back from a shard, against the Kinesis fake. */
class KinesisRangeReaderTest {

    private static final Instant T0 = Instant.parse("2026-05-04T10:00:00Z");

    private ReplayHarness harness;
    private ReplayClients clients;
    private final ManualClock now = new ManualClock(T0);
    private final List<Duration> pauses = new ArrayList<>();

    @BeforeEach
    void start() {
        harness = new ReplayHarness();
        harness.kinesis.clock(now);
        clients = harness.clients();
    }

    @AfterEach
    void stop() {
        clients.close();
        assertThat(harness.kinesis.signatureProblems()).isEmpty();
        assertThat(harness.kinesis.protocolProblems()).isEmpty();
        harness.close();
    }

    private List<String> put(int count) {
        List<String> seqs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            seqs.add(harness.kinesis.put(STREAM, SHARD, ("r" + i).getBytes(StandardCharsets.UTF_8), T0));
        }
        return seqs;
    }

    private KinesisRangeReader reader() {
        return new KinesisRangeReader(clients.kinesis(), pauses::add, Duration.ofMillis(250));
    }

    @Test
    void readsExactlyTheRangeAndStopsAtItsEnd() {
        List<String> seqs = put(6);

        KinesisRangeReader.Range range = reader().open(harness.streamArn(), SHARD, seqs.get(1), seqs.get(3), 10);
        List<String> read = new ArrayList<>();
        range.forEachRemaining(r -> read.add(r.sequenceNumber()));

        assertThat(read).containsExactlyElementsOf(seqs.subList(1, 4));
        assertThat(range.gaps()).isEmpty();
        assertThat(harness.kinesis.calls("GetRecords")).isEqualTo(1);
    }

    @Test
    void anIteratorThatExpiredWhileASliceLoadedIsTakenAgainAfterTheLastRecordRead() {
        List<String> seqs = put(3);
        KinesisRangeReader.Range range = reader().open(harness.streamArn(), SHARD, seqs.get(0), seqs.get(2), 1);

        InputRecord first = range.next();
        now.set(T0.plus(FakeKinesis.ITERATOR_LIFETIME).plusSeconds(60));
        List<String> rest = new ArrayList<>();
        range.forEachRemaining(r -> rest.add(r.sequenceNumber()));

        assertThat(first.sequenceNumber()).isEqualTo(seqs.get(0));
        assertThat(rest).containsExactly(seqs.get(1), seqs.get(2));
        assertThat(harness.kinesis.calls("GetShardIterator")).isEqualTo(2);
        assertThat(range.gaps()).isEmpty();
        assertThat(pauses).isNotEmpty().allMatch(p -> p.equals(Duration.ofMillis(250)));
    }

    @Test
    void aRangeTrimmedWholeIsOneGap() {
        List<String> seqs = put(4);
        harness.kinesis.trimBefore(STREAM, SHARD, seqs.get(3));

        KinesisRangeReader.Range range = reader().open(harness.streamArn(), SHARD, seqs.get(0), seqs.get(1), 2);

        assertThat(range.hasNext()).isFalse();
        assertThat(range.gaps()).singleElement().satisfies(gap -> {
            assertThat(gap.from()).isEqualTo(seqs.get(0));
            assertThat(gap.contains(new RecordId(SHARD, seqs.get(1)))).isTrue();
            assertThat(gap.contains(new RecordId(SHARD, seqs.get(2)))).isFalse();
            assertThat(gap.detail())
                    .contains("records " + seqs.get(0) + " through " + seqs.get(1))
                    .contains("the shard's oldest record is now " + seqs.get(3));
        });
    }

    @Test
    void aRangeEndingAtTheTipOfTheShardIsReadWhole() {
        List<String> seqs = put(2);

        KinesisRangeReader.Range range = reader().open(harness.streamArn(), SHARD, seqs.get(0), seqs.get(1), 5);
        List<String> read = new ArrayList<>();
        range.forEachRemaining(r -> read.add(r.sequenceNumber()));

        assertThat(read).containsExactlyElementsOf(seqs);
        assertThat(range.gaps()).isEmpty();
    }
}
