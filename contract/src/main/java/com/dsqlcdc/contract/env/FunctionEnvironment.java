package com.dsqlcdc.contract.env;

import com.dsqlcdc.contract.Problems;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The environment of one function: every variable it reads, each declared once as an {@link
 * EnvVar}. Infra's construct writes it with {@link #writer}, which refuses a value the handler
 * would refuse and a required variable left out; the handler reads it with {@link #read}, which
 * reports every problem at once. A new function adds one class holding its variables and one of
 * these.
 */
public final class FunctionEnvironment {

    private final String function;
    private final String writtenBy;
    private final Map<String, EnvVar<?>> variables = new LinkedHashMap<>();

    /**
     * @param function  the function, as messages call it (e.g. {@code "consumer"})
     * @param writtenBy who writes the variables, for the fix in messages (e.g. {@code "infra's
     *                  CdcConsumer construct"})
     * @param variables every variable the function reads
     */
    public FunctionEnvironment(String function, String writtenBy, List<EnvVar<?>> variables) {
        this.function = Objects.requireNonNull(function, "function");
        this.writtenBy = Objects.requireNonNull(writtenBy, "writtenBy");
        for (EnvVar<?> variable : variables) {
            if (this.variables.put(variable.name(), variable) != null) {
                throw new IllegalArgumentException(function + " declares " + variable.name() + " twice");
            }
        }
    }

    /** @return the function, as messages call it */
    public String function() {
        return function;
    }

    /** @return every variable, in declaration order */
    public List<EnvVar<?>> variables() {
        return List.copyOf(variables.values());
    }

    /**
     * Reads the whole environment: {@link Values#get} then returns each value, and {@link
     * Values#throwIfInvalid} every problem together.
     *
     * @param env              the process environment ({@code System.getenv()})
     * @param systemProperties read for variables with a system property (e.g. {@code aws.region})
     *                         when the variable is not set
     * @return the values
     */
    public Values read(Map<String, String> env, Properties systemProperties) {
        return new Values(env, systemProperties);
    }

    /**
     * @param deployTimeValue true for a text only the deployment resolves (a CDK token): written
     *                        as it is, since its value can only be checked when the handler reads it
     * @return a writer of this environment
     */
    public Writer writer(Predicate<String> deployTimeValue) {
        return new Writer(deployTimeValue);
    }

    private EnvVar<?> declared(EnvVar<?> variable) {
        if (variables.get(variable.name()) != variable) {
            throw new IllegalArgumentException(variable.name() + " is not a variable of the " + function + " function ("
                    + variables.keySet().stream().collect(Collectors.joining(", ")) + ")");
        }
        return variable;
    }

    /** The values of one read, and the problems found. */
    public final class Values {

        private final Map<String, String> env;
        private final Properties systemProperties;
        private final Problems problems = new Problems();
        private final Map<String, Object> read = new LinkedHashMap<>();

        private Values(Map<String, String> env, Properties systemProperties) {
            this.env = Objects.requireNonNull(env, "env");
            this.systemProperties = Objects.requireNonNull(systemProperties, "systemProperties");
            for (EnvVar<?> variable : variables.values()) {
                read.put(variable.name(), readOne(variable));
            }
        }

        /**
         * @param variable a variable of this function
         * @param <T>      its type
         * @return its value (the default when unset), or null when it is missing or invalid (a
         *         problem is recorded, and {@link #throwIfInvalid} throws)
         */
        @SuppressWarnings("unchecked")
        public <T> T get(EnvVar<T> variable) {
            return (T) read.get(declared(variable).name());
        }

        /** @return the problems found (empty when the environment is valid) */
        public Problems problems() {
            return problems;
        }

        /**
         * @throws IllegalStateException listing every problem, when there is any (the function then
         *                               fails its initialisation, instead of each request later)
         */
        public void throwIfInvalid() {
            problems.throwIfAny("The " + function + " function's environment is invalid", IllegalStateException::new);
        }

        private <T> T readOne(EnvVar<T> variable) {
            String text = trimmed(env.get(variable.name()));
            if (text == null && variable.systemProperty().isPresent()) {
                text = trimmed(
                        systemProperties.getProperty(variable.systemProperty().get()));
            }
            if (text == null) {
                if (variable.required()) {
                    problems.add(variable.name(), variable.missing(), fix(variable));
                }
                return variable.defaultValue().orElse(null);
            }
            T value = variable.parse(text).orElse(null);
            if (value == null) {
                problems.add(variable.name(), variable.invalid(text), fix(variable));
            }
            return value;
        }

        private String fix(EnvVar<?> variable) {
            return variable.isSetByLambda()
                    ? "Lambda sets it; for a local run set it or the "
                            + variable.systemProperty().orElseThrow() + " system property"
                    : writtenBy + " sets it";
        }
    }

    /** Writes the variables as a construct puts them into the function's environment. */
    public final class Writer {

        private final Predicate<String> deployTimeValue;
        private final Map<String, String> written = new LinkedHashMap<>();

        private Writer(Predicate<String> deployTimeValue) {
            this.deployTimeValue = Objects.requireNonNull(deployTimeValue, "deployTimeValue");
        }

        /**
         * @param variable a variable of this function that Lambda does not set itself
         * @param value    its value
         * @param <T>      its type
         * @return this writer
         * @throws IllegalArgumentException for a value the handler would refuse, a variable written
         *                                  twice, one Lambda sets, or one of another function
         */
        public <T> Writer put(EnvVar<T> variable, T value) {
            declared(variable);
            if (variable.isSetByLambda()) {
                throw new IllegalArgumentException(
                        variable.name() + " is set by Lambda itself; a function may not set it");
            }
            String text = value instanceof String s && deployTimeValue.test(s) ? s : variable.format(value);
            if (written.putIfAbsent(variable.name(), text) != null) {
                throw new IllegalArgumentException(variable.name() + " is written twice");
            }
            return this;
        }

        /**
         * @return the environment, in the order written
         * @throws IllegalStateException naming every required variable that was not written
         */
        public Map<String, String> build() {
            List<String> missing = variables.values().stream()
                    .filter(v -> v.required() && !v.isSetByLambda() && !written.containsKey(v.name()))
                    .map(EnvVar::name)
                    .toList();
            if (!missing.isEmpty()) {
                throw new IllegalStateException("the " + function + " function's environment lacks " + missing
                        + ", which its handler requires");
            }
            return Collections.unmodifiableMap(new LinkedHashMap<>(written));
        }
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
