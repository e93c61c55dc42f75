package com.dsqlcdc.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProblemsTest {

    @Test
    void throwsEveryProblemAtOnceWithItsFix() {
        Problems problems = new Problems();
        problems.add("RoleArn", "RoleArn is required", "pass the service role's ARN");
        problems.at("a.b[2].c", "expected a number, got \"x\"", null);

        assertThat(problems.count()).isEqualTo(2);
        assertThat(problems.list()).extracting(Problems.Problem::key).containsExactly("RoleArn", "a.b[2].c");
        assertThatThrownBy(() -> problems.throwIfAny("Invalid properties", IllegalArgumentException::new))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid properties:\n - RoleArn is required; pass the service role's ARN\n"
                        + " - a.b[2].c: expected a number, got \"x\"");
    }

    @Test
    void throwsNothingWithoutProblems() {
        Problems problems = new Problems();
        problems.throwIfAny("Invalid", IllegalStateException::new);
        assertThat(problems.isEmpty()).isTrue();
    }

    @Test
    void namesUnknownKeysInOrderWithTheKnownOnes() {
        Problems problems = new Problems();
        problems.unknownKeys(List.of("Zeta", "Ordreing", "Format"), Set.of("Format", "Ordering"), "property", null);

        assertThat(problems.messages())
                .containsExactly(
                        "unknown property Ordreing (known: Format, Ordering)",
                        "unknown property Zeta (known: Format, Ordering)");
    }

    @Test
    void describesValuesAsAMessageShowsThem() {
        assertThat(Problems.describe("a\tb")).isEqualTo("\"a?b\"");
        assertThat(Problems.describe(null)).isEqualTo("null");
        assertThat(Problems.describe(Map.of())).isEqualTo("an object");
        assertThat(Problems.describe(List.of(1))).isEqualTo("a list");
        assertThat(Problems.describe(42)).isEqualTo("42");
        assertThat(Problems.describe("x".repeat(200))).hasSize(123).endsWith("…\"");
    }
}
