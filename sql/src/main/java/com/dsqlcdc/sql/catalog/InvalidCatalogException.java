package com.dsqlcdc.sql.catalog;

import java.util.List;

/** The table catalog is not valid; the message lists every problem, each with its JSON path and the fix. */
public final class InvalidCatalogException extends RuntimeException {

    private final List<String> problems;

    InvalidCatalogException(String source, List<String> problems) {
        super("Invalid table catalog " + source + ":\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** @return each problem, in the order found */
    public List<String> problems() {
        return problems;
    }
}
