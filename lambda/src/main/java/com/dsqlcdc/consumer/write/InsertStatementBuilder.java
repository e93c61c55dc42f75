package com.dsqlcdc.consumer.write;

import com.dsqlcdc.consumer.decode.Change;
import com.dsqlcdc.sql.CdcEventsTable;
import com.dsqlcdc.sql.Identifiers;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Packs changes into parameterised multi-row INSERTs into {@code cdc.cdc_events}.
 *
 * <p>Each row travels as ONE Data API parameter: a JSON envelope holding every column, row image
 * included. The statement turns each parameter into SUPER with {@code JSON_PARSE} and navigates
 * it into typed columns:
 * <pre>
 * INSERT INTO "cdc"."cdc_events" (...)
 * SELECT v.r."s"::VARCHAR(127), ..., v.r."i", ...
 * FROM (SELECT JSON_PARSE(:r0) AS r UNION ALL SELECT JSON_PARSE(:r1) ...) AS v
 * </pre>
 * Why one parameter per row: Data API parameters cannot be SQL NULL or empty and carry no type, so
 * typed scalar parameters would need a cast and a NULL workaround each, and at ~8 parameters per
 * row the 200-parameter cap would allow only 25 rows per statement. The ExecuteStatement quota
 * (~30/s per account) makes rows per statement the throughput limit, so rows are bounded by bytes
 * instead: SQL text plus every parameter value stays under {@link #MAX_STATEMENT_BYTES}, below the
 * documented 100 KB SQL limit even if parameter values count toward it, and at most
 * {@link #MAX_ROWS} parameters. Envelope keys are one letter ({@link #envelopeKey}) for the same
 * reason: they are repeated in every row and count against the budget. No data value ever
 * appears in the SQL text.
 */
public final class InsertStatementBuilder {

    /** Budget for SQL text + parameter names + values, bytes: 100 KB minus headroom for the request's own framing. */
    public static final int MAX_STATEMENT_BYTES = 96_000;
    /** Parameters per statement: one per row, under the Data API's 200. */
    public static final int MAX_ROWS = 190;

    /** Each column's key in the envelope: short, because every row repeats them. */
    private static final Map<String, String> ENVELOPE_KEYS = Map.ofEntries(
            Map.entry(CdcEventsTable.SOURCE_SCHEMA, "s"), Map.entry(CdcEventsTable.SOURCE_TABLE, "t"),
            Map.entry(CdcEventsTable.RECORD_KEY, "k"), Map.entry(CdcEventsTable.COMMIT_TS_NS, "n"),
            Map.entry(CdcEventsTable.COMMIT_TS, "c"), Map.entry(CdcEventsTable.OP, "o"),
            Map.entry(CdcEventsTable.IS_DELETE, "d"), Map.entry(CdcEventsTable.TX_ID, "x"),
            Map.entry(CdcEventsTable.EVENT_ID, "e"), Map.entry(CdcEventsTable.ROW_IMAGE, "i"),
            Map.entry(CdcEventsTable.KINESIS_SHARD_ID, "h"), Map.entry(CdcEventsTable.KINESIS_SEQUENCE_NUMBER, "q"));

    private static final String HEAD = head();
    private static final String TAIL = ") AS v";
    /** What a row adds besides its envelope, at most: its {@code UNION ALL SELECT JSON_PARSE(:rN)} and parameter name. */
    private static final int ROW_OVERHEAD_BYTES = rowSql(MAX_ROWS).length() + ("r" + MAX_ROWS).length();

    private final JsonFactory json;

    /** @param json the factory used to write envelopes (shared, built once) */
    public InsertStatementBuilder(JsonFactory json) {
        this.json = json;
    }

    /** A change in the batch, with where it came from. */
    public record Row(int position, Change change, String shardId, String sequenceNumber) {}

    /** A row's envelope and its cost in the statement budget. */
    public record Envelope(Row row, String json, int bytes) {}

    /**
     * @return the row as a statement parameter, with its size in the statement budget
     */
    public Envelope envelope(Row row) {
        Change c = row.change();
        try (SegmentedStringWriter out = new SegmentedStringWriter(json._getBufferRecycler());
                JsonGenerator gen = json.createGenerator(out)) {
            gen.writeStartObject();
            gen.writeStringField(envelopeKey(CdcEventsTable.SOURCE_SCHEMA), c.sourceSchema());
            gen.writeStringField(envelopeKey(CdcEventsTable.SOURCE_TABLE), c.sourceTable());
            gen.writeStringField(envelopeKey(CdcEventsTable.RECORD_KEY), c.recordKey());
            // As a string: SUPER keeps integers above 2^53 only if nothing on the way reads them as doubles.
            gen.writeStringField(envelopeKey(CdcEventsTable.COMMIT_TS_NS), Long.toString(c.commitTsNs()));
            gen.writeStringField(envelopeKey(CdcEventsTable.COMMIT_TS), commitTimestamp(c.commitTsNs()));
            gen.writeStringField(envelopeKey(CdcEventsTable.OP), c.op());
            gen.writeBooleanField(envelopeKey(CdcEventsTable.IS_DELETE), c.delete());
            if (c.txId() != null) {
                gen.writeStringField(envelopeKey(CdcEventsTable.TX_ID), c.txId());
            }
            gen.writeStringField(envelopeKey(CdcEventsTable.EVENT_ID), c.eventId());
            gen.writeFieldName(envelopeKey(CdcEventsTable.ROW_IMAGE));
            gen.writeRawValue(c.rowImageJson());
            gen.writeStringField(envelopeKey(CdcEventsTable.KINESIS_SHARD_ID), row.shardId());
            gen.writeStringField(envelopeKey(CdcEventsTable.KINESIS_SEQUENCE_NUMBER), row.sequenceNumber());
            gen.writeEndObject();
            gen.flush();
            String text = out.getAndClear();
            int bytes = utf8Length(text) + ROW_OVERHEAD_BYTES;
            return new Envelope(row, text, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return whether a row of this envelope can fit in a statement at all */
    public static boolean fits(Envelope envelope) {
        return HEAD.length() + TAIL.length() + envelope.bytes() <= MAX_STATEMENT_BYTES;
    }

    /**
     * Packs envelopes, in order, into as few statements as the budget allows.
     *
     * @param envelopes rows that each {@link #fits}
     * @return the statements, covering every row once, in order
     */
    public List<PlannedStatement> plan(List<Envelope> envelopes) {
        List<PlannedStatement> statements = new ArrayList<>();
        int i = 0;
        while (i < envelopes.size()) {
            StringBuilder sql = new StringBuilder(HEAD);
            Map<String, String> parameters = new LinkedHashMap<>();
            List<Integer> records = new ArrayList<>();
            int used = HEAD.length() + TAIL.length();
            while (i < envelopes.size() && records.size() < MAX_ROWS) {
                Envelope next = envelopes.get(i);
                if (!fits(next)) {
                    throw new IllegalArgumentException("row at position "
                            + next.row().position() + " does not fit in a statement; quarantine it before planning");
                }
                if (!records.isEmpty() && used + next.bytes() > MAX_STATEMENT_BYTES) {
                    break;
                }
                String name = "r" + records.size();
                sql.append(rowSql(records.size()));
                parameters.put(name, next.json());
                records.add(next.row().position());
                used += next.bytes();
                i++;
            }
            sql.append(TAIL);
            statements.add(new PlannedStatement(sql.toString(), parameters, records));
        }
        return statements;
    }

    /** @return the key of {@code column} in a row's envelope */
    public static String envelopeKey(String column) {
        String key = ENVELOPE_KEYS.get(column);
        if (key == null) {
            throw new IllegalArgumentException("no envelope key for column " + column);
        }
        return key;
    }

    private static String rowSql(int index) {
        return (index == 0 ? "SELECT" : " UNION ALL SELECT") + " JSON_PARSE(:r" + index + ")"
                + (index == 0 ? " AS r" : "");
    }

    private static String head() {
        StringBuilder columns = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (String column : CdcEventsTable.INSERT_COLUMNS) {
            if (columns.length() > 0) {
                columns.append(", ");
                values.append(", ");
            }
            columns.append(Identifiers.quote(column));
            values.append("v.r.").append(Identifiers.quote(envelopeKey(column))).append(cast(column));
        }
        return "INSERT INTO " + CdcEventsTable.qualifiedName() + " (" + columns + ") SELECT " + values + " FROM (";
    }

    /** The cast from a SUPER attribute to the column's type (lengths as in cdc_events.sql). */
    private static String cast(String column) {
        return switch (column) {
            case CdcEventsTable.SOURCE_SCHEMA, CdcEventsTable.SOURCE_TABLE -> "::VARCHAR(127)";
            case CdcEventsTable.RECORD_KEY -> "::VARCHAR(" + CdcEventsTable.MAX_RECORD_KEY_BYTES + ")";
            case CdcEventsTable.COMMIT_TS_NS -> "::VARCHAR(20)::BIGINT";
            case CdcEventsTable.COMMIT_TS -> "::VARCHAR(26)::TIMESTAMP";
            case CdcEventsTable.OP -> "::VARCHAR(16)";
            case CdcEventsTable.IS_DELETE -> "::BOOLEAN";
            case CdcEventsTable.EVENT_ID -> "::VARCHAR(64)";
            case CdcEventsTable.ROW_IMAGE -> "";
            case CdcEventsTable.TX_ID, CdcEventsTable.KINESIS_SHARD_ID, CdcEventsTable.KINESIS_SEQUENCE_NUMBER ->
                "::VARCHAR(128)";
            default -> throw new IllegalStateException("no cast for column " + column);
        };
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

    private static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x80) {
                bytes++;
            } else if (ch < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(ch)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
