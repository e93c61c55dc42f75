package com.dsqlcdc.backfill;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The JSON of plans, checkpoints and reports: one mapper, indented output, exact numbers. */
public final class JobJson {

    /** Reads and writes every job document. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    private JobJson() {}

    /** @return {@code value} as JSON text */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * @param json  the text
     * @param type  what it holds
     * @param where where it came from, for the message
     * @return the value
     * @throws IllegalStateException naming {@code where} when it is not a valid document
     */
    public static <T> T read(String json, Class<T> type, String where) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new IllegalStateException(
                    where + " is not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** @throws UncheckedIOException for an I/O failure while reading a document */
    static UncheckedIOException io(String what, IOException e) {
        return new UncheckedIOException(what + ": " + e.getMessage(), e);
    }
}
