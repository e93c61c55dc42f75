package com.dsqlcdc.consumer.stage;

import com.dsqlcdc.consumer.decode.Change;
import com.dsqlcdc.sql.CdcEventsTable;
import com.dsqlcdc.sql.current.ControlTables;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a batch's changes as the staged object the loader COPYs: gzip-compressed JSON lines, one
 * object per change whose keys are the columns of {@code cdc.cdc_events} plus {@code batch_id}
 * (the loader's COPY matches keys to its column list, {@code LoadRunSql.STAGED_COLUMNS}), the row
 * image embedded as a nested object with DSQL's exact bytes (it loads into the SUPER column as is).
 * {@code commit_ts_ns} is a JSON number: COPY reads it straight into BIGINT, with no double on the
 * way.
 *
 * <p>The batch id is the SHA-256 of the lines written without it: the same records give the same
 * id, so a re-delivered batch is recognised by the loader ({@code cdc.loaded_batches}) even after
 * its first object was loaded and deleted.
 */
public final class StagedFileWriter {

    /**
     * Largest JSON object one COPY record may be, in bytes: Redshift's COPY from JSON limit
     * (4 MB). A row whose line is longer cannot be loaded and is quarantined.
     */
    public static final int MAX_RECORD_BYTES = 4 * 1024 * 1024;
    /** What the batch id field adds to a line: {@code "batch_id":"<64 hex>",}. */
    private static final int BATCH_ID_FIELD_BYTES = ControlTables.BATCH_ID.length() + 2 + 1 + 64 + 2 + 1;

    private final JsonFactory json;

    /** @param json the shared JSON factory */
    public StagedFileWriter(JsonFactory json) {
        this.json = json;
    }

    /** One row's line, without its newline and without the batch id (which needs every line). */
    public record Line(StagedRow row, byte[] json) {
        /** @return whether COPY can load it, batch id included */
        public boolean fits() {
            return json.length + BATCH_ID_FIELD_BYTES <= MAX_RECORD_BYTES;
        }

        /** @return its size as COPY reads it, batch id included */
        public int copyBytes() {
            return json.length + BATCH_ID_FIELD_BYTES;
        }
    }

    /** A batch's staged object. */
    public record StagedFile(String batchId, byte[] gzip, long rawBytes) {}

    /** @return the row as one JSON line */
    public Line line(StagedRow row) {
        Change c = row.change();
        try (ByteArrayBuilder out = new ByteArrayBuilder(
                        json._getBufferRecycler(), 512 + c.rowImageJson().length());
                JsonGenerator gen = json.createGenerator(out)) {
            gen.writeStartObject();
            gen.writeStringField(CdcEventsTable.SOURCE_SCHEMA, c.sourceSchema());
            gen.writeStringField(CdcEventsTable.SOURCE_TABLE, c.sourceTable());
            gen.writeStringField(CdcEventsTable.RECORD_KEY, c.recordKey());
            gen.writeNumberField(CdcEventsTable.COMMIT_TS_NS, c.commitTsNs());
            gen.writeStringField(CdcEventsTable.COMMIT_TS, commitTimestamp(c.commitTsNs()));
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
     * @param lines rows that each {@link Line#fits}, in batch order
     * @return the gzip-compressed JSON-lines file, each line with the batch id as its first field
     */
    public StagedFile file(List<Line> lines) {
        MessageDigest digest = sha256();
        long raw = 0;
        for (Line line : lines) {
            digest.update(line.json);
            digest.update((byte) '\n');
            raw += line.copyBytes() + 1L;
        }
        String batchId = HexFormat.of().formatHex(digest.digest());
        byte[] prefix =
                ("{\"" + ControlTables.BATCH_ID + "\":\"" + batchId + "\",").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, raw / 4 + 64));
        // Level 1: CDC JSON still compresses ~5x, at several times the speed of the default level,
        // and the Lambda's CPU, not S3 or COPY, is what a bigger file would cost.
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 64 * 1024) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            for (Line line : lines) {
                gz.write(prefix);
                gz.write(line.json, 1, line.json.length - 1); // the line without its opening brace
                gz.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new StagedFile(batchId, bytes.toByteArray(), raw);
    }

    /** {@code yyyy-MM-dd HH:mm:ss.SSSSSS} in UTC, written by hand: a formatter costs more than the rest of the row. */
    static String commitTimestamp(long tsNs) {
        long seconds = Math.floorDiv(tsNs, 1_000_000_000L);
        int micros = (int) (Math.floorMod(tsNs, 1_000_000_000L) / 1_000);
        // Nanoseconds in a long span 1677-2262, so the year always has four digits.
        LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        char[] c = new char[26];
        digits(c, 0, t.getYear(), 4);
        c[4] = '-';
        digits(c, 5, t.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, t.getDayOfMonth(), 2);
        c[10] = ' ';
        digits(c, 11, t.getHour(), 2);
        c[13] = ':';
        digits(c, 14, t.getMinute(), 2);
        c[16] = ':';
        digits(c, 17, t.getSecond(), 2);
        c[19] = '.';
        digits(c, 20, micros, 6);
        return new String(c);
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
