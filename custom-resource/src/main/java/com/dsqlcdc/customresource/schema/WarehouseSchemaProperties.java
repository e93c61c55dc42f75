package com.dsqlcdc.customresource.schema;

import com.dsqlcdc.clients.dataapi.DataApiTarget;
import com.dsqlcdc.clients.dataapi.Statement;
import com.dsqlcdc.contract.Problems;
import com.dsqlcdc.customresource.schema.SchemaTable.TableRef;
import com.dsqlcdc.sql.Identifiers;
import com.dsqlcdc.sql.WarehouseSchema;
import com.dsqlcdc.sql.current.StateTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The validated properties of a {@code Custom::WarehouseSchema}. CloudFormation delivers every
 * leaf value as a string, so each property is parsed and checked here, and all problems are
 * reported together, each naming its property. Infra renders them at synth from the table catalog
 * with the sql module's {@code WarehouseSchema}.
 *
 * <ul>
 *   <li>{@code WorkgroupName}, {@code Database}: where the Data API runs the SQL.
 *   <li>{@code SecretArn}: the Secrets Manager secret of the namespace's admin user.
 *   <li>{@code LoaderUser}: {@code IAMR:<role name>}, the loader Lambda's database user.
 *   <li>{@code Statements}: the change log, control tables, schemas and audit views, in order, one
 *       Data API statement each ({@code WarehouseSchema.statements()}).
 *   <li>{@code Tables}: per catalog table, {@code Schema}, {@code Name}, the {@code Shape} its state
 *       table is built for and its {@code Rebuild} (1-40 statements, one transaction).
 *   <li>{@code Grants}: the loader's grants ({@code WarehouseSchema.grantStatements()}).
 * </ul>
 *
 * Every {@code {{loader_user}}} ({@link WarehouseSchema#LOADER_USER_PLACEHOLDER}) in the SQL is
 * replaced by the quoted loader user.
 *
 * @param statements the statements, placeholder substituted
 * @param tables     the tables, their rebuilds substituted
 * @param grants     the grants, substituted
 */
public record WarehouseSchemaProperties(
        String workgroupName,
        String database,
        String secretArn,
        String loaderUser,
        List<String> statements,
        List<SchemaTable> tables,
        List<String> grants) {

    /** Replaced by the quoted loader user in every statement. */
    public static final String LOADER_USER_PLACEHOLDER = WarehouseSchema.LOADER_USER_PLACEHOLDER;

    /** The Data API's limit on one statement's SQL text (100 KB), the same bound the sql module builds to. */
    static final int MAX_STATEMENT_BYTES = WarehouseSchema.MAX_STATEMENT_BYTES;

    private static final Pattern WORKGROUP = Pattern.compile("[a-z0-9-]{3,64}");
    private static final Pattern DATABASE = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,63}");
    private static final Pattern SECRET_ARN =
            Pattern.compile("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[A-Za-z0-9/_+=.@!-]{1,512}");
    private static final Pattern SHAPE = Pattern.compile("[0-9a-f]{64}");
    private static final String IDENT = "[A-Za-z_][A-Za-z0-9_$]*";
    /** A view of the resource's first version ({@code Views}): {@code "schema"."<table>_current"}. */
    private static final Pattern LEGACY_VIEW =
            Pattern.compile("\"(" + IDENT + ")\"\\.\"(" + IDENT + ")" + StateTable.CURRENT_SUFFIX + "\"");

    private static final Set<String> KNOWN = Set.of(
            "ServiceToken", "WorkgroupName", "Database", "SecretArn", "LoaderUser", "Statements", "Tables", "Grants");
    private static final Set<String> TABLE_KEYS = Set.of("Schema", "Name", "Shape", "Rebuild");

    public WarehouseSchemaProperties {
        statements = List.copyOf(statements);
        tables = List.copyOf(tables);
        grants = List.copyOf(grants);
    }

    /**
     * What an Update's OldResourceProperties say about the warehouse as it was left: where it is,
     * which database users the resource had made (to retire those the new properties no longer
     * name), and which tables were captured (to drop those that left the catalog).
     *
     * @param workgroupName the workgroup
     * @param database      the database
     * @param users         {@code IAMR:<role>} users: the loader's, and the consumer's of the
     *                      resource's first version ({@code ConsumerUser}), when they were set
     * @param tables        the captured tables: from {@code Tables}, or from the first version's
     *                      {@code Views} ({@code "schema"."<table>_current"})
     */
    public record Previous(String workgroupName, String database, List<String> users, List<TableRef> tables) {

        public Previous {
            users = List.copyOf(users);
            tables = List.copyOf(tables);
        }

        /** @return the physical id these properties were applied under */
        public String physicalId() {
            return WarehouseSchemaProperties.physicalId(workgroupName, database);
        }
    }

    /**
     * Parses the ResourceProperties of a Create or Update; throws {@link WarehouseSchemaException}
     * listing every problem. Unknown properties are refused (a misspelt one would otherwise be
     * silently ignored).
     */
    public static WarehouseSchemaProperties parse(Map<String, Object> properties) {
        Problems problems = new Problems();
        problems.unknownKeys(properties.keySet(), KNOWN, "property", null);
        String workgroup = workgroup(properties, problems);
        String database = database(properties, problems);
        String secret = string(
                properties,
                "SecretArn",
                SECRET_ARN,
                "a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)",
                problems);
        String user = loaderUser(properties.get("LoaderUser"), problems);
        String quotedUser = user == null ? null : Identifiers.quoteIamRoleUser(user);
        List<String> statements = sqlList("Statements", properties.get("Statements"), quotedUser, true, problems);
        List<SchemaTable> tables = tables(properties.get("Tables"), quotedUser, problems);
        List<String> grants = sqlList("Grants", properties.get("Grants"), quotedUser, false, problems);
        problems.throwIfAny("Invalid properties of Custom::WarehouseSchema", WarehouseSchemaException::new);
        return new WarehouseSchemaProperties(workgroup, database, secret, user, statements, tables, grants);
    }

    /**
     * Parses the OldResourceProperties of an Update. They were accepted when they were applied, by
     * this version or the first one (which had {@code ConsumerUser} and {@code Views}), so only what
     * an Update needs is read, and what a version no longer knows is not an error.
     */
    public static Previous parseOld(Map<String, Object> properties) {
        Problems problems = new Problems();
        String workgroup = workgroup(properties, problems);
        String database = database(properties, problems);
        List<String> users = new ArrayList<>();
        for (String key : List.of("LoaderUser", "ConsumerUser")) {
            Object value = properties.get(key);
            if (value instanceof String s && !s.isBlank()) {
                String user = iamRoleUser(key, s, problems);
                if (user != null && !users.contains(user)) {
                    users.add(user);
                }
            }
        }
        Set<TableRef> tables = new LinkedHashSet<>();
        if (properties.get("Tables") instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) instanceof Map<?, ?> table
                        && table.get("Schema") instanceof String schema
                        && table.get("Name") instanceof String name
                        && Identifiers.isValid(schema)
                        && Identifiers.isValid(name)) {
                    tables.add(new TableRef(schema, name));
                } else {
                    problems.add("Tables[" + i + "]", "Tables[" + i + "] has no valid Schema and Name", null);
                }
            }
        } else if (properties.get("Views") instanceof List<?> views) {
            for (Object view : views) {
                Matcher m = view instanceof String s ? LEGACY_VIEW.matcher(s) : null;
                if (m != null && m.matches() && Identifiers.isValid(m.group(2))) {
                    tables.add(new TableRef(m.group(1), m.group(2)));
                }
            }
        }
        problems.throwIfAny(
                "Invalid old properties (OldResourceProperties) of Custom::WarehouseSchema",
                WarehouseSchemaException::new);
        return new Previous(workgroup, database, users, new ArrayList<>(tables));
    }

    /** {@code warehouse-schema:<WorkgroupName>/<Database>}: another database is another resource. */
    public String physicalId() {
        return physicalId(workgroupName, database);
    }

    static String physicalId(String workgroupName, String database) {
        return "warehouse-schema:" + workgroupName + "/" + database;
    }

    public DataApiTarget target() {
        return DataApiTarget.withSecret(workgroupName, database, secretArn);
    }

    /** @return the tables by name */
    public List<TableRef> tableRefs() {
        return tables.stream().map(SchemaTable::ref).toList();
    }

    // ---- parsing ----------------------------------------------------------------------------------

    private static String workgroup(Map<String, Object> properties, Problems problems) {
        return string(
                properties,
                "WorkgroupName",
                WORKGROUP,
                "a Redshift Serverless workgroup name (3-64 characters a-z, 0-9 and -)",
                problems);
    }

    private static String database(Map<String, Object> properties, Problems problems) {
        return string(
                properties,
                "Database",
                DATABASE,
                "a database name (1-64 letters, digits, _ or $, not starting with a digit)",
                problems);
    }

    private static String string(
            Map<String, Object> properties, String key, Pattern pattern, String expected, Problems problems) {
        Object value = properties.get(key);
        if (value == null || (value instanceof String s && s.isBlank())) {
            problems.add(key, key + " is required: expected " + expected, null);
            return null;
        }
        if (!(value instanceof String s) || !pattern.matcher(s).matches()) {
            problems.add(key, key + " must be " + expected + ", got " + Problems.describe(value), null);
            return null;
        }
        return s;
    }

    private static String loaderUser(Object value, Problems problems) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            problems.add(
                    "LoaderUser",
                    "LoaderUser is required: expected IAMR:<role name> (the loader Lambda's database user)",
                    null);
            return null;
        }
        if (!(value instanceof String s)) {
            problems.add(
                    "LoaderUser",
                    "LoaderUser must be a string IAMR:<role name>, got " + Problems.describe(value),
                    null);
            return null;
        }
        return iamRoleUser("LoaderUser", s, problems);
    }

    private static String iamRoleUser(String key, String user, Problems problems) {
        try {
            Identifiers.quoteIamRoleUser(user);
            return user;
        } catch (IllegalArgumentException e) {
            problems.add(key, key + ": " + e.getMessage(), null);
            return null;
        }
    }

    /** A list of SQL texts, each substituted and within the Data API's limit. */
    private static List<String> sqlList(
            String key, Object value, String quotedUser, boolean atLeastOne, Problems problems) {
        List<String> raw = stringList(key, value, problems);
        if (raw == null) {
            return List.of();
        }
        if (raw.isEmpty() && atLeastOne) {
            problems.add(key, key + " must hold at least one SQL statement", null);
            return List.of();
        }
        List<String> statements = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String sql = sql(key + "[" + i + "]", raw.get(i), quotedUser, problems);
            if (sql != null) {
                statements.add(sql);
            }
        }
        return statements;
    }

    private static String sql(String key, String sql, String quotedUser, Problems problems) {
        if (sql.isBlank()) {
            problems.add(key, key + " is blank", null);
            return null;
        }
        String substituted = quotedUser == null ? sql : sql.replace(LOADER_USER_PLACEHOLDER, quotedUser);
        int bytes = substituted.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_STATEMENT_BYTES) {
            problems.add(
                    key,
                    key + " is " + bytes + " bytes; the Data API takes at most 100 KB of SQL per statement",
                    "split it");
            return null;
        }
        return substituted;
    }

    private static List<SchemaTable> tables(Object value, String quotedUser, Problems problems) {
        if (value == null || (value instanceof String s && s.isEmpty())) {
            return List.of(); // CloudFormation drops an empty list to nothing: no captured tables
        }
        if (!(value instanceof List<?> list)) {
            problems.add("Tables", "Tables must be a list of objects, got " + Problems.describe(value), null);
            return List.of();
        }
        List<SchemaTable> tables = new ArrayList<>();
        Set<TableRef> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String key = "Tables[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> raw)) {
                problems.add(key, key + " must be an object, got " + Problems.describe(list.get(i)), null);
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> table = (Map<String, Object>) raw;
            int before = problems.count();
            problems.unknownKeys(table.keySet(), TABLE_KEYS, "member of " + key, null);
            String schema = identifier(key + ".Schema", table.get("Schema"), problems);
            String name = identifier(key + ".Name", table.get("Name"), problems);
            Object shape = table.get("Shape");
            if (!(shape instanceof String s) || !SHAPE.matcher(s).matches()) {
                problems.add(
                        key + ".Shape",
                        key + ".Shape must be 64 lowercase hex digits (StateTable.shape()), got "
                                + Problems.describe(shape),
                        null);
            }
            List<String> rebuild = sqlList(key + ".Rebuild", table.get("Rebuild"), quotedUser, true, problems);
            if (rebuild.size() > Statement.MAX_BATCH) {
                problems.add(
                        key + ".Rebuild",
                        key + ".Rebuild has " + rebuild.size() + " statements; one BatchExecuteStatement takes at most "
                                + Statement.MAX_BATCH,
                        null);
            }
            if (problems.count() > before) {
                continue;
            }
            SchemaTable parsed = new SchemaTable(schema, name, (String) shape, rebuild);
            if (!seen.add(parsed.ref())) {
                problems.add(key, key + " lists " + parsed.ref() + " twice", null);
            } else {
                tables.add(parsed);
            }
        }
        return tables;
    }

    private static String identifier(String key, Object value, Problems problems) {
        if (value instanceof String s && Identifiers.isValid(s)) {
            return s;
        }
        problems.add(
                key,
                key + " must be a name of letters, digits, _ or $, not starting with a digit, at most "
                        + Identifiers.MAX_BYTES + " bytes, got " + Problems.describe(value),
                null);
        return null;
    }

    /** A JSON array of strings; {@code null} (with a problem recorded) for anything else. */
    private static List<String> stringList(String key, Object value, Problems problems) {
        if (value == null) {
            problems.add(key, key + " is required: expected a list of strings", null);
            return null;
        }
        if (value instanceof String s && s.isEmpty()) {
            return List.of(); // CloudFormation drops an empty list to nothing
        }
        if (!(value instanceof List<?> list)) {
            problems.add(key, key + " must be a list of strings, got " + Problems.describe(value), null);
            return null;
        }
        List<String> strings = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) instanceof String s) {
                strings.add(s);
            } else {
                problems.add(
                        key + "[" + i + "]",
                        key + "[" + i + "] must be a string, got " + Problems.describe(list.get(i)),
                        null);
                ok = false;
            }
        }
        return ok ? strings : null;
    }
}
