package com.dsqlcdc.infra.stateless;

import com.dsqlcdc.infra.stateful.IWarehouse;
import com.dsqlcdc.sql.catalog.TableCatalog;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.logs.RetentionDays;

/**
 * Properties of {@link WarehouseSchemaResource}.
 *
 * @param warehouse    workgroup, database, admin secret and key
 * @param loaderRole   the loader's role: its database user {@code IAMR:<role name>} is created and
 *                     granted what the loader needs
 * @param readerRole   the backfill job's range worker's role, or empty: its database user
 *                     {@code IAMR:<role name>} is created and may read the state tables, the current
 *                     views and the loader's state (validation and resync), nothing else
 * @param catalog      the validated table catalog (read by {@code main} only): the state tables and views
 * @param logPruning   whether the loader prunes the log ({@code warehouse.logRetentionDays} above 0): only
 *                     then is it granted DELETE on {@code cdc_events}
 * @param handlerCode  the shaded custom-resource jar with the schema handler
 * @param logRetention retention of every log group of the resource
 */
public record WarehouseSchemaResourceProps(
        IWarehouse warehouse,
        IRole loaderRole,
        Optional<IRole> readerRole,
        TableCatalog catalog,
        boolean logPruning,
        Code handlerCode,
        RetentionDays logRetention) {

    public WarehouseSchemaResourceProps {
        Objects.requireNonNull(warehouse, "WarehouseSchemaResourceProps.warehouse is required");
        Objects.requireNonNull(loaderRole, "WarehouseSchemaResourceProps.loaderRole is required");
        Objects.requireNonNull(readerRole, "WarehouseSchemaResourceProps.readerRole is required (may be empty)");
        Objects.requireNonNull(catalog, "WarehouseSchemaResourceProps.catalog is required");
        Objects.requireNonNull(handlerCode, "WarehouseSchemaResourceProps.handlerCode is required");
        Objects.requireNonNull(logRetention, "WarehouseSchemaResourceProps.logRetention is required");
    }
}
