package com.dsqlcdc.backfill;

import com.dsqlcdc.sql.backfill.WarehouseRangeSql;
import com.dsqlcdc.sql.catalog.ColumnType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.util.PGInterval;

/**
 * A source value, as JDBC reads it from PostgreSQL/DSQL, in the JSON encoding DSQL's CDC records give
 * its catalog type (sql/README.md, "Types"; README, "The consumer"), so that a snapshot row is exactly
 * the {@code after} image a change of that row would carry:
 *
 * <ul>
 *   <li>smallint, integer, bigint: JSON numbers, exact (bigint never goes through a double);
 *   <li>numeric: a string of PostgreSQL's decimal text, {@code "NaN"} and {@code "±Infinity"} as they are;
 *   <li>real, double precision: numbers (the shortest text that reads back as the same float), or
 *       the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"};
 *   <li>boolean; text, varchar, uuid (canonical): strings; char(n): a string without its padding;
 *   <li>date: days since 1970-01-01; time: µs since midnight (24:00:00 is 86,400,000,000); timetz: µs
 *       since midnight of its local time (DSQL's records carry no offset); timestamp: µs since the epoch
 *       of its wall time read as UTC; timestamptz: µs since the epoch;
 *   <li>{@code ±infinity} dates and timestamps: this encoder's sentinels, {@link #DATE_INFINITY} and
 *       {@link #TIMESTAMP_INFINITY} (negated for {@code -infinity}). DSQL's own sentinels are not
 *       documented; any value outside 0001-9999 types as NULL in the warehouse, so the choice cannot
 *       change a typed value;
 *   <li>interval: approximate µs, as PostgreSQL's {@code EXTRACT(EPOCH FROM v) * 1000000} counts it
 *       (a year 365.25 days, a month 30 days);
 *   <li>json, jsonb: a string holding the JSON text; bytea: a base64 string (RFC 4648, padded).
 * </ul>
 *
 * NULL is JSON null.
 */
public final class ValueEncoder {

    /** The day count this encoder writes for {@code infinity} dates ({@code -infinity}: its negation). */
    public static final long DATE_INFINITY = Integer.MAX_VALUE;
    /** The µs count this encoder writes for {@code infinity} timestamps ({@code -infinity}: its negation). */
    public static final long TIMESTAMP_INFINITY = Long.MAX_VALUE;

    static final long MICROS_PER_SECOND = 1_000_000L;
    static final long MICROS_PER_DAY = 86_400L * MICROS_PER_SECOND;
    /** PostgreSQL's EXTRACT(EPOCH): a year of months is 365.25 days, a month 30 days. */
    static final long MICROS_PER_YEAR = 31_557_600L * MICROS_PER_SECOND;

    static final long MICROS_PER_MONTH = 30L * MICROS_PER_DAY;

    private static final Pattern DATE = Pattern.compile("(\\d{4,})-(\\d{2})-(\\d{2})( BC)?");
    private static final Pattern TIME = Pattern.compile("(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,6}))?");
    private static final Pattern TIMESTAMP = Pattern.compile(
            "(\\d{4,})-(\\d{2})-(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,6}))?([+-]\\d{2}(?::?\\d{2}){0,2})?( BC)?");
    private static final Pattern OFFSET = Pattern.compile("([+-])(\\d{2})(?::?(\\d{2}))?(?::?(\\d{2}))?");

    private ValueEncoder() {}

    /**
     * @param type   the column's catalog type
     * @param rs     a result set on a row
     * @param column the column's index (from 1)
     * @return the value's CDC encoding
     * @throws SQLException when JDBC cannot read it
     */
    public static JsonNode encode(ColumnType type, ResultSet rs, int column) throws SQLException {
        return switch (type.kind()) {
            case SMALLINT, INTEGER, BIGINT -> {
                long v = rs.getLong(column);
                yield rs.wasNull() ? NullNode.getInstance() : LongNode.valueOf(v);
            }
            case BYTEA -> {
                byte[] bytes = rs.getBytes(column);
                yield bytes == null
                        ? NullNode.getInstance()
                        : TextNode.valueOf(Base64.getEncoder().encodeToString(bytes));
            }
            case INTERVAL -> {
                Object v = rs.getObject(column);
                yield v == null ? NullNode.getInstance() : LongNode.valueOf(intervalMicros((PGInterval) v));
            }
            default -> {
                String text = rs.getString(column);
                yield text == null ? NullNode.getInstance() : encodeText(type, text);
            }
        };
    }

    /**
     * @param type the column's catalog type (not an integer, bytea or interval: those are read as such)
     * @param text PostgreSQL's text output of a non-NULL value
     * @return its CDC encoding
     */
    static JsonNode encodeText(ColumnType type, String text) {
        return switch (type.kind()) {
            case SMALLINT, INTEGER, BIGINT -> LongNode.valueOf(Long.parseLong(text));
            case NUMERIC, TEXT, VARCHAR, UUID, JSON, JSONB -> TextNode.valueOf(text);
            case CHAR -> TextNode.valueOf(WarehouseRangeSql.stripTrailingSpaces(text));
            case REAL -> nonFinite(text) ? TextNode.valueOf(text) : FloatNode.valueOf(Float.parseFloat(text));
            case DOUBLE_PRECISION ->
                nonFinite(text) ? TextNode.valueOf(text) : DoubleNode.valueOf(Double.parseDouble(text));
            case BOOLEAN -> BooleanNode.valueOf(text.equals("t") || text.equals("true"));
            case DATE -> LongNode.valueOf(dateDays(text));
            case TIME, TIMETZ -> LongNode.valueOf(timeMicros(text));
            case TIMESTAMP -> LongNode.valueOf(timestampMicros(text, false));
            case TIMESTAMPTZ -> LongNode.valueOf(timestampMicros(text, true));
            case INTERVAL, BYTEA -> throw new IllegalArgumentException(type.spelling() + " is not read as text");
        };
    }

    private static boolean nonFinite(String text) {
        return text.equals("NaN") || text.equals("Infinity") || text.equals("-Infinity");
    }

    /** @return days since 1970-01-01 of PostgreSQL's date text ({@code 2024-01-31}, {@code 0044-03-15 BC}, {@code infinity}) */
    static long dateDays(String text) {
        if (text.equals("infinity")) {
            return DATE_INFINITY;
        }
        if (text.equals("-infinity")) {
            return -DATE_INFINITY;
        }
        Matcher m = DATE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a PostgreSQL date: " + text);
        }
        return LocalDate.of(year(m.group(1), m.group(4)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)))
                .toEpochDay();
    }

    /** @return µs since midnight of a time's text ({@code 13:45:00.5}, {@code 24:00:00}); a timetz's offset is ignored */
    static long timeMicros(String text) {
        Matcher m = TIME.matcher(text);
        if (!m.lookingAt()) {
            throw new IllegalArgumentException("not a PostgreSQL time: " + text);
        }
        return (Integer.parseInt(m.group(1)) * 3_600L
                                + Integer.parseInt(m.group(2)) * 60L
                                + Integer.parseInt(m.group(3)))
                        * MICROS_PER_SECOND
                + fraction(m.group(4));
    }

    /**
     * @param text   PostgreSQL's timestamp or timestamptz text
     * @param zoned  whether it carries an offset (timestamptz)
     * @return µs since the epoch (a timestamp's wall time read as UTC)
     */
    static long timestampMicros(String text, boolean zoned) {
        if (text.equals("infinity")) {
            return TIMESTAMP_INFINITY;
        }
        if (text.equals("-infinity")) {
            return -TIMESTAMP_INFINITY;
        }
        Matcher m = TIMESTAMP.matcher(text);
        if (!m.matches() || zoned != (m.group(8) != null)) {
            throw new IllegalArgumentException(
                    "not a PostgreSQL " + (zoned ? "timestamptz" : "timestamp") + ": " + text);
        }
        LocalDateTime wall = LocalDateTime.of(
                year(m.group(1), m.group(9)),
                Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)),
                Integer.parseInt(m.group(5)),
                Integer.parseInt(m.group(6)));
        long seconds = wall.toEpochSecond(ZoneOffset.UTC) - (zoned ? offsetSeconds(m.group(8)) : 0);
        return Math.addExact(Math.multiplyExact(seconds, MICROS_PER_SECOND), fraction(m.group(7)));
    }

    private static int offsetSeconds(String offset) {
        Matcher m = OFFSET.matcher(offset);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an offset: " + offset);
        }
        int seconds = Integer.parseInt(m.group(2)) * 3600
                + (m.group(3) == null ? 0 : Integer.parseInt(m.group(3)) * 60)
                + (m.group(4) == null ? 0 : Integer.parseInt(m.group(4)));
        return m.group(1).equals("-") ? -seconds : seconds;
    }

    /** PostgreSQL writes BC years as positive numbers with " BC": 1 BC is year 0 in ISO (java.time). */
    private static int year(String digits, String bc) {
        int year = Integer.parseInt(digits);
        return bc == null ? year : 1 - year;
    }

    private static long fraction(String digits) {
        if (digits == null) {
            return 0;
        }
        return Long.parseLong((digits + "000000").substring(0, 6));
    }

    /** @return approximate µs of an interval, as PostgreSQL's {@code EXTRACT(EPOCH FROM v) * 1000000} */
    static long intervalMicros(PGInterval v) {
        long months = v.getYears() * 12L + v.getMonths();
        long time = v.getHours() * 3_600L * MICROS_PER_SECOND
                + v.getMinutes() * 60L * MICROS_PER_SECOND
                + v.getWholeSeconds() * MICROS_PER_SECOND
                + v.getMicroSeconds();
        return MICROS_PER_YEAR * (months / 12) + MICROS_PER_MONTH * (months % 12) + MICROS_PER_DAY * v.getDays() + time;
    }
}
