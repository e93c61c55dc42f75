package com.dsqlcdc.customresource.schema;

import com.dsqlcdc.clients.dataapi.DataApiTarget;
import com.dsqlcdc.contract.Problems;
import com.dsqlcdc.customresource.schema.SchemaTable.TableRef;
import com.dsqlcdc.sql.Identifiers;
import com.dsqlcdc.sql.SchemaFingerprint;
import com.dsqlcdc.sql.WarehouseSchema;
import com.dsqlcdc.sql.backfill.WarehouseReaderGrants;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.InvalidCatalogException;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.sql.current.StateTable;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validated properties of a {@code Custom::WarehouseSchema}, and the SQL they stand for.
 * CloudFormation delivers every leaf value as a string, so each property is parsed and checked here,
 * and all problems are reported together, each naming its property.
 *
 * <ul>
 *   <li>{@code WorkgroupName}, {@code Database}: where the Data API runs the SQL.
 *   <li>{@code SecretArn}: the Secrets Manager secret of the namespace's admin user.
 *   <li>{@code LoaderUser}: {@code IAMR:<role name>}, the loader Lambda's database user.
 *   <li>{@code Catalog}: the table catalog, as {@code sql/catalog.json}'s document
 *       ({@code CatalogDocument}), validated again here.
 *   <li>{@code LogPruning}: {@code true} when the loader prunes the log (it is then granted DELETE).
 *   <li>{@code SchemaFingerprint}: {@code SchemaFingerprint} of the schema the app generated at
 *       synth: what makes a change of the generated SQL alone (a new cast, a new grant) a change of
 *       the resource, so the deploy applies it. The handler generates the schema again
 *       ({@code WarehouseSchema.of(catalog, logPruning)}) and applies that; a fingerprint that
 *       differs is logged, not refused (the app and the handler come from one build; a rollback that
 *       reaches the resource before its handler must not fail on it).
 * </ul>
 *
 * The properties stay small whatever the catalog (the SQL is generated here, not carried): the
 * Provider framework passes them, with the old ones, through Lambda and Step Functions payloads.
 * Every {@code {{loader_user}}} ({@link WarehouseSchema#LOADER_USER_PLACEHOLDER}) in the SQL is
 * replaced by the quoted loader user.
 *
 * @param statements the change log, control tables, schemas and audit views, in order, one Data API
 *                   statement each ({@code WarehouseSchema.statements()}), placeholder substituted
 * @param tables     per catalog table, the shape its state table is built for and its rebuild (1-40
 *                   statements, one transaction), substituted
 * @param grants     the loader's grants ({@code WarehouseSchema.grantStatements()}), substituted, then
 *                   the backfill job's reader grants ({@code WarehouseReaderGrants}) when there is a reader
 * @param readerUser the backfill job's range worker's database user, {@code IAMR:<role name>}
 *                   ({@code ReaderUser}, optional): it may read the state tables, the current views and the
 *                   loader's state, nothing else
 */
public record WarehouseSchemaProperties(
        String workgroupName,
        String database,
        String secretArn,
        String loaderUser,
        List<String> statements,
        List<SchemaTable> tables,
        List<String> grants,
        Optional<String> readerUser) {

    /** Replaced by the quoted loader user in every statement. */
    public static final String LOADER_USER_PLACEHOLDER = WarehouseSchema.LOADER_USER_PLACEHOLDER;

    /** The Data API's limit on one statement's SQL text (100 KB), the same bound the sql module builds to. */
    static final int MAX_STATEMENT_BYTES = WarehouseSchema.MAX_STATEMENT_BYTES;

    private static final Logger LOG = LoggerFactory.getLogger(WarehouseSchemaProperties.class);

    private static final Pattern WORKGROUP = Pattern.compile("[a-z0-9-]{3,64}");
    private static final Pattern DATABASE = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,63}");
    private static final Pattern SECRET_ARN =
            Pattern.compile("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[A-Za-z0-9/_+=.@!-]{1,512}");
    private static final String IDENT = "[A-Za-z_][A-Za-z0-9_$]*";
    /** A view of the resource's first version ({@code Views}): {@code "schema"."<table>_current"}. */
    private static final Pattern LEGACY_VIEW =
            Pattern.compile("\"(" + IDENT + ")\"\\.\"(" + IDENT + ")" + StateTable.CURRENT_SUFFIX + "\"");

    private static final Set<String> KNOWN = Set.of(
            "ServiceToken",
            "WorkgroupName",
            "Database",
            "SecretArn",
            "LoaderUser",
            "ReaderUser",
            "Catalog",
            "LogPruning",
            "SchemaFingerprint");
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON = new ObjectMapper();

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
     * @param tables        the captured tables: from {@code Catalog}, or from the first version's
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
        Optional<String> reader = readerUser(properties.get("ReaderUser"), problems);
        Optional<TableCatalog> catalog = catalog(properties.get("Catalog"), problems);
        Optional<Boolean> pruning = bool("LogPruning", properties.get("LogPruning"), problems);
        String fingerprint = string(
                properties,
                "SchemaFingerprint",
                FINGERPRINT,
                "64 lowercase hex digits (SchemaFingerprint of the generated schema)",
                problems);
        Optional<WarehouseSchema> schema = Optional.empty();
        if (catalog.isPresent() && pruning.isPresent()) {
            try {
                schema = Optional.of(WarehouseSchema.of(catalog.get(), pruning.get()));
            } catch (IllegalArgumentException e) {
                problems.add("Catalog", "Catalog: " + e.getMessage(), null);
            }
        }
        if (schema.isPresent() && fingerprint != null && !fingerprint.equals(SchemaFingerprint.of(schema.get()))) {
            LOG.warn(
                    "SchemaFingerprint {} is not the fingerprint of the schema this handler generates from the Catalog"
                            + " ({}): the app and this handler come from different builds (or a rollback runs the new"
                            + " handler on the old properties); applying the schema this handler generates",
                    fingerprint,
                    SchemaFingerprint.of(schema.get()));
        }
        List<String> statements = List.of();
        List<SchemaTable> tables = List.of();
        List<String> grants = List.of();
        if (schema.isPresent() && user != null) {
            String quotedUser = Identifiers.quoteIamRoleUser(user);
            WarehouseSchema generated = schema.get();
            statements = substituted("the schema's statements", generated.statements(), quotedUser, problems);
            List<SchemaTable> rebuilt = new ArrayList<>();
            for (StateTable table : generated.tables()) {
                CatalogTable t = table.catalogTable();
                rebuilt.add(new SchemaTable(
                        t.schema(),
                        t.name(),
                        table.shape(),
                        substituted(
                                "the rebuild of " + t.qualifiedName(),
                                generated.rebuildStatements(table),
                                quotedUser,
                                problems)));
            }
            tables = rebuilt;
            grants = new ArrayList<>(substituted("the grants", generated.grantStatements(), quotedUser, problems));
            if (reader.isPresent()) {
                String quotedReader = Identifiers.quoteIamRoleUser(reader.get());
                List<String> readerGrants = WarehouseReaderGrants.statements(catalog.orElseThrow()).stream()
                        .map(sql -> sql.replace(WarehouseReaderGrants.USER_PLACEHOLDER, quotedReader))
                        .toList();
                grants.addAll(substituted("the reader's grants", readerGrants, quotedUser, problems));
            }
        }
        problems.throwIfAny("Invalid properties of Custom::WarehouseSchema", WarehouseSchemaException::new);
        return new WarehouseSchemaProperties(workgroup, database, secret, user, statements, tables, grants, reader);
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
        for (String key : List.of("LoaderUser", "ConsumerUser", "ReaderUser")) {
            Object value = properties.get(key);
            if (value instanceof String s && !s.isBlank()) {
                String user = iamRoleUser(key, s, problems);
                if (user != null && !users.contains(user)) {
                    users.add(user);
                }
            }
        }
        Set<TableRef> tables = new LinkedHashSet<>();
        if (properties.containsKey("Catalog")) {
            catalog(properties.get("Catalog"), problems)
                    .ifPresent(c -> c.tables().forEach(t -> tables.add(new TableRef(t.schema(), t.name()))));
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

    private static Optional<String> readerUser(Object value, Problems problems) {
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s) || s.isBlank()) {
            problems.add(
                    "ReaderUser",
                    "ReaderUser must be a string IAMR:<role name> (the backfill range worker's database user), got "
                            + Problems.describe(value),
                    null);
            return Optional.empty();
        }
        return Optional.ofNullable(iamRoleUser("ReaderUser", s, problems));
    }

    /** @return whether {@code user} is one this resource makes now: the loader's or the reader's */
    public boolean names(String user) {
        return user.equalsIgnoreCase(loaderUser)
                || readerUser.map(user::equalsIgnoreCase).orElse(false);
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

    /** The catalog document, validated as {@code sql/catalog.json} is. */
    private static Optional<TableCatalog> catalog(Object value, Problems problems) {
        if (!(value instanceof Map<?, ?>)) {
            problems.add(
                    "Catalog",
                    "Catalog is required: expected the table catalog as an object {\"tables\": [...]}, got "
                            + Problems.describe(value),
                    null);
            return Optional.empty();
        }
        try {
            return Optional.of(TableCatalog.parse(JSON.writeValueAsString(value), "the Catalog property"));
        } catch (JsonProcessingException e) {
            problems.add("Catalog", "Catalog: cannot be written as JSON: " + e.getOriginalMessage(), null);
        } catch (InvalidCatalogException e) {
            problems.add("Catalog", "Catalog: " + e.getMessage(), null);
        }
        return Optional.empty();
    }

    /** {@code "true"} or {@code "false"} (CloudFormation's rendering of a boolean), or a boolean. */
    private static Optional<Boolean> bool(String key, Object value, Problems problems) {
        if (value instanceof Boolean b) {
            return Optional.of(b);
        }
        if ("true".equals(value) || "false".equals(value)) {
            return Optional.of(Boolean.valueOf((String) value));
        }
        problems.add(key, key + " must be \"true\" or \"false\", got " + Problems.describe(value), null);
        return Optional.empty();
    }

    /** The SQL texts with the user substituted, each within the Data API's limit. */
    private static List<String> substituted(String what, List<String> sqls, String quotedUser, Problems problems) {
        List<String> statements = new ArrayList<>();
        for (int i = 0; i < sqls.size(); i++) {
            String substituted = sqls.get(i).replace(LOADER_USER_PLACEHOLDER, quotedUser);
            int bytes = substituted.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_STATEMENT_BYTES) {
                problems.add(
                        what,
                        what + ", statement " + (i + 1) + ", is " + bytes
                                + " bytes with the loader user; the Data API takes at most 100 KB of SQL per statement",
                        "capture fewer columns of that table");
            } else {
                statements.add(substituted);
            }
        }
        return statements;
    }
}
