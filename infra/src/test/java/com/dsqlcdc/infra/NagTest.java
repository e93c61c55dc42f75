package com.dsqlcdc.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.infra.config.PipelineConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.services.s3.Bucket;
import software.constructs.IConstruct;

/**
 * cdk-nag's AwsSolutions pack, which every {@link PipelineStage} carries, over every stack of every
 * stage: the shipped environments and the test ones (a fixed account, customer managed keys,
 * existing clusters). Zero unsuppressed errors and warnings; the suppressions, each narrow and with
 * its reason, are listed in NAG.md. The app turns a finding into a failed synthesis; here findings
 * are left as annotations, so a failure lists every one of them.
 */
class NagTest {

    private static final List<Stack> STACKS = new ArrayList<>();

    @BeforeAll
    static void synth() {
        for (Map<String, Object> environments :
                List.of(castMap(TestSupport.shippedEnvironments()), TestStages.environments())) {
            App app = annotatingApp();
            DsqlCdcApp.addStages(
                    app,
                    PipelineConfig.fromContext(
                            environments, null, TestSupport.CUSTOM_RESOURCE_JAR, TestSupport.CONSUMER_JAR),
                    TestSupport.catalog());
            app.synth();
            collectStacks(app);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object raw) {
        return (Map<String, Object>) raw;
    }

    private static void collectStacks(IConstruct scope) {
        for (IConstruct child : scope.getNode().getChildren()) {
            if (child instanceof Stack stack) {
                STACKS.add(stack);
            }
            collectStacks(child);
        }
    }

    @Test
    void everyStageCarriesTheChecksSoAFindingFailsSynthesis() {
        // a bucket with none of the app's protections: AwsSolutions-S1, S10 (and more)
        Stack listed = withUnprotectedBucket(annotatingApp());
        assertThat(Annotations.fromStack(listed).findError("*", Match.stringLikeRegexp("AwsSolutions-S10.*")))
                .isNotEmpty();

        App strict = TestSupport.newApp();
        withUnprotectedBucket(strict);
        assertThatThrownBy(strict::synth).hasMessageContaining("Validation failed");
    }

    private static Stack withUnprotectedBucket(App app) {
        Map<String, PipelineStage> stages = DsqlCdcApp.addStages(
                app, TestSupport.config(castMap(TestSupport.shippedEnvironments())), TestSupport.catalog());
        Stack stack = stages.get("dev").getStateless();
        new Bucket(stack, "Unprotected");
        return stack;
    }

    /** Findings as annotations to list, not a validation failure that stops synthesis (the real app's flag). */
    private static App annotatingApp() {
        Map<String, Object> context = new HashMap<>(TestSupport.cdkJsonContext());
        context.put("@aws-cdk/core:annotationsInValidationReport", false);
        return new App(AppProps.builder().context(context).build());
    }

    @Test
    void everyStackOfEveryStageIsChecked() {
        // dev, prod; created, existing, existingcmk: two stacks each
        assertThat(STACKS).hasSize(10);
    }

    @Test
    void noStackHasAnUnsuppressedAwsSolutionsError() {
        List<String> findings = new ArrayList<>();
        for (Stack stack : STACKS) {
            Annotations.fromStack(stack)
                    .findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))
                    .forEach(m -> findings.add(stack.getStackName() + " " + m.getId() + ": "
                            + m.getEntry().getData()));
        }
        assertThat(findings).isEmpty();
    }

    @Test
    void noStackHasAnUnsuppressedAwsSolutionsWarning() {
        List<String> findings = new ArrayList<>();
        for (Stack stack : STACKS) {
            Annotations.fromStack(stack)
                    .findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))
                    .forEach(m -> findings.add(stack.getStackName() + " " + m.getId() + ": "
                            + m.getEntry().getData()));
        }
        assertThat(findings).isEmpty();
    }
}
