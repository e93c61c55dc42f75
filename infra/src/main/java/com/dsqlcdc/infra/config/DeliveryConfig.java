package com.dsqlcdc.infra.config;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The delivery pipeline (CDK Pipelines), from the optional {@value PipelineConfig#DELIVERY_KEY}
 * context key: where the pipeline lives, where it takes the source from, and the environments it
 * deploys to, in order.
 *
 * @param pipeline where the pipeline stack deploys (the "tools" account and Region)
 * @param source   the repository connection the pipeline starts from
 * @param stages   the environments the pipeline deploys, in promotion order (never empty, each
 *                 environment once, each with a fixed target)
 */
public record DeliveryConfig(DeploymentTarget pipeline, Source source, List<Stage> stages) {

    /**
     * Id, and so CloudFormation stack name, of the pipeline stack in the app. An environment (a
     * Stage id in the same app) must not take it.
     */
    public static final String STACK_ID = "Delivery";

    public DeliveryConfig {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(source, "source");
        stages = List.copyOf(Objects.requireNonNull(stages, "stages"));
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("at least one delivery stage is required");
        }
        Set<String> seen = new HashSet<>();
        for (Stage stage : stages) {
            if (!seen.add(stage.environment().name())) {
                throw new IllegalArgumentException(
                        "environment " + stage.environment().name() + " is delivered twice");
            }
        }
    }

    /**
     * A repository reached through an AWS CodeConnections (formerly CodeStar Connections)
     * connection.
     *
     * @param connectionArn the connection's ARN ({@code arn:aws:codeconnections:...:connection/<id>}
     *                      or the older {@code codestar-connections} form)
     * @param repository    the repository as the provider names it, e.g. {@code owner/repo}
     * @param branch        the branch whose pushes start the pipeline
     */
    public record Source(String connectionArn, String repository, String branch) {

        /** The current service prefix of connections (ARN and IAM actions). */
        public static final String CODECONNECTIONS = "codeconnections";
        /** The older prefix, still valid for connections created under it. */
        public static final String CODESTAR_CONNECTIONS = "codestar-connections";

        public Source {
            Objects.requireNonNull(connectionArn, "connectionArn");
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(branch, "branch");
        }

        /**
         * @return the service of the connection's ARN ({@value #CODECONNECTIONS} or
         *         {@value #CODESTAR_CONNECTIONS}): the IAM prefix of the actions on it, since an
         *         action only matches a resource of its own service
         */
        public String connectionService() {
            String[] parts = connectionArn.split(":", 4);
            if (parts.length < 4 || !(parts[2].equals(CODECONNECTIONS) || parts[2].equals(CODESTAR_CONNECTIONS))) {
                throw new IllegalArgumentException(
                        "not a " + CODECONNECTIONS + " or " + CODESTAR_CONNECTIONS + " ARN: " + connectionArn);
            }
            return parts[2];
        }
    }

    /**
     * One environment the pipeline deploys, as a pipeline stage.
     *
     * @param environment    the environment's validated settings; always with a fixed target
     * @param manualApproval whether a person must approve in the pipeline before this environment
     *                       is deployed
     */
    public record Stage(EnvironmentConfig environment, boolean manualApproval) {

        public Stage {
            Objects.requireNonNull(environment, "environment");
            if (environment.target().isEmpty()) {
                throw new IllegalArgumentException("environment " + environment.name()
                        + " has no fixed account and Region; a pipeline cannot deploy it");
            }
        }

        /** @return the environment's fixed account and Region */
        public DeploymentTarget target() {
            return environment.target().orElseThrow();
        }
    }
}
