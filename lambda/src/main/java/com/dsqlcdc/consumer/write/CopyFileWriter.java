package com.dsqlcdc.consumer.write;

import com.dsqlcdc.consumer.decode.Change;
import com.dsqlcdc.consumer.write.InsertStatementBuilder.Row;
import com.dsqlcdc.sql.CdcEventsTable;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes rows of {@code cdc.cdc_events} as the staged file one COPY loads: gzip-compressed JSON
 * lines, one object per row whose keys are the column names ({@code FORMAT JSON 'auto'} matches
 * keys to the COPY's column list), the row image embedded as a nested object with DSQL's exact
 * bytes (it loads into the SUPER column as is). {@code commit_ts_ns} is a JSON number: COPY reads
 * it straight into BIGINT, with no double on the way.
 */
public final class CopyFileWriter {

    /**
     * Largest JSON object one COPY record may be, in bytes: Redshift's COPY from JSON limit
     * (4 MB). A row whose line is longer cannot be loaded by any path and is quarantined.
     */
    public static final int MAX_RECORD_BYTES = 4 * 1024 * 1024;

    private final JsonFactory json;

    /** @param json the shared JSON factory */
    public CopyFileWriter(JsonFactory json) {
        this.json = json;
    }

    /** One row's line, without its newline. */
    public record Line(Row row, byte[] json) {
        /** @return whether COPY can load it */
        public boolean fits() {
            return json.length <= MAX_RECORD_BYTES;
        }
    }

    /** @return the row as one JSON line */
    public Line line(Row row) {
        Change c = row.change();
        try (ByteArrayBuilder out = new ByteArrayBuilder(
                        json._getBufferRecycler(), 512 + c.rowImageJson().length());
                JsonGenerator gen = json.createGenerator(out)) {
            gen.writeStartObject();
            gen.writeStringField(CdcEventsTable.SOURCE_SCHEMA, c.sourceSchema());
            gen.writeStringField(CdcEventsTable.SOURCE_TABLE, c.sourceTable());
            gen.writeStringField(CdcEventsTable.RECORD_KEY, c.recordKey());
            gen.writeNumberField(CdcEventsTable.COMMIT_TS_NS, c.commitTsNs());
            gen.writeStringField(CdcEventsTable.COMMIT_TS, InsertStatementBuilder.commitTimestamp(c.commitTsNs()));
            gen.writeStringField(CdcEventsTable.OP, c.op());
            gen.writeBooleanField(CdcEventsTable.IS_DELETE, c.delete());
            if (c.txId() != null) {
                gen.writeStringField(CdcEventsTable.TX_ID, c.txId());
            }
            gen.writeStringField(CdcEventsTable.EVENT_ID, c.eventId());
            gen.writeFieldName(CdcEventsTable.ROW_IMAGE);
            gen.writeRawValue(c.rowImageJson());
            gen.writeStringField(CdcEventsTable.KINESIS_SHARD_ID, row.shardId());
            gen.writeStringField(CdcEventsTable.KINESIS_SEQUENCE_NUMBER, row.sequenceNumber());
            gen.writeEndObject();
            gen.flush();
            return new Line(row, out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param lines rows that each {@link Line#fits}
     * @return the gzip-compressed JSON-lines file
     */
    public byte[] gzip(List<Line> lines) {
        long raw = 0;
        for (Line line : lines) {
            raw += line.json.length + 1;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, raw / 4 + 64));
        // Level 1: CDC JSON still compresses ~5x, at several times the speed of the default level,
        // and the Lambda's CPU, not S3 or COPY, is what a bigger file would cost.
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 64 * 1024) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            for (Line line : lines) {
                gz.write(line.json);
                gz.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
