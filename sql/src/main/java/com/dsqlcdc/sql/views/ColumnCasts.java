package com.dsqlcdc.sql.views;

import com.dsqlcdc.sql.catalog.ColumnType;

/**
 * How each catalog column is typed in a current-state view: its Redshift type and the SQL that
 * turns its JSON encoding inside {@code row_image} (a SUPER value; each type's encoding:
 * sql/README.md, "Types") into that type.
 *
 * <p>Every expression is total: a value of the wrong JSON type, a value the Redshift type cannot
 * hold, a missing attribute or a JSON null gives SQL NULL, never an error that would fail every
 * query on the view. The checks are explicit ({@code IS_BIGINT}, {@code IS_VARCHAR},
 * {@code JSON_TYPEOF}, range and pattern tests, each in an outer CASE so the cast that could raise
 * only runs once its check passed) instead of relying on SUPER's lax casts, because a session can
 * turn lax behaviour off ({@code cast_super_null_on_error}) and lax casts do not cover overflow.
 *
 * <p>The only literals are constants of this class (bounds, patterns, {@code 'NaN'}): no data value
 * ever reaches SQL text. {@code value} arguments are SQL expressions built from quoted identifiers
 * by {@link LogLatestViewGenerator}.
 */
public final class ColumnCasts {

    /** The longest Redshift VARCHAR, in bytes; also the longest string SUPER holds by default. */
    public static final int MAX_VARCHAR_BYTES = 65_535;
    /** Bytes per character in the worst case of UTF-8: DSQL's lengths count characters, Redshift's bytes. */
    public static final int MAX_BYTES_PER_CHAR = 4;

    /** Days from 1970-01-01 to 0001-01-01 and to 9999-12-31: the dates the view keeps. */
    public static final long MIN_DATE_DAYS = -719_162L;

    public static final long MAX_DATE_DAYS = 2_932_896L;
    /** µs from the epoch to 0001-01-01 00:00:00 and to 9999-12-31 23:59:59.999999. */
    public static final long MIN_TIMESTAMP_MICROS = -62_135_596_800_000_000L;

    public static final long MAX_TIMESTAMP_MICROS = 253_402_300_799_999_999L;
    /** µs in a day: a time of day is 0 to this, both ends included (24:00:00 is a valid time). */
    public static final long MICROS_PER_DAY = 86_400_000_000L;
    /** The largest finite REAL (Float.MAX_VALUE), as the SQL literal the REAL overflow guard uses. */
    public static final String REAL_MAX = "3.4028234663852886E38";

    private static final String STRING = "VARCHAR(" + MAX_VARCHAR_BYTES + ")";

    private ColumnCasts() {}

    /** @return the Redshift type of the view column for a catalog type */
    public static String redshiftType(ColumnType type) {
        return switch (type.kind()) {
            case SMALLINT -> "SMALLINT";
            case INTEGER -> "INTEGER";
            case BIGINT, INTERVAL -> "BIGINT";
            case NUMERIC -> "DECIMAL(" + type.precision() + "," + type.scale() + ")";
            case REAL -> "REAL";
            case DOUBLE_PRECISION -> "DOUBLE PRECISION";
            case BOOLEAN -> "BOOLEAN";
            case TEXT, BYTEA -> STRING;
            case VARCHAR, CHAR -> varchar(type.length());
            case UUID -> "VARCHAR(36)";
            case DATE -> "DATE";
            case TIME, TIMETZ -> "TIME";
            case TIMESTAMP -> "TIMESTAMP";
            case TIMESTAMPTZ -> "TIMESTAMPTZ";
            case JSON, JSONB -> "SUPER";
        };
    }

    /**
     * @param type  the column's catalog type
     * @param value a SQL expression of type SUPER: the column's attribute of the row image, e.g.
     *              {@code e."row_image"."total"}
     * @return a SQL expression of {@link #redshiftType(ColumnType)} that is NULL whenever the value
     *         cannot be typed
     */
    public static String expression(ColumnType type, String value) {
        return switch (type.kind()) {
            case SMALLINT -> checked("IS_SMALLINT", value, "SMALLINT");
            case INTEGER -> checked("IS_INTEGER", value, "INTEGER");
            case BIGINT, INTERVAL -> checked("IS_BIGINT", value, "BIGINT");
            case NUMERIC -> numeric(type.precision(), type.scale(), value);
            case REAL -> real(value);
            case DOUBLE_PRECISION -> doublePrecision(value);
            case BOOLEAN -> checked("IS_BOOLEAN", value, "BOOLEAN");
            case TEXT, BYTEA -> checked("IS_VARCHAR", value, STRING);
            case VARCHAR, CHAR -> checked("IS_VARCHAR", value, varchar(type.length()));
            case UUID -> checked("IS_VARCHAR", value, "VARCHAR(36)");
            case DATE -> date(value);
            case TIME, TIMETZ -> time(value);
            case TIMESTAMP -> timestamp("TIMESTAMP 'epoch'", value);
            // An explicit +00 offset: TIMESTAMPTZ 'epoch' or a cast of a TIMESTAMP would depend on the
            // querying session's time zone.
            case TIMESTAMPTZ -> timestamp("TIMESTAMPTZ '1970-01-01 00:00:00+00'", value);
            case JSON, JSONB -> json(value);
        };
    }

    /** {@code VARCHAR(min(4n, 65535))}: n characters take at most 4n bytes of UTF-8. */
    static String varchar(int characters) {
        long bytes = Math.min((long) characters * MAX_BYTES_PER_CHAR, MAX_VARCHAR_BYTES);
        return "VARCHAR(" + bytes + ")";
    }

    private static String checked(String check, String value, String sqlType) {
        return "CASE WHEN " + check + "(" + value + ") THEN CAST(" + value + " AS " + sqlType + ") END";
    }

    private static String text(String value) {
        return "CAST(" + value + " AS " + STRING + ")";
    }

    /**
     * numeric arrives as a string of its decimal text (PostgreSQL's output: no exponent, no leading
     * zeros, exactly {@code scale} fraction digits), or "NaN"/"Infinity"/"-Infinity", which DECIMAL
     * cannot hold. The pattern admits only what fits DECIMAL(p,s) exactly, so the cast can neither
     * overflow nor round (Redshift raises on a DECIMAL cast that loses digits).
     */
    private static String numeric(int precision, int scale, String value) {
        String decimal = "DECIMAL(" + precision + "," + scale + ")";
        return "CASE WHEN IS_VARCHAR(" + value + ") THEN CASE WHEN " + text(value) + " ~ '"
                + numericPattern(precision, scale) + "' THEN CAST(" + text(value) + " AS " + decimal + ") END END";
    }

    /**
     * @return the POSIX pattern of the decimal texts DECIMAL(p,s) holds: at most p-s integer digits
     *         (a lone 0 when p = s) and at most s fraction digits. {@code [.]} rather than an escaped
     *         dot: no backslash to be read differently by string-literal and regex parsing.
     */
    public static String numericPattern(int precision, int scale) {
        int integerDigits = precision - scale;
        String integer = integerDigits == 0 ? "0" : "(0|[1-9][0-9]{0," + (integerDigits - 1) + "})";
        String fraction = scale == 0 ? "" : "([.][0-9]{1," + scale + "})?";
        return "^-?" + integer + fraction + "$";
    }

    /** The strings DSQL sends for non-finite floats; Redshift's float input accepts the same spellings. */
    private static final String NON_FINITE = "('NaN', 'Infinity', '-Infinity')";

    private static String nonFinite(String value, String sqlType) {
        return "WHEN IS_VARCHAR(" + value + ") THEN CASE WHEN " + text(value) + " IN " + NON_FINITE + " THEN CAST("
                + text(value) + " AS " + sqlType + ") END";
    }

    /** A JSON number (integer, decimal or float in SUPER) or one of the non-finite strings. */
    private static String doublePrecision(String value) {
        return "CASE WHEN JSON_TYPEOF(" + value + ") = 'number' THEN CAST(" + value + " AS DOUBLE PRECISION) "
                + nonFinite(value, "DOUBLE PRECISION") + " END";
    }

    /** As double precision, with an overflow guard: a number beyond REAL's range gives NULL. */
    private static String real(String value) {
        return "CASE WHEN JSON_TYPEOF(" + value + ") = 'number' THEN CASE WHEN ABS(CAST(" + value
                + " AS DOUBLE PRECISION)) <= " + REAL_MAX + " THEN CAST(" + value + " AS REAL) END "
                + nonFinite(value, "REAL") + " END";
    }

    private static String bigint(String value) {
        return "CAST(" + value + " AS BIGINT)";
    }

    /** Days since the epoch; DSQL's ±infinity sentinels and anything outside 0001..9999 give NULL. */
    private static String date(String value) {
        return "CASE WHEN IS_BIGINT(" + value + ") THEN CASE WHEN " + bigint(value) + " BETWEEN " + MIN_DATE_DAYS
                + " AND " + MAX_DATE_DAYS + " THEN CAST(DATEADD(day, CAST(" + value
                + " AS INTEGER), DATE '1970-01-01') AS DATE) END END";
    }

    /**
     * {@code epoch + v µs}, as whole seconds plus the remaining µs: each factor stays far below 2^53
     * (at most 2.6e11 seconds, under 1e6 µs), so the multiplications are exact even if the engine
     * multiplies intervals in floating point, which {@code v} itself (up to 2.5e17) would not be. Redshift's integer
     * {@code /} truncates toward zero and {@code %} takes the dividend's sign, so for a negative v
     * both parts are negative and {@code (v / 1000000) * 1000000 + v % 1000000 = v} still holds.
     */
    static String epochPlusMicros(String epoch, String value) {
        return epoch + " + (" + bigint(value) + " / 1000000) * INTERVAL '1 second' + (" + bigint(value)
                + " % 1000000) * INTERVAL '1 microsecond'";
    }

    /** µs since the epoch; DSQL's ±infinity sentinels and anything outside 0001..9999 give NULL. */
    private static String timestamp(String epoch, String value) {
        return "CASE WHEN IS_BIGINT(" + value + ") THEN CASE WHEN " + bigint(value) + " BETWEEN " + MIN_TIMESTAMP_MICROS
                + " AND " + MAX_TIMESTAMP_MICROS + " THEN " + epochPlusMicros(epoch, value) + " END END";
    }

    /**
     * µs since midnight, 0 to 24:00:00 inclusive (PostgreSQL and Redshift both have 24:00:00). The
     * time of day of {@code epoch + v}; 24:00:00 separately, since that sum is the next midnight.
     * timetz arrives without its offset, so both become TIME.
     */
    private static String time(String value) {
        return "CASE WHEN IS_BIGINT(" + value + ") THEN CASE WHEN " + bigint(value) + " BETWEEN 0 AND "
                + (MICROS_PER_DAY - 1) + " THEN CAST(" + epochPlusMicros("TIMESTAMP 'epoch'", value) + " AS TIME) WHEN "
                + bigint(value) + " = " + MICROS_PER_DAY + " THEN TIME '24:00:00' END END";
    }

    /** A string holding JSON text; text that is not JSON gives NULL instead of a JSON_PARSE error. */
    private static String json(String value) {
        return "CASE WHEN IS_VARCHAR(" + value + ") THEN CASE WHEN CAN_JSON_PARSE(" + text(value) + ") THEN JSON_PARSE("
                + text(value) + ") END END";
    }
}
