package com.dsqlcdc.sql;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Redshift identifiers that this project writes into SQL text: schema, table, column and user
 * names. They come from the table catalog or from the deployment, never from change data, and
 * are still validated before they are quoted, so nothing in SQL text can be anything but a name.
 */
public final class Identifiers {

    /** Letters, digits, underscore and dollar, not starting with a digit: what DSQL and Redshift both accept unquoted. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");
    /** Redshift's limit on an identifier, in bytes. */
    public static final int MAX_BYTES = 127;

    private Identifiers() {}

    /** @return whether {@code name} is a name this project accepts (see {@link #NAME}) */
    public static boolean isValid(String name) {
        return name != null
                && NAME.matcher(name).matches()
                && name.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
    }

    /**
     * @param name a schema, table or column name
     * @return the name in double quotes (exact case: the workgroup enables case-sensitive identifiers)
     * @throws IllegalArgumentException if the name is not valid
     */
    public static String quote(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException("not a valid identifier: " + describe(name)
                    + " (use letters, digits, _ or $, not starting with a digit, at most " + MAX_BYTES + " bytes)");
        }
        return '"' + name + '"';
    }

    /** @return {@code "schema"."name"} */
    /**
     * A name as a SQL string literal, for comparing with columns that hold names
     * ({@code source_schema}, {@code source_table}). A valid identifier holds no quote, backslash or
     * control character, so it needs no escaping; anything else is refused.
     *
     * @param name a schema, table or column name
     * @return {@code 'name'}
     * @throws IllegalArgumentException if {@code name} is not a valid identifier
     */
    public static String literal(String name) {
        quote(name);
        return "'" + name + "'";
    }

    public static String qualified(String schema, String name) {
        return quote(schema) + "." + quote(name);
    }

    /**
     * A database user name of an IAM role, {@code IAMR:<role name>}: IAM allows {@code +=,.@-} in
     * role names, so this is validated against IAM's own alphabet rather than {@link #NAME}.
     *
     * @return the user name in double quotes
     */
    public static String quoteIamRoleUser(String user) {
        if (user == null || !user.matches("IAMR:[A-Za-z0-9+=,.@_-]{1,64}")) {
            throw new IllegalArgumentException("not an IAM role database user: " + describe(user)
                    + " (expected IAMR:<role name>, role name of 1-64 characters from [A-Za-z0-9+=,.@_-])");
        }
        return '"' + user + '"';
    }

    private static String describe(String name) {
        return name == null ? "null" : "'" + name.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
