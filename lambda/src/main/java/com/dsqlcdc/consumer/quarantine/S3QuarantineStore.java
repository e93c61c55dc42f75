package com.dsqlcdc.consumer.quarantine;

import com.dsqlcdc.consumer.InputRecord;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Writes a batch's poison records to S3 as one JSON-lines object, each line holding the reason,
 * the detail, the shard, the sequence number, the arrival time, the stream and the original data
 * (base64), so it can be replayed exactly. The bucket's default encryption (a customer managed
 * KMS key) applies. The key is derived from the shard and the sequence range, so a retried batch
 * overwrites its own object rather than adding a copy:
 * {@code quarantine/YYYY/MM/DD/<shard>/<first seq>-<last seq>.jsonl} (date of the first record's arrival).
 */
public final class S3QuarantineStore implements QuarantineStore {

    /** Prefix of every quarantine object. */
    public static final String PREFIX = "quarantine/";

    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

    private final S3Client s3;
    private final String bucket;
    private final JsonFactory json;
    private final Clock clock;

    /**
     * @param s3     the S3 client (built once)
     * @param bucket the quarantine bucket
     * @param json   the shared JSON factory
     * @param clock  time source (for records without an arrival time, and {@code quarantinedAt})
     */
    public S3QuarantineStore(S3Client s3, String bucket, JsonFactory json, Clock clock) {
        this.s3 = s3;
        this.bucket = bucket;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String put(List<QuarantinedRecord> records) {
        InputRecord first = records.get(0).record();
        InputRecord last = records.get(records.size() - 1).record();
        String key = PREFIX + DAY.format(first.arrival() != null ? first.arrival() : clock.instant()) + "/"
                + first.shardId() + "/" + first.sequenceNumber() + "-" + last.sequenceNumber() + ".jsonl";
        s3.putObject(
                b -> b.bucket(bucket).key(key).contentType("application/x-ndjson"),
                RequestBody.fromBytes(jsonLines(records)));
        return "s3://" + bucket + "/" + key;
    }

    private byte[] jsonLines(List<QuarantinedRecord> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String now = clock.instant().toString();
        try {
            for (QuarantinedRecord q : records) {
                InputRecord r = q.record();
                try (JsonGenerator gen = json.createGenerator(out)) {
                    gen.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
                    gen.writeStartObject();
                    gen.writeStringField("reason", q.reason().label());
                    gen.writeStringField("detail", q.detail());
                    gen.writeStringField("shardId", r.shardId());
                    gen.writeStringField("sequenceNumber", r.sequenceNumber());
                    if (r.arrival() != null) {
                        gen.writeStringField(
                                "approximateArrivalTimestamp", r.arrival().toString());
                    }
                    if (r.eventSourceArn() != null) {
                        gen.writeStringField("eventSourceArn", r.eventSourceArn());
                    }
                    gen.writeStringField("quarantinedAt", now);
                    gen.writeFieldName("data");
                    gen.writeBinary(r.data());
                    gen.writeEndObject();
                }
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
