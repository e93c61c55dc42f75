package com.dsqlcdc.sql.catalog;

import com.dsqlcdc.sql.Identifiers;
import com.dsqlcdc.sql.current.StateTable;
import com.dsqlcdc.sql.views.LogLatestViewGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The captured tables: for each, its DSQL schema and name, primary-key columns and column types.
 * Records carry no key metadata, so this catalog is what gives the consumer its record keys and
 * the warehouse its typed current-state views. It is one checked-in file, {@code sql/catalog.json},
 * shipped inside this module's jar (see {@code sql/README.md} for its format).
 */
public final class TableCatalog {

    /** Where {@code sql/catalog.json} is on the classpath. */
    public static final String RESOURCE = "/dsql-cdc-sql/catalog.json";

    private static final Set<String> TABLE_KEYS = Set.of("schema", "name", "primaryKey", "columns");
    private static final Set<String> COLUMN_KEYS = Set.of("name", "type");

    /**
     * A repeated key (two "type"s in one column) is an error rather than last-one-wins, and so is
     * anything after the document; no source text in messages (they carry line and column).
     */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /**
     * Longest table name whose generated names ({@code <name>_current}, {@code <name>_state},
     * {@code <name>_log_latest} and the rebuild's {@code <name>_state$new}) are still identifiers.
     */
    static final int MAX_TABLE_NAME_BYTES = Identifiers.MAX_BYTES - StateTable.LONGEST_SUFFIX_BYTES;

    private final Map<String, CatalogTable> tables;

    private TableCatalog(Map<String, CatalogTable> tables) {
        this.tables = Collections.unmodifiableMap(tables);
    }

    /** @return the catalog shipped on the classpath ({@code sql/catalog.json}) */
    public static TableCatalog load() {
        String json;
        try (InputStream in = TableCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath: build the sql module");
            }
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        // Malformed JSON is an InvalidCatalogException with its location, like every other catalog problem.
        return parse(json, "sql/catalog.json");
    }

    /**
     * @param json   the catalog document
     * @param source where it came from, for messages
     * @return the validated catalog
     * @throws InvalidCatalogException naming every problem with its JSON path and the fix
     */
    public static TableCatalog parse(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new InvalidCatalogException(
                    source, List.of("not valid JSON" + where + ": " + e.getOriginalMessage()));
        }
        return parse(root, source);
    }

    private static TableCatalog parse(JsonNode root, String source) {
        List<String> problems = new ArrayList<>();
        Map<String, CatalogTable> tables = new LinkedHashMap<>();
        if (root == null || !root.isObject() || !root.path("tables").isArray()) {
            throw new InvalidCatalogException(
                    source,
                    List.of(
                            "expected an object with a \"tables\" array: {\"tables\": [{\"schema\": ..., \"name\": ..., "
                                    + "\"primaryKey\": [...], \"columns\": [{\"name\": ..., \"type\": ...}]}]}"));
        }
        unknownKeys(root, Set.of("tables", "$comment"), "", problems);
        JsonNode list = root.get("tables");
        if (list.isEmpty()) {
            problems.add("tables: is empty; list at least one captured table");
        }
        Map<String, String> firstPath = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String path = "tables[" + i + "]";
            parseTable(list.get(i), path, problems).ifPresent(table -> {
                if (tables.putIfAbsent(table.qualifiedName(), table) != null) {
                    problems.add(path + ": " + table.qualifiedName() + " is listed twice (first at "
                            + firstPath.get(table.qualifiedName()) + "); keep one entry per table");
                } else {
                    firstPath.put(table.qualifiedName(), path);
                }
            });
        }
        if (!problems.isEmpty()) {
            throw new InvalidCatalogException(source, problems);
        }
        return new TableCatalog(tables);
    }

    private static Optional<CatalogTable> parseTable(JsonNode node, String path, List<String> problems) {
        if (!node.isObject()) {
            problems.add(path + ": expected an object with schema, name, primaryKey and columns");
            return Optional.empty();
        }
        int before = problems.size();
        unknownKeys(node, TABLE_KEYS, path + ".", problems);
        String schema = identifier(node, "schema", path, problems);
        if (schema != null
                && (schema.toLowerCase(Locale.ROOT).startsWith("pg_")
                        || schema.equalsIgnoreCase("information_schema"))) {
            problems.add(path + ".schema: '" + schema + "' is a system schema name in Redshift, where the table's view"
                    + " would be created; capture tables of user schemas only");
        }
        String name = identifier(node, "name", path, problems);
        if (name != null && name.getBytes(StandardCharsets.UTF_8).length > MAX_TABLE_NAME_BYTES) {
            problems.add(path + ".name: '" + name + "' is too long for its generated name " + name
                    + LogLatestViewGenerator.VIEW_SUFFIX + "; table names may have at most " + MAX_TABLE_NAME_BYTES
                    + " bytes");
        }

        List<CatalogColumn> columns = new ArrayList<>();
        Set<String> columnNames = new HashSet<>();
        JsonNode cols = node.path("columns");
        if (!cols.isArray() || cols.isEmpty()) {
            problems.add(path + ".columns: missing or empty; list every column as {\"name\": ..., \"type\": ...}");
        } else {
            for (int c = 0; c < cols.size(); c++) {
                String colPath = path + ".columns[" + c + "]";
                JsonNode col = cols.get(c);
                if (!col.isObject()) {
                    problems.add(colPath + ": expected {\"name\": ..., \"type\": ...}");
                    continue;
                }
                unknownKeys(col, COLUMN_KEYS, colPath + ".", problems);
                String colName = identifier(col, "name", colPath, problems);
                if (colName != null && StateTable.RESERVED_COLUMNS.contains(colName)) {
                    problems.add(colPath + ".name: " + colName + " is the name of a metadata column of the generated"
                            + " tables and views (" + String.join(", ", StateTable.RESERVED_COLUMNS)
                            + "); a captured column"
                            + " cannot have it, rename the column in DSQL");
                }
                // A column with a bad type is still declared: the key may name it without a second problem.
                boolean firstOfName = colName != null && columnNames.add(colName);
                if (colName != null && !firstOfName) {
                    problems.add(colPath + ".name: column " + colName + " is listed twice; keep one");
                }
                JsonNode typeNode = col.path("type");
                if (!typeNode.isTextual()) {
                    problems.add(colPath + ".type: missing; give the DSQL type, one of: " + ColumnType.ACCEPTED);
                    continue;
                }
                ColumnType.Parsed type = ColumnType.parse(typeNode.asText());
                if (type.type().isEmpty()) {
                    problems.add(colPath + ".type: " + type.error());
                } else if (firstOfName) {
                    columns.add(new CatalogColumn(colName, type.type().get()));
                }
            }
        }

        List<String> key = new ArrayList<>();
        JsonNode pk = node.path("primaryKey");
        if (!pk.isArray() || pk.isEmpty()) {
            problems.add(path + ".primaryKey: missing or empty; list the table's primary-key columns in key order, "
                    + "e.g. [\"order_id\", \"line_no\"] (records do not say which columns form the key)");
        } else {
            for (int k = 0; k < pk.size(); k++) {
                JsonNode keyColumn = pk.get(k);
                String keyPath = path + ".primaryKey[" + k + "]";
                if (!keyColumn.isTextual()) {
                    problems.add(keyPath + ": expected a column name");
                } else if (!columnNames.contains(keyColumn.asText())) {
                    problems.add(keyPath + ": " + keyColumn.asText()
                            + " is not in columns; add it to columns or fix the name");
                } else if (key.contains(keyColumn.asText())) {
                    problems.add(keyPath + ": " + keyColumn.asText() + " is listed twice in the key");
                } else {
                    key.add(keyColumn.asText());
                }
            }
        }
        if (problems.size() > before || schema == null || name == null) {
            return Optional.empty();
        }
        return Optional.of(new CatalogTable(schema, name, key, columns));
    }

    private static String identifier(JsonNode node, String field, String path, List<String> problems) {
        JsonNode value = node.path(field);
        if (!value.isTextual()) {
            problems.add(path + "." + field + ": missing; expected a name");
            return null;
        }
        if (!Identifiers.isValid(value.asText())) {
            problems.add(
                    path + "." + field + ": '" + value.asText() + "' is not a supported name; use letters, digits, "
                            + "_ or $, not starting with a digit, at most " + Identifiers.MAX_BYTES + " bytes");
            return null;
        }
        return value.asText();
    }

    private static void unknownKeys(JsonNode node, Set<String> allowed, String prefix, List<String> problems) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                problems.add(prefix + key + ": unknown key; allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    /** @return the table that records with this {@code source.schema} and {@code source.table} belong to */
    public Optional<CatalogTable> find(String schema, String table) {
        return Optional.ofNullable(tables.get(schema + "." + table));
    }

    /** @return every table, in catalog order */
    public List<CatalogTable> tables() {
        return List.copyOf(tables.values());
    }
}
