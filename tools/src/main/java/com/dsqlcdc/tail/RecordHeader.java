package com.dsqlcdc.tail;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The parts of a CDC record that say which change it is ({@code op}, {@code source.schema},
 * {@code source.table}, {@code source.ts_ns}), read leniently: for the records the decoder does not
 * turn into a change (a chunked main record, a record the consumer would quarantine), so the tail
 * can still say what it can. A field that cannot be read stays null.
 */
record RecordHeader(String op, String schema, String table, Long tsNs) {

    static final RecordHeader NONE = new RecordHeader(null, null, null, null);

    static RecordHeader read(JsonFactory json, byte[] data) {
        String op = null;
        String schema = null;
        String table = null;
        Long tsNs = null;
        Long tsMs = null;
        try (JsonParser p = json.createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return NONE;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("op") && value == JsonToken.VALUE_STRING) {
                    op = p.getText();
                } else if (field.equals("source") && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        JsonToken t = p.nextToken();
                        switch (name) {
                            case "schema" -> schema = t == JsonToken.VALUE_STRING ? p.getText() : schema;
                            case "table" -> table = t == JsonToken.VALUE_STRING ? p.getText() : table;
                            case "ts_ns" -> tsNs = integer(p, t);
                            case "ts_ms" -> tsMs = integer(p, t);
                            default -> p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Malformed JSON: keep what was read before the problem.
        }
        if (tsNs == null && tsMs != null) {
            tsNs = tsMs * 1_000_000L;
        }
        return new RecordHeader(op, schema, table, tsNs);
    }

    private static Long integer(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return p.getLongValue();
        }
        p.skipChildren();
        return null;
    }
}
