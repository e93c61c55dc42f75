package com.dsqlcdc.tail;

import com.dsqlcdc.consumer.decode.Change;
import com.dsqlcdc.consumer.decode.ChangeDecoder;
import com.dsqlcdc.consumer.decode.ChunkRef;
import com.dsqlcdc.consumer.decode.Decoded;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * Turns a Kinesis record into an {@link Entry} with the consumer's own decoder (the limits the
 * consumer uses by default). Remembers how many fragments each chunk has, from the chunked main
 * records seen, so a fragment read after its main record can say "3/12".
 */
final class RecordDescriber {

    /** Chunks remembered (oldest forgotten first): far more than can be in flight at once. */
    private static final int CHUNKS_REMEMBERED = 10_000;

    private final JsonFactory json;
    private final ChangeDecoder decoder;
    private final TableCatalog catalog;
    private final Map<String, Integer> chunkTotals = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > CHUNKS_REMEMBERED;
        }
    };

    RecordDescriber(JsonFactory json, TableCatalog catalog) {
        this.json = json;
        this.catalog = catalog;
        // No string limit: that is the warehouse's constraint (65,535 or 16,000,000 bytes, per
        // warehouse.largeStrings), not the stream's. The tail shows every change the stream holds.
        this.decoder = new ChangeDecoder(json, catalog, Integer.MAX_VALUE);
    }

    Entry describe(String shardId, Record record) {
        byte[] data = record.data().asByteArray();
        Decoded decoded = decoder.decode(data);
        Base base = new Base(shardId, record, data.length);
        if (decoded instanceof Decoded.Ok ok) {
            Change c = ok.change();
            return base.entry(
                    Entry.Kind.CHANGE,
                    c.commitTsNs(),
                    c.sourceSchema(),
                    c.sourceTable(),
                    c.op(),
                    key(c),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null);
        }
        if (decoded instanceof Decoded.ChunkedMain main) {
            for (ChunkRef ref : main.refs()) {
                chunkTotals.put(ref.chunkId(), ref.totalFragments());
            }
            RecordHeader h = RecordHeader.read(json, data);
            return base.entry(
                    Entry.Kind.CHUNKED,
                    h.tsNs(),
                    h.schema(),
                    h.table(),
                    h.op(),
                    null,
                    main.refs(),
                    null,
                    null,
                    null,
                    null,
                    null);
        }
        if (decoded instanceof Decoded.Fragment f) {
            return base.entry(
                    Entry.Kind.FRAGMENT,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    f.chunkId(),
                    f.index(),
                    chunkTotals.get(f.chunkId()),
                    null,
                    null);
        }
        Decoded.Poison poison = (Decoded.Poison) decoded;
        RecordHeader h = RecordHeader.read(json, data);
        return base.entry(
                Entry.Kind.UNREADABLE,
                h.tsNs(),
                h.schema(),
                h.table(),
                h.op(),
                null,
                null,
                null,
                null,
                null,
                poison.reason().label(),
                poison.detail());
    }

    /** The change's key as {@code {"column": value, …}} in key order, values exactly as DSQL sent them. */
    private String key(Change change) {
        List<String> columns = catalog.find(change.sourceSchema(), change.sourceTable())
                .map(CatalogTable::primaryKey)
                .orElse(List.of());
        StringWriter out = new StringWriter();
        try (JsonParser p = json.createParser(change.recordKey());
                JsonGenerator gen = json.createGenerator(out)) {
            p.nextToken();
            gen.writeStartObject();
            int i = 0;
            for (JsonToken t = p.nextToken(); t != null && t != JsonToken.END_ARRAY; t = p.nextToken(), i++) {
                gen.writeFieldName(i < columns.size() ? columns.get(i) : "key" + i);
                gen.copyCurrentEvent(p);
            }
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private record Base(String shardId, Record record, int bytes) {
        Entry entry(
                Entry.Kind kind,
                Long tsNs,
                String schema,
                String table,
                String op,
                String key,
                List<ChunkRef> chunks,
                String chunkId,
                Integer index,
                Integer total,
                String reason,
                String detail) {
            return new Entry(
                    kind,
                    shardId,
                    record.sequenceNumber(),
                    record.approximateArrivalTimestamp(),
                    bytes,
                    tsNs,
                    schema,
                    table,
                    op,
                    key,
                    chunks,
                    chunkId,
                    index,
                    total,
                    reason,
                    detail);
        }
    }
}
