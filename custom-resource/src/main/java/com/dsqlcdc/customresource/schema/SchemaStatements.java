package com.dsqlcdc.customresource.schema;

import com.dsqlcdc.clients.dataapi.DataApiStatements;
import com.dsqlcdc.clients.dataapi.DataApiTarget;
import com.dsqlcdc.clients.dataapi.Statement;
import com.dsqlcdc.clients.dataapi.StatementOutcome;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;

/**
 * Runs the schema's statements one at a time through the shared Data API runner ({@link
 * DataApiStatements}: client tokens, long polling to FINISHED, cancellation at the deadline) and
 * turns anything but FINISHED into a {@link WarehouseSchemaException} written for the operator who
 * reads it in the stack events: which statement, Redshift's own error text, and what to do. A
 * statement is never taken as done on anything but FINISHED.
 */
public final class SchemaStatements {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaStatements.class);
    /** How much of a failing statement's SQL goes into the error message. */
    static final int SQL_EXCERPT_CHARS = 300;

    private final RedshiftDataClient client;
    private final DataApiStatements.Settings settings;

    /**
     * @param client   the Data API client (its retry strategy retries throttling, 5xx and I/O errors)
     * @param settings how statements are waited for
     */
    public SchemaStatements(RedshiftDataClient client, DataApiStatements.Settings settings) {
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** What DescribeStatement said about a FINISHED statement. */
    public record Finished(String id, long resultRows) {}

    /**
     * Runs {@code sql} and returns once it is FINISHED.
     *
     * @param label what the statement is, for logs and errors ("statement 3 of 12")
     * @param parameters named parameters ({@code :name} in the SQL); values must be non-empty
     * @throws WarehouseSchemaException if it failed, was aborted, was still running at the deadline,
     *     or the Data API refused it
     */
    public Finished run(
            DataApiTarget target, String label, String sql, Map<String, String> parameters, Instant deadline) {
        StatementOutcome outcome =
                new DataApiStatements(client, target, settings).run(Statement.of(sql, parameters), deadline);
        String id = outcome.id().orElse(null);
        String cancellation = outcome.cancellation().orElse("");
        String error = outcome.error().orElse("");
        switch (outcome.status()) {
            case FINISHED:
                LOG.info(
                        "{} ({}) FINISHED in {} ms",
                        label,
                        id,
                        outcome.latency().toMillis());
                return new Finished(id, outcome.resultRows());
            case NOT_STARTED:
                throw new WarehouseSchemaException("Out of time before " + label + " could start: it was not run. "
                        + retryHint() + sqlExcerpt(sql));
            case NOT_SUBMITTED:
                throw new WarehouseSchemaException(
                        label + " could not be submitted to the Redshift Data API (" + target + "): "
                                + describe(outcome) + hint(outcome) + sqlExcerpt(sql),
                        outcome.cause().orElse(null));
            case POLL_FAILED:
                throw new WarehouseSchemaException(
                        "Could not poll " + label + " (statement id " + id + "): " + describe(outcome) + hint(outcome)
                                + ". Its outcome is unknown; " + cancellation + ".",
                        outcome.cause().orElse(null));
            case FAILED:
                throw new WarehouseSchemaException(
                        label + " failed: " + (error.isEmpty() ? "(DescribeStatement gave no error text)" : error)
                                + sqlExcerpt(sql) + "\n" + retryHint());
            case ABORTED:
                throw new WarehouseSchemaException(label + " failed: it was ABORTED (cancelled before it finished"
                        + (error.isEmpty() ? "" : ": " + error) + "), so it did not take effect." + sqlExcerpt(sql)
                        + "\n" + retryHint());
            case INTERRUPTED:
                throw new WarehouseSchemaException(
                        "Interrupted while waiting for " + label + " (statement id " + id + "); " + cancellation + ".");
            case TIMED_OUT:
            default:
                throw new WarehouseSchemaException(label + " is still running (" + error + ", statement id " + id
                        + ") after "
                        + outcome.latency().toSeconds() + " s, at the deadline of this invocation; " + cancellation
                        + ". The schema is not fully applied." + sqlExcerpt(sql)
                        + "\nFix: find out why it is slow (a lock held by another session shows in SVV_TRANSACTIONS),"
                        + " then deploy again.");
        }
    }

    static String sqlExcerpt(String sql) {
        String flat = sql.strip();
        return "\nSQL: " + (flat.length() <= SQL_EXCERPT_CHARS ? flat : flat.substring(0, SQL_EXCERPT_CHARS) + " …");
    }

    private static String retryHint() {
        return "Every statement is idempotent: after fixing the cause, deploy again.";
    }

    private static String describe(StatementOutcome outcome) {
        if (outcome.cause().orElse(null) instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            return service.awsErrorDetails().errorCode() + ": "
                    + service.awsErrorDetails().errorMessage();
        }
        return outcome.error().orElse("");
    }

    private static String hint(StatementOutcome outcome) {
        if (outcome.cause().orElse(null) instanceof AwsServiceException service
                && service.awsErrorDetails() != null
                && "AccessDeniedException".equals(service.awsErrorDetails().errorCode())) {
            return ". The handler's role needs redshift-data:ExecuteStatement, DescribeStatement and"
                    + " CancelStatement (Resource *) and secretsmanager:GetSecretValue on the admin secret";
        }
        return "";
    }
}
