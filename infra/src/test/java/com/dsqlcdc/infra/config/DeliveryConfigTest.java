package com.dsqlcdc.infra.config;

import static com.dsqlcdc.infra.TestSupport.CONSUMER_JAR;
import static com.dsqlcdc.infra.TestSupport.CUSTOM_RESOURCE_JAR;
import static com.dsqlcdc.infra.TestSupport.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.dsqlcdc.infra.DsqlCdcApp;
import com.dsqlcdc.infra.TestSupport;
import com.dsqlcdc.infra.delivery.DeliveryFixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;

/** Validation of the {@code dsql-cdc:delivery} context. No synthesis: plain Java. */
class DeliveryConfigTest {

    private static PipelineConfig parse(Object delivery) {
        return parse(DeliveryFixtures.environments(), null, delivery);
    }

    private static PipelineConfig parse(Object environments, Object only, Object delivery) {
        return PipelineConfig.fromContext(environments, only, delivery, CUSTOM_RESOURCE_JAR, CONSUMER_JAR);
    }

    private static List<String> problems(Object environments, Object only, Object delivery) {
        Throwable thrown = catchThrowable(() -> parse(environments, only, delivery));
        assertThat(thrown).isInstanceOf(InvalidConfigException.class);
        return ((InvalidConfigException) thrown).getProblems();
    }

    private static List<String> problems(Object delivery) {
        return problems(DeliveryFixtures.environments(), null, delivery);
    }

    /** @return the fixture's delivery settings with one top-level key replaced (or removed, with null) */
    private static Map<String, Object> with(String key, Object value) {
        Map<String, Object> delivery = DeliveryFixtures.delivery();
        if (value == null) {
            delivery.remove(key);
        } else {
            delivery.put(key, value);
        }
        return delivery;
    }

    private static Map<String, Object> withSource(String key, Object value) {
        Map<String, Object> source = map(
                "connectionArn",
                DeliveryFixtures.CONNECTION_ARN,
                "repository",
                DeliveryFixtures.REPOSITORY,
                "branch",
                DeliveryFixtures.BRANCH);
        source.put(key, value);
        return with("source", source);
    }

    @Test
    void everySettingIsRead() {
        DeliveryConfig delivery = parse(DeliveryFixtures.delivery()).delivery().orElseThrow();

        assertThat(delivery.pipeline()).isEqualTo(new DeploymentTarget(DeliveryFixtures.PIPELINE_ACCOUNT, "eu-west-1"));
        assertThat(delivery.source())
                .isEqualTo(new DeliveryConfig.Source(
                        DeliveryFixtures.CONNECTION_ARN, DeliveryFixtures.REPOSITORY, DeliveryFixtures.BRANCH));
        assertThat(delivery.stages()).extracting(s -> s.environment().name()).containsExactly("dev", "prod");
        assertThat(delivery.stages())
                .extracting(DeliveryConfig.Stage::manualApproval)
                .containsExactly(false, true);
        assertThat(delivery.stages().get(1).target())
                .isEqualTo(new DeploymentTarget(DeliveryFixtures.PROD_ACCOUNT, "eu-west-1"));
    }

    @Test
    void branchDefaultsToMainAndOlderCodestarConnectionArnsAreAccepted() {
        String codestar = "arn:aws:codestar-connections:us-east-1:111111111111:connection/"
                + "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
        DeliveryConfig delivery = parse(with("source", map("connectionArn", codestar, "repository", "group/sub/repo")))
                .delivery()
                .orElseThrow();

        assertThat(delivery.source()).isEqualTo(new DeliveryConfig.Source(codestar, "group/sub/repo", "main"));
    }

    @Test
    void noDeliveryContextMeansNoPipeline() {
        PipelineConfig config = parse(DeliveryFixtures.environments(), null, null);
        assertThat(config.delivery()).isEmpty();
        assertThat(PipelineConfig.fromContext(DeliveryFixtures.environments(), null, CUSTOM_RESOURCE_JAR, CONSUMER_JAR)
                        .delivery())
                .isEmpty();

        App app = TestSupport.newApp();
        assertThat(DsqlCdcApp.addDelivery(app, config, Map.of())).isEmpty();
        assertThat(app.getNode().tryFindChild(DsqlCdcApp.DELIVERY_STACK_ID)).isNull();
    }

    @Test
    void onlyLeavesThePipelineOutButStillValidatesIt() {
        PipelineConfig config = parse(DeliveryFixtures.environments(), "dev", DeliveryFixtures.delivery());
        assertThat(config.environments()).extracting(EnvironmentConfig::name).containsExactly("dev");
        assertThat(config.delivery()).isEmpty();

        // prod is not selected, yet the pipeline's stages are checked against every environment
        assertThat(problems(DeliveryFixtures.environments(), "dev", with("account", "12345")))
                .containsExactly("dsql-cdc:delivery.account: expected the pipeline's (tools) account: a 12-digit"
                        + " AWS account id in quotes, e.g. \"111111111111\", got \"12345\"; set it in cdk.json under"
                        + " context > \"dsql-cdc:delivery\" > \"account\"");
    }

    @Test
    void accountRegionAndSourceAreChecked() {
        List<String> problems = problems(map(
                "account",
                111111111111L,
                "region",
                "Ireland",
                "source",
                map(
                        "connectionArn",
                        "arn:aws:codecommit:eu-west-1:111111111111:repo",
                        "repository",
                        "no-owner",
                        "branch",
                        "-bad",
                        "token",
                        "x"),
                "stages",
                List.of(map("environment", "dev"))));

        assertThat(problems).hasSize(6);
        assertThat(problems.get(0))
                .startsWith("dsql-cdc:delivery.account: expected the pipeline's (tools)"
                        + " account: a 12-digit AWS account id in quotes")
                .contains("got 111111111111");
        assertThat(problems.get(1))
                .startsWith("dsql-cdc:delivery.region: expected the pipeline's AWS Region code")
                .contains("got \"Ireland\"");
        assertThat(problems.get(2))
                .isEqualTo("dsql-cdc:delivery.source.token: unknown setting (allowed here:"
                        + " branch, connectionArn, repository); remove or rename it in cdk.json under context >"
                        + " \"dsql-cdc:delivery\" > \"source\"");
        assertThat(problems.get(3))
                .startsWith("dsql-cdc:delivery.source.connectionArn: expected the ARN of an AWS"
                        + " CodeConnections connection")
                .contains("complete the handshake");
        assertThat(problems.get(4))
                .startsWith("dsql-cdc:delivery.source.repository: expected the repository as" + " \"<owner>/<name>\"");
        assertThat(problems.get(5)).startsWith("dsql-cdc:delivery.source.branch: expected a branch name");
    }

    @Test
    void missingSettingsSayWhatToAdd() {
        assertThat(problems(map()))
                .containsExactly(
                        "dsql-cdc:delivery.account: missing; set it to the pipeline's (tools) account: a 12-digit AWS"
                                + " account id in quotes, e.g. \"111111111111\"",
                        "dsql-cdc:delivery.region: missing; set it to the pipeline's AWS Region code, e.g. \"eu-west-1\"",
                        "dsql-cdc:delivery.source: missing; add \"source\": {\"connectionArn\": \"arn:aws:codeconnections:"
                                + "<region>:<account>:connection/<id>\", \"repository\": \"<owner>/<repo>\", \"branch\":"
                                + " \"main\"}",
                        "dsql-cdc:delivery.stages: missing; add the environments to deploy, in order, e.g."
                                + " [{\"environment\": \"dev\"}, {\"environment\": \"prod\", \"manualApproval\": true}]");
        assertThat(problems("dev"))
                .singleElement()
                .asString()
                .startsWith("dsql-cdc:delivery: expected an object with \"account\", \"region\", \"source\"");
        assertThat(problems(with("stages", List.of())))
                .singleElement()
                .asString()
                .startsWith("dsql-cdc:delivery.stages: expected at least one stage, got an empty list; add");
        assertThat(problems(with("pipelineName", "x")))
                .singleElement()
                .asString()
                .startsWith("dsql-cdc:delivery.pipelineName: unknown setting (allowed here: account, region,"
                        + " source, stages)");
    }

    @Test
    void stagesMustNameEachKnownFixedTargetEnvironmentOnce() {
        List<String> problems = problems(with(
                "stages",
                List.of(
                        map("environment", "dev"),
                        map("environment", "staging"),
                        map("environment", "sandbox"),
                        map("environment", "dev", "manualApproval", "yes"),
                        "prod",
                        map("environment", "prod", "approval", true))));

        assertThat(problems)
                .containsExactly(
                        "dsql-cdc:delivery.stages[1].environment: unknown environment \"staging\"; known environments: dev,"
                                + " prod, sandbox; use one of them, or add it to dsql-cdc:environments",
                        "dsql-cdc:delivery.stages[2].environment: environment \"sandbox\" is environment-agnostic (no"
                                + " \"account\"/\"region\"), but a pipeline deploys to a fixed target; set \"account\" and"
                                + " \"region\" under dsql-cdc:environments.sandbox (and bootstrap that account to trust the"
                                + " pipeline account)",
                        "dsql-cdc:delivery.stages[3].manualApproval: expected true or false (without quotes), got \"yes\";"
                                + " set it in cdk.json under context > \"dsql-cdc:delivery\" > \"stages[3]\" >"
                                + " \"manualApproval\"",
                        "dsql-cdc:delivery.stages[3].environment: environment \"dev\" is already delivered by an earlier"
                                + " stage; list each environment once",
                        "dsql-cdc:delivery.stages[4]: expected an object, e.g. {\"environment\": \"dev\"}, got \"prod\"; set"
                                + " it in cdk.json under context > \"dsql-cdc:delivery\" > \"stages[4]\"",
                        "dsql-cdc:delivery.stages[5].approval: unknown setting (allowed here: environment, manualApproval);"
                                + " remove or rename it in cdk.json under context > \"dsql-cdc:delivery\" > \"stages[5]\"");
    }

    @Test
    void deliveryProblemsAreReportedWithTheEnvironmentsOnes() {
        Map<String, Object> environments = DeliveryFixtures.environments();
        environments.put("broken", map("cluster", map("mode", "sometimes")));

        List<String> problems = problems(environments, null, with("region", "nowhere"));

        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).startsWith("dsql-cdc:environments.broken.cluster.mode:");
        assertThat(problems.get(1)).startsWith("dsql-cdc:delivery.region:");
    }

    @Test
    void aPipelineWhoseEveryStageHasAnInvalidEnvironmentReportsThatEnvironmentsProblems() {
        Map<String, Object> environments = DeliveryFixtures.environments();
        environments.put(
                "dev",
                map(
                        "account",
                        DeliveryFixtures.DEV_ACCOUNT,
                        "region",
                        "eu-west-1",
                        "cluster",
                        map("mode", "sometimes")));

        assertThat(problems(environments, null, with("stages", List.of(map("environment", "dev")))))
                .singleElement()
                .asString()
                .startsWith("dsql-cdc:environments.dev.cluster.mode: expected");
    }

    @Test
    void anEnvironmentMayNotTakeThePipelineStacksName() {
        Map<String, Object> environments = DeliveryFixtures.environments();
        environments.put("Delivery", map("cluster", map("mode", "create")));

        assertThat(problems(environments, null, DeliveryFixtures.delivery()))
                .containsExactly(
                        "dsql-cdc:environments.Delivery: the environment name \"Delivery\" is the delivery pipeline stack's"
                                + " id in the app; rename the environment (stack names of its stages change with it) or"
                                + " remove dsql-cdc:delivery");
    }
}
