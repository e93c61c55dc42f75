package com.dsqlcdc.consumer.decode;

import com.dsqlcdc.sql.catalog.ColumnType;
import com.fasterxml.jackson.core.JsonToken;
import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a key value is what DSQL CDC sends for its catalog type (the encodings: sql/README.md,
 * "Types"), in the one spelling DSQL sends it. A key is compared as text (the record key is the
 * values as sent), so a value of another type or spelling would put the same row under a second
 * key: {@code 123} and {@code "123"}, {@code 1} and {@code 1.0}, a canonical uuid and its upper-case
 * form.
 */
final class KeyTypes {

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    /** µs in a day: time and timetz run from 0 to 24:00:00 inclusive. */
    private static final long MICROS_PER_DAY = 86_400_000_000L;
    /** PostgreSQL's numeric output: no leading zeros, no plus sign; the scale's digits after the point. */
    private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9][0-9]*)(?:\\.([0-9]+))?");
    /** PostgreSQL's uuid output: lower-case hex, 8-4-4-4-12. */
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** PostgreSQL's base64 output (bytea in CDC): padded, no line breaks. */
    private static final Pattern BASE64 =
            Pattern.compile("(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");

    private static final int MAX_QUOTED = 40;

    private KeyTypes() {}

    /**
     * @param type  the key column's catalog type
     * @param token the value's JSON token (START_OBJECT/START_ARRAY for a container)
     * @param text  the value's text exactly as sent (null for a container)
     * @return why the value is not one DSQL sends for {@code type}, or null when it is
     */
    static String mismatch(ColumnType type, JsonToken token, String text) {
        return switch (type.kind()) {
            case SMALLINT -> integer(token, text, -32_768, 32_767, "a whole number from -32768 to 32767");
            case INTEGER ->
                integer(token, text, Integer.MIN_VALUE, Integer.MAX_VALUE, "a whole number that fits 32 bits");
            case BIGINT -> integer(token, text, Long.MIN_VALUE, Long.MAX_VALUE, "a whole number that fits 64 bits");
            case DATE ->
                integer(token, text, Integer.MIN_VALUE, Integer.MAX_VALUE, "a whole number of days since 1970-01-01");
            case TIME, TIMETZ -> integer(token, text, 0, MICROS_PER_DAY, "a whole number of µs from 0 to 24:00:00");
            case TIMESTAMP, TIMESTAMPTZ ->
                integer(token, text, Long.MIN_VALUE, Long.MAX_VALUE, "a whole number of µs since the epoch");
            case INTERVAL -> integer(token, text, Long.MIN_VALUE, Long.MAX_VALUE, "a whole number of µs");
            case NUMERIC -> numeric(type, token, text);
            case REAL, DOUBLE_PRECISION ->
                token == JsonToken.VALUE_NUMBER_INT
                                || token == JsonToken.VALUE_NUMBER_FLOAT
                                || token == JsonToken.VALUE_STRING
                                        && (text.equals("NaN") || text.equals("Infinity") || text.equals("-Infinity"))
                        ? null
                        : expected("a number, or the string \"NaN\", \"Infinity\" or \"-Infinity\"", token, text);
            case BOOLEAN ->
                token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE
                        ? null
                        : expected("true or false", token, text);
            case TEXT, VARCHAR, CHAR, JSON, JSONB ->
                token == JsonToken.VALUE_STRING ? null : expected("a string", token, text);
            case UUID ->
                token == JsonToken.VALUE_STRING && UUID.matcher(text).matches()
                        ? null
                        : expected("a lower-case canonical uuid string (8-4-4-4-12 hex digits)", token, text);
            case BYTEA ->
                token == JsonToken.VALUE_STRING && BASE64.matcher(text).matches()
                        ? null
                        : expected("a base64 string", token, text);
        };
    }

    private static String integer(JsonToken token, String text, long min, long max, String wanted) {
        if (token != JsonToken.VALUE_NUMBER_INT || text.equals("-0")) {
            return expected(wanted, token, text);
        }
        BigInteger value = new BigInteger(text);
        if (value.compareTo(LONG_MIN) < 0
                || value.compareTo(LONG_MAX) > 0
                || value.longValue() < min
                || value.longValue() > max) {
            return expected(wanted, token, text);
        }
        return null;
    }

    private static String numeric(ColumnType type, JsonToken token, String text) {
        String wanted = "a string of a decimal with at most " + (type.precision() - type.scale())
                + " integer digits and exactly " + type.scale() + " after the point, or \"NaN\"";
        if (token != JsonToken.VALUE_STRING) {
            return expected(wanted, token, text);
        }
        if (text.equals("NaN")) {
            return null;
        }
        Matcher m = DECIMAL.matcher(text);
        if (!m.matches()) {
            return expected(wanted, token, text);
        }
        String fraction = m.group(2) == null ? "" : m.group(2);
        boolean negativeZero = text.startsWith("-") && text.chars().noneMatch(c -> c >= '1' && c <= '9');
        if (m.group(1).length() > type.precision() - type.scale()
                || fraction.length() != type.scale()
                || negativeZero) {
            return expected(wanted, token, text);
        }
        return null;
    }

    private static String expected(String wanted, JsonToken token, String text) {
        return "is sent as " + describe(token, text) + ", but its catalog type is encoded as " + wanted;
    }

    /** @return what arrived, e.g. {@code the string "123"}, {@code the number 1.5}, {@code an object} */
    private static String describe(JsonToken token, String text) {
        return switch (token) {
            case VALUE_STRING -> "the string \"" + quoted(text) + "\"";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + quoted(text);
            case VALUE_TRUE, VALUE_FALSE -> "the boolean " + text;
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> token.name();
        };
    }

    private static String quoted(String text) {
        return text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "…" : text;
    }
}
