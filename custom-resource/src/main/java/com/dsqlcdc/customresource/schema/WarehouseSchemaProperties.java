package com.dsqlcdc.customresource.schema;

import com.dsqlcdc.clients.dataapi.DataApiTarget;
import com.dsqlcdc.contract.Problems;
import com.dsqlcdc.sql.Identifiers;
import com.dsqlcdc.sql.WarehouseSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The validated properties of a {@code Custom::WarehouseSchema}. CloudFormation delivers every
 * property as a string ({@code Statements} and {@code Views} as lists of strings), so each one is
 * parsed and checked here, and all problems are reported together, each naming its property.
 *
 * <ul>
 *   <li>{@code WorkgroupName}, {@code Database}: where the Data API runs the SQL.
 *   <li>{@code SecretArn}: the Secrets Manager secret of the namespace's admin user.
 *   <li>{@code ConsumerUser}: {@code IAMR:<role name>}, the consumer Lambda's database user.
 *   <li>{@code Statements}: the SQL to run, in order, one Data API statement each. Every
 *       {@code {{consumer_user}}} ({@link WarehouseSchema#CONSUMER_USER_PLACEHOLDER}) is replaced by
 *       the quoted consumer user.
 *   <li>{@code Views}: the views the statements create, as {@code "schema"."name"}; on Update the
 *       views that were in the old list and are no longer in the new one are dropped.
 * </ul>
 *
 * @param statements the statements with the placeholder already substituted
 */
public record WarehouseSchemaProperties(
        String workgroupName,
        String database,
        String secretArn,
        String consumerUser,
        List<String> statements,
        List<String> views) {

    /** Replaced by the quoted consumer user in every statement. */
    public static final String CONSUMER_USER_PLACEHOLDER = WarehouseSchema.CONSUMER_USER_PLACEHOLDER;

    /** The Data API's limit on one statement's SQL text (100 KB), the same bound the sql module builds to. */
    static final int MAX_STATEMENT_BYTES = WarehouseSchema.MAX_STATEMENT_BYTES;

    private static final Pattern WORKGROUP = Pattern.compile("[a-z0-9-]{3,64}");
    private static final Pattern DATABASE = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,63}");
    private static final Pattern SECRET_ARN =
            Pattern.compile("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[A-Za-z0-9/_+=.@!-]{1,512}");
    private static final String IDENT = "[A-Za-z_][A-Za-z0-9_$]*";
    private static final Pattern VIEW = Pattern.compile("\"(" + IDENT + ")\"\\.\"(" + IDENT + ")\"");
    private static final Set<String> KNOWN =
            Set.of("ServiceToken", "WorkgroupName", "Database", "SecretArn", "ConsumerUser", "Statements", "Views");

    public WarehouseSchemaProperties {
        statements = List.copyOf(statements);
        views = List.copyOf(views);
    }

    /**
     * Parses the ResourceProperties of a Create or Update; throws {@link WarehouseSchemaException}
     * listing every problem. Unknown properties are refused (a misspelt one would otherwise be
     * silently ignored).
     */
    public static WarehouseSchemaProperties parse(Map<String, Object> properties) {
        return parse(properties, true);
    }

    /**
     * Parses the OldResourceProperties of an Update: they were accepted when they were applied, so
     * the same checks hold, but a property that a later version no longer knows is not an error.
     */
    public static WarehouseSchemaProperties parseOld(Map<String, Object> properties) {
        return parse(properties, false);
    }

    private static WarehouseSchemaProperties parse(Map<String, Object> properties, boolean current) {
        Problems problems = new Problems();
        if (current) {
            problems.unknownKeys(properties.keySet(), KNOWN, "property", null);
        }
        String workgroup = string(
                properties,
                "WorkgroupName",
                WORKGROUP,
                "a Redshift Serverless workgroup name (3-64 characters a-z, 0-9 and -)",
                problems);
        String database = string(
                properties,
                "Database",
                DATABASE,
                "a database name (1-64 letters, digits, _ or $, not starting with a digit)",
                problems);
        String secret = string(
                properties,
                "SecretArn",
                SECRET_ARN,
                "a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)",
                problems);
        String user = consumerUser(properties.get("ConsumerUser"), problems);
        List<String> statements = statements(properties.get("Statements"), user, problems);
        List<String> views = views(properties.get("Views"), problems);
        String which = current ? "properties" : "old properties (OldResourceProperties)";
        problems.throwIfAny("Invalid " + which + " of Custom::WarehouseSchema", WarehouseSchemaException::new);
        return new WarehouseSchemaProperties(workgroup, database, secret, user, statements, views);
    }

    /** {@code warehouse-schema:<WorkgroupName>/<Database>}: another database is another resource. */
    public String physicalId() {
        return "warehouse-schema:" + workgroupName + "/" + database;
    }

    public DataApiTarget target() {
        return DataApiTarget.withSecret(workgroupName, database, secretArn);
    }

    /** The consumer user in double quotes, as it goes into SQL text. */
    public String quotedConsumerUser() {
        return Identifiers.quoteIamRoleUser(consumerUser);
    }

    // ---- parsing ----------------------------------------------------------------------------------

    private static String string(
            Map<String, Object> properties, String key, Pattern pattern, String expected, Problems problems) {
        Object value = properties.get(key);
        if (value == null || (value instanceof String s && s.isBlank())) {
            problems.add(key, key + " is required: expected " + expected, null);
            return null;
        }
        if (!(value instanceof String s) || !pattern.matcher(s).matches()) {
            problems.add(key, key + " must be " + expected + ", got " + describe(value), null);
            return null;
        }
        return s;
    }

    private static String consumerUser(Object value, Problems problems) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            problems.add(
                    "ConsumerUser",
                    "ConsumerUser is required: expected IAMR:<role name> (the consumer Lambda's database user)",
                    null);
            return null;
        }
        if (!(value instanceof String s)) {
            problems.add(
                    "ConsumerUser", "ConsumerUser must be a string IAMR:<role name>, got " + describe(value), null);
            return null;
        }
        try {
            Identifiers.quoteIamRoleUser(s);
            return s;
        } catch (IllegalArgumentException e) {
            problems.add("ConsumerUser", "ConsumerUser: " + e.getMessage(), null);
            return null;
        }
    }

    private static List<String> statements(Object value, String user, Problems problems) {
        List<String> raw = stringList("Statements", value, problems);
        if (raw == null) {
            return List.of();
        }
        if (raw.isEmpty()) {
            problems.add("Statements", "Statements must hold at least one SQL statement", null);
            return List.of();
        }
        String quotedUser = user == null ? null : Identifiers.quoteIamRoleUser(user);
        List<String> statements = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String sql = raw.get(i);
            if (sql.isBlank()) {
                problems.add("Statements[" + i + "]", "Statements[" + i + "] is blank", null);
                continue;
            }
            String substituted = quotedUser == null ? sql : sql.replace(CONSUMER_USER_PLACEHOLDER, quotedUser);
            int bytes = substituted.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_STATEMENT_BYTES) {
                problems.add(
                        "Statements[" + i + "]",
                        "Statements[" + i + "] is " + bytes
                                + " bytes; the Data API takes at most 100 KB of SQL per statement",
                        "split it");
                continue;
            }
            statements.add(substituted);
        }
        return statements;
    }

    private static List<String> views(Object value, Problems problems) {
        if (value == null || (value instanceof String s && s.isEmpty())) {
            return List.of(); // no captured tables, no views
        }
        List<String> raw = stringList("Views", value, problems);
        if (raw == null) {
            return List.of();
        }
        List<String> views = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            String view = raw.get(i);
            Matcher m = VIEW.matcher(view);
            if (!m.matches() || !Identifiers.isValid(m.group(1)) || !Identifiers.isValid(m.group(2))) {
                problems.add(
                        "Views[" + i + "]",
                        "Views[" + i
                                + "] must be a quoted qualified view name \"schema\".\"view\" (letters, digits, _ or $,"
                                + " not starting with a digit, at most " + Identifiers.MAX_BYTES + " bytes each), got "
                                + describe(view),
                        null);
            } else if (!seen.add(view)) {
                problems.add("Views[" + i + "]", "Views[" + i + "] lists " + view + " twice", null);
            } else {
                views.add(view);
            }
        }
        return views;
    }

    /** A JSON array of strings; {@code null} (with a problem recorded) for anything else. */
    private static List<String> stringList(String key, Object value, Problems problems) {
        if (value == null) {
            problems.add(key, key + " is required: expected a list of strings", null);
            return null;
        }
        if (!(value instanceof List<?> list)) {
            problems.add(key, key + " must be a list of strings, got " + describe(value), null);
            return null;
        }
        List<String> strings = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) instanceof String s) {
                strings.add(s);
            } else {
                problems.add(
                        key + "[" + i + "]", key + "[" + i + "] must be a string, got " + describe(list.get(i)), null);
                ok = false;
            }
        }
        return ok ? strings : null;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        String text = String.valueOf(value).replaceAll("\\p{Cntrl}", "?");
        if (text.length() > 120) {
            text = text.substring(0, 120) + "…";
        }
        return value instanceof String ? "\"" + text + "\"" : value.getClass().getSimpleName() + " " + text;
    }
}
