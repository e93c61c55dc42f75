package com.dsqlcdc.sql.views;

import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.sql.catalog.CatalogColumn;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.ColumnType;
import com.dsqlcdc.sql.catalog.ColumnType.Kind;
import com.dsqlcdc.sql.current.StateTable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The exact SQL each type family becomes in a state table and the audit views: one test per family. */
class ColumnCastsTest {

    private static final String V = "e.\"row_image\".\"col\"";

    private static String cast(String type) {
        ColumnType parsed = ColumnType.parse(type).type().orElseThrow();
        // The state table reads the column from the change's image with quoted SUPER navigation.
        StateTable table = new StateTable(
                new CatalogTable("public", "t", List.of("col"), List.of(new CatalogColumn("col", parsed))));
        assertThat(table.typedSelect("e")).contains(ColumnCasts.expression(parsed, V) + " AS \"col\"");
        return ColumnCasts.expression(parsed, V);
    }

    private static String type(String type) {
        return ColumnCasts.redshiftType(ColumnType.parse(type).type().orElseThrow());
    }

    @Test
    void integersAreCheckedForTheirRangeBeforeTheCast() {
        assertThat(cast("smallint")).isEqualTo("CASE WHEN IS_SMALLINT(" + V + ") THEN CAST(" + V + " AS SMALLINT) END");
        assertThat(cast("integer")).isEqualTo("CASE WHEN IS_INTEGER(" + V + ") THEN CAST(" + V + " AS INTEGER) END");
        assertThat(cast("bigint")).isEqualTo("CASE WHEN IS_BIGINT(" + V + ") THEN CAST(" + V + " AS BIGINT) END");
        assertThat(type("smallint")).isEqualTo("SMALLINT");
        assertThat(type("int4")).isEqualTo("INTEGER");
        assertThat(type("bigint")).isEqualTo("BIGINT");
    }

    @Test
    void numericIsCastFromItsStringOnlyWhenItFitsAndNaNIsNull() {
        String text = "CAST(" + V + " AS VARCHAR(65535))";
        assertThat(cast("numeric(12,2)"))
                .isEqualTo("CASE WHEN IS_VARCHAR(" + V + ") THEN CASE WHEN " + text
                        + " ~ '^-?(0|[1-9][0-9]{0,9})([.][0-9]{1,2})?$' THEN CAST(" + text
                        + " AS DECIMAL(12,2)) END END");
        assertThat(type("numeric(12,2)")).isEqualTo("DECIMAL(12,2)");
        assertThat(type("decimal(38,0)")).isEqualTo("DECIMAL(38,0)");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // precision | scale | text | fits
                "12 | 2 | 57494.63 | true",
                "12 | 2 | -12.50 | true",
                "12 | 2 | 0.00 | true",
                "12 | 2 | 9999999999.99 | true",
                "12 | 2 | 12 | true",
                "12 | 2 | 10000000000.00 | false",
                "12 | 2 | 1.234 | false",
                "12 | 2 | NaN | false",
                "12 | 2 | Infinity | false",
                "12 | 2 | -Infinity | false",
                "12 | 2 | 1e5 | false",
                "12 | 2 | '' | false",
                "12 | 2 | ' 1.00' | false",
                "12 | 2 | 01.00 | false",
                "12 | 2 | +1.00 | false",
                "12 | 2 | 1. | false",
                "2 | 2 | 0.12 | true",
                "2 | 2 | -0.99 | true",
                "2 | 2 | 1.00 | false",
                "20 | 0 | 12345678901234567890 | true",
                "20 | 0 | 123456789012345678901 | false",
                "20 | 0 | 1.0 | false",
                "38 | 4 | -1234567890123456789012345678901234.5678 | true",
            })
    void theNumericPatternAdmitsExactlyWhatTheDecimalHolds(int precision, int scale, String text, boolean fits) {
        String pattern = ColumnCasts.numericPattern(precision, scale);
        // Redshift's POSIX ~ and Java agree on this subset: anchors, bracket classes, bounded repeats, groups.
        assertThat(pattern).doesNotContain("\\").doesNotContain("'");
        assertThat(Pattern.compile(pattern).matcher(text).find()).isEqualTo(fits);
        if (fits) {
            assertThat(new BigDecimal(text).precision() - new BigDecimal(text).scale())
                    .isLessThanOrEqualTo(precision - scale);
        }
    }

    @Test
    void floatsTakeNumbersDirectlyAndTheNonFiniteStringsFromText() {
        String text = "CAST(" + V + " AS VARCHAR(65535))";
        assertThat(cast("double precision"))
                .isEqualTo("CASE WHEN JSON_TYPEOF(" + V + ") = 'number' THEN CAST(" + V
                        + " AS DOUBLE PRECISION) WHEN IS_VARCHAR(" + V + ") THEN CASE WHEN " + text
                        + " IN ('NaN', 'Infinity', '-Infinity') THEN CAST(" + text + " AS DOUBLE PRECISION) END END");
        assertThat(cast("real"))
                .isEqualTo("CASE WHEN JSON_TYPEOF(" + V + ") = 'number' THEN CASE WHEN ABS(CAST(" + V
                        + " AS DOUBLE PRECISION)) <= 3.4028234663852886E38 THEN CAST(" + V
                        + " AS REAL) END WHEN IS_VARCHAR(" + V
                        + ") THEN CASE WHEN " + text + " IN ('NaN', 'Infinity', '-Infinity') THEN CAST(" + text
                        + " AS REAL) END END");
        assertThat(type("float8")).isEqualTo("DOUBLE PRECISION");
        assertThat(type("real")).isEqualTo("REAL");
        assertThat(Double.parseDouble(ColumnCasts.REAL_MAX)).isEqualTo((double) Float.MAX_VALUE);
    }

    @Test
    void booleanIsCheckedThenCast() {
        assertThat(cast("boolean")).isEqualTo("CASE WHEN IS_BOOLEAN(" + V + ") THEN CAST(" + V + " AS BOOLEAN) END");
        assertThat(type("bool")).isEqualTo("BOOLEAN");
    }

    @Test
    void stringsBecomeVarcharsSizedInBytes() {
        assertThat(cast("text"))
                .isEqualTo("CASE WHEN IS_VARCHAR(" + V + ") THEN CAST(" + V + " AS VARCHAR(65535)) END");
        assertThat(cast("varchar(32)"))
                .isEqualTo("CASE WHEN IS_VARCHAR(" + V + ") THEN CAST(" + V + " AS VARCHAR(128)) END");
        // Redshift's CHAR holds single-byte characters only: char(n) becomes a VARCHAR too.
        assertThat(cast("char(3)"))
                .isEqualTo("CASE WHEN IS_VARCHAR(" + V + ") THEN CAST(" + V + " AS VARCHAR(12)) END");
        assertThat(cast("uuid")).isEqualTo("CASE WHEN IS_VARCHAR(" + V + ") THEN CAST(" + V + " AS VARCHAR(36)) END");
        assertThat(type("text")).isEqualTo("VARCHAR(65535)");
        assertThat(type("varchar(16383)")).isEqualTo("VARCHAR(65532)");
        assertThat(type("varchar(16384)")).isEqualTo("VARCHAR(65535)");
        assertThat(type("character varying(10485760)")).isEqualTo("VARCHAR(65535)");
        assertThat(type("char(1)")).isEqualTo("VARCHAR(4)");
        assertThat(type("uuid")).isEqualTo("VARCHAR(36)");
    }

    @Test
    void byteaStaysBase64Text() {
        assertThat(cast("bytea"))
                .isEqualTo("CASE WHEN IS_VARCHAR(" + V + ") THEN CAST(" + V + " AS VARCHAR(65535)) END");
        assertThat(type("bytea")).isEqualTo("VARCHAR(65535)");
    }

    @Test
    void dateIsDaysSinceTheEpochWithinYears1To9999() {
        String days = "CAST(" + V + " AS BIGINT)";
        assertThat(cast("date"))
                .isEqualTo("CASE WHEN IS_BIGINT(" + V + ") THEN CASE WHEN " + days
                        + " BETWEEN -719162 AND 2932896 THEN CAST(DATEADD(day, CAST(" + V
                        + " AS INTEGER), DATE '1970-01-01') AS DATE) END END");
        assertThat(type("date")).isEqualTo("DATE");
        LocalDate epoch = LocalDate.of(1970, 1, 1);
        assertThat(ChronoUnit.DAYS.between(epoch, LocalDate.of(1, 1, 1))).isEqualTo(ColumnCasts.MIN_DATE_DAYS);
        assertThat(ChronoUnit.DAYS.between(epoch, LocalDate.of(9999, 12, 31))).isEqualTo(ColumnCasts.MAX_DATE_DAYS);
    }

    @Test
    void timeAndTimetzAreMicrosSinceMidnight() {
        String micros = "CAST(" + V + " AS BIGINT)";
        String expected = "CASE WHEN IS_BIGINT(" + V + ") THEN CASE WHEN " + micros + " BETWEEN 0 AND 86399999999 THEN"
                + " CAST(TIMESTAMP 'epoch' + (" + micros + " / 1000000) * INTERVAL '1 second' + (" + micros
                + " % 1000000) * INTERVAL '1 microsecond' AS TIME) WHEN " + micros
                + " = 86400000000 THEN TIME '24:00:00' END END";
        assertThat(cast("time")).isEqualTo(expected);
        // timetz arrives as µs since midnight without its offset: the view cannot restore it.
        assertThat(cast("timetz")).isEqualTo(expected);
        assertThat(type("timetz")).isEqualTo("TIME");
    }

    @Test
    void timestampsAreMicrosSinceTheEpochAndTheInfinitySentinelsAreNull() {
        String micros = "CAST(" + V + " AS BIGINT)";
        String guard = "CASE WHEN IS_BIGINT(" + V + ") THEN CASE WHEN " + micros
                + " BETWEEN -62135596800000000 AND 253402300799999999 THEN ";
        String sum = " + (" + micros + " / 1000000) * INTERVAL '1 second' + (" + micros
                + " % 1000000) * INTERVAL '1 microsecond' END END";
        assertThat(cast("timestamp")).isEqualTo(guard + "TIMESTAMP 'epoch'" + sum);
        assertThat(cast("timestamptz")).isEqualTo(guard + "TIMESTAMPTZ '1970-01-01 00:00:00+00'" + sum);
        assertThat(type("timestamp")).isEqualTo("TIMESTAMP");
        assertThat(type("timestamp with time zone")).isEqualTo("TIMESTAMPTZ");

        Instant epoch = Instant.EPOCH;
        assertThat(epoch.plus(ColumnCasts.MIN_TIMESTAMP_MICROS, ChronoUnit.MICROS))
                .isEqualTo(Instant.parse("0001-01-01T00:00:00Z"));
        assertThat(epoch.plus(ColumnCasts.MAX_TIMESTAMP_MICROS, ChronoUnit.MICROS))
                .isEqualTo(Instant.parse("9999-12-31T23:59:59.999999Z"));
        // PostgreSQL's ±infinity are INT64 extremes: outside the guard.
        assertThat(Long.MAX_VALUE).isGreaterThan(ColumnCasts.MAX_TIMESTAMP_MICROS);
        assertThat(Long.MIN_VALUE).isLessThan(ColumnCasts.MIN_TIMESTAMP_MICROS);
    }

    @ParameterizedTest
    @CsvSource({"1764078958212153", "-1", "-1500000", "-999999", "-62135596800000000", "253402300799999999", "0"})
    void secondsPlusRemainderIsExactForNegativeValuesToo(long micros) {
        // Redshift's BIGINT / truncates toward zero and % takes the dividend's sign, as Java's do.
        long seconds = micros / 1_000_000;
        long rest = micros % 1_000_000;
        assertThat(seconds * 1_000_000 + rest).isEqualTo(micros);
        assertThat(Instant.EPOCH.plusSeconds(seconds).plus(rest, ChronoUnit.MICROS))
                .isEqualTo(Instant.EPOCH.plus(micros, ChronoUnit.MICROS));
        assertThat(Math.abs(seconds)).isLessThan(1L << 53);
    }

    @Test
    void intervalStaysBigintMicroseconds() {
        assertThat(cast("interval")).isEqualTo("CASE WHEN IS_BIGINT(" + V + ") THEN CAST(" + V + " AS BIGINT) END");
        assertThat(type("interval")).isEqualTo("BIGINT");
    }

    @Test
    void jsonIsParsedOnlyWhenItParses() {
        String text = "CAST(" + V + " AS VARCHAR(65535))";
        String expected = "CASE WHEN IS_VARCHAR(" + V + ") THEN CASE WHEN CAN_JSON_PARSE(" + text + ") THEN JSON_PARSE("
                + text + ") END END";
        assertThat(cast("json")).isEqualTo(expected);
        assertThat(cast("jsonb")).isEqualTo(expected);
        assertThat(type("jsonb")).isEqualTo("SUPER");
    }

    @Test
    void everyKindIsGuardedSoAWrongJsonTypeGivesNull() {
        for (Kind kind : EnumSet.allOf(Kind.class)) {
            ColumnType type = new ColumnType(
                    kind,
                    kind == Kind.VARCHAR || kind == Kind.CHAR ? 5 : 0,
                    kind == Kind.NUMERIC ? 10 : 0,
                    kind == Kind.NUMERIC ? 2 : 0);
            String sql = ColumnCasts.expression(type, V);
            // A type check comes first, and every cast sits inside a CASE branch after a check.
            assertThat(sql)
                    .as(kind.name())
                    .startsWith("CASE WHEN ")
                    .endsWith(" END")
                    .containsPattern("^CASE WHEN (IS_[A-Z]+|JSON_TYPEOF)\\(" + Pattern.quote(V) + "\\)");
            assertThat(sql.indexOf("CAST(")).as(kind.name()).isGreaterThan(sql.indexOf(" THEN "));
            assertThat(ColumnCasts.redshiftType(type)).as(kind.name()).isNotBlank();
        }
    }
}
