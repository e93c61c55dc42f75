package com.dsqlcdc.testing;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * Kinesis events as the event source mapping sends them: the JSON document with base64 data,
 * turned into the {@link KinesisEvent} the Java runtime hands the handler (data decoded into a
 * ByteBuffer, as the runtime's serializer does).
 */
public final class KinesisEvents {

    public static final String STREAM_ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/dsql-cdc";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private KinesisEvents() {}

    /** A record to put in an event: its shard, sequence number and raw data. */
    public record Item(String shardId, String sequenceNumber, byte[] data) {
        public static Item of(String shardId, long sequence, String data) {
            return new Item(shardId, KinesisEvents.sequenceNumber(sequence), data.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** @return a Kinesis sequence number: 56 digits, ordered like {@code n} */
    public static String sequenceNumber(long n) {
        return "4954" + String.format("%052d", n);
    }

    /** @return the event JSON the Lambda service would send for these records */
    public static String json(List<Item> items) {
        ObjectNode event = MAPPER.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Item item : items) {
            ObjectNode record = records.addObject();
            ObjectNode kinesis = record.putObject("kinesis");
            kinesis.put("kinesisSchemaVersion", "1.0");
            kinesis.put("partitionKey", "random-" + item.sequenceNumber().hashCode());
            kinesis.put("sequenceNumber", item.sequenceNumber());
            kinesis.put("data", Base64.getEncoder().encodeToString(item.data()));
            kinesis.put("approximateArrivalTimestamp", 1763700005.513);
            record.put("eventSource", "aws:kinesis");
            record.put("eventVersion", "1.0");
            record.put("eventID", item.shardId() + ":" + item.sequenceNumber());
            record.put("eventName", "aws:kinesis:record");
            record.put("invokeIdentityArn", "arn:aws:iam::123456789012:role/consumer");
            record.put("awsRegion", "us-east-1");
            record.put("eventSourceARN", STREAM_ARN);
        }
        return event.toString();
    }

    /** @return the event as the runtime deserialises {@link #json} */
    public static KinesisEvent event(List<Item> items) {
        return parse(json(items));
    }

    /** @return a {@link KinesisEvent} from the Lambda service's JSON */
    public static KinesisEvent parse(String json) {
        try {
            JsonNode root = MAPPER.readTree(json);
            List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
            for (JsonNode r : root.get("Records")) {
                JsonNode k = r.get("kinesis");
                KinesisEvent.Record kinesis = new KinesisEvent.Record();
                kinesis.setKinesisSchemaVersion(k.get("kinesisSchemaVersion").asText());
                kinesis.setPartitionKey(k.get("partitionKey").asText());
                kinesis.setSequenceNumber(k.get("sequenceNumber").asText());
                kinesis.setData(
                        ByteBuffer.wrap(Base64.getDecoder().decode(k.get("data").asText())));
                kinesis.setApproximateArrivalTimestamp(
                        new Date((long) (k.get("approximateArrivalTimestamp").asDouble() * 1000)));
                KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
                record.setKinesis(kinesis);
                record.setEventSource(r.get("eventSource").asText());
                record.setEventID(r.get("eventID").asText());
                record.setEventName(r.get("eventName").asText());
                record.setEventSourceARN(r.get("eventSourceARN").asText());
                record.setAwsRegion(r.get("awsRegion").asText());
                records.add(record);
            }
            KinesisEvent event = new KinesisEvent();
            event.setRecords(records);
            return event;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
