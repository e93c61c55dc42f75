package com.dsqlcdc.customresource.schema;

import com.dsqlcdc.clients.dataapi.DataApiTarget;
import com.dsqlcdc.customresource.schema.SchemaTable.TableRef;
import com.dsqlcdc.customresource.stream.CustomResourceRequest;
import com.dsqlcdc.sql.CdcEventsTable;
import com.dsqlcdc.sql.Identifiers;
import com.dsqlcdc.sql.WarehouseSchema;
import com.dsqlcdc.sql.current.ControlTables;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;

/**
 * {@code Custom::WarehouseSchema}: brings the warehouse to the deployed catalog through the Data API
 * at deploy time, behind the CDK Provider framework, as an asynchronous resource: a state table's
 * rebuild reads the table's whole log and may take longer than one Lambda invocation.
 *
 * <p>onEvent (Create and Update):
 * <ol>
 *   <li>makes sure the loader's database user exists (looked up in {@code pg_user} with the name as a
 *       parameter; {@code CREATE USER ... PASSWORD DISABLE} only when absent);
 *   <li>runs {@code Statements} in order, each one until FINISHED (the change log, control tables,
 *       schemas and audit views: quick DDL, every statement idempotent);
 *   <li>reads the shape each state table was built for ({@link WarehouseSchema#recordedShapesSql()})
 *       and submits, without waiting, the rebuild of each table whose recorded shape differs or is
 *       missing: one BatchExecuteStatement per table (one transaction, under the loader's lock);
 *   <li>on an Update, submits the same way the drop of each table that left the catalog ({@link
 *       WarehouseSchema#dropTableStatements}, under the loader's lock);
 *   <li>returns the submitted statements' ids to isComplete (a field of the response that the
 *       framework passes on to isComplete, and never to CloudFormation).
 * </ol>
 *
 * <p>isComplete asks about those statements (DescribeStatement). While one runs it answers "not
 * yet"; one that FAILED or was ABORTED fails the deploy with Redshift's text. Once all FINISHED it
 * runs {@code Grants}, then, on an Update, revokes the grants of the database users the old
 * properties named and the new ones do not (an earlier loader role, and the consumer user of the
 * resource's first version) and drops them. Both handlers are one function: the Data API lets a
 * role session describe only the statements it submitted ({@code
 * redshift-data:statement-owner-iam-userid}), and a Lambda function's session is named after the
 * function.
 *
 * <p>Every step is idempotent, so a retried or repeated event is safe: rebuild and drop submissions
 * carry client tokens made of the request id and the SQL (a retried onEvent gets the same
 * statements back), and a table rebuilt already records its shape (the next deploy leaves it
 * alone). The physical id is {@code warehouse-schema:<WorkgroupName>/<Database>}: another workgroup
 * or database is another resource, and CloudFormation then deletes the old one. Delete changes
 * nothing in the warehouse: the change log and the tables hold data that users rely on, and the
 * namespace's own removal policy governs that data.
 */
public final class WarehouseSchemaApplier {

    private static final Logger LOG = LoggerFactory.getLogger(WarehouseSchemaApplier.class);

    /** The name travels as a parameter, never in SQL text; IAM role names are case-insensitive. */
    static final String USER_LOOKUP_SQL = "SELECT 1 FROM pg_user WHERE lower(usename) = lower(:user)";

    /**
     * The field of onEvent's response that lists the statements submitted for isComplete: the
     * framework hands isComplete everything onEvent returned, so its presence also tells the one
     * handler function that the request is an isComplete.
     */
    public static final String SUBMITTED_FIELD = "WarehouseSchemaSubmitted";

    private final SchemaStatements runner;

    public WarehouseSchemaApplier(SchemaStatements runner) {
        this.runner = Objects.requireNonNull(runner, "runner");
    }

    /**
     * A transaction submitted by onEvent for isComplete to wait for.
     *
     * @param label what it does ("rebuilding public.orders"), for logs and errors
     * @param id    its Data API statement id
     */
    public record Submitted(String label, String id) {

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("Label", label);
            map.put("Id", id);
            return map;
        }
    }

    /** @return whether {@code event} is an isComplete request (it carries onEvent's {@link #SUBMITTED_FIELD}) */
    public static boolean isCompleteRequest(Map<String, Object> event) {
        return event.containsKey(SUBMITTED_FIELD);
    }

    /**
     * The Provider framework's onEvent: returns {@code PhysicalResourceId}, {@code Data} and the
     * submitted statements; throws {@link WarehouseSchemaException} on failure.
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
                return begin(
                        request.requestId(),
                        WarehouseSchemaProperties.parse(request.resourceProperties()),
                        null,
                        deadline);
            case UPDATE:
                WarehouseSchemaProperties desired = WarehouseSchemaProperties.parse(request.resourceProperties());
                WarehouseSchemaProperties.Previous previous = sameDatabase(desired, request);
                return begin(request.requestId(), desired, previous, deadline);
            case DELETE:
            default:
                LOG.info(
                        "Delete of {}: nothing is dropped; the change log and the tables stay for their users, and"
                                + " the namespace's removal policy governs the data",
                        request.physicalResourceId());
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("PhysicalResourceId", request.physicalResourceId());
                result.put(SUBMITTED_FIELD, List.of());
                return result;
        }
    }

    /**
     * The Provider framework's isComplete.
     *
     * @param event    the request, with what onEvent returned
     * @param deadline no statement may still be running after this
     * @return {@code IsComplete} (and {@code Data} when complete)
     * @throws WarehouseSchemaException when a submitted statement failed, or the grants or the
     *         retirement of an old user did
     */
    public Map<String, Object> isComplete(Map<String, Object> event, Instant deadline) {
        CustomResourceRequest request = CustomResourceRequest.from(event);
        if (request.requestType() == CustomResourceRequest.RequestType.DELETE) {
            return Map.of("IsComplete", true);
        }
        List<String> running = new ArrayList<>();
        for (Submitted submitted : submitted(event)) {
            SchemaStatements.Described described = runner.describe(submitted.label(), submitted.id());
            if (described.status() == StatusString.FINISHED) {
                continue;
            }
            if (described.status() == StatusString.FAILED || described.status() == StatusString.ABORTED) {
                throw failed(submitted, described);
            }
            running.add(submitted.label() + " (" + described.status() + ")");
        }
        if (!running.isEmpty()) {
            LOG.info("Still running: {}", running);
            return Map.of("IsComplete", false);
        }

        WarehouseSchemaProperties props = WarehouseSchemaProperties.parse(request.resourceProperties());
        DataApiTarget target = props.target();
        List<String> grants = props.grants();
        for (int i = 0; i < grants.size(); i++) {
            runner.run(target, "grant " + (i + 1) + " of " + grants.size(), grants.get(i), Map.of(), deadline);
        }
        LOG.info(
                "Granted the loader user {} (and the reader {}) what they need ({} grants)",
                props.loaderUser(),
                props.readerUser().orElse("none"),
                grants.size());
        WarehouseSchemaProperties.Previous previous =
                request.requestType() == CustomResourceRequest.RequestType.UPDATE ? sameDatabase(props, request) : null;
        if (previous != null) {
            for (String user : previous.users()) {
                if (!props.names(user)) {
                    retireUser(target, user, schemas(props, previous), deadline);
                }
            }
        }
        Map<String, Object> result = new HashMap<>();
        result.put("IsComplete", true);
        result.put("Data", Map.of("GrantCount", String.valueOf(grants.size())));
        return result;
    }

    /** @return the old properties of an Update in the same database, or null when it moved elsewhere */
    private static WarehouseSchemaProperties.Previous sameDatabase(
            WarehouseSchemaProperties desired, CustomResourceRequest request) {
        WarehouseSchemaProperties.Previous previous =
                WarehouseSchemaProperties.parseOld(request.oldResourceProperties());
        if (!previous.physicalId().equals(desired.physicalId())) {
            LOG.info(
                    "The Update moves the schema from {} to {}: it is applied there as new; the old database is left"
                            + " as it is",
                    previous.physicalId(),
                    desired.physicalId());
            return null;
        }
        return previous;
    }

    /** @param previous the old properties on an Update in the same database, else {@code null} */
    private Map<String, Object> begin(
            String requestId,
            WarehouseSchemaProperties props,
            WarehouseSchemaProperties.Previous previous,
            Instant deadline) {
        DataApiTarget target = props.target();
        ensureUserExists(target, props.loaderUser(), deadline);
        if (props.readerUser().isPresent()) {
            ensureUserExists(target, props.readerUser().get(), deadline);
        }
        List<String> statements = props.statements();
        for (int i = 0; i < statements.size(); i++) {
            runner.run(
                    target, "statement " + (i + 1) + " of " + statements.size(), statements.get(i), Map.of(), deadline);
        }
        LOG.info("Applied {} statements to {}", statements.size(), target);

        Map<TableRef, String> recorded = recordedShapes(target, deadline);
        List<Submitted> submitted = new ArrayList<>();
        int rebuilds = 0;
        for (SchemaTable table : props.tables()) {
            String shape = recorded.get(table.ref());
            if (table.shape().equals(shape)) {
                continue;
            }
            String label = "rebuilding " + table.ref() + (shape == null ? " (new)" : " (its shape changed)");
            submitted.add(submit(target, requestId, label, table.rebuild()));
            rebuilds++;
        }
        int drops = 0;
        if (previous != null) {
            Set<TableRef> kept = new LinkedHashSet<>(props.tableRefs());
            for (TableRef gone : previous.tables()) {
                if (!kept.contains(gone)) {
                    List<String> drop = new ArrayList<>();
                    drop.add(lock());
                    drop.addAll(WarehouseSchema.dropTableStatements(gone.schema(), gone.name()));
                    submitted.add(submit(target, requestId, "dropping " + gone + " (it left the catalog)", drop));
                    drops++;
                }
            }
        }
        LOG.info(
                "Submitted {} rebuilds and {} drops of state tables; {} tables were built for their shape already",
                rebuilds,
                drops,
                props.tables().size() - rebuilds);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("PhysicalResourceId", props.physicalId());
        result.put(
                "Data",
                Map.of(
                        "LoaderUser", props.loaderUser(),
                        "StatementCount", String.valueOf(statements.size()),
                        "TablesRebuilt", String.valueOf(rebuilds),
                        "TablesDropped", String.valueOf(drops)));
        result.put(SUBMITTED_FIELD, submitted.stream().map(Submitted::toMap).toList());
        return result;
    }

    /** The same work under the same request gets the same client token, so a retried event gets the same statement. */
    private Submitted submit(DataApiTarget target, String requestId, String label, List<String> sqls) {
        String token = UUID.nameUUIDFromBytes(
                        (requestId + "\n" + String.join("\n;\n", sqls)).getBytes(StandardCharsets.UTF_8))
                .toString();
        return new Submitted(label, runner.submitBatch(target, label, sqls, token));
    }

    private static String lock() {
        return "LOCK " + ControlTables.loaderState();
    }

    /** @return each table's recorded shape ({@code cdc.current_tables}) */
    private Map<TableRef, String> recordedShapes(DataApiTarget target, Instant deadline) {
        Map<TableRef, String> shapes = new HashMap<>();
        for (List<String> row : runner.query(
                target, "reading the recorded shapes", WarehouseSchema.recordedShapesSql(), Map.of(), deadline)) {
            if (row.size() == 3 && row.get(0) != null && row.get(1) != null && row.get(2) != null) {
                // CHAR(64) comes back padded only if shorter; a shape is exactly 64 characters
                shapes.put(new TableRef(row.get(0), row.get(1)), row.get(2).strip());
            }
        }
        return shapes;
    }

    private static WarehouseSchemaException failed(Submitted submitted, SchemaStatements.Described described) {
        String error = described.error().orElse("(DescribeStatement gave no error text)");
        String what = described.status() == StatusString.ABORTED
                ? " failed: it was ABORTED (cancelled before it finished): " + error
                : " failed: " + error;
        return new WarehouseSchemaException(submitted.label() + what
                + described.failed().map(SchemaStatements::sqlExcerpt).orElse("")
                + "\nIt is one transaction, so nothing of it took effect: the table keeps what it had. "
                + SchemaStatements.retryHint());
    }

    /** @return {@code cdc} and every schema of the new and old catalog, quoted */
    private static List<String> schemas(WarehouseSchemaProperties props, WarehouseSchemaProperties.Previous previous) {
        Set<String> schemas = new LinkedHashSet<>();
        schemas.add(CdcEventsTable.SCHEMA);
        props.tables().forEach(t -> schemas.add(t.schema()));
        previous.tables().forEach(t -> schemas.add(t.schema()));
        return schemas.stream().map(Identifiers::quote).toList();
    }

    private boolean userExists(DataApiTarget target, String user, String label, Instant deadline) {
        return runner.run(target, label, USER_LOOKUP_SQL, Map.of("user", user), deadline)
                        .resultRows()
                > 0;
    }

    /**
     * {@code CREATE USER "IAMR:<role>" PASSWORD DISABLE}, only when absent (there is no IF NOT EXISTS).
     */
    private void ensureUserExists(DataApiTarget target, String user, Instant deadline) {
        if (userExists(target, user, "the lookup of database user " + user, deadline)) {
            LOG.info("Database user {} exists", user);
            return;
        }
        runner.run(
                target,
                "creating database user " + user,
                "CREATE USER " + Identifiers.quoteIamRoleUser(user) + " PASSWORD DISABLE",
                Map.of(),
                deadline);
        LOG.info("Created database user {}", user);
    }

    /**
     * After the new loader's grants succeeded: a user the old properties named (an earlier loader
     * role, or the consumer of the resource's first version) loses its grants and is dropped. Not
     * best effort: a failure here fails the update with the reason. A user that is already gone (a
     * repeated event) is fine.
     */
    private void retireUser(DataApiTarget target, String user, List<String> schemas, Instant deadline) {
        if (!userExists(target, user, "the lookup of previous user " + user, deadline)) {
            LOG.info("Previous user {} no longer exists", user);
            return;
        }
        String quoted = Identifiers.quoteIamRoleUser(user);
        String label = "retiring previous user " + user + ": ";
        for (String schema : schemas) {
            runner.run(
                    target,
                    label + "revoking its grants on the tables of schema " + schema,
                    "REVOKE ALL ON ALL TABLES IN SCHEMA " + schema + " FROM " + quoted,
                    Map.of(),
                    deadline);
            runner.run(
                    target,
                    label + "revoking its usage of schema " + schema,
                    "REVOKE USAGE ON SCHEMA " + schema + " FROM " + quoted,
                    Map.of(),
                    deadline);
        }
        try {
            runner.run(target, label + "dropping it", "DROP USER IF EXISTS " + quoted, Map.of(), deadline);
        } catch (WarehouseSchemaException e) {
            throw new WarehouseSchemaException(
                    e.getMessage() + "\nIf the user still holds privileges on other objects or owns objects, revoke or"
                            + " reassign them (SVV_RELATION_PRIVILEGES, SVV_SCHEMA_PRIVILEGES show them), then deploy again.",
                    e);
        }
        LOG.info("Retired previous user {}", user);
    }

    /** @return the statements onEvent submitted, from the isComplete request */
    static List<Submitted> submitted(Map<String, Object> event) {
        Object value = event.get(SUBMITTED_FIELD);
        if (!(value instanceof List<?> list)) {
            throw new WarehouseSchemaException(
                    SUBMITTED_FIELD + " must be the list onEvent returned, got " + describe(value));
        }
        List<Submitted> submitted = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> map)
                    || !(map.get("Label") instanceof String label)
                    || !(map.get("Id") instanceof String id)) {
                throw new WarehouseSchemaException(
                        SUBMITTED_FIELD + " must hold {Label, Id} objects, got " + describe(item));
            }
            submitted.add(new Submitted(label, id));
        }
        return submitted;
    }

    private static String describe(Object value) {
        return com.dsqlcdc.contract.Problems.describe(value);
    }
}
