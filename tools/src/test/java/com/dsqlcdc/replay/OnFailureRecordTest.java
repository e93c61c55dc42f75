package com.dsqlcdc.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.consumer.InputRecord;
import com.dsqlcdc.consumer.Json;
import com.dsqlcdc.testing.KinesisEvents;
import com.dsqlcdc.testing.KinesisEvents.Item;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the Lambda on-failure record: the batch's range, and its payload when it is usable. */
class OnFailureRecordTest {

    private static final ObjectMapper MAPPER = Json.exactMapper();
    private static final String SHARD = "shardId-000000000003";
    private static final String FIRST = KinesisEvents.sequenceNumber(5);
    private static final String LAST = KinesisEvents.sequenceNumber(6);

    private static ObjectNode document(int batchSize) {
        ObjectNode doc = MAPPER.createObjectNode();
        doc.putObject("requestContext").put("condition", "RetryAttemptsExhausted");
        doc.putObject("KinesisBatchInfo")
                .put("shardId", SHARD)
                .put("startSequenceNumber", FIRST)
                .put("endSequenceNumber", LAST)
                .put("batchSize", batchSize)
                .put("streamArn", KinesisEvents.STREAM_ARN);
        return doc;
    }

    private static String event() {
        return KinesisEvents.json(List.of(
                new Item(SHARD, LAST, "{\"b\":2}".getBytes(StandardCharsets.UTF_8)),
                new Item(SHARD, FIRST, "{\"a\":1}".getBytes(StandardCharsets.UTF_8))));
    }

    private static OnFailureRecord parse(ObjectNode doc) {
        return OnFailureRecord.parse(MAPPER, doc.toString().getBytes(StandardCharsets.UTF_8), "s3://b/k");
    }

    @Test
    void thePayloadIsAnEscapedJsonStringHoldingTheInvocationEvent() {
        ObjectNode doc = document(2);
        doc.put("payload", event());

        OnFailureRecord batch = parse(doc);

        assertThat(batch.shardId()).isEqualTo(SHARD);
        assertThat(batch.streamArn()).isEqualTo(KinesisEvents.STREAM_ARN);
        assertThat(batch.complete()).isTrue();
        assertThat(batch.payload()).extracting(InputRecord::sequenceNumber).containsExactly(FIRST, LAST);
        InputRecord first = batch.payload().get(0);
        assertThat(new String(first.data(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        assertThat(first.shardId()).isEqualTo(SHARD);
        assertThat(first.arrival()).isEqualTo(Instant.parse("2025-11-21T04:40:05.513Z"));
        assertThat(first.eventSourceArn()).isEqualTo(KinesisEvents.STREAM_ARN);
    }

    @Test
    void aPayloadStoredAsAnObjectIsReadToo() throws Exception {
        ObjectNode doc = document(2);
        doc.set("payload", MAPPER.readTree(event()));

        assertThat(parse(doc).payload()).hasSize(2);
    }

    @Test
    void anAbsentShortOrUnparsablePayloadLeavesTheShardToBeRead() {
        assertThat(parse(document(2)).complete()).isFalse();
        ObjectNode shortOne = document(3);
        shortOne.put("payload", event());
        assertThat(parse(shortOne).complete()).isFalse();
        ObjectNode garbage = document(2);
        garbage.put("payload", "{\"Records\":[{\"kinesis\":{\"sequenceNumber\":\"1\"}}]}");
        assertThat(parse(garbage).payload()).isEmpty();
        ObjectNode truncated = document(2);
        truncated.put("payload", event().substring(0, 100));
        assertThat(parse(truncated).payload()).isEmpty();
    }

    @Test
    void anythingElseIsNotAnOnFailureRecord() {
        assertThatThrownBy(() -> OnFailureRecord.parse(MAPPER, "not json".getBytes(StandardCharsets.UTF_8), "s3://b/k"))
                .isInstanceOf(UnreadableSourceException.class)
                .hasMessageStartingWith("s3://b/k is not JSON");
        ObjectNode noInfo = MAPPER.createObjectNode().put("payload", event());
        assertThatThrownBy(() -> parse(noInfo)).hasMessageContaining("has no KinesisBatchInfo");
        ObjectNode badSequence = document(2);
        ((ObjectNode) badSequence.get("KinesisBatchInfo")).put("endSequenceNumber", "12ab");
        assertThatThrownBy(() -> parse(badSequence))
                .hasMessageContaining("endSequenceNumber is not a sequence number: 12ab");
        ObjectNode badSize = document(0);
        assertThatThrownBy(() -> parse(badSize)).hasMessageContaining("batchSize is not a positive whole number");
    }
}
