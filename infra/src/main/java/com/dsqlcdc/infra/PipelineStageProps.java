package com.dsqlcdc.infra;

import com.dsqlcdc.infra.config.EnvironmentConfig;
import com.dsqlcdc.sql.catalog.TableCatalog;
import java.nio.file.Path;
import java.util.Objects;

/** Properties of {@link PipelineStage}; build with {@link #builder()}. */
public final class PipelineStageProps {

    private final EnvironmentConfig config;
    private final Path customResourceJar;
    private final Path consumerJar;
    private final TableCatalog catalog;

    private PipelineStageProps(Builder builder) {
        this.config = Objects.requireNonNull(builder.config, "PipelineStageProps.config is required");
        this.customResourceJar = Objects.requireNonNull(builder.customResourceJar,
                "PipelineStageProps.customResourceJar is required");
        this.consumerJar = Objects.requireNonNull(builder.consumerJar, "PipelineStageProps.consumerJar is required");
        this.catalog = Objects.requireNonNull(builder.catalog, "PipelineStageProps.catalog is required");
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the environment's validated settings */
    public EnvironmentConfig getConfig() {
        return config;
    }

    /** @return the shaded custom-resource handler jar */
    public Path getCustomResourceJar() {
        return customResourceJar;
    }

    /** @return the shaded consumer Lambda jar */
    public Path getConsumerJar() {
        return consumerJar;
    }

    /** @return the table catalog: the warehouse's current-state views */
    public TableCatalog getCatalog() {
        return catalog;
    }

    /** Builder of {@link PipelineStageProps}. */
    public static final class Builder {
        private EnvironmentConfig config;
        private Path customResourceJar;
        private Path consumerJar;
        private TableCatalog catalog;

        private Builder() {
        }

        /**
         * @param config the environment's validated settings; a fixed account/Region becomes the
         *               stage's env. Required.
         * @return this builder
         */
        public Builder config(EnvironmentConfig config) {
            this.config = config;
            return this;
        }

        /**
         * @param customResourceJar the shaded custom-resource handler jar (must exist). Required.
         * @return this builder
         */
        public Builder customResourceJar(Path customResourceJar) {
            this.customResourceJar = customResourceJar;
            return this;
        }

        /**
         * @param consumerJar the shaded consumer Lambda jar (must exist). Required.
         * @return this builder
         */
        public Builder consumerJar(Path consumerJar) {
            this.consumerJar = consumerJar;
            return this;
        }

        /**
         * @param catalog the validated table catalog (loaded by {@code main}). Required.
         * @return this builder
         */
        public Builder catalog(TableCatalog catalog) {
            this.catalog = catalog;
            return this;
        }

        /** @return the properties */
        public PipelineStageProps build() {
            return new PipelineStageProps(this);
        }
    }
}
