package com.dsqlcdc.sql.catalog;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A captured column's DSQL (PostgreSQL) type, as written in the catalog, e.g. {@code bigint},
 * {@code numeric(12,2)}, {@code varchar(32)}. The kind decides how the column's JSON encoding in
 * a CDC record (each type's encoding: sql/README.md, "Types") is cast in the current-state views.
 *
 * @param kind      the type family
 * @param length    {@code n} of varchar(n)/char(n), else 0
 * @param precision numeric precision (1-38), else 0
 * @param scale     numeric scale (0-precision), else 0
 */
public record ColumnType(Kind kind, int length, int precision, int scale) {

    /** Type families, each with the JSON encoding DSQL's CDC records use for it. */
    public enum Kind {
        /** JSON number. */
        SMALLINT,
        INTEGER,
        BIGINT,
        /** JSON string holding the decimal text, or "NaN". */
        NUMERIC,
        /** JSON number, or the strings "NaN", "Infinity", "-Infinity". */
        REAL,
        DOUBLE_PRECISION,
        /** JSON boolean. */
        BOOLEAN,
        /** JSON string. */
        TEXT,
        VARCHAR,
        CHAR,
        UUID,
        /** JSON number: days since 1970-01-01. */
        DATE,
        /** JSON number: µs since midnight. */
        TIME,
        TIMETZ,
        /** JSON number: µs since the epoch; ±infinity are huge sentinels. */
        TIMESTAMP,
        TIMESTAMPTZ,
        /** JSON number: approximate µs. */
        INTERVAL,
        /** JSON string holding JSON text. */
        JSON,
        JSONB,
        /** JSON string: base64 of the bytes. */
        BYTEA
    }

    /** Largest DECIMAL precision Redshift has. */
    public static final int MAX_PRECISION = 38;

    private static final Pattern SIZED =
            Pattern.compile("(varchar|character varying|char|character)\\s*\\(\\s*(\\d{1,9})\\s*\\)");
    private static final Pattern NUMERIC =
            Pattern.compile("(numeric|decimal)\\s*\\(\\s*(\\d{1,3})\\s*,\\s*(\\d{1,3})\\s*\\)");

    /** The accepted spellings, for error messages. */
    public static final String ACCEPTED = "smallint, integer, bigint, numeric(p,s), real, double precision, boolean, "
            + "text, varchar(n), char(n), uuid, date, time, timetz, timestamp, timestamptz, interval, json, jsonb, bytea";

    /**
     * @param text the catalog's spelling (case-insensitive; common PostgreSQL aliases accepted)
     * @return the type, or an explanation of what is wrong
     */
    public static Parsed parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        Matcher sized = SIZED.matcher(t);
        if (sized.matches()) {
            int n = Integer.parseInt(sized.group(2));
            if (n < 1 || n > 10_485_760) {
                return Parsed.error("length " + n + " is out of range 1-10485760");
            }
            String word = sized.group(1);
            Kind kind = word.equals("varchar") || word.equals("character varying") ? Kind.VARCHAR : Kind.CHAR;
            return Parsed.ok(new ColumnType(kind, n, 0, 0));
        }
        Matcher numeric = NUMERIC.matcher(t);
        if (numeric.matches()) {
            int p = Integer.parseInt(numeric.group(2));
            int s = Integer.parseInt(numeric.group(3));
            if (p < 1 || p > MAX_PRECISION || s > p) {
                return Parsed.error("numeric(" + p + "," + s + ") is outside Redshift's DECIMAL: precision 1-"
                        + MAX_PRECISION + " and scale 0-precision");
            }
            return Parsed.ok(new ColumnType(Kind.NUMERIC, 0, p, s));
        }
        Kind kind = switch (t) {
            case "smallint", "int2" -> Kind.SMALLINT;
            case "integer", "int", "int4" -> Kind.INTEGER;
            case "bigint", "int8" -> Kind.BIGINT;
            case "real", "float4" -> Kind.REAL;
            case "double precision", "float8", "float" -> Kind.DOUBLE_PRECISION;
            case "boolean", "bool" -> Kind.BOOLEAN;
            case "text" -> Kind.TEXT;
            case "uuid" -> Kind.UUID;
            case "date" -> Kind.DATE;
            case "time", "time without time zone" -> Kind.TIME;
            case "timetz", "time with time zone" -> Kind.TIMETZ;
            case "timestamp", "timestamp without time zone" -> Kind.TIMESTAMP;
            case "timestamptz", "timestamp with time zone" -> Kind.TIMESTAMPTZ;
            case "interval" -> Kind.INTERVAL;
            case "json" -> Kind.JSON;
            case "jsonb" -> Kind.JSONB;
            case "bytea" -> Kind.BYTEA;
            case "varchar", "character varying" -> Kind.TEXT;
            default -> null;
        };
        if (kind != null) {
            return Parsed.ok(new ColumnType(kind, 0, 0, 0));
        }
        if (t.equals("numeric") || t.equals("decimal") || t.startsWith("numeric(") || t.startsWith("decimal(")) {
            return Parsed.error("'" + text + "' needs an explicit precision and scale, e.g. numeric(18,2): Redshift's "
                    + "DECIMAL holds at most " + MAX_PRECISION
                    + " digits, so an unbounded numeric cannot be typed exactly");
        }
        return Parsed.error("'" + text + "' is not a supported type; use one of: " + ACCEPTED);
    }

    /** The outcome of {@link #parse}: a type or an error message. */
    public record Parsed(Optional<ColumnType> type, String error) {
        static Parsed ok(ColumnType type) {
            return new Parsed(Optional.of(type), null);
        }

        static Parsed error(String error) {
            return new Parsed(Optional.empty(), error);
        }
    }

    /** @return the catalog spelling of this type, e.g. {@code numeric(12,2)} */
    public String spelling() {
        return switch (kind) {
            case VARCHAR -> "varchar(" + length + ")";
            case CHAR -> "char(" + length + ")";
            case NUMERIC -> "numeric(" + precision + "," + scale + ")";
            case DOUBLE_PRECISION -> "double precision";
            default -> kind.name().toLowerCase(Locale.ROOT);
        };
    }
}
