package com.dsqlcdc.infra.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The whole app's validated configuration: the environments to synthesise and the Lambda assets.
 * Built once, by {@code DsqlCdcApp.main}, from CDK context; then passed down, never re-read.
 *
 * @param environments      the environments to synthesise, in configuration order (never empty)
 * @param customResourceJar the shaded custom-resource handler jar (an existing file)
 * @param consumerJar       the shaded consumer Lambda jar (an existing file)
 */
public record PipelineConfig(List<EnvironmentConfig> environments, Path customResourceJar, Path consumerJar) {

    /** Context key of the environment map (in cdk.json). */
    public static final String ENVIRONMENTS_KEY = "dsql-cdc:environments";
    /** Optional context key naming the single environment to synthesise. */
    public static final String ONLY_KEY = "dsql-cdc:only";

    public PipelineConfig {
        environments = List.copyOf(Objects.requireNonNull(environments, "environments"));
        Objects.requireNonNull(customResourceJar, "customResourceJar");
        Objects.requireNonNull(consumerJar, "consumerJar");
        if (environments.isEmpty()) {
            throw new IllegalArgumentException("at least one environment is required");
        }
    }

    /**
     * Validates raw context values, collecting every problem before failing.
     *
     * @param environments      the value of {@value #ENVIRONMENTS_KEY}, as the CDK context holds it
     *                          (maps, lists, strings, numbers, booleans), or null when unset
     * @param only              the value of {@value #ONLY_KEY}, or null when unset
     * @param customResourceJar path of the custom-resource jar; must exist
     * @param consumerJar       path of the consumer Lambda jar; must exist
     * @return the validated configuration
     * @throws InvalidConfigException listing every problem, each with its full key and the fix
     */
    public static PipelineConfig fromContext(Object environments, Object only, Path customResourceJar,
                                             Path consumerJar) {
        return new ConfigParser().parse(environments, only, customResourceJar, consumerJar);
    }
}
