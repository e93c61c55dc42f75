package com.dsqlcdc.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.infra.config.PipelineConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

/**
 * Every Lambda function of ours, in every stack of the shipped and the test environments, names
 * its Powertools service ({@code POWERTOOLS_SERVICE_NAME}): without it every log line says
 * {@code "service": null}. Ours are the functions whose handler is a class of this project; the
 * others must be the CDK's own Node.js functions (the Provider framework, AwsCustomResource,
 * bucket auto-delete, ...), which are not ours to name.
 */
class FunctionServiceNamesTest {

    private static final String OUR_HANDLERS = "com\\.dsqlcdc\\..*";
    private static final Map<String, Template> TEMPLATES = new LinkedHashMap<>();

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void synth() {
        for (Map<String, Object> environments :
                List.of((Map<String, Object>) TestSupport.shippedEnvironments(), TestStages.environments())) {
            App app = TestSupport.newApp();
            DsqlCdcApp.addStages(
                    app,
                    PipelineConfig.fromContext(
                            environments, null, TestSupport.CUSTOM_RESOURCE_JAR, TestSupport.CONSUMER_JAR),
                    TestSupport.catalog());
            for (Stack stack : stacks(app)) {
                TEMPLATES.put(stack.getStackName(), Template.fromStack(stack));
            }
        }
    }

    private static List<Stack> stacks(IConstruct scope) {
        List<Stack> stacks = new ArrayList<>();
        for (IConstruct child : scope.getNode().getChildren()) {
            if (child instanceof Stack stack) {
                stacks.add(stack);
            }
            stacks.addAll(stacks(child));
        }
        return stacks;
    }

    private static Map<String, Map<String, Object>> functions(Template template, Object handler) {
        return template.findResources(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of("Properties", Match.objectLike(Map.of("Handler", handler)))));
    }

    @Test
    void everyFunctionOfOursNamesItsPowertoolsService() {
        for (Map.Entry<String, Template> stack : TEMPLATES.entrySet()) {
            Map<String, Map<String, Object>> functions =
                    functions(stack.getValue(), Match.stringLikeRegexp(OUR_HANDLERS));
            if (stack.getKey().endsWith("-Stateless")) {
                assertThat(functions)
                        .as("functions of ours in %s", stack.getKey())
                        .isNotEmpty();
            }
            for (String logicalId : functions.keySet()) {
                assertThat(stack.getValue()
                                .findResources(
                                        "AWS::Lambda::Function",
                                        Match.objectLike(Map.of(
                                                "Properties",
                                                Match.objectLike(Map.of(
                                                        "Environment",
                                                        Map.of(
                                                                "Variables",
                                                                Match.objectLike(Map.of(
                                                                        "POWERTOOLS_SERVICE_NAME",
                                                                        Match.stringLikeRegexp(
                                                                                "dsql-cdc-[a-z0-9-]+"))))))))))
                        .as("%s in %s: POWERTOOLS_SERVICE_NAME, e.g. dsql-cdc-<function>", logicalId, stack.getKey())
                        .containsKey(logicalId);
            }
        }
    }

    @Test
    void everyOtherFunctionIsOneOfTheCdksNodeFunctions() {
        for (Map.Entry<String, Template> stack : TEMPLATES.entrySet()) {
            Map<String, Map<String, Object>> all = functions(stack.getValue(), Match.anyValue());
            Map<String, Map<String, Object>> ours = functions(stack.getValue(), Match.stringLikeRegexp(OUR_HANDLERS));
            Map<String, Map<String, Object>> node = stack.getValue()
                    .findResources(
                            "AWS::Lambda::Function",
                            Match.objectLike(Map.of(
                                    "Properties",
                                    Match.objectLike(Map.of("Runtime", Match.stringLikeRegexp("nodejs.*"))))));
            for (String logicalId : all.keySet()) {
                assertThat(ours.containsKey(logicalId) || node.containsKey(logicalId))
                        .as(
                                "%s in %s is neither ours (a com.dsqlcdc handler) nor a CDK Node.js function:"
                                        + " a function of ours must name its service too",
                                logicalId, stack.getKey())
                        .isTrue();
            }
        }
    }
}
