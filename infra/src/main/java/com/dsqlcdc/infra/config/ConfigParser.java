package com.dsqlcdc.infra.config;

import com.dsqlcdc.infra.config.schema.ConfigKey;
import com.dsqlcdc.infra.config.schema.ConfigProblems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads {@value PipelineConfig#ENVIRONMENTS_KEY} (each environment as {@link EnvironmentSchema}
 * declares it) and {@value PipelineConfig#ONLY_KEY}, and checks the Lambda assets. Strict: unknown
 * keys, wrong types and out-of-range values are problems, each naming the full key and the fix,
 * all recorded so that they are reported together.
 */
final class ConfigParser {

    private static final Pattern ENVIRONMENT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,63}");

    private ConfigParser() {}

    /** @return every valid environment, in configuration order (the others' problems are recorded) */
    static List<EnvironmentConfig> environments(Object raw, ConfigProblems problems) {
        ConfigKey root = ConfigKey.root(PipelineConfig.ENVIRONMENTS_KEY);
        if (raw == null) {
            problems.error(
                    root,
                    "missing",
                    "add to \"context\" in cdk.json an object mapping each environment name"
                            + " to its settings, e.g. \"" + root
                            + "\": {\"dev\": {\"cluster\": {\"mode\": \"create\"}}}");
            return List.of();
        }
        Optional<Map<String, Object>> map =
                problems.object(root, raw, "an object mapping environment names to settings");
        if (map.isPresent() && map.get().isEmpty()) {
            problems.error(
                    root,
                    "expected at least one environment, got an empty object",
                    "add one, e.g. \"dev\": {\"cluster\": {\"mode\": \"create\"}}");
        }
        List<EnvironmentConfig> valid = new ArrayList<>();
        map.orElse(Map.of()).forEach((name, settings) -> {
            ConfigKey key = root.child(name);
            boolean validName = ENVIRONMENT_NAME.matcher(name).matches();
            if (!validName) {
                problems.error(
                        key,
                        "invalid environment name " + ConfigProblems.describe(name)
                                + " (it becomes the Stage id and stack name prefix)",
                        "rename it to start with a letter and use only letters, digits and '-' (at most 64)");
            }
            EnvironmentSchema.ENVIRONMENT
                    .parse(key, settings, problems)
                    .filter(e -> validName)
                    .ifPresent(valid::add);
        });
        return valid;
    }

    /** @return the environments to synthesise: all, or the one {@code rawOnly} names */
    static List<EnvironmentConfig> select(
            List<EnvironmentConfig> valid, Set<String> known, Object rawOnly, ConfigProblems problems) {
        if (rawOnly == null) {
            return valid;
        }
        ConfigKey key = ConfigKey.root(PipelineConfig.ONLY_KEY);
        if (!(rawOnly instanceof String) || ((String) rawOnly).isEmpty()) {
            problems.typeError(key, "an environment name", rawOnly);
            return valid;
        }
        String only = (String) rawOnly;
        if (!known.isEmpty() && !known.contains(only)) {
            problems.add(key + ": unknown environment " + ConfigProblems.describe(only) + "; known environments: "
                    + String.join(", ", new TreeSet<>(known)) + "; pass one of them (cdk synth -c "
                    + PipelineConfig.ONLY_KEY + "=<name>) or leave it out to synthesise all");
        }
        return valid.stream().filter(e -> e.name().equals(only)).collect(Collectors.toList());
    }

    /** Records a problem when the Lambda asset {@code jar} of {@code module} was not built. */
    static void checkJar(String module, Path jar, ConfigProblems problems) {
        if (!Files.isRegularFile(jar)) {
            problems.add(module + " asset: " + jar.toAbsolutePath().normalize() + " does not exist; run the app"
                    + " through `npx aws-cdk@2.1148.1 synth` (or deploy) from the repository root, whose app command"
                    + " builds it, or build it first with `mvn -B -DskipTests package`");
        }
    }
}
