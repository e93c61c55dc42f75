package com.dsqlcdc.sql.backfill;

import com.dsqlcdc.sql.Identifiers;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.TableCatalog;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The least-privilege database role the backfill reads the source with: it may log in (with an IAM
 * authentication token, never a password), use the captured tables' schemas and {@code SELECT} the
 * captured tables, nothing else; DSQL maps it to the backfill's IAM role with {@code AWS IAM GRANT},
 * so that IAM role's {@code dsql:DbConnect} (not {@code dsql:DbConnectAdmin}) on the cluster is what
 * lets it connect. Run the statements as {@code admin} (e.g. with {@code psql}), once, and again after
 * a table is added to the catalog (the GRANTs are idempotent; {@code CREATE ROLE} fails once the role
 * exists, which is harmless: the script goes on with {@code ON_ERROR_STOP} off).
 */
public final class SourceRoleSql {

    /** The role name used when none is given. */
    public static final String DEFAULT_ROLE = "cdc_reader";

    private static final Pattern IAM_ROLE_ARN =
            Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}");

    private SourceRoleSql() {}

    /**
     * @param catalog     the captured tables
     * @param role        the database role (a valid identifier)
     * @param iamRoleArn  the IAM role the backfill runs as (the job's role, or the operator's)
     * @return the statements, in order, each ending with {@code ;}
     * @throws IllegalArgumentException naming the bad role name or ARN
     */
    public static List<String> statements(TableCatalog catalog, String role, String iamRoleArn) {
        if (!Identifiers.isValid(role)) {
            throw new IllegalArgumentException("--role " + role + " is not a valid role name: use letters, digits,"
                    + " _ or $, not starting with a digit, at most " + Identifiers.MAX_BYTES + " bytes");
        }
        if (role.equals("admin") || role.startsWith("pg_")) {
            throw new IllegalArgumentException(
                    "--role " + role + " is a built-in role; choose a new name, e.g. " + DEFAULT_ROLE);
        }
        if (iamRoleArn == null || !IAM_ROLE_ARN.matcher(iamRoleArn).matches()) {
            throw new IllegalArgumentException("--iam-role-arn " + iamRoleArn
                    + " is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)");
        }
        String quoted = Identifiers.quote(role);
        List<String> statements = new ArrayList<>();
        statements.add("CREATE ROLE " + quoted + " WITH LOGIN;");
        // The ARN is validated above: it holds no quote, so it is safe as a literal.
        statements.add("AWS IAM GRANT " + quoted + " TO '" + iamRoleArn + "';");
        Set<String> schemas = new LinkedHashSet<>();
        catalog.tables().forEach(t -> schemas.add(t.schema()));
        for (String schema : schemas) {
            statements.add("GRANT USAGE ON SCHEMA " + Identifiers.quote(schema) + " TO " + quoted + ";");
        }
        for (CatalogTable table : catalog.tables()) {
            statements.add(
                    "GRANT SELECT ON " + Identifiers.qualified(table.schema(), table.name()) + " TO " + quoted + ";");
        }
        return statements;
    }

    /**
     * @return the statements as one script, with a header saying how to run it
     */
    public static String script(TableCatalog catalog, String role, String iamRoleArn) {
        StringBuilder out = new StringBuilder();
        out.append("-- The backfill's read-only role on the DSQL source: SELECT on the ")
                .append(catalog.tables().size())
                .append(" captured tables of sql/catalog.json, nothing else.\n")
                .append("-- Run as admin: psql \"host=<cluster>.dsql.<region>.on.aws user=admin dbname=postgres"
                        + " sslmode=require\" -f <this file>\n")
                .append("-- (PGPASSWORD from aws dsql generate-db-connect-admin-auth-token). Re-run after adding a"
                        + " table; CREATE ROLE then fails harmlessly.\n");
        statements(catalog, role, iamRoleArn).forEach(s -> out.append(s).append('\n'));
        return out.toString();
    }
}
