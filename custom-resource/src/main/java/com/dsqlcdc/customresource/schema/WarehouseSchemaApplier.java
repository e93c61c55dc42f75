package com.dsqlcdc.customresource.schema;

import com.dsqlcdc.clients.dataapi.DataApiTarget;
import com.dsqlcdc.customresource.stream.CustomResourceRequest;
import com.dsqlcdc.sql.CdcEventsTable;
import com.dsqlcdc.sql.Identifiers;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Custom::WarehouseSchema}: applies the warehouse schema (the {@code cdc_events} DDL, the
 * typed current-state views, the grants) to Redshift Serverless through the Data API at deploy
 * time, behind the CDK Provider framework. onEvent does all the work synchronously, inside the
 * deadline it is given; there is no isComplete.
 *
 * <ul>
 *   <li>Create and Update: make sure the consumer user exists (looked up in {@code pg_user} with
 *       the name as a parameter, {@code CREATE USER ... PASSWORD DISABLE} only when absent); on
 *       Update, drop the views that left {@code Views}; run {@code Statements} in order, each one
 *       until FINISHED; on Update that changed {@code ConsumerUser}, revoke the old user's grants
 *       and drop it, after the new grants are in place. Any failure fails the deploy with the
 *       database's error text. Every step is idempotent, so a retried or repeated event is safe,
 *       and any change of the properties (the SQL, the catalog) re-runs it.
 *   <li>The physical id is {@code warehouse-schema:<WorkgroupName>/<Database>}: another workgroup
 *       or database is another resource, and CloudFormation then deletes the old one.
 *   <li>Delete changes nothing in the warehouse: the change log and the views hold data that users
 *       rely on, and the namespace's own removal policy governs that data.
 * </ul>
 */
public final class WarehouseSchemaApplier {

    private static final Logger LOG = LoggerFactory.getLogger(WarehouseSchemaApplier.class);

    /** The name travels as a parameter, never in SQL text; IAM role names are case-insensitive. */
    static final String USER_LOOKUP_SQL = "SELECT 1 FROM pg_user WHERE lower(usename) = lower(:user)";

    private final SchemaStatements runner;

    public WarehouseSchemaApplier(SchemaStatements runner) {
        this.runner = Objects.requireNonNull(runner, "runner");
    }

    /**
     * The Provider framework's onEvent: returns {@code PhysicalResourceId} and {@code Data}; throws
     * {@link WarehouseSchemaException} on failure.
     *
     * @param deadline no statement may still be running after this; one that is gets cancelled
     */
    public Map<String, Object> onEvent(CustomResourceRequest request, Instant deadline) {
        LOG.info(
                "onEvent {} {} physical id {}",
                request.requestType(),
                request.logicalResourceId(),
                request.physicalResourceId());
        switch (request.requestType()) {
            case CREATE:
                return apply(WarehouseSchemaProperties.parse(request.resourceProperties()), null, deadline);
            case UPDATE:
                WarehouseSchemaProperties desired = WarehouseSchemaProperties.parse(request.resourceProperties());
                WarehouseSchemaProperties previous =
                        WarehouseSchemaProperties.parseOld(request.oldResourceProperties());
                if (!previous.physicalId().equals(desired.physicalId())) {
                    LOG.info(
                            "Update moves the schema from {} to {}: applying it there as new; the old database is left as it is",
                            previous.physicalId(),
                            desired.physicalId());
                    return apply(desired, null, deadline);
                }
                return apply(desired, previous, deadline);
            case DELETE:
            default:
                LOG.info(
                        "Delete of {}: nothing is dropped; the change log and the views stay for their users, and the"
                                + " namespace's removal policy governs the data",
                        request.physicalResourceId());
                return Map.of("PhysicalResourceId", request.physicalResourceId());
        }
    }

    /** @param previous the old properties on an Update in the same database, else {@code null} */
    private Map<String, Object> apply(
            WarehouseSchemaProperties props, WarehouseSchemaProperties previous, Instant deadline) {
        DataApiTarget target = props.target();
        ensureUserExists(target, props.consumerUser(), deadline);
        if (previous != null) {
            dropRemovedViews(target, previous.views(), props.views(), deadline);
        }
        List<String> statements = props.statements();
        for (int i = 0; i < statements.size(); i++) {
            runner.run(
                    target, "statement " + (i + 1) + " of " + statements.size(), statements.get(i), Map.of(), deadline);
        }
        LOG.info("Applied {} statements to {}", statements.size(), target);
        if (previous != null && !previous.consumerUser().equals(props.consumerUser())) {
            retireUser(target, previous.consumerUser(), deadline);
        }
        return Map.of(
                "PhysicalResourceId", props.physicalId(),
                "Data",
                        Map.of(
                                "ConsumerUser",
                                props.consumerUser(),
                                "StatementCount",
                                String.valueOf(statements.size())));
    }

    private boolean userExists(DataApiTarget target, String user, String label, Instant deadline) {
        SchemaStatements.Finished lookup = runner.run(target, label, USER_LOOKUP_SQL, Map.of("user", user), deadline);
        if (lookup.resultRows() < 0) {
            throw new WarehouseSchemaException(label + " (statement id " + lookup.id()
                    + ") FINISHED but DescribeStatement gave no ResultRows, so" + " whether " + user
                    + " exists is unknown. Deploy again; if it persists, create the user by hand.");
        }
        return lookup.resultRows() > 0;
    }

    /**
     * The consumer's grants need its database user before its first login (which would create it):
     * {@code CREATE USER "IAMR:<role>" PASSWORD DISABLE}, only when absent (there is no IF NOT EXISTS).
     */
    private void ensureUserExists(DataApiTarget target, String user, Instant deadline) {
        if (userExists(target, user, "the lookup of consumer user " + user, deadline)) {
            LOG.info("Consumer user {} exists", user);
            return;
        }
        runner.run(
                target,
                "creating consumer user " + user,
                "CREATE USER " + Identifiers.quoteIamRoleUser(user) + " PASSWORD DISABLE",
                Map.of(),
                deadline);
        LOG.info("Created consumer user {}", user);
    }

    /** Views that left the catalog go before the statements run (a renamed view could clash). */
    private void dropRemovedViews(DataApiTarget target, List<String> before, List<String> after, Instant deadline) {
        List<String> removed = before.stream().filter(v -> !after.contains(v)).toList();
        for (String view : removed) {
            runner.run(target, "dropping removed view " + view, "DROP VIEW IF EXISTS " + view, Map.of(), deadline);
        }
        if (!removed.isEmpty()) {
            LOG.info("Dropped removed views {}", removed);
        }
    }

    /**
     * After the new consumer's grants succeeded: the old consumer loses its grants and its user. Not
     * best effort: a failure here fails the update with the reason. An old user that is already gone
     * (a repeated event) is fine.
     */
    private void retireUser(DataApiTarget target, String oldUser, Instant deadline) {
        if (!userExists(target, oldUser, "the lookup of previous consumer user " + oldUser, deadline)) {
            LOG.info("Previous consumer user {} no longer exists", oldUser);
            return;
        }
        String quoted = Identifiers.quoteIamRoleUser(oldUser);
        String label = "retiring previous consumer user " + oldUser + ": ";
        runner.run(
                target,
                label + "revoking its grants on the change log",
                "REVOKE ALL ON " + CdcEventsTable.qualifiedName() + " FROM " + quoted,
                Map.of(),
                deadline);
        runner.run(
                target,
                label + "revoking its usage of schema " + CdcEventsTable.SCHEMA,
                "REVOKE USAGE ON SCHEMA " + Identifiers.quote(CdcEventsTable.SCHEMA) + " FROM " + quoted,
                Map.of(),
                deadline);
        try {
            runner.run(target, label + "dropping it", "DROP USER IF EXISTS " + quoted, Map.of(), deadline);
        } catch (WarehouseSchemaException e) {
            throw new WarehouseSchemaException(
                    e.getMessage() + "\nIf the user still holds privileges on other objects or owns objects, revoke or"
                            + " reassign them (SVV_RELATION_PRIVILEGES, SVV_SCHEMA_PRIVILEGES show them), then deploy again.",
                    e);
        }
        LOG.info("Retired previous consumer user {}", oldUser);
    }
}
