package com.dsqlcdc.loader;

import com.dsqlcdc.sql.EventRow;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.sql.current.ControlTables;
import com.dsqlcdc.testing.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Staged objects as the consumer writes them (gzip JSON lines, one change-log row each, with the
 * batch id), made here from simple change descriptions so the sql module can test the loader's SQL
 * without the consumer. The consumer's own writer is tested against the same layout
 * ({@link LoadRunSql#STAGED_COLUMNS}).
 */
final class StagedObjects {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "s3://staging/";
    /** accounts ids start above 2^53: they must stay exact all the way (no double on the way). */
    private static final long BIG_ID = 9_007_199_254_740_993L;

    private StagedObjects() {}

    /** A change as the log stores it, and its op. */
    record Change(EventRow row, String op) {}

    static Change upsert(String table, long id, long tsNs, String image) {
        String op = "u";
        return new Change(
                new EventRow("public", table, "[" + id + "]", tsNs, sha256(table + id + tsNs + image), false, image),
                op);
    }

    static Change delete(String table, long id, long tsNs) {
        String key = keyColumn(table);
        return new Change(
                new EventRow(
                        "public",
                        table,
                        "[" + id + "]",
                        tsNs,
                        sha256(table + id + tsNs + "d"),
                        true,
                        "{\"" + key + "\":" + id + "}"),
                "d");
    }

    private static String keyColumn(String table) {
        return switch (table) {
            case "orders" -> "order_id";
            case "accounts" -> "id";
            case "documents" -> "doc_id";
            default -> throw new IllegalArgumentException("single-key sample table expected: " + table);
        };
    }

    /** The fixture's records as the consumer would stage them: key from the catalog, event id = SHA-256 of the record. */
    static List<Change> fixture(TableCatalog catalog, String name) {
        List<Change> changes = new ArrayList<>();
        try {
            for (String line : Fixtures.lines(name)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode record = JSON.readTree(line);
                JsonNode source = record.get("source");
                CatalogTable table = catalog.find(
                                source.get("schema").asText(),
                                source.get("table").asText())
                        .orElseThrow();
                String op = record.path("op").asText();
                boolean delete = op.equals("d");
                JsonNode image = delete ? record.get("before") : record.get("after");
                ArrayNode key = JSON.createArrayNode();
                table.primaryKey().forEach(c -> key.add(image.get(c)));
                changes.add(new Change(
                        new EventRow(
                                table.schema(),
                                table.name(),
                                key.toString(),
                                source.get("ts_ns").asLong(),
                                sha256(line.strip()),
                                delete,
                                image.toString()),
                        op));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return changes;
    }

    /**
     * A random history of the sample tables: inserts, updates, deletes and re-inserts after deletes
     * of a few keys each (composite keys included), commit times increasing but often equal.
     */
    static List<Change> randomHistory(Random random, int changes, int keysPerTable) {
        List<Change> history = new ArrayList<>();
        Map<String, boolean[]> live = Map.of(
                "orders",
                new boolean[keysPerTable],
                "order_items",
                new boolean[keysPerTable],
                "accounts",
                new boolean[keysPerTable]);
        long ts = 1_705_318_200_000_000_000L;
        for (int i = 0; i < changes; i++) {
            ts += random.nextInt(3) * 1_000L; // 0 often: equal commit times
            String table = List.of("orders", "order_items", "accounts").get(random.nextInt(3));
            int k = random.nextInt(keysPerTable);
            boolean exists = live.get(table)[k];
            boolean delete = exists && random.nextInt(3) == 0;
            live.get(table)[k] = !delete;
            String op = delete ? "d" : exists ? "u" : "c";
            String image = image(table, k, delete, random);
            String recordKey = switch (table) {
                case "order_items" -> "[" + (k / 2) + "," + (k % 2 + 1) + "]";
                case "accounts" -> "[" + (BIG_ID + k) + "]";
                default -> "[" + (k + 1) + "]";
            };
            history.add(new Change(
                    new EventRow(
                            "public", table, recordKey, ts, sha256(table + recordKey + ts + op + image), delete, image),
                    op));
        }
        return history;
    }

    private static String image(String table, int k, boolean keyOnly, Random random) {
        ObjectNode image = JSON.createObjectNode();
        switch (table) {
            case "orders" -> {
                image.put("order_id", k + 1);
                if (!keyOnly) {
                    image.put("total", random.nextInt(10_000) + "." + String.format("%02d", random.nextInt(100)));
                    image.put("status", List.of("new", "paid", "shipped").get(random.nextInt(3)));
                    image.put("placed_at", 1_705_318_200_000_000L + random.nextInt(1_000_000));
                    image.put("ship_date", 19_700 + random.nextInt(30));
                    image.put("is_gift", random.nextBoolean());
                    if (random.nextBoolean()) {
                        image.putNull("notes");
                    } else {
                        image.put("notes", "note " + random.nextInt(100));
                    }
                }
            }
            case "order_items" -> {
                image.put("order_id", k / 2);
                image.put("line_no", k % 2 + 1);
                if (!keyOnly) {
                    image.put("sku", "SKU-" + random.nextInt(50));
                    image.put("qty", random.nextInt(9) + 1);
                    image.put("unit_price", random.nextBoolean() ? "NaN" : random.nextInt(500) + ".5");
                    image.put("attrs", "{\"color\":\"" + List.of("red", "blue").get(random.nextInt(2)) + "\"}");
                }
            }
            default -> {
                image.put("id", BIG_ID + k);
                if (!keyOnly) {
                    image.put("email", "u" + random.nextInt(1000) + "@example.com");
                    image.put("balance", "-" + random.nextInt(100) + ".0001");
                    image.put(
                            "score",
                            random.nextInt(4) == 0
                                    ? JSON.getNodeFactory().textNode("Infinity")
                                    : JSON.getNodeFactory().numberNode(random.nextDouble()));
                    image.put("code", "AB");
                }
            }
        }
        return image.toString();
    }

    /**
     * Writes one staged object of {@code changes} (a batch of one shard) and returns its URL; the
     * object's name and its rows' batch id are the SHA-256 of its rows, as the consumer makes them.
     */
    static String put(Map<String, byte[]> s3, String shard, List<Change> changes) {
        StringBuilder rows = new StringBuilder();
        List<ObjectNode> lines = new ArrayList<>();
        int sequence = 0;
        for (Change change : changes) {
            EventRow row = change.row();
            ObjectNode line = JSON.createObjectNode();
            line.put("source_schema", row.sourceSchema());
            line.put("source_table", row.sourceTable());
            line.put("record_key", row.recordKey());
            line.put("commit_ts_ns", row.commitTsNs());
            line.put("commit_ts", commitTimestamp(row.commitTsNs()));
            line.put("op", change.op());
            line.put("is_delete", row.isDelete());
            line.put("tx_id", "tx" + row.commitTsNs());
            line.put("event_id", row.eventId());
            try {
                line.set("row_image", JSON.readTree(row.rowImageJson()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            line.put("kinesis_shard_id", shard);
            line.put("kinesis_sequence_number", Integer.toString(sequence++));
            lines.add(line);
            rows.append(line).append('\n');
        }
        String batchId = sha256(shard + "\n" + rows);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            for (ObjectNode line : lines) {
                line.put(ControlTables.BATCH_ID, batchId);
                gzip.write(line.toString().getBytes(StandardCharsets.UTF_8));
                gzip.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String url = BUCKET + "staged/" + shard + "/" + batchId + ".jsonl.gz";
        s3.put(url, bytes.toByteArray());
        return url;
    }

    /** Writes a COPY manifest listing {@code objects}, each mandatory, and returns its URL. */
    static String putManifest(Map<String, byte[]> s3, List<String> objects) {
        ObjectNode manifest = JSON.createObjectNode();
        ArrayNode entries = manifest.putArray("entries");
        for (String object : objects) {
            entries.addObject().put("url", object).put("mandatory", true);
        }
        String url = BUCKET + "manifests/" + sha256(manifest.toString() + System.nanoTime()) + ".json";
        s3.put(url, manifest.toString().getBytes(StandardCharsets.UTF_8));
        return url;
    }

    private static String commitTimestamp(long tsNs) {
        Instant instant = Instant.ofEpochSecond(
                Math.floorDiv(tsNs, 1_000_000_000L), Math.floorMod(tsNs, 1_000_000_000L) / 1_000 * 1_000);
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC).toString().replace('T', ' ');
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
