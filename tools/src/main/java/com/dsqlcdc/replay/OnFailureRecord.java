package com.dsqlcdc.replay;

import com.dsqlcdc.consumer.InputRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * What the Kinesis event source mapping writes to an S3 on-failure destination for a batch it
 * gave up on: {@code KinesisBatchInfo} (shard, first and last sequence number, batch size, stream
 * ARN, always present) and {@code payload}, the invocation event as an escaped JSON string
 * ({@code {"Records":[{"kinesis":{"data":<base64>,"sequenceNumber":..,
 * "approximateArrivalTimestamp":<epoch s>},"eventSourceARN":..}]}}).
 *
 * <p>The payload is not documented to be always complete: a record too large for an invocation
 * (over about 4.4 MiB raw) cannot have been in one. So the payload is used only when it parses
 * and holds {@code batchSize} records; otherwise the batch is read back from its shard.
 *
 * @param shardId             the batch's shard
 * @param startSequenceNumber its first record
 * @param endSequenceNumber   its last record
 * @param batchSize           how many records it had
 * @param streamArn           the stream
 * @param payload             the payload's records in shard order; empty when absent or unusable
 */
record OnFailureRecord(
        String shardId,
        String startSequenceNumber,
        String endSequenceNumber,
        int batchSize,
        String streamArn,
        List<InputRecord> payload) {

    /** @return whether the payload holds the whole batch */
    boolean complete() {
        return payload.size() >= batchSize;
    }

    /**
     * @param where names the object, for messages
     * @throws UnreadableSourceException when the body is not an on-failure record
     */
    static OnFailureRecord parse(ObjectMapper mapper, byte[] body, String where) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (IOException e) {
            throw new UnreadableSourceException(where + " is not JSON: " + e.getMessage(), e);
        }
        JsonNode info = root == null ? null : root.get("KinesisBatchInfo");
        if (info == null || !info.isObject()) {
            throw new UnreadableSourceException(where + " has no KinesisBatchInfo: not a Kinesis on-failure record");
        }
        String shardId = required(info, "shardId", where);
        String start = sequenceNumber(info, "startSequenceNumber", where);
        String end = sequenceNumber(info, "endSequenceNumber", where);
        JsonNode size = info.get("batchSize");
        if (size == null || !size.canConvertToInt() || size.intValue() < 1) {
            throw new UnreadableSourceException(where + ": KinesisBatchInfo.batchSize is not a positive whole number");
        }
        String streamArn = required(info, "streamArn", where);
        return new OnFailureRecord(
                shardId,
                start,
                end,
                size.intValue(),
                streamArn,
                payload(mapper, root.get("payload"), shardId, streamArn));
    }

    /** The payload's records, or none when it is absent or anything in it does not parse (the shard is read instead). */
    private static List<InputRecord> payload(ObjectMapper mapper, JsonNode payload, String shardId, String streamArn) {
        try {
            JsonNode event = payload == null || payload.isNull()
                    ? null
                    : payload.isTextual() ? mapper.readTree(payload.asText()) : payload;
            JsonNode records = event == null ? null : event.get("Records");
            if (records == null || !records.isArray()) {
                return List.of();
            }
            List<InputRecord> out = new ArrayList<>(records.size());
            for (JsonNode r : records) {
                JsonNode kinesis = member(r, "kinesis");
                String sequenceNumber = member(kinesis, "sequenceNumber").asText();
                byte[] data = Base64.getDecoder().decode(member(kinesis, "data").asText());
                JsonNode arrival = kinesis.get("approximateArrivalTimestamp");
                JsonNode arn = r.get("eventSourceARN");
                out.add(new InputRecord(
                        shardId,
                        sequenceNumber,
                        data,
                        arrival == null || !arrival.isNumber() ? null : epochSeconds(arrival.decimalValue()),
                        arn == null || arn.isNull() ? streamArn : arn.asText()));
            }
            out.sort((a, b) -> RecordId.SEQUENCE_ORDER.compare(a.sequenceNumber(), b.sequenceNumber()));
            return out;
        } catch (IOException | IllegalArgumentException e) {
            return List.of();
        }
    }

    /** @throws IllegalArgumentException when the member is missing */
    private static JsonNode member(JsonNode node, String name) {
        JsonNode value = node == null ? null : node.get(name);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("no " + name);
        }
        return value;
    }

    private static Instant epochSeconds(BigDecimal seconds) {
        return Instant.ofEpochMilli(seconds.movePointRight(3).longValue());
    }

    private static String required(JsonNode info, String field, String where) {
        JsonNode value = info.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new UnreadableSourceException(where + ": KinesisBatchInfo." + field + " is missing");
        }
        return value.asText();
    }

    private static String sequenceNumber(JsonNode info, String field, String where) {
        String value = required(info, field, where);
        if (!value.matches("0|[1-9][0-9]{0,128}")) {
            throw new UnreadableSourceException(
                    where + ": KinesisBatchInfo." + field + " is not a sequence number: " + value);
        }
        return value;
    }
}
