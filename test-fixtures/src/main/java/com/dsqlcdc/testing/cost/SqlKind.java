package com.dsqlcdc.testing.cost;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a statement is, as far as its cost is concerned: read from its SQL text alone, so that the
 * Data API fake (which sees the SQL on the wire) and the benchmark's simulation (which generates
 * the loader's SQL with {@code LoadRunSql}) charge the same statement the same way.
 */
public enum SqlKind {
    /** {@code COPY}: a load from S3; costs seconds (fixed, per file, per MB). */
    COPY(true),
    /** {@code MERGE}: costs grow with the rows it touches. */
    MERGE(true),
    /** {@code INSERT}, {@code UPDATE}, {@code DELETE}: per row. */
    DML(true),
    /** {@code CREATE [TEMP] TABLE ... AS SELECT}: a query that writes its result. */
    CREATE_AS(true),
    /** {@code SELECT} / {@code WITH}: reads only; a transaction of reads does not commit. */
    QUERY(false),
    /** {@code LOCK}: takes a table lock; nothing to write. */
    LOCK(false),
    /** {@code SET}, {@code SHOW}, {@code RESET}: session settings; nothing to write. */
    SESSION(false),
    /** Any other DDL or DCL ({@code CREATE}, {@code DROP}, {@code ALTER}, {@code GRANT}, ...): a catalog write. */
    DDL(true);

    private static final Pattern CREATE_AS_SELECT = Pattern.compile(
            "(?is)^\\s*CREATE\\s+(TEMP\\s+|TEMPORARY\\s+)?TABLE\\s.*?\\bAS\\s*\\(?\\s*(SELECT|WITH)\\b.*");

    private final boolean writes;

    SqlKind(boolean writes) {
        this.writes = writes;
    }

    /**
     * @return whether the statement changes something, so that the transaction it is part of ends
     *         with a commit (temporary tables included: see {@link WarehouseCostModel#commit})
     */
    public boolean writes() {
        return writes;
    }

    /**
     * @param sql one statement
     * @return its kind, from its first word (after whitespace, comments and opening parentheses)
     */
    public static SqlKind of(String sql) {
        String first = firstWord(sql);
        return switch (first) {
            case "COPY" -> COPY;
            case "MERGE" -> MERGE;
            case "INSERT", "UPDATE", "DELETE" -> DML;
            case "SELECT", "WITH" -> QUERY;
            case "LOCK" -> LOCK;
            case "SET", "SHOW", "RESET" -> SESSION;
            case "CREATE" -> CREATE_AS_SELECT.matcher(sql).matches() ? CREATE_AS : DDL;
            default -> DDL;
        };
    }

    /**
     * @param sql a statement
     * @return its first word (letters, digits, underscores), upper-cased, after whitespace,
     *         {@code --} and {@code /* *}{@code /} comments and opening parentheses
     */
    public static String firstWord(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (sql.startsWith("--", i)) {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                break;
            }
        }
        int j = i;
        while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            j++;
        }
        return sql.substring(i, j).toUpperCase(Locale.ROOT);
    }
}
