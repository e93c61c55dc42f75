package com.dsqlcdc.contract;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The problems a parser of settings or properties has found so far. A parser records each problem
 * (the key it is about, what is wrong, and the fix) and goes on with a default or an empty value,
 * so that the reader gets every problem at once, then throws them all with {@link #throwIfAny}.
 *
 * <p>Used by every settings and properties parser of the functions and custom resources (function
 * environments, custom-resource properties). Not thread-safe: one collector per parse.
 */
public final class Problems {

    /**
     * One problem.
     *
     * @param key     what it is about: a variable, a property, a configuration key with its path
     * @param message what is wrong, as a sentence that reads on its own (it usually names the key)
     * @param fix     what to do about it, or empty when the message already says
     */
    public record Problem(String key, String message, String fix) {
        public Problem {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(message, "message");
            fix = fix == null ? "" : fix;
        }

        /** @return {@code <message>; <fix>} (just the message without a fix) */
        @Override
        public String toString() {
            return fix.isEmpty() ? message : message + "; " + fix;
        }
    }

    private final List<Problem> problems = new ArrayList<>();

    /**
     * Records a problem whose message reads on its own.
     *
     * @param key     what it is about
     * @param message what is wrong (name the key in it)
     * @param fix     what to do, or null
     */
    public void add(String key, String message, String fix) {
        problems.add(new Problem(key, message, fix));
    }

    /**
     * Records {@code <key>: <problem>; <fix>}: for keys that are paths ({@code a.b[2].c}), where the
     * message reads best after the key.
     *
     * @param key     the key, with its path
     * @param problem what is wrong with it
     * @param fix     what to do, or null
     */
    public void at(String key, String problem, String fix) {
        add(key, key + ": " + problem, fix);
    }

    /**
     * Records each key of {@code present} that is not {@code allowed} (in sorted order): a misspelt
     * key would otherwise be ignored without a word.
     *
     * @param present the keys given
     * @param allowed the keys known
     * @param what    how a message calls such a key, e.g. {@code "property"}
     * @param fix     what to do, or null
     */
    public void unknownKeys(Collection<String> present, Collection<String> allowed, String what, String fix) {
        for (String key : new TreeSet<>(present)) {
            if (!allowed.contains(key)) {
                add(
                        key,
                        "unknown " + what + " " + key + " (known: " + String.join(", ", new TreeSet<>(allowed)) + ")",
                        fix);
            }
        }
    }

    /** @return how many so far (a parser compares counts to see whether a part added any) */
    public int count() {
        return problems.size();
    }

    /** @return whether none was found */
    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /** @return every problem so far, in the order found */
    public List<Problem> list() {
        return List.copyOf(problems);
    }

    /** @return every problem so far as its message and fix */
    public List<String> messages() {
        return problems.stream().map(Problem::toString).toList();
    }

    /**
     * Throws every problem at once, if there is any.
     *
     * @param title     the first line, e.g. {@code "Invalid properties of Custom::DsqlCdcStream"}
     * @param exception makes the exception from the whole message ({@code title:} then one
     *                  {@code " - "} line per problem)
     * @param <E>       the exception type
     * @throws E when at least one problem was recorded
     */
    public <E extends RuntimeException> void throwIfAny(String title, Function<String, E> exception) {
        if (!problems.isEmpty()) {
            throw exception.apply(title + ":\n - " + String.join("\n - ", messages()));
        }
    }

    /**
     * @param value any value from the input
     * @return how a message shows it: strings quoted (control characters as {@code ?}, cut at 120
     *         characters), objects and lists by kind, {@code null} as such
     */
    public static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            String text = s.replaceAll("\\p{Cntrl}", "?");
            return "\"" + (text.length() > 120 ? text.substring(0, 120) + "…" : text) + "\"";
        }
        if (value instanceof java.util.Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "a list";
        }
        return String.valueOf(value);
    }
}
