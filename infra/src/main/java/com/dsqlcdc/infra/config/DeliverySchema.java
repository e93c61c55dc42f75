package com.dsqlcdc.infra.config;

import static com.dsqlcdc.infra.config.schema.Key.byDefault;
import static com.dsqlcdc.infra.config.schema.Key.key;
import static com.dsqlcdc.infra.config.schema.Key.required;
import static com.dsqlcdc.infra.config.schema.Type.bool;
import static com.dsqlcdc.infra.config.schema.Type.text;

import com.dsqlcdc.infra.config.schema.ConfigKey;
import com.dsqlcdc.infra.config.schema.ConfigProblems;
import com.dsqlcdc.infra.config.schema.Group;
import com.dsqlcdc.infra.config.schema.Key;
import com.dsqlcdc.infra.config.schema.Scope;
import com.dsqlcdc.infra.config.schema.Type;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The delivery pipeline's settings ({@value PipelineConfig#DELIVERY_KEY}), declared once as
 * {@link EnvironmentSchema} declares an environment's: the parser, the unknown-key check and the
 * table in docs/delivery-pipeline.md ({@link ConfigTable}). Its stages name environments, so the
 * schema is made for the environments at hand ({@link #schema}).
 */
final class DeliverySchema {

    /** {@code codeconnections} (current) or {@code codestar-connections} (older connections). */
    private static final Pattern CONNECTION_ARN = Pattern.compile(
            "arn:aws(-[a-z]+)*:(codeconnections|codestar-connections):[a-z]{2,4}(-[a-z]+)+-\\d{1,2}:\\d{12}"
                    + ":connection/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** {@code owner/name}; GitLab's nested groups add more segments ({@code group/subgroup/name}). */
    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+");
    /** A git branch name: no spaces or ref metacharacters, not starting with '-' or '/'. */
    private static final Pattern BRANCH = Pattern.compile("(?!.*\\.\\.)(?!.*//)[A-Za-z0-9_.][A-Za-z0-9_./-]{0,254}");

    private static final Pattern ANY = Pattern.compile(".+");
    private static final String STAGES_EXAMPLE =
            "e.g. [{\"environment\": \"dev\"}, {\"environment\": \"prod\", \"manualApproval\": true}]";

    private static final Key<String> ACCOUNT = key(
            "account",
            text(
                    "the pipeline's (tools) account: a 12-digit AWS" + " account id in quotes, e.g. \"111111111111\"",
                    EnvironmentSchema.ACCOUNT_ID),
            required(),
            "where the pipeline stack lives (the \"tools\" account; it may also be one of the environments' accounts)");
    private static final Key<String> REGION = key(
            "region",
            text("the pipeline's AWS Region code, e.g. \"eu-west-1\"", EnvironmentSchema.REGION_CODE),
            required(),
            "the pipeline stack's Region");
    private static final Key<DeliveryConfig.Source> SOURCE = key(
            "source",
            Group.of(
                    DeliveryConfig.Source.class,
                    key(
                            "connectionArn",
                            text(
                                    "the ARN of an AWS CodeConnections connection, e.g."
                                            + " \"arn:aws:codeconnections:eu-west-1:111111111111:connection/<uuid>\" (create it"
                                            + " in the console: Developer Tools > Settings > Connections, then complete the"
                                            + " handshake)",
                                    CONNECTION_ARN),
                            required(),
                            "the connection to the repository (older `codestar-connections` ARNs work too)"),
                    key(
                            "repository",
                            text("the repository as \"<owner>/<name>\", e.g. \"my-org/dsql-cdc-pipeline\"", REPOSITORY),
                            required(),
                            "the repository as the provider names it (GitLab nested groups:"
                                    + " `group/subgroup/name`)"),
                    key(
                            "branch",
                            text("a branch name, e.g. \"main\"", BRANCH),
                            byDefault("main"),
                            "pushes to this branch start the pipeline")),
            required("add \"source\": {\"connectionArn\": \"arn:aws:codeconnections:<region>:<account>"
                    + ":connection/<id>\", \"repository\": \"<owner>/<repo>\", \"branch\": \"main\"}"),
            "");
    private static final Key<Boolean> MANUAL_APPROVAL = key(
            "manualApproval",
            bool(),
            byDefault(false),
            "a manual approval action runs before this environment's first deployment");

    private DeliverySchema() {}

    /**
     * @param raw              the context value (not null)
     * @param environmentNames names of every configured environment, or empty when
     *                         {@value PipelineConfig#ENVIRONMENTS_KEY} itself is unusable (its own
     *                         problems are recorded; the stages' names are then not checked)
     * @param environments     every valid environment, by name (one with problems is missing: its
     *                         target is then not checked)
     * @return the pipeline; empty when a problem is recorded, or a stage's environment has problems of its own
     */
    static Optional<DeliveryConfig> parse(
            Object raw,
            Optional<Set<String>> environmentNames,
            Map<String, EnvironmentConfig> environments,
            ConfigProblems problems) {
        return schema(environmentNames, environments)
                .parse(ConfigKey.root(PipelineConfig.DELIVERY_KEY), raw, problems)
                .flatMap(delivery -> delivery);
    }

    /** @return the schema, its stages checked against these environments (none: the table's schema) */
    static Group<Optional<DeliveryConfig>> schema(
            Optional<Set<String>> names, Map<String, EnvironmentConfig> environments) {
        String known = names.map(n -> String.join(", ", new TreeSet<>(n))).orElse("");
        Key<String> environment = key(
                "environment",
                text(
                        "the name of an environment of " + PipelineConfig.ENVIRONMENTS_KEY
                                + (known.isEmpty() ? "" : " (" + known + ")"),
                        ANY),
                required(),
                "a name from `" + PipelineConfig.ENVIRONMENTS_KEY + "`. That environment **must have"
                        + " `account` and `region`**: a pipeline deploys to a fixed target, never to \"whatever the"
                        + " credentials say\"");
        Set<String> delivered = new HashSet<>();
        // Empty when the environment has problems of its own (reported with the environments').
        Group<Optional<DeliveryConfig.Stage>> stage = Group.of(
                        Optional.class,
                        s -> Optional.ofNullable(environments.get(s.get(environment)))
                                .map(config -> new DeliveryConfig.Stage(config, s.get(MANUAL_APPROVAL))),
                        environment,
                        MANUAL_APPROVAL)
                .expecting("an object, e.g. {\"environment\": \"dev\"}")
                .rule(s -> s.find(environment).ifPresent(name -> {
                    if (!delivered.add(name)) {
                        s.error(
                                environment,
                                "environment \"" + name + "\" is already delivered by an earlier stage",
                                "list each environment once");
                    } else if (names.isPresent() && !names.get().contains(name)) {
                        s.error(
                                environment,
                                "unknown environment \"" + name + "\"; known environments: " + known,
                                "use one of them, or add it to " + PipelineConfig.ENVIRONMENTS_KEY);
                    } else if (environments.containsKey(name)
                            && environments.get(name).target().isEmpty()) {
                        s.error(
                                environment,
                                "environment \"" + name + "\" is environment-agnostic (no \"account\"/"
                                        + "\"region\"), but a pipeline deploys to a fixed target",
                                "set \"account\" and \"region\" under " + PipelineConfig.ENVIRONMENTS_KEY + "." + name
                                        + " (and bootstrap that account to trust the pipeline account)");
                    }
                }));
        Key<List<Optional<DeliveryConfig.Stage>>> stages = key(
                "stages",
                new Type.ListOf<>(
                        "a list of stages, " + STAGES_EXAMPLE,
                        stage,
                        "expected at least one stage, got an empty list",
                        "add the environments to deploy, " + STAGES_EXAMPLE),
                required("add the environments to deploy, in order, " + STAGES_EXAMPLE),
                "the environments to deploy, in order: at least one, each once");
        return Group.of(Optional.class, d -> delivery(d, stages), ACCOUNT, REGION, SOURCE, stages)
                .expecting("an object with \"account\", \"region\", \"source\" and \"stages\" (see"
                        + " docs/delivery-pipeline.md)")
                .rule(d -> names.filter(n -> n.contains(DeliveryConfig.STACK_ID))
                        .ifPresent(n -> d.problems()
                                .add(PipelineConfig.ENVIRONMENTS_KEY + "." + DeliveryConfig.STACK_ID
                                        + ": the environment name \""
                                        + DeliveryConfig.STACK_ID
                                        + "\" is the delivery pipeline stack's id in the app; rename"
                                        + " the environment (stack names of its stages change with it) or remove "
                                        + PipelineConfig.DELIVERY_KEY)));
    }

    /** @return the pipeline; empty when a stage's environment has problems of its own */
    private static Optional<DeliveryConfig> delivery(Scope delivery, Key<List<Optional<DeliveryConfig.Stage>>> stages) {
        List<Optional<DeliveryConfig.Stage>> valid = delivery.get(stages);
        if (!valid.stream().allMatch(Optional::isPresent)) {
            return Optional.empty();
        }
        return Optional.of(new DeliveryConfig(
                new DeploymentTarget(delivery.get(ACCOUNT), delivery.get(REGION)),
                delivery.get(SOURCE),
                valid.stream().map(Optional::orElseThrow).toList()));
    }
}
