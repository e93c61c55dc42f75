package com.dsqlcdc.infra.config;

import com.dsqlcdc.infra.config.schema.ConfigProblems;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The whole app's validated configuration: the environments to synthesise, the Lambda assets and,
 * optionally, the delivery pipeline. Built once, by {@code DsqlCdcApp.main}, from CDK context; then
 * passed down, never re-read.
 *
 * @param environments      the environments to synthesise as laptop-deployable stages, in
 *                          configuration order (never empty; only the one named by
 *                          {@value #ONLY_KEY} when it is set)
 * @param customResourceJar the shaded custom-resource handler jar (an existing file)
 * @param consumerJar       the shaded consumer Lambda jar (an existing file)
 * @param delivery          the delivery pipeline to synthesise: present when {@value #DELIVERY_KEY}
 *                          is set and {@value #ONLY_KEY} is not (with {@code only} the pipeline is
 *                          still validated, but not synthesised)
 */
public record PipelineConfig(
        List<EnvironmentConfig> environments,
        Path customResourceJar,
        Path consumerJar,
        Optional<DeliveryConfig> delivery) {

    /** Context key of the environment map (in cdk.json). */
    public static final String ENVIRONMENTS_KEY = "dsql-cdc:environments";
    /** Optional context key naming the single environment to synthesise. */
    public static final String ONLY_KEY = "dsql-cdc:only";
    /** Optional context key of the delivery pipeline's settings (see docs/delivery-pipeline.md). */
    public static final String DELIVERY_KEY = "dsql-cdc:delivery";

    public PipelineConfig {
        environments = List.copyOf(Objects.requireNonNull(environments, "environments"));
        Objects.requireNonNull(customResourceJar, "customResourceJar");
        Objects.requireNonNull(consumerJar, "consumerJar");
        Objects.requireNonNull(delivery, "delivery");
        if (environments.isEmpty()) {
            throw new IllegalArgumentException("at least one environment is required");
        }
    }

    /**
     * A configuration without a delivery pipeline.
     *
     * @param environments      the environments to synthesise
     * @param customResourceJar the shaded custom-resource handler jar
     * @param consumerJar       the shaded consumer Lambda jar
     */
    public PipelineConfig(List<EnvironmentConfig> environments, Path customResourceJar, Path consumerJar) {
        this(environments, customResourceJar, consumerJar, Optional.empty());
    }

    /**
     * Validates raw context values, without a delivery pipeline. Same as
     * {@link #fromContext(Object, Object, Object, Path, Path)} with no {@value #DELIVERY_KEY}.
     *
     * @param environments      the value of {@value #ENVIRONMENTS_KEY}, as the CDK context holds it
     *                          (maps, lists, strings, numbers, booleans), or null when unset
     * @param only              the value of {@value #ONLY_KEY}, or null when unset
     * @param customResourceJar path of the custom-resource jar; must exist
     * @param consumerJar       path of the consumer Lambda jar; must exist
     * @return the validated configuration
     * @throws InvalidConfigException listing every problem, each with its full key and the fix
     */
    public static PipelineConfig fromContext(
            Object environments, Object only, Path customResourceJar, Path consumerJar) {
        return fromContext(environments, only, null, customResourceJar, consumerJar);
    }

    /**
     * Validates raw context values, collecting every problem (of the environments and of the
     * delivery pipeline) before failing. The pipeline's stages are checked against every
     * configured environment, whatever {@code only} selects.
     *
     * @param environments      the value of {@value #ENVIRONMENTS_KEY}, or null when unset
     * @param only              the value of {@value #ONLY_KEY}, or null when unset
     * @param delivery          the value of {@value #DELIVERY_KEY}, or null when unset (no pipeline)
     * @param customResourceJar path of the custom-resource jar; must exist
     * @param consumerJar       path of the consumer Lambda jar; must exist
     * @return the validated configuration
     * @throws InvalidConfigException listing every problem, each with its full key and the fix
     */
    public static PipelineConfig fromContext(
            Object environments, Object only, Object delivery, Path customResourceJar, Path consumerJar) {
        ConfigProblems problems = new ConfigProblems();
        List<EnvironmentConfig> valid = ConfigParser.environments(environments, problems);
        Optional<Set<String>> names = environmentNames(environments);
        List<EnvironmentConfig> selected = ConfigParser.select(valid, names.orElse(Set.of()), only, problems);
        ConfigParser.checkJar("custom-resource", customResourceJar, problems);
        ConfigParser.checkJar("consumer", consumerJar, problems);
        Map<String, EnvironmentConfig> byName =
                valid.stream().collect(Collectors.toMap(EnvironmentConfig::name, Function.identity()));
        Optional<DeliveryConfig> deliveryConfig =
                delivery == null ? Optional.empty() : DeliverySchema.parse(delivery, names, byName, problems);
        if (problems.count() > 0) {
            throw new InvalidConfigException(problems.all());
        }
        return new PipelineConfig(
                selected, customResourceJar, consumerJar, only == null ? deliveryConfig : Optional.empty());
    }

    private static Optional<Set<String>> environmentNames(Object environments) {
        if (!(environments instanceof Map)) {
            return Optional.empty();
        }
        Set<String> names = new LinkedHashSet<>();
        ((Map<?, ?>) environments).keySet().forEach(name -> names.add(String.valueOf(name)));
        return Optional.of(names);
    }
}
