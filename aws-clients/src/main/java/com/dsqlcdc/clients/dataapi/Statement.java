package com.dsqlcdc.clients.dataapi;

import java.util.List;
import java.util.Map;

/**
 * What one Data API submission runs: one SQL text with named parameters ({@code :name}; values are
 * non-empty strings), through ExecuteStatement, or 1-40 SQL texts without parameters run in order
 * in one transaction, through BatchExecuteStatement.
 *
 * @param sqls       the SQL texts (one for ExecuteStatement)
 * @param parameters named parameters, ExecuteStatement only
 * @param batch      whether it goes through BatchExecuteStatement
 */
public record Statement(List<String> sqls, Map<String, String> parameters, boolean batch) {

    /** The most statements BatchExecuteStatement takes. */
    public static final int MAX_BATCH = 40;

    public Statement {
        sqls = List.copyOf(sqls);
        parameters = Map.copyOf(parameters);
        if (sqls.isEmpty() || (!batch && sqls.size() != 1) || sqls.size() > MAX_BATCH) {
            throw new IllegalArgumentException(
                    "a statement is one SQL text, or a batch of 1-" + MAX_BATCH + "; got " + sqls.size());
        }
        if (batch && !parameters.isEmpty()) {
            throw new IllegalArgumentException("BatchExecuteStatement takes no parameters");
        }
    }

    /** @return one SQL text with named parameters */
    public static Statement of(String sql, Map<String, String> parameters) {
        return new Statement(List.of(sql), parameters, false);
    }

    /** @return SQL texts run in order, in one transaction */
    public static Statement batch(List<String> sqls) {
        return new Statement(sqls, Map.of(), true);
    }

    /** @return the (first) SQL text */
    public String sql() {
        return sqls.get(0);
    }
}
