package com.dsqlcdc.infra.stateless;

import com.dsqlcdc.infra.stateful.IWarehouse;
import com.dsqlcdc.sql.catalog.TableCatalog;
import java.util.Objects;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.logs.RetentionDays;

/**
 * Properties of {@link WarehouseSchemaResource}.
 *
 * @param warehouse    workgroup, database, admin secret and key
 * @param consumerRole the consumer's role: its database user {@code IAMR:<role name>} is created and
 *                     granted what the consumer needs
 * @param catalog      the validated table catalog (read by {@code main} only): the current-state views
 * @param handlerCode  the shaded custom-resource jar with the schema handler
 * @param logRetention retention of every log group of the resource
 */
public record WarehouseSchemaResourceProps(
        IWarehouse warehouse, IRole consumerRole, TableCatalog catalog, Code handlerCode, RetentionDays logRetention) {

    public WarehouseSchemaResourceProps {
        Objects.requireNonNull(warehouse, "WarehouseSchemaResourceProps.warehouse is required");
        Objects.requireNonNull(consumerRole, "WarehouseSchemaResourceProps.consumerRole is required");
        Objects.requireNonNull(catalog, "WarehouseSchemaResourceProps.catalog is required");
        Objects.requireNonNull(handlerCode, "WarehouseSchemaResourceProps.handlerCode is required");
        Objects.requireNonNull(logRetention, "WarehouseSchemaResourceProps.logRetention is required");
    }
}
