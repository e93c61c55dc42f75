package com.dsqlcdc.infra.config;

import static com.dsqlcdc.infra.TestSupport.CONSUMER_JAR;
import static com.dsqlcdc.infra.TestSupport.CUSTOM_RESOURCE_JAR;
import static com.dsqlcdc.infra.TestSupport.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.dsqlcdc.infra.TestSupport;
import com.dsqlcdc.infra.config.schema.Key;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated table and the parser are one declaration: every key the table lists is the key
 * the parser reads, its unknown-key check suggests, and whose documented default it applies.
 */
class EnvironmentSchemaTest {

    static Stream<Key.Row> rows() {
        return EnvironmentSchema.ENVIRONMENT.rows().stream();
    }

    /** @return the minimal environment with {@code value} at the dotted {@code path} (objects made as needed) */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> with(String path, Object value) {
        Map<String, Object> environment = map("cluster", map("mode", "create"));
        String[] segments = path.split("\\.");
        Map<String, Object> object = environment;
        for (int i = 0; i < segments.length - 1; i++) {
            object = (Map<String, Object>) object.computeIfAbsent(segments[i], name -> map());
        }
        object.put(segments[segments.length - 1], value);
        return environment;
    }

    private static List<String> problems(Map<String, Object> environment) {
        Throwable thrown = catchThrowable(() -> TestSupport.config(map("dev", environment)));
        assertThat(thrown).isInstanceOf(InvalidConfigException.class);
        return ((InvalidConfigException) thrown).getProblems();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void everyKeyInTheTableIsReadAndCheckedByTheParser(Key.Row row) {
        // a list holding an object is a valid value of no key
        assertThat(problems(with(row.key(), List.of(map()))))
                .anySatisfy(problem -> assertThat(problem).startsWith("dsql-cdc:environments.dev." + row.key() + ": "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void everyKeyInTheTableIsSuggestedForItsMisspelling(Key.Row row) {
        String misspelt = row.key().substring(0, row.key().length() - 1);
        String name = row.key().substring(row.key().lastIndexOf('.') + 1);

        assertThat(problems(with(misspelt, 1)))
                .anySatisfy(problem -> assertThat(problem)
                        .startsWith("dsql-cdc:environments.dev." + misspelt + ": unknown setting (allowed here: ")
                        .contains("did you mean \"" + name + "\"?"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void everyDocumentedDefaultIsTheOneApplied(Key.Row row) {
        String text = row.defaultValue();
        if (!text.startsWith("`")) {
            return; // required, absent or derived: their own tests are in PipelineConfigTest
        }
        String literal = text.substring(1, text.length() - 1);
        Object raw = literal.equals("{}")
                ? map()
                : literal.equals("[]")
                        ? List.of()
                        : literal.equals("true") || literal.equals("false")
                                ? Boolean.valueOf(literal)
                                : literal.matches("\\d+") ? Long.valueOf(literal) : literal;

        assertThat(config(with(row.key(), raw))).isEqualTo(config(with("cluster.mode", "create")));
    }

    private static EnvironmentConfig config(Map<String, Object> environment) {
        return PipelineConfig.fromContext(map("dev", environment), null, CUSTOM_RESOURCE_JAR, CONSUMER_JAR)
                .environments()
                .get(0);
    }
}
