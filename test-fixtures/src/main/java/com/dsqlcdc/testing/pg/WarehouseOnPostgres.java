package com.dsqlcdc.testing.pg;

import com.dsqlcdc.sql.CdcEventsTable;
import com.dsqlcdc.sql.Identifiers;
import com.dsqlcdc.sql.WarehouseSchema;
import com.dsqlcdc.sql.current.ControlTables;
import com.dsqlcdc.sql.current.StateTable;
import java.util.ArrayList;
import java.util.List;

/**
 * The warehouse schema on {@link RedshiftOnPostgres}, as the schema resource deploys it: the
 * statements of {@link WarehouseSchema}, each state table built from the log, and the loader's
 * grants to a database user of its own.
 */
public final class WarehouseOnPostgres {

    /** The loader's database user in these tests (on Redshift: {@code IAMR:<the loader's role>}). */
    public static final String LOADER_USER = "IAMR:loader";

    private WarehouseOnPostgres() {}

    /**
     * Creates the loader's user, then deploys {@code schema}: its statements, each table's rebuild
     * (one transaction each), the grants.
     *
     * @param redshift the database
     * @param schema   what to deploy
     */
    public static void deploy(RedshiftOnPostgres redshift, WarehouseSchema schema) {
        try (RedshiftOnPostgres.Session admin = redshift.openSession()) {
            admin.execute("CREATE ROLE " + Identifiers.quoteIamRoleUser(LOADER_USER));
            for (String statement : schema.statements()) {
                admin.execute(statement);
            }
            for (StateTable table : schema.tables()) {
                admin.batch(forLoader(schema.rebuildStatements(table)));
            }
            admin.batch(forLoader(schema.grantStatements()));
        }
    }

    /**
     * Empties what loads fill: the log, the batch records, the loader's totals and every state table
     * (one transaction).
     *
     * @param redshift the database
     * @param schema   the deployed schema
     */
    public static void empty(RedshiftOnPostgres redshift, WarehouseSchema schema) {
        List<String> statements = new ArrayList<>(List.of(
                "DELETE FROM " + CdcEventsTable.qualifiedName(),
                "DELETE FROM " + ControlTables.loadedBatches(),
                "UPDATE " + ControlTables.loaderState()
                        + " SET \"runs\" = 0, \"batches_loaded\" = 0, \"rows_loaded\" = 0,"
                        + " \"max_commit_ts_ns\" = 0, \"last_run_at\" = NULL, \"last_pruned_at\" = NULL"));
        schema.tables().forEach(t -> statements.add("DELETE FROM " + t.stateTable()));
        try (RedshiftOnPostgres.Session admin = redshift.openSession()) {
            admin.batch(statements);
        }
    }

    /** @return the statements with the schema's loader placeholder replaced by {@link #LOADER_USER} */
    public static List<String> forLoader(List<String> statements) {
        return statements.stream()
                .map(s -> s.replace(WarehouseSchema.LOADER_USER_PLACEHOLDER, Identifiers.quoteIamRoleUser(LOADER_USER)))
                .toList();
    }
}
