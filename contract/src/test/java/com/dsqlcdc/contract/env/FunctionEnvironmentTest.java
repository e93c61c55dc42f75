package com.dsqlcdc.contract.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.contract.MetricNames;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FunctionEnvironmentTest {

    private static final EnvVar<String> NAME =
            EnvVar.matching("NAME", Pattern.compile("[a-z]+"), "lower-case letters", "the name");
    private static final EnvVar<Integer> COUNT =
            EnvVar.integer("COUNT", 1, 50, "how many").withDefault(8);
    private static final FunctionEnvironment ENV = new FunctionEnvironment(
            "sample", "infra's Sample construct", List.of(NAME, COUNT, LambdaEnvironment.AWS_REGION));

    @Test
    void readsValuesAndDefaults() {
        FunctionEnvironment.Values values =
                ENV.read(Map.of("NAME", " abc ", "AWS_REGION", "eu-west-1"), new Properties());

        values.throwIfInvalid();
        assertThat(values.get(NAME)).isEqualTo("abc");
        assertThat(values.get(COUNT)).isEqualTo(8);
        assertThat(values.get(LambdaEnvironment.AWS_REGION)).isEqualTo("eu-west-1");
    }

    @Test
    void readsTheRegionFromItsSystemPropertyForLocalRuns() {
        Properties properties = new Properties();
        properties.setProperty("aws.region", "us-east-1");

        assertThat(ENV.read(Map.of("NAME", "a"), properties).get(LambdaEnvironment.AWS_REGION))
                .isEqualTo("us-east-1");
    }

    @Test
    void reportsEveryProblemWithWhoSetsTheVariable() {
        FunctionEnvironment.Values values = ENV.read(Map.of("COUNT", "0", "AWS_REGION", "Ireland"), new Properties());

        assertThat(values.get(COUNT)).isNull();
        assertThat(values.problems().list()).extracting(p -> p.key()).containsExactly("NAME", "COUNT", "AWS_REGION");
        assertThatThrownBy(values::throwIfInvalid)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("The sample function's environment is invalid:")
                .hasMessageContaining(
                        "NAME is not set: the name (lower-case letters); infra's Sample construct sets it")
                .hasMessageContaining("COUNT=0 is not a whole number in 1-50: how many")
                .hasMessageContaining("AWS_REGION=Ireland is not a Region name such as us-east-1")
                .hasMessageContaining("Lambda sets it; for a local run set it or the aws.region system property");
    }

    @Test
    void refusesToReadAVariableOfAnotherFunction() {
        FunctionEnvironment.Values values = ENV.read(Map.of("NAME", "a"), new Properties());

        assertThatThrownBy(() -> values.get(LoaderEnvironment.WORKGROUP_NAME))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("WORKGROUP_NAME is not a variable of the sample function");
    }

    @Test
    void writesValidValuesInOrderAndTokensAsTheyAre() {
        Map<String, String> env = ENV.writer(text -> text.startsWith("${Token"))
                .put(COUNT, 3)
                .put(NAME, "${Token[TOKEN.12]}")
                .build();

        assertThat(env).containsExactly(Map.entry("COUNT", "3"), Map.entry("NAME", "${Token[TOKEN.12]}"));
    }

    @Test
    void refusesToWriteWhatTheHandlerWouldRefuse() {
        assertThatThrownBy(() -> ENV.writer(t -> false).put(COUNT, 51))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("COUNT=51 is not a whole number in 1-50: how many");
        assertThatThrownBy(() -> ENV.writer(t -> false).put(NAME, "ABC"))
                .hasMessageContaining("NAME=ABC is not lower-case letters");
        assertThatThrownBy(() -> ENV.writer(t -> false).put(LambdaEnvironment.AWS_REGION, "eu-west-1"))
                .hasMessageContaining("AWS_REGION is set by Lambda itself");
        assertThatThrownBy(() -> ENV.writer(t -> false).put(NAME, "a").put(NAME, "b"))
                .hasMessageContaining("NAME is written twice");
        assertThatThrownBy(() -> ENV.writer(t -> false).put(LoaderEnvironment.MAX_OBJECTS_PER_RUN, 5))
                .hasMessageContaining("MAX_OBJECTS_PER_RUN is not a variable of the sample function");
    }

    @Test
    void refusesAnEnvironmentWithoutARequiredVariable() {
        assertThatThrownBy(() -> ENV.writer(t -> false).put(COUNT, 2).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the sample function's environment lacks [NAME], which its handler requires");
    }

    @Test
    void anOptionalVariableMayBeUnsetButNotInvalid() {
        FunctionEnvironment env = new FunctionEnvironment("sample", "infra", List.of(LambdaEnvironment.LOG_LEVEL));

        assertThat(env.read(Map.of(), new Properties()).get(LambdaEnvironment.LOG_LEVEL))
                .isNull();
        assertThat(env.read(Map.of(), new Properties()).problems().isEmpty()).isTrue();
        assertThat(env.read(Map.of("POWERTOOLS_LOG_LEVEL", "LOUD"), new Properties())
                        .problems()
                        .messages())
                .singleElement()
                .asString()
                .startsWith("POWERTOOLS_LOG_LEVEL=LOUD is not one of TRACE");
        assertThat(env.writer(t -> false).build()).isEmpty();
    }

    @Test
    void refusesADefaultThatIsNotAllowed() {
        assertThatThrownBy(() -> EnvVar.integer("N", 1, 5, "n").withDefault(9))
                .hasMessageContaining("N: the default 9 is not a whole number in 1-5");
    }

    @Test
    void everyFunctionDeclaresEachVariableOnceAndTheAppsNamespaceIsTheConsumersDefault() {
        for (FunctionEnvironment environment : List.of(
                ConsumerEnvironment.ENVIRONMENT,
                ChunkSweepEnvironment.ENVIRONMENT,
                StreamHealthEnvironment.ENVIRONMENT)) {
            assertThat(environment.variables())
                    .extracting(EnvVar::name)
                    .doesNotHaveDuplicates()
                    .contains("POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE");
        }
        assertThat(CustomResourceEnvironment.ENVIRONMENT.variables())
                .extracting(EnvVar::name)
                .containsExactly("POWERTOOLS_SERVICE_NAME", "POWERTOOLS_LOG_LEVEL");
        assertThat(ConsumerEnvironment.METRICS_NAMESPACE.defaultValue()).contains(MetricNames.NAMESPACE);
        assertThat(StreamHealthEnvironment.ENVIRONMENT.variables()).contains(LambdaEnvironment.METRICS_NAMESPACE);
        assertThat(LambdaEnvironment.METRICS_NAMESPACE.required()).isTrue();
    }
}
