package com.dsqlcdc.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One row read from the source.
 *
 * @param key    its key values as PostgreSQL writes them in text, in key order (a range bound)
 * @param values every catalog column's CDC encoding ({@link ValueEncoder}), in catalog order
 * @param bytes  about how much text it read (for the page's byte limit)
 */
public record SourceRow(List<String> key, List<JsonNode> values, long bytes) {
    public SourceRow {
        key = List.copyOf(key);
        values = List.copyOf(values);
    }
}
