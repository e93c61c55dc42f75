package com.dsqlcdc.consumer.decode;

import com.dsqlcdc.contract.env.ConsumerEnvironment;
import com.dsqlcdc.sql.CdcEventsTable;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.ColumnType;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns the data of one Kinesis record (a DSQL CDC record: README, "The consumer"; samples in
 * test-fixtures/src/main/resources/fixtures) into a {@link Change} or a {@link Decoded.Poison} with
 * its reason.
 *
 * <p>It reads the JSON with Jackson's streaming parser and never builds a tree: numbers are never
 * turned into doubles (bigint beyond 2^53 stays exact), and the row image is kept as the exact
 * bytes DSQL wrote, which is what lands in {@code row_image}. One pass also records the top-level
 * values of each image (for the record key) and checks every string against the warehouse's SUPER
 * string limit (65,535 bytes, or 16,000,000 with large strings opted in). Thread-safe.
 */
public final class ChangeDecoder {

    private static final int MAX_DETAIL = 300;

    private final JsonFactory json;
    private final TableCatalog catalog;
    /** Every key column name of the catalog: the only image values worth keeping as text. */
    private final Set<String> keyColumns;

    private final int maxStringBytes;
    private final ThreadLocal<MessageDigest> sha256 = ThreadLocal.withInitial(ChangeDecoder::newSha256);

    /**
     * @param json    the factory to parse with (shared, built once)
     * @param catalog the captured tables and their keys
     */
    public ChangeDecoder(JsonFactory json, TableCatalog catalog) {
        this(json, catalog, ConsumerEnvironment.SUPER_STRING_BYTES);
    }

    /**
     * @param json           the factory to parse with (shared, built once)
     * @param catalog        the captured tables and their keys
     * @param maxStringBytes longest string the warehouse's SUPER accepts ({@link ConsumerEnvironment#SUPER_STRING_BYTES},
     *                       or {@link ConsumerEnvironment#LARGE_SUPER_STRING_BYTES} with large strings opted in)
     */
    public ChangeDecoder(JsonFactory json, TableCatalog catalog, int maxStringBytes) {
        this.maxStringBytes = maxStringBytes;
        this.json = json;
        this.catalog = catalog;
        this.keyColumns =
                catalog.tables().stream().flatMap(t -> t.primaryKey().stream()).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * @param data the record's data (already base64-decoded)
     * @return the change, or the reason it cannot be applied
     */
    public Decoded decode(byte[] data) {
        String encoding = Utf8Text.problem(data);
        if (encoding != null) {
            return poison(
                    PoisonReason.NOT_UTF8,
                    "not UTF-8 JSON text, which is what DSQL writes: " + encoding
                            + "; the record is kept byte for byte in the quarantine");
        }
        RawRecord raw;
        try {
            raw = RawRecord.read(json, data, keyColumns, maxStringBytes);
        } catch (JsonProcessingException e) {
            return poison(PoisonReason.NOT_JSON, e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return raw.problem != null ? raw.problem : validate(raw);
    }

    private Decoded validate(RawRecord raw) {
        String type = raw.type == null ? "full" : raw.type;
        switch (type) {
            case "full" -> {}
            case "chunked" -> {
                return raw.chunkRefs.isEmpty()
                        ? poison(
                                PoisonReason.MALFORMED_CHUNK,
                                "a chunked record without chunked.before or chunked.after")
                        : new Decoded.ChunkedMain(raw.chunkRefs);
            }
            case "fragment" -> {
                return fragment(raw);
            }
            default -> {
                return poison(PoisonReason.UNKNOWN_TYPE, "type '" + type + "' is none of full, chunked, fragment");
            }
        }
        if (raw.op == null) {
            return poison(PoisonReason.MISSING_OP, "no op");
        }
        int opBytes = raw.op.getBytes(StandardCharsets.UTF_8).length;
        if (opBytes > CdcEventsTable.MAX_OP_BYTES) {
            return poison(
                    PoisonReason.VALUE_TOO_LONG,
                    "op is " + opBytes + " bytes, over the " + CdcEventsTable.MAX_OP_BYTES
                            + " that cdc_events.op holds (an op is kept whole, never cut): " + raw.op);
        }
        if (raw.schema == null || raw.table == null) {
            return poison(
                    PoisonReason.MISSING_SOURCE, raw.sawSource ? "source lacks schema or table" : "no source object");
        }
        if (raw.tsNs == null) {
            return poison(PoisonReason.MISSING_COMMIT_TIME, "source.ts_ns is missing or not an integer");
        }
        int txIdBytes = raw.txId == null ? 0 : raw.txId.getBytes(StandardCharsets.UTF_8).length;
        if (txIdBytes > CdcEventsTable.MAX_TX_ID_BYTES) {
            return poison(
                    PoisonReason.VALUE_TOO_LONG,
                    "source.txId is " + txIdBytes + " bytes, over the " + CdcEventsTable.MAX_TX_ID_BYTES
                            + " that cdc_events.tx_id holds (a transaction id is kept whole, never cut)");
        }
        Optional<CatalogTable> table = catalog.find(raw.schema, raw.table);
        if (table.isEmpty()) {
            return poison(
                    PoisonReason.TABLE_NOT_IN_CATALOG,
                    raw.schema + "." + raw.table
                            + " is not in sql/catalog.json; add it (with its key columns) to capture it");
        }
        boolean delete = raw.op.equals("d");
        Image image = delete ? raw.before : raw.after;
        if (image == null) {
            return delete
                    ? poison(
                            PoisonReason.DELETE_WITHOUT_KEY,
                            "delete with a null before: the table has no primary key in DSQL")
                    : poison(PoisonReason.MISSING_ROW_IMAGE, "op '" + raw.op + "' without an after image");
        }
        if (image.tooLongString != null) {
            return poison(
                    PoisonReason.STRING_TOO_LONG,
                    "a string in " + (delete ? "before" : "after") + " ("
                            + image.tooLongString + ") is over " + maxStringBytes
                            + " bytes, the longest string the warehouse's SUPER holds"
                            + (maxStringBytes < ConsumerEnvironment.LARGE_SUPER_STRING_BYTES
                                    ? " (set warehouse.largeStrings to raise it to "
                                            + ConsumerEnvironment.LARGE_SUPER_STRING_BYTES + ")"
                                    : ""));
        }
        String recordKey;
        try {
            recordKey = recordKey(table.get(), image);
        } catch (MissingKey e) {
            return poison(PoisonReason.KEY_COLUMN_MISSING, e.getMessage());
        } catch (KeyMismatch e) {
            return poison(PoisonReason.KEY_TYPE_MISMATCH, e.getMessage());
        }
        int keyBytes = recordKey.getBytes(StandardCharsets.UTF_8).length;
        if (keyBytes > CdcEventsTable.MAX_RECORD_KEY_BYTES) {
            return poison(
                    PoisonReason.RECORD_KEY_TOO_LONG,
                    "record key of " + keyBytes + " bytes is over " + CdcEventsTable.MAX_RECORD_KEY_BYTES);
        }
        long tsMs = raw.tsMs != null ? raw.tsMs : Math.floorDiv(raw.tsNs, 1_000_000L);
        String eventId = eventId(raw.schema, raw.table, recordKey, raw.tsNs, delete, image);
        return new Decoded.Ok(new Change(
                raw.schema, raw.table, raw.op, delete, recordKey, raw.tsNs, tsMs, raw.txId, image.json, eventId));
    }

    private static Decoded fragment(RawRecord raw) {
        if (raw.chunkId == null || !ChunkRef.isValidChunkId(raw.chunkId)) {
            return poison(
                    PoisonReason.MALFORMED_CHUNK, "a fragment without a valid chunk_id (1-128 of A-Z a-z 0-9 _ -)");
        }
        if (raw.fragmentIndex == null || raw.fragmentIndex < 0 || raw.fragmentIndex >= ChunkRef.MAX_FRAGMENTS) {
            return poison(
                    PoisonReason.MALFORMED_CHUNK,
                    "fragment of chunk " + raw.chunkId + " without an index in 0-" + (ChunkRef.MAX_FRAGMENTS - 1));
        }
        if (raw.fragmentData == null) {
            return poison(
                    PoisonReason.MALFORMED_CHUNK,
                    "fragment " + raw.fragmentIndex + " of chunk " + raw.chunkId + " without a data string");
        }
        return new Decoded.Fragment(raw.chunkId, raw.fragmentIndex.intValue(), raw.fragmentData);
    }

    /**
     * The catalog's key columns, in key order, as a JSON array: strings escaped, numbers as sent. Each
     * value must be what its catalog type is encoded as ({@link KeyTypes}).
     */
    private String recordKey(CatalogTable table, Image image) throws MissingKey, KeyMismatch {
        try (SegmentedStringWriter out = new SegmentedStringWriter(json._getBufferRecycler());
                JsonGenerator gen = json.createGenerator(out)) {
            gen.writeStartArray();
            for (String column : table.primaryKey()) {
                Scalar value = image.topLevel.get(column);
                if (value == null || value.token == JsonToken.VALUE_NULL) {
                    throw new MissingKey("key column " + column + " of " + table.qualifiedName() + " is "
                            + (value == null ? "missing" : "null") + " in the image");
                }
                // The catalog declares every key column (TableCatalog checks it).
                ColumnType type = table.column(column).orElseThrow().type();
                String mismatch = KeyTypes.mismatch(type, value.token, value.text);
                if (mismatch != null) {
                    throw new KeyMismatch("key column " + column + " of " + table.qualifiedName() + " ("
                            + type.spelling() + ") " + mismatch);
                }
                switch (value.token) {
                    case VALUE_STRING -> gen.writeString(value.text);
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> gen.writeNumber(value.text);
                    case VALUE_TRUE, VALUE_FALSE -> gen.writeBoolean(value.token == JsonToken.VALUE_TRUE);
                    default -> throw new IllegalStateException("KeyTypes admits scalars only, got " + value.token);
                }
            }
            gen.writeEndArray();
            gen.flush();
            return out.getAndClear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String eventId(String schema, String table, String key, long tsNs, boolean delete, Image image) {
        MessageDigest digest = sha256.get();
        digest.reset();
        // NUL separators: none of the parts can contain a raw NUL (JSON escapes it), so the
        // concatenation is unambiguous.
        String identity = schema + '\0' + table + '\0' + key + '\0' + tsNs + '\0' + (delete ? 'd' : 'u') + '\0';
        digest.update(identity.getBytes(StandardCharsets.UTF_8));
        // The image's own bytes, as received: no re-encoding of the (large) image text.
        digest.update(image.source, image.offset, image.length);
        return HexFormat.of().formatHex(digest.digest());
    }

    private static Decoded.Poison poison(PoisonReason reason, String detail) {
        String text = detail == null ? reason.label() : detail;
        return new Decoded.Poison(reason, text.length() > MAX_DETAIL ? text.substring(0, MAX_DETAIL) + "…" : text);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    private static final class MissingKey extends Exception {
        MissingKey(String message) {
            super(message, null, false, false);
        }
    }

    private static final class KeyMismatch extends Exception {
        KeyMismatch(String message) {
            super(message, null, false, false);
        }
    }

    /** A top-level scalar of an image: its token type and text (numbers exactly as written). */
    private record Scalar(JsonToken token, String text) {}

    /** A row image: its exact JSON text, its top-level scalars, and the first over-long string if any. */
    private record Image(
            String json, byte[] source, int offset, int length, Map<String, Scalar> topLevel, String tooLongString) {}

    /** The fields of a record, read in one streaming pass; {@code problem} is set if it is malformed. */
    private static final class RawRecord {
        String type;
        String op;
        Image before;
        Image after;
        boolean sawSource;
        String schema;
        String table;
        Long tsNs;
        Long tsMs;
        String txId;
        /** {@code chunked.before} / {@code chunked.after} of a chunked main record. */
        final List<ChunkRef> chunkRefs = new ArrayList<>();
        /** A fragment's {@code chunk_id}, {@code index} and {@code data}. */
        String chunkId;

        Long fragmentIndex;
        String fragmentData;
        Decoded.Poison problem;

        static RawRecord read(JsonFactory json, byte[] data, Set<String> keyColumns, int maxStringBytes)
                throws IOException {
            RawRecord raw = new RawRecord();
            try (JsonParser p = json.createParser(data)) {
                JsonToken first = p.nextToken();
                if (first == null) {
                    raw.problem = poison(PoisonReason.NOT_JSON, "empty data");
                    return raw;
                }
                if (first != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    if (p.nextToken() != null) {
                        raw.problem = poison(PoisonReason.NOT_JSON, "trailing content after the JSON value");
                    } else {
                        raw.problem = poison(
                                PoisonReason.NOT_AN_OBJECT,
                                "the record is a JSON " + first.asString() + " value, not an object");
                    }
                    return raw;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken value = p.nextToken();
                    switch (field) {
                        case "type" -> raw.type = text(p, value, "type", raw);
                        case "op" -> raw.op = text(p, value, "op", raw);
                        case "before" -> raw.before = image(p, value, data, keyColumns, maxStringBytes, "before", raw);
                        case "after" -> raw.after = image(p, value, data, keyColumns, maxStringBytes, "after", raw);
                        case "source" -> raw.source(p, value);
                        case "chunked" -> raw.chunked(p, value);
                        case "chunk_id" -> raw.chunkId = text(p, value, "chunk_id", raw);
                        case "index" -> raw.fragmentIndex = integer(p, value);
                        case "data" -> raw.fragmentData = text(p, value, "data", raw);
                        default -> p.skipChildren();
                    }
                }
                if (p.nextToken() != null) {
                    raw.problem = poison(PoisonReason.NOT_JSON, "trailing content after the JSON object");
                }
            }
            return raw;
        }

        private void source(JsonParser p, JsonToken value) throws IOException {
            if (value == JsonToken.VALUE_NULL) {
                return;
            }
            if (value != JsonToken.START_OBJECT) {
                malformed("source is not an object");
                p.skipChildren();
                return;
            }
            sawSource = true;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken token = p.nextToken();
                switch (field) {
                    case "schema" -> schema = text(p, token, "source.schema", this);
                    case "table" -> table = text(p, token, "source.table", this);
                    case "txId" -> txId = text(p, token, "source.txId", this);
                    case "ts_ns" -> tsNs = integer(p, token);
                    case "ts_ms" -> tsMs = integer(p, token);
                    default -> p.skipChildren();
                }
            }
        }

        /** Reads {@code chunked: {before?: ref, after?: ref}}; a malformed reference makes the record malformed. */
        private void chunked(JsonParser p, JsonToken value) throws IOException {
            if (value == JsonToken.VALUE_NULL) {
                return;
            }
            if (value != JsonToken.START_OBJECT) {
                chunkProblem("chunked is not an object");
                p.skipChildren();
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String image = p.currentName();
                JsonToken token = p.nextToken();
                if (!image.equals("before") && !image.equals("after") || token == JsonToken.VALUE_NULL) {
                    p.skipChildren();
                    continue;
                }
                if (token != JsonToken.START_OBJECT) {
                    chunkProblem("chunked." + image + " is not an object");
                    p.skipChildren();
                    continue;
                }
                String id = null;
                Long total = null;
                String crc = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken t = p.nextToken();
                    switch (field) {
                        case "chunk_id" -> id = t == JsonToken.VALUE_STRING ? p.getText() : null;
                        case "total_fragments" -> total = integer(p, t);
                        case "crc32c" -> crc = t == JsonToken.VALUE_STRING ? p.getText() : null;
                        default -> p.skipChildren();
                    }
                    if (t.isStructStart()) {
                        p.skipChildren();
                    }
                }
                String where = "chunked." + image;
                if (id == null || !ChunkRef.isValidChunkId(id)) {
                    chunkProblem(where + ".chunk_id is missing or not 1-128 of A-Z a-z 0-9 _ -");
                } else if (total == null || total < 1 || total > ChunkRef.MAX_FRAGMENTS) {
                    chunkProblem(where + ".total_fragments is not a whole number in 1-" + ChunkRef.MAX_FRAGMENTS);
                } else if (ChunkRef.parseCrc32c(crc).isEmpty()) {
                    chunkProblem(where + ".crc32c is not a decimal string in 0-4294967295");
                } else {
                    chunkRefs.add(new ChunkRef(
                            image,
                            id,
                            total.intValue(),
                            ChunkRef.parseCrc32c(crc).getAsLong()));
                }
            }
        }

        private void chunkProblem(String detail) {
            if (problem == null) {
                problem = poison(PoisonReason.MALFORMED_CHUNK, detail);
            }
        }

        private static Long integer(JsonParser p, JsonToken token) throws IOException {
            if (token == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                return p.getLongValue();
            }
            p.skipChildren();
            return null;
        }

        private static String text(JsonParser p, JsonToken token, String field, RawRecord raw) throws IOException {
            if (token == JsonToken.VALUE_STRING) {
                return p.getText();
            }
            if (token != JsonToken.VALUE_NULL) {
                raw.malformed(field + " is not a string");
                p.skipChildren();
            }
            return null;
        }

        private static Image image(
                JsonParser p,
                JsonToken token,
                byte[] data,
                Set<String> keyColumns,
                int maxStringBytes,
                String field,
                RawRecord raw)
                throws IOException {
            if (token == JsonToken.VALUE_NULL) {
                return null;
            }
            if (token != JsonToken.START_OBJECT) {
                raw.malformed(field + " is not an object");
                p.skipChildren();
                return null;
            }
            int start = (int) p.currentTokenLocation().getByteOffset();
            Map<String, Scalar> topLevel = new HashMap<>();
            String tooLong = null;
            int depth = 1;
            String name = null;
            while (depth > 0) {
                JsonToken t = p.nextToken();
                switch (t) {
                    case START_OBJECT, START_ARRAY -> {
                        if (depth == 1 && keyColumns.contains(name)) {
                            // a key column holding a container: recorded, so it is refused by type
                            topLevel.put(name, new Scalar(t, null));
                        }
                        depth++;
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME -> name = depth == 1 ? p.currentName() : name;
                    default -> {
                        if (t == JsonToken.VALUE_STRING && tooLong == null && isTooLong(p, maxStringBytes)) {
                            tooLong = depth == 1 ? "column " + name : "inside column " + name;
                        }
                        if (depth == 1 && keyColumns.contains(name)) {
                            topLevel.put(name, new Scalar(t, p.getText()));
                        }
                    }
                }
            }
            int end = (int) p.currentTokenLocation().getByteOffset() + 1;
            return new Image(
                    new String(data, start, end - start, StandardCharsets.UTF_8),
                    data,
                    start,
                    end - start,
                    topLevel,
                    tooLong);
        }

        private static boolean isTooLong(JsonParser p, int maxStringBytes) throws IOException {
            int chars = p.getTextLength();
            if ((long) chars * 3 <= maxStringBytes) {
                return false;
            }
            return chars > maxStringBytes || p.getText().getBytes(StandardCharsets.UTF_8).length > maxStringBytes;
        }

        private void malformed(String detail) {
            if (problem == null) {
                problem = poison(PoisonReason.MALFORMED_FIELD, detail);
            }
        }
    }
}
