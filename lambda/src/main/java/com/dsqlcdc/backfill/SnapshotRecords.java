package com.dsqlcdc.backfill;

import com.dsqlcdc.sql.catalog.CatalogColumn;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Source rows as CDC records, in the record format DSQL's stream writes (README, "The consumer"),
 * so that they take exactly the consumer's path: the consumer's decoder turns them into changes and
 * its staging writer into staged lines. A snapshot row is an upsert with op {@value #SNAPSHOT_OP}
 * (an op the consumer does not know, hence an upsert of {@code after}, as every op but {@code d} is);
 * a resync's tombstone is a delete, op {@code d}, whose {@code before} holds the key columns. The
 * record's {@code source.ts_ns} is the commit time the job gives it (docs/backfill.md, ordering
 * rules); its top-level {@code ts_ms}/{@code ts_ns} are the processing time, as DSQL's are, and take
 * no part in the change's identity: the same row image at the same commit time is the same event.
 */
public final class SnapshotRecords {

    /** The op of a snapshot row: {@code r}, as Debezium marks rows read by a snapshot. */
    public static final String SNAPSHOT_OP = "r";
    /** The op of a tombstone: the stream's delete. */
    public static final String DELETE_OP = "d";

    private final JsonFactory json;
    private final ObjectMapper mapper;
    private final String clusterId;
    private final String txId;

    /**
     * @param mapper    writes the values (its factory writes the records)
     * @param clusterId {@code source.cluster}
     * @param txId      {@code source.txId} of every record: names the job, e.g. {@code backfill:<job id>}
     */
    public SnapshotRecords(ObjectMapper mapper, String clusterId, String txId) {
        this.mapper = mapper;
        this.json = mapper.getFactory();
        this.clusterId = clusterId;
        this.txId = txId;
    }

    /**
     * @param table       the row's table
     * @param values      its catalog columns' encodings, in catalog order
     * @param commitTsNs  the commit time it carries
     * @param processedNs the processing time
     * @return the record's bytes
     */
    public byte[] upsert(CatalogTable table, List<JsonNode> values, long commitTsNs, long processedNs) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(json._getBufferRecycler(), 512);
                JsonGenerator gen = json.createGenerator(out)) {
            gen.writeStartObject();
            gen.writeStringField("type", "full");
            gen.writeStringField("op", SNAPSHOT_OP);
            gen.writeNullField("before");
            gen.writeFieldName("after");
            gen.writeStartObject();
            List<CatalogColumn> columns = table.columns();
            for (int i = 0; i < columns.size(); i++) {
                gen.writeFieldName(columns.get(i).name());
                mapper.writeTree(gen, values.get(i));
            }
            gen.writeEndObject();
            tail(gen, table, commitTsNs, processedNs);
            gen.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param table       the key's table
     * @param recordKey   the key as the change log holds it ({@code record_key}: the key columns'
     *                    encodings as a JSON array, in key order)
     * @param commitTsNs  the commit time it carries
     * @param processedNs the processing time
     * @return the record's bytes: {@code before} holds exactly the key columns
     */
    public byte[] delete(CatalogTable table, String recordKey, long commitTsNs, long processedNs) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(json._getBufferRecycler(), 256);
                JsonGenerator gen = json.createGenerator(out);
                JsonParser key = json.createParser(recordKey)) {
            gen.writeStartObject();
            gen.writeStringField("type", "full");
            gen.writeStringField("op", DELETE_OP);
            gen.writeFieldName("before");
            gen.writeStartObject();
            if (key.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException("a record key is a JSON array: " + recordKey);
            }
            for (String column : table.primaryKey()) {
                JsonToken token = key.nextToken();
                if (token == null || !token.isScalarValue()) {
                    throw new IllegalArgumentException(
                            "record key " + recordKey + " does not fit the key " + table.primaryKey());
                }
                gen.writeFieldName(column);
                // Numbers exactly as written (a bigint key beyond 2^53 stays exact), strings re-escaped.
                gen.copyCurrentEvent(key);
            }
            if (key.nextToken() != JsonToken.END_ARRAY) {
                throw new IllegalArgumentException(
                        "record key " + recordKey + " does not fit the key " + table.primaryKey());
            }
            gen.writeEndObject();
            gen.writeNullField("after");
            tail(gen, table, commitTsNs, processedNs);
            gen.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void tail(JsonGenerator gen, CatalogTable table, long commitTsNs, long processedNs) throws IOException {
        gen.writeObjectFieldStart("source");
        gen.writeStringField("version", "1.0");
        gen.writeNumberField("ts_ms", Math.floorDiv(commitTsNs, 1_000_000L));
        gen.writeNumberField("ts_ns", commitTsNs);
        gen.writeStringField("txId", txId);
        gen.writeStringField("schema", table.schema());
        gen.writeStringField("table", table.name());
        gen.writeStringField("db", "postgres");
        gen.writeStringField("cluster", clusterId);
        gen.writeEndObject();
        gen.writeNumberField("ts_ms", Math.floorDiv(processedNs, 1_000_000L));
        gen.writeNumberField("ts_ns", processedNs);
        gen.writeEndObject();
    }
}
