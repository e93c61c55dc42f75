package com.dsqlcdc.tail;

import com.dsqlcdc.consumer.decode.ChunkRef;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * One JSON object per line, for scripts: {@code kind} ({@code change}, {@code chunked},
 * {@code fragment}, {@code unreadable}), {@code shard}, {@code sequence_number}, {@code arrival},
 * {@code bytes}, and as the kind has them {@code commit_time}, {@code commit_ts_ns}, {@code lag_ms},
 * {@code table}, {@code op}, {@code key} (an object), {@code chunks}, {@code chunk_id},
 * {@code index} (from 0), {@code total_fragments}, {@code reason}, {@code detail}. Absent values are
 * left out.
 */
final class JsonFormat implements EntryFormat {

    private final JsonFactory json;

    JsonFormat(JsonFactory json) {
        this.json = json;
    }

    @Override
    public String header() {
        return null;
    }

    @Override
    public String format(Entry e) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("kind", e.kind().label());
            if (e.commitTsNs() != null) {
                g.writeStringField("commit_time", e.commitTime().toString());
                g.writeNumberField("commit_ts_ns", e.commitTsNs());
            }
            if (e.lag() != null) {
                g.writeNumberField("lag_ms", e.lag().toMillis());
            }
            if (e.qualifiedTable() != null) {
                g.writeStringField("table", e.qualifiedTable());
            }
            if (e.op() != null) {
                g.writeStringField("op", e.op());
            }
            if (e.key() != null) {
                g.writeFieldName("key");
                g.writeRawValue(e.key());
            }
            if (e.chunks() != null) {
                g.writeArrayFieldStart("chunks");
                for (ChunkRef ref : e.chunks()) {
                    g.writeStartObject();
                    g.writeStringField("image", ref.image());
                    g.writeStringField("chunk_id", ref.chunkId());
                    g.writeNumberField("total_fragments", ref.totalFragments());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (e.chunkId() != null) {
                g.writeStringField("chunk_id", e.chunkId());
                g.writeNumberField("index", e.fragmentIndex());
                if (e.totalFragments() != null) {
                    g.writeNumberField("total_fragments", e.totalFragments());
                }
            }
            if (e.reason() != null) {
                g.writeStringField("reason", e.reason());
                g.writeStringField("detail", e.detail());
            }
            g.writeStringField("shard", e.shardId());
            g.writeStringField("sequence_number", e.sequenceNumber());
            if (e.arrival() != null) {
                g.writeStringField("arrival", e.arrival().toString());
            }
            g.writeNumberField("bytes", e.dataBytes());
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }
}
