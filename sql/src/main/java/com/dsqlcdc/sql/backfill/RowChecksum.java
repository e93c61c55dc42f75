package com.dsqlcdc.sql.backfill;

import com.dsqlcdc.sql.Identifiers;
import com.dsqlcdc.sql.catalog.CatalogColumn;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.ColumnType;
import com.dsqlcdc.sql.views.ColumnCasts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The order-independent checksum validation compares, computed the same way on both sides: in SQL
 * over a table's typed {@code <table>_current} in the warehouse, and in Java over the rows the backfill
 * reads from the source, encoded as a CDC record would carry them (sql/README.md, "Types").
 *
 * <p>Each row has a <em>canonical text</em>: its catalog columns in catalog order, each as {@code =}
 * followed by the column's canonical form, or {@code ~} for NULL, joined by {@code |}. Its hash is the
 * first 15 hex digits (60 bits) of the MD5 of that text, as a number, and a range's checksum is the
 * sum of its rows' hashes (a DECIMAL(38,0) in the warehouse, exact for any table): adding is
 * commutative, so neither side needs an order, and a missing, extra or changed row changes the sum
 * except with probability about 2^-60.
 *
 * <p>Canonical forms, per catalog type (the warehouse's typed value; the Java side maps the encoded
 * value to what {@link ColumnCasts} would type it as, NULL included, so a value the warehouse cannot
 * hold compares as the NULL the warehouse shows):
 *
 * <ul>
 *   <li>smallint, integer, bigint: the decimal digits;
 *   <li>numeric(p,s): the decimal text with exactly s fraction digits ({@code "NaN"} and
 *       {@code "±Infinity"} are NULL, as in the warehouse);
 *   <li>boolean: {@code t} or {@code f};
 *   <li>text, varchar(n), char(n) (padding stripped), bytea (its base64 text): the MD5 (hex) of the
 *       UTF-8 text, which bounds the row text's length (Redshift strings end at 65,535 bytes);
 *   <li>uuid: its text;
 *   <li>date: {@code YYYY-MM-DD}; time: {@code HH24:MI:SS.US} (24:00:00 as 00:00:00.000000); timestamp
 *       and timestamptz: {@code YYYY-MM-DD HH24:MI:SS.US}, timestamptz in UTC; dates and times outside
 *       0001-9999 (DSQL's ±infinity) are NULL;
 *   <li><b>compared by NULL-ness only</b> ({@link #NULLNESS_ONLY}): real and double precision (the two
 *       engines print floats differently), timetz (its encoding drops the offset), interval (an
 *       approximate µs count whose approximation DSQL does not document), json and jsonb (the
 *       warehouse's SUPER does not keep the source's JSON text). Their values are not compared.
 * </ul>
 */
public final class RowChecksum {

    /** Types whose values are not compared, only whether they are NULL (see the class comment). */
    public static final Set<ColumnType.Kind> NULLNESS_ONLY = EnumSet.of(
            ColumnType.Kind.REAL,
            ColumnType.Kind.DOUBLE_PRECISION,
            ColumnType.Kind.TIMETZ,
            ColumnType.Kind.INTERVAL,
            ColumnType.Kind.JSON,
            ColumnType.Kind.JSONB);

    /** Hex digits of the MD5 that make a row's hash: 60 bits, so a hash fits a BIGINT. */
    static final int HASH_HEX_DIGITS = 15;

    private static final String NULL_FIELD = "~";
    private static final String VALUE_PREFIX = "=";
    private static final String SEPARATOR = "|";
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final java.time.format.DateTimeFormatter DATE =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd");
    private static final java.time.format.DateTimeFormatter TIMESTAMP =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");
    private static final java.time.format.DateTimeFormatter TIME =
            java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");

    private RowChecksum() {}

    // ---- the warehouse (SQL over <table>_current) ---------------------------------------------------

    /**
     * @param table the catalog table
     * @return the SQL of one row's hash over {@code <table>_current}'s columns: a BIGINT below 2^60
     */
    public static String rowHashSql(CatalogTable table) {
        List<String> fields = new ArrayList<>();
        for (CatalogColumn column : table.columns()) {
            fields.add(fieldSql(column.type(), Identifiers.quote(column.name())));
        }
        return "STRTOL(SUBSTRING(MD5(" + String.join(" || '" + SEPARATOR + "' || ", fields) + ") FROM 1 FOR "
                + HASH_HEX_DIGITS + "), 16)";
    }

    /** @return the SQL of one column's field: {@code =<canonical form>}, or {@code ~} for NULL */
    static String fieldSql(ColumnType type, String column) {
        if (NULLNESS_ONLY.contains(type.kind())) {
            return "CASE WHEN " + column + " IS NULL THEN '" + NULL_FIELD + "' ELSE '" + VALUE_PREFIX + "' END";
        }
        return "COALESCE('" + VALUE_PREFIX + "' || " + canonicalSql(type, column) + ", '" + NULL_FIELD + "')";
    }

    private static String canonicalSql(ColumnType type, String column) {
        return switch (type.kind()) {
            case SMALLINT, INTEGER, BIGINT -> "CAST(" + column + " AS VARCHAR(20))";
            case NUMERIC -> "CAST(" + column + " AS VARCHAR(" + (type.precision() + 2) + "))";
            case BOOLEAN -> "CASE WHEN " + column + " THEN 't' WHEN NOT " + column + " THEN 'f' END";
            case TEXT, VARCHAR, CHAR, BYTEA -> "MD5(" + column + ")";
            case UUID -> column;
            case DATE -> "TO_CHAR(" + column + ", 'YYYY-MM-DD')";
            case TIME -> "TO_CHAR(DATE '2000-01-01' + " + column + ", 'HH24:MI:SS.US')";
            case TIMESTAMP -> "TO_CHAR(" + column + ", 'YYYY-MM-DD HH24:MI:SS.US')";
            case TIMESTAMPTZ -> "TO_CHAR(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')";
            default -> throw new IllegalStateException(type.spelling() + " is compared by NULL-ness only");
        };
    }

    // ---- the source (Java, over encoded values) -----------------------------------------------------

    /**
     * @param table  the catalog table
     * @param values each catalog column's encoded value (as in a CDC record's {@code after}), in
     *               catalog order; a missing value (null) is NULL
     * @return the row's hash, as {@link #rowHashSql} computes it for the row the warehouse types from
     *         these values
     */
    public static long rowHash(CatalogTable table, List<JsonNode> values) {
        List<CatalogColumn> columns = table.columns();
        if (values.size() != columns.size()) {
            throw new IllegalArgumentException(
                    values.size() + " values for the " + columns.size() + " columns of " + table.qualifiedName());
        }
        StringBuilder text = new StringBuilder(columns.size() * 34);
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                text.append(SEPARATOR);
            }
            String canonical = canonical(columns.get(i).type(), values.get(i));
            text.append(canonical == null ? NULL_FIELD : VALUE_PREFIX + canonical);
        }
        return Long.parseLong(md5(text.toString()).substring(0, HASH_HEX_DIGITS), 16);
    }

    /**
     * @param type  the column's catalog type
     * @param value its encoded value (null or JSON null: NULL)
     * @return the canonical form of the value the warehouse types it as, or null for NULL; the empty
     *         string for a non-NULL value of a {@link #NULLNESS_ONLY} type
     */
    static String canonical(ColumnType type, JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        return switch (type.kind()) {
            case SMALLINT -> integer(value, Short.MIN_VALUE, Short.MAX_VALUE);
            case INTEGER -> integer(value, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case BIGINT -> integer(value, Long.MIN_VALUE, Long.MAX_VALUE);
            case INTERVAL -> integer(value, Long.MIN_VALUE, Long.MAX_VALUE) == null ? null : "";
            case NUMERIC -> numeric(type, value);
            case REAL, DOUBLE_PRECISION -> floating(type, value);
            case BOOLEAN -> value.isBoolean() ? (value.booleanValue() ? "t" : "f") : null;
            case TEXT, VARCHAR, CHAR, BYTEA -> value.isTextual() ? md5(value.textValue()) : null;
            case UUID -> value.isTextual() ? value.textValue() : null;
            case DATE -> date(value);
            case TIME -> time(value);
            case TIMETZ -> time(value) == null ? null : "";
            case TIMESTAMP, TIMESTAMPTZ -> timestamp(value);
            case JSON, JSONB -> value.isTextual() && parsesAsJson(value.textValue()) ? "" : null;
        };
    }

    private static String integer(JsonNode value, long min, long max) {
        if (!value.isIntegralNumber()) {
            return null;
        }
        BigInteger n = value.bigIntegerValue();
        return n.compareTo(LONG_MIN) >= 0 && n.compareTo(LONG_MAX) <= 0 && n.longValue() >= min && n.longValue() <= max
                ? n.toString()
                : null;
    }

    private static Long integral(JsonNode value) {
        String n = integer(value, Long.MIN_VALUE, Long.MAX_VALUE);
        return n == null ? null : Long.parseLong(n);
    }

    private static String numeric(ColumnType type, JsonNode value) {
        if (!value.isTextual()) {
            return null;
        }
        String text = value.textValue();
        if (!Pattern.matches(ColumnCasts.numericPattern(type.precision(), type.scale()), text)) {
            return null;
        }
        return new BigDecimal(text).setScale(type.scale()).toPlainString();
    }

    private static String floating(ColumnType type, JsonNode value) {
        if (value.isNumber()) {
            boolean fits = type.kind() != ColumnType.Kind.REAL
                    || Math.abs(value.doubleValue()) <= Double.parseDouble(ColumnCasts.REAL_MAX);
            return fits ? "" : null;
        }
        return value.isTextual() && List.of("NaN", "Infinity", "-Infinity").contains(value.textValue()) ? "" : null;
    }

    private static String date(JsonNode value) {
        Long days = integral(value);
        if (days == null || days < ColumnCasts.MIN_DATE_DAYS || days > ColumnCasts.MAX_DATE_DAYS) {
            return null;
        }
        return LocalDate.ofEpochDay(days).format(DATE);
    }

    private static String time(JsonNode value) {
        Long micros = integral(value);
        if (micros == null || micros < 0 || micros > ColumnCasts.MICROS_PER_DAY) {
            return null;
        }
        return java.time.LocalTime.ofNanoOfDay((micros % ColumnCasts.MICROS_PER_DAY) * 1_000L)
                .format(TIME);
    }

    private static String timestamp(JsonNode value) {
        Long micros = integral(value);
        if (micros == null || micros < ColumnCasts.MIN_TIMESTAMP_MICROS || micros > ColumnCasts.MAX_TIMESTAMP_MICROS) {
            return null;
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(
                Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1_000, ZoneOffset.UTC);
        return t.format(TIMESTAMP);
    }

    private static boolean parsesAsJson(String text) {
        try {
            JSON.readTree(text);
            return !text.isBlank();
        } catch (IOException e) {
            return false;
        }
    }

    static String md5(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
    }
}
