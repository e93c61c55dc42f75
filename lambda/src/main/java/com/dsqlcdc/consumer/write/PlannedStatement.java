package com.dsqlcdc.consumer.write;

import java.util.List;
import java.util.Map;

/**
 * One multi-row INSERT ready for the Data API.
 *
 * @param sql        the statement text: names and placeholders only, never a data value
 * @param parameters named parameters ({@code r0}, {@code r1}, …): one JSON envelope per row
 * @param records    the batch positions of the records it writes, ascending
 */
public record PlannedStatement(String sql, Map<String, String> parameters, List<Integer> records) {
    public PlannedStatement {
        parameters = Map.copyOf(parameters);
        records = List.copyOf(records);
    }
}
