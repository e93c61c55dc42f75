package com.dsqlcdc.infra.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Turns the raw {@value PipelineConfig#DELIVERY_KEY} context value into a {@link DeliveryConfig}.
 * Same contract as {@link ConfigParser}: strict (unknown keys, wrong types and bad values are
 * errors), every error names the full key and the fix, and all of them are reported together.
 */
final class DeliveryConfigParser {

    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2,4}(-[a-z]+)+-\\d{1,2}");
    /** {@code codeconnections} (current) or {@code codestar-connections} (older connections). */
    private static final Pattern CONNECTION_ARN = Pattern.compile(
            "arn:aws(-[a-z]+)*:(codeconnections|codestar-connections):[a-z]{2,4}(-[a-z]+)+-\\d{1,2}:\\d{12}"
                    + ":connection/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** {@code owner/name}; GitLab's nested groups add more segments ({@code group/subgroup/name}). */
    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+");
    /** A git branch name: no spaces or ref metacharacters, not starting with '-' or '/'. */
    private static final Pattern BRANCH = Pattern.compile("(?!.*\\.\\.)(?!.*//)[A-Za-z0-9_.][A-Za-z0-9_./-]{0,254}");

    private static final Set<String> DELIVERY_KEYS = Set.of("account", "region", "source", "stages");
    private static final Set<String> SOURCE_KEYS = Set.of("connectionArn", "repository", "branch");
    private static final Set<String> STAGE_KEYS = Set.of("environment", "manualApproval");

    private final List<String> errors = new ArrayList<>();

    /**
     * @param raw                 the context value (not null)
     * @param environmentNames    names of every configured environment, or empty when
     *                            {@value PipelineConfig#ENVIRONMENTS_KEY} itself is unusable (its
     *                            own errors are reported; the stages' names are then not checked)
     * @param environments        every environment that validated, by name (an environment with
     *                            errors is missing here: its target is then not checked)
     * @return the validated configuration
     * @throws InvalidConfigException listing every problem
     */
    DeliveryConfig parse(Object raw, Optional<Set<String>> environmentNames,
                         Map<String, EnvironmentConfig> environments) {
        ConfigKey root = ConfigKey.root(PipelineConfig.DELIVERY_KEY);
        Optional<Map<String, Object>> map = object(root, raw, "an object with \"account\", \"region\", \"source\""
                + " and \"stages\" (see docs/delivery-pipeline.md)");
        if (map.isEmpty()) {
            throw new InvalidConfigException(errors);
        }
        Map<String, Object> settings = map.get();
        checkKeys(root, settings, DELIVERY_KEYS);

        Optional<String> account = required(root.child("account"), settings,
                "the pipeline's (tools) account: a 12-digit AWS account id in quotes, e.g. \"111111111111\"", ACCOUNT);
        Optional<String> region = required(root.child("region"), settings,
                "the pipeline's AWS Region code, e.g. \"eu-west-1\"", REGION);
        Optional<DeliveryConfig.Source> source = source(root.child("source"), settings);
        List<DeliveryConfig.Stage> stages = stages(root.child("stages"), settings, environmentNames, environments);

        environmentNames.filter(names -> names.contains(DeliveryConfig.STACK_ID)).ifPresent(names -> errors.add(
                PipelineConfig.ENVIRONMENTS_KEY + "." + DeliveryConfig.STACK_ID + ": the environment name \"" + DeliveryConfig.STACK_ID
                        + "\" is the delivery pipeline stack's id in the app; rename the environment (stack names"
                        + " of its stages change with it) or remove " + PipelineConfig.DELIVERY_KEY));

        if (!errors.isEmpty()) {
            throw new InvalidConfigException(errors);
        }
        return new DeliveryConfig(new DeploymentTarget(account.orElseThrow(), region.orElseThrow()),
                source.orElseThrow(), stages);
    }

    private Optional<DeliveryConfig.Source> source(ConfigKey key, Map<String, Object> parent) {
        if (!parent.containsKey(key.last())) {
            error(key, "missing", "add \"source\": {\"connectionArn\": \"arn:aws:codeconnections:<region>:<account>"
                    + ":connection/<id>\", \"repository\": \"<owner>/<repo>\", \"branch\": \"main\"}");
            return Optional.empty();
        }
        Optional<Map<String, Object>> settings = object(key, parent.get(key.last()), "an object");
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> map = settings.get();
        checkKeys(key, map, SOURCE_KEYS);
        Optional<String> connection = required(key.child("connectionArn"), map,
                "the ARN of an AWS CodeConnections connection, e.g. \"arn:aws:codeconnections:eu-west-1:"
                        + "111111111111:connection/<uuid>\" (create it in the console: Developer Tools >"
                        + " Settings > Connections, then complete the handshake)", CONNECTION_ARN);
        Optional<String> repository = required(key.child("repository"), map,
                "the repository as \"<owner>/<name>\", e.g. \"my-org/dsql-cdc-pipeline\"", REPOSITORY);
        Optional<String> branch = map.containsKey("branch")
                ? string(key.child("branch"), map, "a branch name, e.g. \"main\"", BRANCH)
                : Optional.of(DeliveryConfig.DEFAULT_BRANCH);
        if (connection.isEmpty() || repository.isEmpty() || branch.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DeliveryConfig.Source(connection.get(), repository.get(), branch.get()));
    }

    private List<DeliveryConfig.Stage> stages(ConfigKey key, Map<String, Object> parent, Optional<Set<String>> names,
                                              Map<String, EnvironmentConfig> environments) {
        String example = "e.g. [{\"environment\": \"dev\"}, {\"environment\": \"prod\", \"manualApproval\": true}]";
        if (!parent.containsKey(key.last())) {
            error(key, "missing", "add the environments to deploy, in order, " + example);
            return List.of();
        }
        Object raw = parent.get(key.last());
        if (!(raw instanceof List)) {
            typeError(key, "a list of stages, " + example, raw);
            return List.of();
        }
        List<?> list = (List<?>) raw;
        if (list.isEmpty()) {
            error(key, "expected at least one stage, got an empty list", "add the environments to deploy, " + example);
            return List.of();
        }
        List<DeliveryConfig.Stage> stages = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            ConfigKey stageKey = key.index(i);
            Optional<Map<String, Object>> settings = object(stageKey, list.get(i),
                    "an object, e.g. {\"environment\": \"dev\"}");
            if (settings.isEmpty()) {
                continue;
            }
            Map<String, Object> map = settings.get();
            checkKeys(stageKey, map, STAGE_KEYS);
            ConfigKey environmentKey = stageKey.child("environment");
            String known = names.map(n -> String.join(", ", new TreeSet<>(n))).orElse("");
            Optional<String> name = required(environmentKey, map,
                    "the name of an environment of " + PipelineConfig.ENVIRONMENTS_KEY
                            + (known.isEmpty() ? "" : " (" + known + ")"), Pattern.compile(".+"));
            boolean approval = bool(stageKey.child("manualApproval"), map);
            if (name.isEmpty()) {
                continue;
            }
            String environment = name.get();
            if (!seen.add(environment)) {
                error(environmentKey, "environment \"" + environment + "\" is already delivered by an earlier stage",
                        "list each environment once");
                continue;
            }
            if (names.isPresent() && !names.get().contains(environment)) {
                error(environmentKey, "unknown environment \"" + environment + "\"; known environments: " + known,
                        "use one of them, or add it to " + PipelineConfig.ENVIRONMENTS_KEY);
                continue;
            }
            EnvironmentConfig config = environments.get(environment);
            if (config == null) {
                continue; // the environment's own errors are reported by ConfigParser
            }
            if (config.target().isEmpty()) {
                error(environmentKey, "environment \"" + environment + "\" is environment-agnostic (no \"account\"/"
                                + "\"region\"), but a pipeline deploys to a fixed target",
                        "set \"account\" and \"region\" under " + PipelineConfig.ENVIRONMENTS_KEY + "." + environment
                                + " (and bootstrap that account to trust the pipeline account)");
                continue;
            }
            stages.add(new DeliveryConfig.Stage(config, approval));
        }
        return stages;
    }

    // ---- typed field readers: each records an error and returns empty/default on a bad value ----

    private void checkKeys(ConfigKey key, Map<String, Object> map, Set<String> allowed) {
        for (String name : new TreeSet<>(map.keySet())) {
            if (!allowed.contains(name)) {
                errors.add(key.child(name) + ": unknown setting (allowed here: "
                        + String.join(", ", new TreeSet<>(allowed)) + "); remove or rename it in cdk.json under "
                        + key.location());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Optional<Map<String, Object>> object(ConfigKey key, Object raw, String expected) {
        if (raw instanceof Map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<?, ?>) raw).forEach((k, v) -> copy.put(String.valueOf(k), v));
            return Optional.of(copy);
        }
        typeError(key, expected, raw);
        return Optional.empty();
    }

    private Optional<String> required(ConfigKey key, Map<String, Object> map, String expected, Pattern pattern) {
        if (!map.containsKey(key.last())) {
            error(key, "missing", "set it to " + expected);
            return Optional.empty();
        }
        return string(key, map, expected, pattern);
    }

    private Optional<String> string(ConfigKey key, Map<String, Object> map, String expected, Pattern pattern) {
        Object raw = map.get(key.last());
        if (raw instanceof String && pattern.matcher((String) raw).matches()) {
            return Optional.of((String) raw);
        }
        typeError(key, expected, raw);
        return Optional.empty();
    }

    private boolean bool(ConfigKey key, Map<String, Object> map) {
        if (!map.containsKey(key.last())) {
            return false;
        }
        Object raw = map.get(key.last());
        if (raw instanceof Boolean) {
            return (Boolean) raw;
        }
        typeError(key, "true or false (without quotes)", raw);
        return false;
    }

    private void typeError(ConfigKey key, String expected, Object actual) {
        error(key, "expected " + expected + ", got " + describe(actual), "set it in cdk.json under " + key.location());
    }

    private void error(ConfigKey key, String problem, String fix) {
        errors.add(key + ": " + problem + "; " + fix);
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String) {
            return "\"" + ((String) value).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "a list";
        }
        return String.valueOf(value);
    }
}
