package com.dsqlcdc.infra;

import com.dsqlcdc.infra.config.PipelineConfig;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Matcher;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

/** Shared test fixtures: the real cdk.json context, the handler jar, and config/stage builders. */
public final class TestSupport {

    /** Surefire runs in infra/: the jar the reactor packaged before these tests. */
    public static final Path CUSTOM_RESOURCE_JAR = Path.of("..", "custom-resource", "target", "custom-resource.jar");
    /** The consumer's shaded jar, packaged by the lambda module before these tests. */
    public static final Path CONSUMER_JAR = Path.of("..", "lambda", "target", "consumer.jar");
    /** The repository's cdk.json. */
    public static final Path CDK_JSON = Path.of("..", "cdk.json");

    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "eu-west-1";

    private TestSupport() {}

    /** @return the "context" object of cdk.json (feature flags and environments) */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> cdkJsonContext() {
        try {
            // Jackson comes with the jsii runtime (compile scope); declaring it test-scoped here
            // would take it off the app's runtime classpath.
            Map<String, Object> cdkJson = new ObjectMapper().readValue(Files.readString(CDK_JSON), Map.class);
            return (Map<String, Object>) cdkJson.get("context");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the environments shipped in cdk.json */
    public static Object shippedEnvironments() {
        return cdkJsonContext().get(PipelineConfig.ENVIRONMENTS_KEY);
    }

    /**
     * @return an app with the app's own defaults ({@link DsqlCdcApp#DEFAULT_CONTEXT}) and cdk.json's
     *         context (so the feature flags are the real ones), as main and the CLI would give it
     */
    public static App newApp() {
        Map<String, Object> context = new LinkedHashMap<>(DsqlCdcApp.DEFAULT_CONTEXT);
        context.putAll(cdkJsonContext());
        return new App(AppProps.builder().context(context).build());
    }

    /**
     * @param environments raw environment map, as context would hold it
     * @return the validated configuration, with the test jar path
     */
    public static PipelineConfig config(Map<String, Object> environments) {
        return PipelineConfig.fromContext(environments, null, CUSTOM_RESOURCE_JAR, CONSUMER_JAR);
    }

    /** @return the table catalog shipped with the sql module ({@code sql/catalog.json}), as main loads it */
    public static TableCatalog catalog() {
        return TableCatalog.load();
    }

    /**
     * @param intervalSeconds the Provider framework's query interval
     * @param attempts        its total timeout divided by the interval
     * @return the properties of the waiter state machine that polls isComplete that often and that
     *         many times (its definition is an Fn::Join, so the retry is matched in its text)
     */
    public static Matcher providerWaiter(int intervalSeconds, int attempts) {
        return Match.objectLike(Map.of(
                "DefinitionString",
                Map.of(
                        "Fn::Join",
                        List.of(
                                "",
                                Match.arrayWith(
                                        List.of(Match.stringLikeRegexp(".*\"IntervalSeconds\":" + intervalSeconds
                                                + ",\"MaxAttempts\":" + attempts + ",\"BackoffRate\":1.*")))))));
    }

    /** @return a map preserving the given key order: {@code map("a", 1, "b", 2)} */
    public static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /**
     * @param stack     the stack the construct is in
     * @param construct an L1, or an L2 (its default child is taken)
     * @return the construct's logical id in the stack's template
     */
    public static String logicalId(Stack stack, Object construct) {
        CfnElement element = construct instanceof CfnElement
                ? (CfnElement) construct
                : (CfnElement) ((IConstruct) construct).getNode().getDefaultChild();
        return stack.getLogicalId(element);
    }

    /**
     * Asserts that the EventBridge rule {@code rule} runs the function {@code function} (both logical
     * ids) at {@code expression}, enabled, and holds exactly the permission to invoke it.
     */
    public static void assertScheduled(Template template, String expression, String function, String rule) {
        template.hasResourceProperties(
                "AWS::Events::Rule",
                Match.objectLike(Map.of(
                        "ScheduleExpression",
                        expression,
                        "State",
                        "ENABLED",
                        "Targets",
                        List.of(Match.objectLike(Map.of("Arn", Map.of("Fn::GetAtt", List.of(function, "Arn"))))))));
        template.hasResourceProperties(
                "AWS::Lambda::Permission",
                Match.objectEquals(Map.of(
                        "Action",
                        "lambda:InvokeFunction",
                        "FunctionName",
                        Map.of("Fn::GetAtt", List.of(function, "Arn")),
                        "Principal",
                        "events.amazonaws.com",
                        "SourceArn",
                        Map.of("Fn::GetAtt", List.of(rule, "Arn")))));
    }
}
