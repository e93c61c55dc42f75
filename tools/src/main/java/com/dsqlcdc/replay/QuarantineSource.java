package com.dsqlcdc.replay;

import com.dsqlcdc.consumer.InputRecord;
import com.dsqlcdc.consumer.quarantine.S3QuarantineStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The quarantine: JSON-lines objects written by {@link S3QuarantineStore}, one poison record per
 * line with its reason, shard, sequence number, arrival time, stream and data (base64).
 *
 * <p>An object holds one Lambda batch's poison records, so it is read whole (a few MB at most)
 * rather than streamed from S3: a GetObject stream left idle while a slice loads for minutes
 * could be dropped by S3. Its lines are parsed one at a time as the replay consumes them.
 */
final class QuarantineSource implements ReplaySource {

    private static final String SUFFIX = ".jsonl";

    private final S3Client s3;
    private final ObjectMapper mapper;
    private final String bucket;
    private final String prefix;

    QuarantineSource(S3Client s3, ObjectMapper mapper, String bucket, String prefix) {
        this.s3 = s3;
        this.mapper = mapper;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    @Override
    public String name() {
        return "quarantine";
    }

    @Override
    public String bucket() {
        return bucket;
    }

    @Override
    public String prefix() {
        return prefix;
    }

    @Override
    public List<String> keys() {
        return BucketListing.keys(s3, bucket, prefix).stream()
                .filter(key -> key.endsWith(SUFFIX))
                .toList();
    }

    @Override
    public SourceRecords read(String key) {
        byte[] body = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        return SourceRecords.of(new Lines(key, body), List::of);
    }

    /** The object's lines, parsed as they are consumed. */
    private final class Lines implements Iterator<SourceRecord> {
        private final String key;
        private final byte[] body;
        private int offset;
        /** Newlines before {@code offset}: the line starting there is number {@code newlines + 1}. */
        private int newlines;

        Lines(String key, byte[] body) {
            this.key = key;
            this.body = body;
            skipBlankLines();
        }

        @Override
        public boolean hasNext() {
            return offset < body.length;
        }

        @Override
        public SourceRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int end = offset;
            while (end < body.length && body[end] != '\n') {
                end++;
            }
            SourceRecord record = parse(body, offset, end - offset, newlines + 1);
            offset = end;
            skipBlankLines();
            return record;
        }

        private void skipBlankLines() {
            while (offset < body.length && (body[offset] == '\n' || body[offset] == '\r')) {
                if (body[offset] == '\n') {
                    newlines++;
                }
                offset++;
            }
        }

        private SourceRecord parse(byte[] bytes, int from, int length, int lineNumber) {
            String where = "line " + lineNumber + " of s3://" + bucket + "/" + key;
            try {
                JsonNode line = mapper.readTree(bytes, from, length);
                String shardId = text(line, "shardId", where);
                String sequenceNumber = text(line, "sequenceNumber", where);
                byte[] data = Base64.getDecoder().decode(text(line, "data", where));
                JsonNode arrival = line.get("approximateArrivalTimestamp");
                JsonNode arn = line.get("eventSourceArn");
                InputRecord record = new InputRecord(
                        shardId,
                        sequenceNumber,
                        data,
                        arrival == null || arrival.isNull() ? null : Instant.parse(arrival.asText()),
                        arn == null || arn.isNull() ? null : arn.asText());
                return new SourceRecord(record, text(line, "reason", where));
            } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
                throw new UnreadableSourceException(where + " is not a quarantined record: " + e.getMessage(), e);
            }
        }
    }

    private static String text(JsonNode line, String field, String where) {
        JsonNode value = line == null ? null : line.get(field);
        if (value == null || !value.isTextual()) {
            throw new UnreadableSourceException(where + " has no " + field);
        }
        return value.asText();
    }
}
