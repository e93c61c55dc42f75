package com.dsqlcdc.infra;

import com.dsqlcdc.infra.config.EnvironmentConfig;
import com.dsqlcdc.sql.catalog.TableCatalog;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Properties of {@link PipelineStage}, which its stateless stack reads too.
 *
 * @param config            the environment's validated settings; a fixed account/Region becomes the
 *                          stage's env
 * @param customResourceJar the shaded custom-resource handler jar (must exist)
 * @param consumerJar       the shaded consumer Lambda jar (must exist)
 * @param catalog           the validated table catalog (loaded by {@code main}): the warehouse's
 *                          current-state views
 */
public record PipelineStageProps(
        EnvironmentConfig config, Path customResourceJar, Path consumerJar, TableCatalog catalog) {

    public PipelineStageProps {
        Objects.requireNonNull(config, "PipelineStageProps.config is required");
        Objects.requireNonNull(customResourceJar, "PipelineStageProps.customResourceJar is required");
        Objects.requireNonNull(consumerJar, "PipelineStageProps.consumerJar is required");
        Objects.requireNonNull(catalog, "PipelineStageProps.catalog is required");
    }
}
