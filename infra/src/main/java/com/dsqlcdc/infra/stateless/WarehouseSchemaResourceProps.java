package com.dsqlcdc.infra.stateless;

import com.dsqlcdc.infra.stateful.IWarehouse;
import com.dsqlcdc.sql.catalog.TableCatalog;
import java.nio.file.Path;
import java.util.Objects;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.logs.RetentionDays;

/** Properties of {@link WarehouseSchemaResource}; build with {@link #builder()}. */
public final class WarehouseSchemaResourceProps {

    private final IWarehouse warehouse;
    private final IRole consumerRole;
    private final TableCatalog catalog;
    private final Path handlerJar;
    private final RetentionDays logRetention;

    private WarehouseSchemaResourceProps(Builder builder) {
        this.warehouse = Objects.requireNonNull(builder.warehouse, "WarehouseSchemaResourceProps.warehouse is required");
        this.consumerRole = Objects.requireNonNull(builder.consumerRole,
                "WarehouseSchemaResourceProps.consumerRole is required");
        this.catalog = Objects.requireNonNull(builder.catalog, "WarehouseSchemaResourceProps.catalog is required");
        this.handlerJar = Objects.requireNonNull(builder.handlerJar,
                "WarehouseSchemaResourceProps.handlerJar is required");
        this.logRetention = Objects.requireNonNull(builder.logRetention,
                "WarehouseSchemaResourceProps.logRetention is required");
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the warehouse the schema is applied to */
    public IWarehouse getWarehouse() {
        return warehouse;
    }

    /** @return the consumer's execution role, whose database user gets the grants */
    public IRole getConsumerRole() {
        return consumerRole;
    }

    /** @return the captured tables (their current-state views) */
    public TableCatalog getCatalog() {
        return catalog;
    }

    /** @return the shaded custom-resource jar */
    public Path getHandlerJar() {
        return handlerJar;
    }

    /** @return retention of the handler and provider log groups */
    public RetentionDays getLogRetention() {
        return logRetention;
    }

    /** Builder of {@link WarehouseSchemaResourceProps}. */
    public static final class Builder {
        private IWarehouse warehouse;
        private IRole consumerRole;
        private TableCatalog catalog;
        private Path handlerJar;
        private RetentionDays logRetention;

        private Builder() {
        }

        /**
         * @param warehouse workgroup, database, admin secret and key. Required.
         * @return this builder
         */
        public Builder warehouse(IWarehouse warehouse) {
            this.warehouse = warehouse;
            return this;
        }

        /**
         * @param consumerRole the consumer's role: its database user {@code IAMR:<role name>} is
         *                     created and granted what the consumer needs. Required.
         * @return this builder
         */
        public Builder consumerRole(IRole consumerRole) {
            this.consumerRole = consumerRole;
            return this;
        }

        /**
         * @param catalog the validated table catalog (read by {@code main} only). Required.
         * @return this builder
         */
        public Builder catalog(TableCatalog catalog) {
            this.catalog = catalog;
            return this;
        }

        /**
         * @param handlerJar the shaded custom-resource jar with the schema handler. Required.
         * @return this builder
         */
        public Builder handlerJar(Path handlerJar) {
            this.handlerJar = handlerJar;
            return this;
        }

        /**
         * @param logRetention retention of every log group of the resource. Required.
         * @return this builder
         */
        public Builder logRetention(RetentionDays logRetention) {
            this.logRetention = logRetention;
            return this;
        }

        /** @return the properties */
        public WarehouseSchemaResourceProps build() {
            return new WarehouseSchemaResourceProps(this);
        }
    }
}
