package com.dsqlcdc.backfill;

import java.util.List;

/** The Data API's {@code :name} parameters, turned into JDBC's {@code ?} (quoted text and {@code ::} casts left alone). */
final class NamedParameters {

    private NamedParameters() {}

    /**
     * @param sql   SQL with {@code :name} parameters
     * @param names receives each parameter's name, in order of appearance
     * @return the SQL with {@code ?} in their place
     */
    static String positional(String sql, List<String> names) {
        StringBuilder out = new StringBuilder(sql.length());
        char quote = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (quote != 0) {
                out.append(c);
                if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                out.append(c);
                continue;
            }
            boolean cast =
                    c == ':' && (i + 1 < sql.length() && sql.charAt(i + 1) == ':' || i > 0 && sql.charAt(i - 1) == ':');
            if (c == ':' && !cast && i + 1 < sql.length() && Character.isJavaIdentifierStart(sql.charAt(i + 1))) {
                int end = i + 1;
                while (end < sql.length() && Character.isJavaIdentifierPart(sql.charAt(end))) {
                    end++;
                }
                names.add(sql.substring(i + 1, end));
                out.append('?');
                i = end - 1;
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }
}
