package com.dsqlcdc.backfill;

import com.dsqlcdc.sql.backfill.WarehouseRangeSql;
import com.dsqlcdc.sql.catalog.ColumnType;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Random tables for the property tests: composite keys of the types a range can bound in the warehouse,
 * other columns of every catalog type, and random values of each type as PostgreSQL literals (read by
 * {@code CAST(? AS <type>)}), edges included: NaN and infinities, empty and non-ASCII strings, quotes,
 * padded chars, 24:00:00, dates before 1970.
 */
final class RandomTables {

    /** Key column types: each orders alike in the source and the warehouse. */
    static final List<String> KEY_TYPES = List.of(
            "bigint",
            "integer",
            "smallint",
            "text",
            "varchar(8)",
            "char(4)",
            "uuid",
            "date",
            "timestamp",
            "timestamptz",
            "time",
            "numeric(10,2)",
            "boolean");
    /** Every catalog type, for the other columns. */
    static final List<String> VALUE_TYPES = List.of(
            "bigint",
            "integer",
            "smallint",
            "numeric(12,3)",
            "real",
            "double precision",
            "boolean",
            "text",
            "varchar(10)",
            "char(3)",
            "uuid",
            "date",
            "time",
            "timetz",
            "timestamp",
            "timestamptz",
            "interval",
            "json",
            "jsonb",
            "bytea");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> WORDS =
            List.of("", "a", "b", "ab", "Z", "é", "ünï", "x y", "o'k", "q\"t", "✓", "aa");

    private RandomTables() {}

    /** A generated table: its catalog entry and its column types in order. */
    record Table(String name, List<String> columns, List<String> types, int keyColumns) {}

    /**
     * @param random the source of randomness
     * @param names  the table names
     * @return a catalog of tables with those names in schema {@code public}
     */
    static TableCatalog catalog(Random random, List<String> names) {
        ArrayNode tables = JSON.createArrayNode();
        for (String name : names) {
            int keys = 1 + random.nextInt(3);
            ObjectNode table = tables.addObject().put("schema", "public").put("name", name);
            ArrayNode key = table.putArray("primaryKey");
            ArrayNode columns = table.putArray("columns");
            for (int k = 0; k < keys; k++) {
                String type = KEY_TYPES.get(random.nextInt(KEY_TYPES.size()));
                key.add("k" + k);
                columns.addObject().put("name", "k" + k).put("type", type);
            }
            int values = 1 + random.nextInt(5);
            for (int v = 0; v < values; v++) {
                columns.addObject()
                        .put("name", "v" + v)
                        .put("type", VALUE_TYPES.get(random.nextInt(VALUE_TYPES.size())));
            }
        }
        ObjectNode root = JSON.createObjectNode();
        root.set("tables", tables);
        TableCatalog catalog = TableCatalog.parse(root.toString(), "random");
        catalog.tables().forEach(t -> {
            if (!WarehouseRangeSql.keyOrdersInWarehouse(t)) {
                throw new AssertionError("a key type that does not order in the warehouse: " + t);
            }
        });
        return catalog;
    }

    /** @return {@code count} distinct keys of {@code types} (fewer when the types cannot make that many) */
    static List<List<String>> keys(Random random, List<ColumnType> types, int count) {
        Set<List<String>> keys = new LinkedHashSet<>();
        for (int attempt = 0; attempt < count * 20 && keys.size() < count; attempt++) {
            List<String> key = new ArrayList<>();
            for (ColumnType type : types) {
                key.add(keyValue(random, type));
            }
            keys.add(normalized(types, key));
        }
        return new ArrayList<>(keys);
    }

    /** char(n) keys compare without their padding: 'ab' and 'ab  ' are one key. */
    private static List<String> normalized(List<ColumnType> types, List<String> key) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            out.add(
                    types.get(i).kind() == ColumnType.Kind.CHAR
                            ? WarehouseRangeSql.stripTrailingSpaces(key.get(i))
                            : key.get(i));
        }
        return out;
    }

    static String keyValue(Random random, ColumnType type) {
        int n = random.nextInt(40);
        return switch (type.kind()) {
            case BIGINT -> Long.toString(random.nextBoolean() ? n - 20 : 9_007_199_254_740_990L + n);
            case INTEGER -> Integer.toString(n * 1_000 - 20_000);
            case SMALLINT -> Integer.toString(n - 20);
            case TEXT, VARCHAR -> WORDS.get(random.nextInt(WORDS.size())) + (random.nextBoolean() ? "" : n);
            case CHAR -> WORDS.get(random.nextInt(5)) + (n % 3 == 0 ? "" : Integer.toString(n % 9));
            case UUID -> String.format("%08x-0000-4000-8000-%012x", n * 7919, n);
            case DATE -> java.time.LocalDate.ofEpochDay(n * 37L - 500).toString();
            case TIMESTAMP -> "2024-01-01 00:00:00" + "." + String.format("%06d", n * 12_345 % 1_000_000);
            case TIMESTAMPTZ -> "2023-12-31 23:00:00." + String.format("%06d", n * 4_321) + "+0" + (n % 5);
            case TIME -> String.format("%02d:%02d:%02d.%06d", n % 24, n, n, n * 9);
            case NUMERIC -> (n - 20) + "." + String.format("%02d", n % 7 * 13);
            case BOOLEAN -> Boolean.toString(n % 2 == 0);
            default -> throw new IllegalArgumentException("not a key type: " + type.spelling());
        };
    }

    /** @return a random value of {@code type}, as a PostgreSQL literal, or null for NULL */
    static String value(Random random, ColumnType type) {
        if (random.nextInt(8) == 0) {
            return null;
        }
        int n = random.nextInt(1_000);
        return switch (type.kind()) {
            case BIGINT -> Long.toString(random.nextLong());
            case INTEGER -> Integer.toString(random.nextInt());
            case SMALLINT -> Integer.toString(random.nextInt(65_536) - 32_768);
            case NUMERIC -> pick(random, "NaN", (n - 500) + "." + n % 1000, "0.001", "-123456789.999");
            case REAL -> pick(random, "NaN", "Infinity", "-Infinity", Float.toString(random.nextFloat() * n), "1e-30");
            case DOUBLE_PRECISION ->
                pick(random, "NaN", "-Infinity", Double.toString(random.nextGaussian() * 1e10), "5e-324");
            case BOOLEAN -> Boolean.toString(random.nextBoolean());
            case TEXT, VARCHAR -> WORDS.get(random.nextInt(WORDS.size())) + pick(random, "", "\t\n", "'); --");
            case CHAR -> pick(random, "", "a", "ab ", "xyz");
            case UUID ->
                java.util.UUID.nameUUIDFromBytes(Integer.toString(n).getBytes()).toString();
            case DATE ->
                pick(
                        random,
                        "infinity",
                        java.time.LocalDate.ofEpochDay(n * 97L - 30_000).toString());
            case TIME -> pick(random, "24:00:00", String.format("%02d:%02d:%02d.%03d", n % 24, n % 60, n % 60, n));
            case TIMETZ -> String.format("%02d:%02d:00+%02d", n % 24, n % 60, n % 13);
            case TIMESTAMP -> pick(random, "-infinity", "1969-07-20 20:17:40." + n, "2038-01-19 03:14:08");
            case TIMESTAMPTZ -> pick(random, "2000-02-29 12:00:00+05:30", "1965-01-01 00:00:00." + n + "-03");
            case INTERVAL -> pick(random, n + " days " + n + " seconds", "-1 mon 2 days", "1 year 00:00:00.5");
            case JSON, JSONB -> pick(random, "{\"n\": " + n + "}", "[1, \"two\", null]", "\"s\"", "null");
            case BYTEA -> pick(random, "\\x", "\\x00ff", String.format("\\x%04x", n & 0xffff));
        };
    }

    private static String pick(Random random, String... values) {
        return values[random.nextInt(values.length)];
    }
}
