package com.dsqlcdc.loader;

import com.dsqlcdc.clients.dataapi.DataApiStatements;
import com.dsqlcdc.clients.dataapi.Statement;
import com.dsqlcdc.clients.dataapi.StatementOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@link Warehouse} through the Redshift Data API: each loader session is a Data API session (its
 * temporary tables live from one call to the next), each call runs through the project's one
 * statement runner ({@link DataApiStatements}: client tokens, long polling, FAILED/ABORTED with
 * Redshift's text, cancellation at the deadline).
 */
public final class DataApiWarehouse implements Warehouse {

    /**
     * How long an idle session stays open: longer than the gap between two calls of a run, short
     * enough that a session left by a dead invocation (and its temporary tables) goes soon.
     */
    static final Duration SESSION_KEEP_ALIVE = Duration.ofMinutes(5);

    private final DataApiStatements statements;

    /** @param statements the statement runner, pointed at the workgroup and database as the caller */
    public DataApiWarehouse(DataApiStatements statements) {
        this.statements = statements;
    }

    @Override
    public Session open(Instant deadline) {
        DataApiStatements.Session session = statements.openSession(SESSION_KEEP_ALIVE);
        return new Session() {
            @Override
            public List<Long> batch(List<String> sqls) {
                StatementOutcome outcome = finished(session.run(Statement.batch(sqls), deadline));
                return outcome.subStatementRows().size() == sqls.size()
                        ? outcome.subStatementRows()
                        : Collections.nCopies(sqls.size(), -1L);
            }

            @Override
            public List<Map<String, String>> query(String sql) {
                StatementOutcome outcome = finished(session.run(Statement.of(sql, Map.of()), deadline));
                try {
                    return statements.result(outcome.id().orElseThrow()).records();
                } catch (SdkException e) {
                    throw new WarehouseException(
                            "reading the result of " + firstLine(sql) + " failed: " + e.getMessage(), e);
                }
            }

            @Override
            public void close() {
                // The service closes an idle session after its keep-alive; there is no call to close one.
            }
        };
    }

    private static StatementOutcome finished(StatementOutcome outcome) {
        if (!outcome.finished()) {
            throw new WarehouseException(
                    outcome.status() + " " + outcome.id().orElse("(not accepted)") + ": "
                            + outcome.error().orElse("")
                            + outcome.cancellation().map(c -> " (" + c + ")").orElse("")
                            + " — "
                            + firstLine(outcome.statement()
                                    .sqls()
                                    .get(outcome.statement().sqls().size() - 1)),
                    outcome.cause().orElse(null));
        }
        return outcome;
    }

    private static String firstLine(String sql) {
        String line = sql.lines().findFirst().orElse("");
        return line.length() > 120 ? line.substring(0, 120) + "…" : line;
    }
}
