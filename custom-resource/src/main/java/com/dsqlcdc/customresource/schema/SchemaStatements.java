package com.dsqlcdc.customresource.schema;

import com.dsqlcdc.clients.dataapi.DataApiStatements;
import com.dsqlcdc.clients.dataapi.DataApiTarget;
import com.dsqlcdc.clients.dataapi.Statement;
import com.dsqlcdc.clients.dataapi.StatementOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.BatchExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.redshiftdata.model.SubStatementData;

/**
 * Runs the schema's statements through the Data API and turns anything but FINISHED into a {@link
 * WarehouseSchemaException} written for the operator who reads it in the stack events: which
 * statement, Redshift's own error text, and what to do. A statement is never taken as done on
 * anything but FINISHED.
 *
 * <ul>
 *   <li>{@link #run} and {@link #query}: one statement at a time through the shared Data API runner
 *       ({@link DataApiStatements}: client tokens, long polling to FINISHED, cancellation at the
 *       deadline), the query's rows through GetStatementResult;
 *   <li>{@link #submitBatch} and {@link #describe}: a transaction that may outlive one invocation
 *       (a state table's rebuild), submitted without waiting and asked about later, by the same
 *       function: the Data API lets a role session describe only its own statements.
 * </ul>
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

    /**
     * Runs a query and returns its rows, each value as text ({@code null} for NULL).
     *
     * @throws WarehouseSchemaException as {@link #run} does, or when its rows cannot be read
     */
    public List<List<String>> query(
            DataApiTarget target, String label, String sql, Map<String, String> parameters, Instant deadline) {
        Finished finished = run(target, label, sql, parameters, deadline);
        try {
            DataApiStatements.Result result = new DataApiStatements(client, target, settings).result(finished.id());
            List<List<String>> rows = new ArrayList<>();
            for (Map<String, String> record : result.records()) {
                // in column order, NULL as null; a row that lost a value (no or repeated column names) is refused
                rows.add(Collections.unmodifiableList(new ArrayList<>(record.values())));
            }
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i).size() != result.rows().get(i).size()) {
                    throw new WarehouseSchemaException("Could not read the rows of " + label + " (statement id "
                            + finished.id() + "): the result's column names " + result.columns()
                            + " do not name each of its " + result.rows().get(i).size() + " values");
                }
            }
            return rows;
        } catch (SdkException e) {
            throw new WarehouseSchemaException(
                    "Could not read the rows of " + label + " (statement id " + finished.id() + "): " + e.getMessage()
                            + hint(e),
                    e);
        }
    }

    /**
     * Submits statements that run in order as one transaction (BatchExecuteStatement) and returns
     * without waiting.
     *
     * @param label       what they are, for errors ("rebuilding public.orders")
     * @param sqls        1-40 SQL texts
     * @param clientToken the same token for the same work: a repeated submission (a retried event)
     *                    answers the first one's id instead of running it twice
     * @return the statement id, for {@link #describe}
     * @throws WarehouseSchemaException if the Data API refused it (after the client's retries)
     */
    public String submitBatch(DataApiTarget target, String label, List<String> sqls, String clientToken) {
        BatchExecuteStatementRequest.Builder request = BatchExecuteStatementRequest.builder()
                .workgroupName(target.workgroupName())
                .database(target.database())
                .sqls(sqls)
                .clientToken(clientToken);
        target.secretArn().ifPresent(request::secretArn);
        try {
            String id = client.batchExecuteStatement(request.build()).id();
            LOG.info("{} submitted as statement {}", label, id);
            return id;
        } catch (SdkException e) {
            throw new WarehouseSchemaException(
                    label + " could not be submitted to the Redshift Data API (" + target + "): " + describe(e)
                            + hint(e) + sqlExcerpt(sqls.get(0)),
                    e);
        }
    }

    /**
     * Where a submitted statement is.
     *
     * @param status the Data API's status (SUBMITTED, PICKED, STARTED, FINISHED, FAILED, ABORTED)
     * @param error  Redshift's error text when it FAILED or was ABORTED
     * @param failed the SQL of the batch member that failed, when DescribeStatement names it
     */
    public record Described(StatusString status, Optional<String> error, Optional<String> failed) {

        /** @return whether it ended (FINISHED, FAILED or ABORTED) */
        public boolean ended() {
            return status == StatusString.FINISHED || status == StatusString.FAILED || status == StatusString.ABORTED;
        }
    }

    /**
     * Asks where a statement submitted by {@link #submitBatch} is (DescribeStatement, no waiting).
     *
     * @param label what it is, for errors
     * @throws WarehouseSchemaException if the Data API does not answer (after the client's retries)
     */
    public Described describe(String label, String id) {
        DescribeStatementResponse described;
        try {
            described = client.describeStatement(r -> r.id(id));
        } catch (SdkException e) {
            throw new WarehouseSchemaException(
                    "Could not ask about " + label + " (statement id " + id + "): " + describe(e) + hint(e)
                            + ". It may still be running; deploy again once the Data API answers.",
                    e);
        }
        Optional<String> failed = described.subStatements().stream()
                .filter(sub -> sub.status() != null && sub.statusAsString().equals("FAILED"))
                .map(SubStatementData::queryString)
                .findFirst();
        Optional<String> error =
                Optional.ofNullable(described.error()).map(String::strip).filter(e -> !e.isEmpty());
        return new Described(described.status(), error, failed);
    }

    static String sqlExcerpt(String sql) {
        String flat = sql.strip();
        return "\nSQL: " + (flat.length() <= SQL_EXCERPT_CHARS ? flat : flat.substring(0, SQL_EXCERPT_CHARS) + " …");
    }

    static String retryHint() {
        return "Every statement is idempotent: after fixing the cause, deploy again.";
    }

    private static String describe(StatementOutcome outcome) {
        return outcome.cause()
                .map(SchemaStatements::describe)
                .orElse(outcome.error().orElse(""));
    }

    private static String describe(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            return service.awsErrorDetails().errorCode() + ": "
                    + service.awsErrorDetails().errorMessage();
        }
        return e.getMessage();
    }

    private static String hint(StatementOutcome outcome) {
        return outcome.cause().map(SchemaStatements::hint).orElse("");
    }

    private static String hint(SdkException e) {
        if (e instanceof AwsServiceException service
                && service.awsErrorDetails() != null
                && "AccessDeniedException".equals(service.awsErrorDetails().errorCode())) {
            return ". The handler's role needs redshift-data:ExecuteStatement and BatchExecuteStatement on the"
                    + " workgroup, DescribeStatement, GetStatementResult and CancelStatement on its own statements"
                    + " (redshift-data:statement-owner-iam-userid), and secretsmanager:GetSecretValue on the admin"
                    + " secret";
        }
        return "";
    }
}
