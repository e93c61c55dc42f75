package com.dsqlcdc.infra.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.infra.DsqlCdcApp;
import com.dsqlcdc.infra.GeneratedSection;
import com.dsqlcdc.infra.PipelineStage;
import com.dsqlcdc.infra.TestStages;
import com.dsqlcdc.infra.TestSupport;
import com.dsqlcdc.infra.config.PipelineConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/**
 * docs/delivery-pipeline.md's example CloudFormation execution policy is the one the synthesised
 * stacks need, so it cannot fall behind them: every service the shipped and the test environments'
 * stacks create resources of, and DescribeStacks for Fn::GetStackOutput.
 */
class ExecutionPolicyTest {

    /** Surefire runs in infra/: the repository root is its parent. */
    private static final Path DOCUMENT = Path.of("..", "docs", "delivery-pipeline.md");

    private static ExecutionPolicy.Policy shipped;
    private static ExecutionPolicy.Policy testEnvironments;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void synth() {
        Map<String, Object> environments = (Map<String, Object>) TestSupport.shippedEnvironments();
        shipped = policyOf(environments);
        testEnvironments = policyOf(TestStages.environments());
    }

    private static ExecutionPolicy.Policy policyOf(Map<String, Object> environments) {
        App app = TestSupport.newApp();
        PipelineConfig config = PipelineConfig.fromContext(
                environments, null, TestSupport.CUSTOM_RESOURCE_JAR, TestSupport.CONSUMER_JAR);
        List<Map<String, Object>> templates = new ArrayList<>();
        for (PipelineStage stage :
                DsqlCdcApp.addStages(app, config, TestSupport.catalog()).values()) {
            templates.add(Template.fromStack(stage.getStateful()).toJSON());
            templates.add(Template.fromStack(stage.getStateless()).toJSON());
        }
        return ExecutionPolicy.of(templates, environments.keySet());
    }

    private static String documentedPolicy() throws Exception {
        String section = GeneratedSection.read(Files.readString(DOCUMENT), ExecutionPolicy.SECTION);
        assertThat(section).startsWith("```json\n").endsWith("```\n");
        return section.substring("```json\n".length(), section.length() - "```\n".length());
    }

    @Test
    void theDocumentHoldsThePolicyTheShippedStacksNeed() throws Exception {
        assertThat(documentedPolicy())
                .as(
                        "%s: the policy between <!-- %s:begin --> and <!-- %s:end --> is stale; regenerate it"
                                + " from the repository root with%n  %s%n",
                        DOCUMENT, ExecutionPolicy.SECTION, ExecutionPolicy.SECTION, ExecutionPolicy.COMMAND)
                .isEqualTo(shipped.json());
    }

    @Test
    void theDocumentedPolicyCoversEveryServiceOfTheTestEnvironmentsToo() throws Exception {
        JsonNode policy = new ObjectMapper().readTree(documentedPolicy());
        Set<String> documented = new TreeSet<>();
        for (JsonNode statement : policy.get("Statement")) {
            JsonNode action = statement.get("Action");
            if (action.isArray()) {
                action.forEach(a -> documented.add(a.asText()));
            } else {
                documented.add(action.asText());
            }
        }
        assertThat(documented).containsAll(testEnvironments.allActions());
        assertThat(testEnvironments.referencedStacks()).isEqualTo(shipped.referencedStacks());
    }

    @Test
    void theStacksNeedTheServicesTheFirstDocumentMissedAndDescribeStacksForTheirOutputReads() {
        assertThat(shipped.allActions())
                .contains(
                        "sns:*",
                        "states:*",
                        "dsql:*",
                        "kinesis:*",
                        "redshift-serverless:*",
                        "secretsmanager:*",
                        "lambda:*",
                        "cloudformation:DescribeStacks")
                .allMatch(action -> action.matches("[a-z0-9-]+:(\\*|DescribeStacks)"));
        // The Stateless stack reads the Stateful stack's outputs with Fn::GetStackOutput.
        assertThat(shipped.referencedStacks()).containsExactly("*-Stateful");
        assertThat(shipped.json()).contains("\"arn:aws:cloudformation:*:*:stack/*-Stateful/*\"");
    }

    @Test
    void aResourceOfAServiceThePolicyDoesNotKnowFailsNamingItAndTheFix() {
        Map<String, Object> template =
                Map.of("Resources", Map.of("Queue", Map.of("Type", "AWS::SQS::Queue", "Properties", Map.of())));

        assertThatThrownBy(() -> ExecutionPolicy.of(List.of(template), List.of("dev")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AWS::SQS::Queue")
                .hasMessageContaining("ExecutionPolicy.PREFIXES")
                .hasMessageContaining(ExecutionPolicy.COMMAND);
    }

    @Test
    void withoutStackOutputReadsThereIsNoDescribeStacksStatement() {
        Map<String, Object> template =
                Map.of("Resources", Map.of("Topic", Map.of("Type", "AWS::SNS::Topic", "Properties", Map.of())));

        ExecutionPolicy.Policy policy = ExecutionPolicy.of(List.of(template), List.of("dev"));

        assertThat(policy.allActions()).containsExactly("sns:*");
        assertThat(policy.json()).doesNotContain("DescribeStacks");
    }
}
