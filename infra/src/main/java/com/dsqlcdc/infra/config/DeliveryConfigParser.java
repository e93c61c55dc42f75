package com.dsqlcdc.infra.config;

import java.util.ArrayList;
import java.util.HashSet;
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

    private final ConfigProblems problems = new ConfigProblems();

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
        Optional<Map<String, Object>> map = problems.object(root, raw, "an object with \"account\", \"region\", \"source\""
                + " and \"stages\" (see docs/delivery-pipeline.md)");
        if (map.isEmpty()) {
            throw problems.exception();
        }
        Map<String, Object> settings = map.get();
        problems.checkKeys(root, settings, DELIVERY_KEYS);

        Optional<String> account = required(root.child("account"), settings,
                "the pipeline's (tools) account: a 12-digit AWS account id in quotes, e.g. \"111111111111\"", ConfigParser.ACCOUNT);
        Optional<String> region = required(root.child("region"), settings,
                "the pipeline's AWS Region code, e.g. \"eu-west-1\"", ConfigParser.REGION);
        Optional<DeliveryConfig.Source> source = source(root.child("source"), settings);
        List<DeliveryConfig.Stage> stages = stages(root.child("stages"), settings, environmentNames, environments);

        environmentNames.filter(names -> names.contains(DeliveryConfig.STACK_ID)).ifPresent(names -> problems.add(
                PipelineConfig.ENVIRONMENTS_KEY + "." + DeliveryConfig.STACK_ID + ": the environment name \"" + DeliveryConfig.STACK_ID
                        + "\" is the delivery pipeline stack's id in the app; rename the environment (stack names"
                        + " of its stages change with it) or remove " + PipelineConfig.DELIVERY_KEY));

        if (!problems.isEmpty()) {
            throw problems.exception();
        }
        return new DeliveryConfig(new DeploymentTarget(account.orElseThrow(), region.orElseThrow()),
                source.orElseThrow(), stages);
    }

    private Optional<DeliveryConfig.Source> source(ConfigKey key, Map<String, Object> parent) {
        if (!parent.containsKey(key.last())) {
            problems.error(key, "missing", "add \"source\": {\"connectionArn\": \"arn:aws:codeconnections:<region>:<account>"
                    + ":connection/<id>\", \"repository\": \"<owner>/<repo>\", \"branch\": \"main\"}");
            return Optional.empty();
        }
        Optional<Map<String, Object>> settings = problems.object(key, parent.get(key.last()), "an object");
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> map = settings.get();
        problems.checkKeys(key, map, SOURCE_KEYS);
        Optional<String> connection = required(key.child("connectionArn"), map,
                "the ARN of an AWS CodeConnections connection, e.g. \"arn:aws:codeconnections:eu-west-1:"
                        + "111111111111:connection/<uuid>\" (create it in the console: Developer Tools >"
                        + " Settings > Connections, then complete the handshake)", CONNECTION_ARN);
        Optional<String> repository = required(key.child("repository"), map,
                "the repository as \"<owner>/<name>\", e.g. \"my-org/dsql-cdc-pipeline\"", REPOSITORY);
        Optional<String> branch = map.containsKey("branch")
                ? problems.string(key.child("branch"), map, "a branch name, e.g. \"main\"", BRANCH)
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
            problems.error(key, "missing", "add the environments to deploy, in order, " + example);
            return List.of();
        }
        Object raw = parent.get(key.last());
        if (!(raw instanceof List)) {
            problems.typeError(key, "a list of stages, " + example, raw);
            return List.of();
        }
        List<?> list = (List<?>) raw;
        if (list.isEmpty()) {
            problems.error(key, "expected at least one stage, got an empty list", "add the environments to deploy, " + example);
            return List.of();
        }
        List<DeliveryConfig.Stage> stages = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            ConfigKey stageKey = key.index(i);
            Optional<Map<String, Object>> settings = problems.object(stageKey, list.get(i),
                    "an object, e.g. {\"environment\": \"dev\"}");
            if (settings.isEmpty()) {
                continue;
            }
            Map<String, Object> map = settings.get();
            problems.checkKeys(stageKey, map, STAGE_KEYS);
            ConfigKey environmentKey = stageKey.child("environment");
            String known = names.map(n -> String.join(", ", new TreeSet<>(n))).orElse("");
            Optional<String> name = required(environmentKey, map,
                    "the name of an environment of " + PipelineConfig.ENVIRONMENTS_KEY
                            + (known.isEmpty() ? "" : " (" + known + ")"), Pattern.compile(".+"));
            boolean approval = problems.bool(stageKey.child("manualApproval"), map, false);
            if (name.isEmpty()) {
                continue;
            }
            String environment = name.get();
            if (!seen.add(environment)) {
                problems.error(environmentKey, "environment \"" + environment + "\" is already delivered by an earlier stage",
                        "list each environment once");
                continue;
            }
            if (names.isPresent() && !names.get().contains(environment)) {
                problems.error(environmentKey, "unknown environment \"" + environment + "\"; known environments: " + known,
                        "use one of them, or add it to " + PipelineConfig.ENVIRONMENTS_KEY);
                continue;
            }
            EnvironmentConfig config = environments.get(environment);
            if (config == null) {
                continue; // the environment's own errors are reported by ConfigParser
            }
            if (config.target().isEmpty()) {
                problems.error(environmentKey, "environment \"" + environment + "\" is environment-agnostic (no \"account\"/"
                                + "\"region\"), but a pipeline deploys to a fixed target",
                        "set \"account\" and \"region\" under " + PipelineConfig.ENVIRONMENTS_KEY + "." + environment
                                + " (and bootstrap that account to trust the pipeline account)");
                continue;
            }
            stages.add(new DeliveryConfig.Stage(config, approval));
        }
        return stages;
    }

    /** A string that must be set: missing is a problem too. */
    private Optional<String> required(ConfigKey key, Map<String, Object> map, String expected, Pattern pattern) {
        if (!map.containsKey(key.last())) {
            problems.error(key, "missing", "set it to " + expected);
            return Optional.empty();
        }
        return problems.string(key, map, expected, pattern);
    }
}
