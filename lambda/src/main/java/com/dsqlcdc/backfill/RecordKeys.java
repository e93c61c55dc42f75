package com.dsqlcdc.backfill;

import com.dsqlcdc.sql.catalog.CatalogTable;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A source row's {@code record_key}, written exactly as the consumer's decoder writes it from the
 * row's image (the key columns' encodings, in key order, as a compact JSON array: strings escaped by
 * Jackson, numbers as their text), so that it can be compared with the keys the warehouse holds
 * without decoding anything.
 */
final class RecordKeys {

    private static final JsonFactory JSON = new JsonFactory();

    private RecordKeys() {}

    /**
     * @param table  the row's table
     * @param values its catalog columns' encodings, in catalog order
     * @return its record key
     */
    static String of(CatalogTable table, List<JsonNode> values) {
        try (SegmentedStringWriter out = new SegmentedStringWriter(JSON._getBufferRecycler());
                JsonGenerator gen = JSON.createGenerator(out)) {
            gen.writeStartArray();
            for (String column : table.primaryKey()) {
                JsonNode value =
                        values.get(table.columns().indexOf(table.column(column).orElseThrow()));
                if (value.isTextual()) {
                    gen.writeString(value.textValue());
                } else if (value.isBoolean()) {
                    gen.writeBoolean(value.booleanValue());
                } else if (value.isNumber()) {
                    gen.writeNumber(value.asText());
                } else {
                    throw new IllegalArgumentException(
                            "key column " + column + " of " + table.qualifiedName() + " is " + value.getNodeType());
                }
            }
            gen.writeEndArray();
            gen.flush();
            return out.getAndClear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
