package com.dsqlcdc.contract.env;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One environment variable of a function: its name, its type and allowed values, its default and
 * what it is for. Declared once, in the function's environment class (e.g. {@link
 * ConsumerEnvironment}); infra's construct writes it with {@link #format} (which refuses a value
 * the handler would refuse) and the handler reads it through {@link FunctionEnvironment#read}.
 *
 * @param <T> the value's type
 */
public final class EnvVar<T> {

    private final String name;
    private final Type<T> type;
    private final T defaultValue;
    private final String help;
    private final boolean setByLambda;
    private final String systemProperty;
    private final boolean optional;

    /**
     * A type of value: how text becomes a value and back, and how a message names the values allowed.
     *
     * @param <T> the value's type
     */
    interface Type<T> {
        /** @return e.g. {@code "a whole number in 1-50"} */
        String expected();

        /** @return the value, or null when {@code text} (trimmed, not blank) is not one */
        T parse(String text);

        /** @return the text of {@code value} */
        String format(T value);
    }

    private EnvVar(
            String name,
            Type<T> type,
            T defaultValue,
            String help,
            boolean setByLambda,
            String systemProperty,
            boolean optional) {
        this.name = requireName(name);
        this.optional = optional;
        this.type = Objects.requireNonNull(type, "type");
        this.help = Objects.requireNonNull(help, "help");
        this.setByLambda = setByLambda;
        this.systemProperty = systemProperty;
        if (defaultValue != null && type.parse(type.format(defaultValue)) == null) {
            throw new IllegalArgumentException(name + ": the default " + defaultValue + " is not " + type.expected());
        }
        this.defaultValue = defaultValue;
    }

    /**
     * @param name the variable's name
     * @param help what it is, for messages
     * @return a required variable holding any text that is not blank
     */
    public static EnvVar<String> text(String name, String help) {
        return new EnvVar<>(
                name,
                new Matching(Pattern.compile("(?s).*\\S.*"), "a value that is not blank"),
                null,
                help,
                false,
                null,
                false);
    }

    /**
     * @param name     the variable's name
     * @param pattern  what a value must match, whole
     * @param expected how a message names such values, e.g. {@code "26 characters a-z and 0-9"}
     * @param help     what it is, for messages
     * @return a required text variable whose values match {@code pattern}
     */
    public static EnvVar<String> matching(String name, Pattern pattern, String expected, String help) {
        return new EnvVar<>(name, new Matching(pattern, expected), null, help, false, null, false);
    }

    /**
     * @param name the variable's name
     * @param min  smallest value allowed
     * @param max  largest value allowed
     * @param help what it is, for messages
     * @return a required whole-number variable in {@code min..max}
     */
    public static EnvVar<Integer> integer(String name, int min, int max, String help) {
        if (min > max) {
            throw new IllegalArgumentException(name + ": min " + min + " is above max " + max);
        }
        return new EnvVar<>(name, new Whole(min, max), null, help, false, null, false);
    }

    /**
     * @param value what a handler reads when the variable is not set (it must be allowed)
     * @return this variable, optional with that default
     */
    public EnvVar<T> withDefault(T value) {
        return new EnvVar<>(
                name, type, Objects.requireNonNull(value, "default"), help, setByLambda, systemProperty, false);
    }

    /**
     * @param property a system property read when the variable is not set, as the SDK does (e.g.
     *                 {@code aws.region}), for runs outside Lambda
     * @return this variable, marked as one the Lambda runtime sets: a construct must not write it
     */
    public EnvVar<T> setByLambda(String property) {
        return new EnvVar<>(
                name, type, defaultValue, help, true, Objects.requireNonNull(property, "property"), optional);
    }

    /**
     * @return this variable, as one the handler does without (a library reads it, e.g. Powertools'
     *         service name): unset, it reads as null and is no problem; set, it must be valid
     */
    public EnvVar<T> optional() {
        return new EnvVar<>(name, type, null, help, setByLambda, systemProperty, true);
    }

    /** @return the name */
    public String name() {
        return name;
    }

    /** @return what it is for */
    public String help() {
        return help;
    }

    /** @return how a message names the values allowed, e.g. {@code "a whole number in 1-50"} */
    public String expected() {
        return type.expected();
    }

    /** @return the default, empty for a required variable */
    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** @return whether a handler refuses to start without it */
    public boolean required() {
        return defaultValue == null && !optional;
    }

    /** @return whether the Lambda runtime sets it (constructs must not) */
    public boolean isSetByLambda() {
        return setByLambda;
    }

    /** @return the system property read when the variable is not set, if any */
    public Optional<String> systemProperty() {
        return Optional.ofNullable(systemProperty);
    }

    /**
     * @param value a value to write into a function's environment
     * @return its text
     * @throws IllegalArgumentException naming the variable when the handler would refuse the value
     */
    public String format(T value) {
        String text = type.format(Objects.requireNonNull(value, name));
        if (type.parse(text.trim()) == null) {
            throw new IllegalArgumentException(invalid(text));
        }
        return text;
    }

    /**
     * @param text the variable's text, trimmed and not blank
     * @return the value, or empty when it is not allowed (then {@link #invalid} says why)
     */
    Optional<T> parse(String text) {
        return Optional.ofNullable(type.parse(text));
    }

    /** @return {@code NAME=<text> is not <expected>: <help>} */
    String invalid(String text) {
        return name + "=" + text + " is not " + type.expected() + ": " + help;
    }

    /** @return {@code NAME is not set: <help> (<expected>)} */
    String missing() {
        return name + " is not set: " + help + " (" + type.expected() + ")";
    }

    @Override
    public String toString() {
        return name;
    }

    private static String requireName(String name) {
        if (name == null || !name.matches("[A-Z][A-Z0-9_]*")) {
            throw new IllegalArgumentException("an environment variable name is upper case, digits and _, got " + name);
        }
        return name;
    }

    /** Text matching a pattern. */
    private record Matching(Pattern pattern, String expected) implements Type<String> {
        @Override
        public String parse(String text) {
            return pattern.matcher(text).matches() ? text : null;
        }

        @Override
        public String format(String value) {
            return value;
        }
    }

    /** A whole number in a range. */
    private record Whole(int min, int max) implements Type<Integer> {
        @Override
        public String expected() {
            return "a whole number in " + min + "-" + max;
        }

        @Override
        public Integer parse(String text) {
            try {
                int n = Integer.parseInt(text);
                return n >= min && n <= max ? n : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }

        @Override
        public String format(Integer value) {
            return Integer.toString(value);
        }
    }
}
