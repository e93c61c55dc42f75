package com.dsqlcdc.backfill;

import com.dsqlcdc.sql.catalog.CatalogTable;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.TreeMap;

/**
 * Row images as comparable text: fields sorted, every number as its exact decimal value (the
 * warehouse's JSONB writes {@code 1.0E30} as {@code 1000000000000000000000000000000}).
 */
final class Images {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private Images() {}

    /** @return the image a row's encoded values make */
    static String of(CatalogTable table, List<JsonNode> values) {
        ObjectNode image = JSON.createObjectNode();
        for (int i = 0; i < values.size(); i++) {
            image.set(table.columns().get(i).name(), values.get(i));
        }
        return normalize(image.toString());
    }

    /** @return {@code json} with its fields sorted and its numbers as exact plain decimals */
    static String normalize(String json) {
        try {
            return canonical(JSON.readTree(json)).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            node.fields().forEachRemaining(f -> sorted.put(f.getKey(), canonical(f.getValue())));
            ObjectNode out = JSON.createObjectNode();
            sorted.forEach(out::set);
            return out;
        }
        if (node.isNumber()) {
            return JsonNodeFactory.instance.textNode(
                    "#" + node.decimalValue().stripTrailingZeros().toPlainString());
        }
        return node;
    }
}
