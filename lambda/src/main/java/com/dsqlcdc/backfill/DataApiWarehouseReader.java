package com.dsqlcdc.backfill;

import com.dsqlcdc.clients.dataapi.DataApiStatements;
import com.dsqlcdc.clients.dataapi.Statement;
import com.dsqlcdc.clients.dataapi.StatementOutcome;
import com.dsqlcdc.sql.backfill.WarehouseRangeSql;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@link WarehouseReader} through the Redshift Data API, with the project's statement runner: one
 * ExecuteStatement per query with its named parameters, waited for until FINISHED, then its rows
 * through GetStatementResult.
 */
public final class DataApiWarehouseReader implements WarehouseReader {

    private final DataApiStatements statements;

    /** @param statements the runner, pointed at the workgroup and database as the caller */
    public DataApiWarehouseReader(DataApiStatements statements) {
        this.statements = statements;
    }

    @Override
    public List<Map<String, String>> query(WarehouseRangeSql.Query query, Instant deadline) {
        StatementOutcome outcome = statements.run(Statement.of(query.sql(), query.parameters()), deadline);
        if (!outcome.finished()) {
            throw new WarehouseReadException(
                    "the warehouse did not answer (" + outcome.status() + "): "
                            + outcome.error().orElse("")
                            + outcome.cancellation().map(c -> " (" + c + ")").orElse("") + " — "
                            + query.sql().lines().findFirst().orElse(""),
                    outcome.cause().orElse(null));
        }
        try {
            return statements.result(outcome.id().orElseThrow()).records();
        } catch (SdkException e) {
            throw new WarehouseReadException("reading a query's result failed: " + e.getMessage(), e);
        }
    }
}
