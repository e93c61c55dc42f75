package com.dsqlcdc.sql.backfill;

import com.dsqlcdc.sql.CdcEventsTable;
import com.dsqlcdc.sql.Identifiers;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.sql.current.ControlTables;
import com.dsqlcdc.sql.current.StateTable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the backfill job's database user needs in the warehouse, and nothing more: validation reads
 * each {@code <table>_current}, resync reads each {@code <table>_state}'s live keys, and both read the
 * loader's {@code cdc.loader_state} (its high-water mark and last run, reported with resync's
 * precondition). The backfill never writes to the warehouse: its rows go through the staging bucket
 * and the loader. Granted to {@link #USER_PLACEHOLDER}, which the deployment replaces with the
 * quoted {@code "IAMR:<job role>"}.
 */
public final class WarehouseReaderGrants {

    /** Placeholder for the quoted backfill database user, {@code "IAMR:<role name>"}. */
    public static final String USER_PLACEHOLDER = "{{backfill_user}}";

    private WarehouseReaderGrants() {}

    /** @return the GRANT statements, in order, to {@link #USER_PLACEHOLDER} */
    public static List<String> statements(TableCatalog catalog) {
        List<String> grants = new ArrayList<>();
        grants.add("GRANT USAGE ON SCHEMA " + Identifiers.quote(CdcEventsTable.SCHEMA) + " TO " + USER_PLACEHOLDER);
        grants.add("GRANT SELECT ON " + ControlTables.loaderState() + " TO " + USER_PLACEHOLDER);
        Set<String> schemas = new LinkedHashSet<>();
        catalog.tables().forEach(t -> schemas.add(Identifiers.quote(t.schema())));
        for (String schema : schemas) {
            grants.add("GRANT USAGE ON SCHEMA " + schema + " TO " + USER_PLACEHOLDER);
        }
        catalog.tables().stream().map(StateTable::new).forEach(table -> {
            grants.add("GRANT SELECT ON " + table.stateTable() + " TO " + USER_PLACEHOLDER);
            grants.add("GRANT SELECT ON " + table.currentView() + " TO " + USER_PLACEHOLDER);
        });
        return grants;
    }
}
