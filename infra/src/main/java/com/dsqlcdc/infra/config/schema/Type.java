package com.dsqlcdc.infra.config.schema;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * How a setting's value is read from CDK context (JSON: objects, lists, strings, numbers,
 * booleans), and how messages and the generated tables describe it. The factories below, and
 * {@link Group}, make them.
 *
 * @param <T> the value read
 */
public interface Type<T> {

    /**
     * @param raw the value as context holds it (the default, when the key is not set)
     * @return the value; empty once a problem naming {@code key} is recorded
     */
    Optional<T> read(Scope scope, ConfigKey key, Object raw);

    /** @return what a valid value looks like, as messages say it: "a whole number of hours from 24 to 8760" */
    String expected();

    /** @return the class of the values read (a {@link Group} binds them to record components of that type) */
    Class<?> valueClass();

    /** Adds the generated table's rows for {@code key} at {@code path}: one, unless the value is an object. */
    default void document(String path, Key<?> key, List<Key.Row> rows) {
        rows.add(new Key.Row(path, key.defaultText(), expected(), key.help()));
    }

    /** Reads a value, recording its own problems. */
    @FunctionalInterface
    interface Reader<T> {
        /** @return the value; empty once a problem naming {@code key} is recorded */
        Optional<T> read(ConfigKey key, Object raw, ConfigProblems problems);
    }

    /** @return a type that reads with {@code reader} */
    static <T> Type<T> of(String expected, Class<?> valueClass, Reader<T> reader) {
        return new Basic<>(expected, valueClass, reader);
    }

    /** @return a type whose invalid values are all reported as "expected {@code expected}, got ..." */
    static <T> Type<T> leaf(String expected, Class<?> valueClass, Function<Object, Optional<T>> parse) {
        return of(expected, valueClass, (key, raw, problems) -> {
            Optional<T> value = parse.apply(raw);
            if (value.isEmpty()) {
                problems.typeError(key, expected, raw);
            }
            return value;
        });
    }

    /** @return {@code true} or {@code false}, as JSON booleans */
    static Type<Boolean> bool() {
        return leaf(
                "true or false (without quotes)",
                Boolean.class,
                raw -> raw instanceof Boolean ? Optional.of((Boolean) raw) : Optional.empty());
    }

    /** @return a string matching {@code pattern} */
    static Type<String> text(String expected, Pattern pattern) {
        return leaf(
                expected,
                String.class,
                raw -> raw instanceof String && pattern.matcher((String) raw).matches()
                        ? Optional.of((String) raw)
                        : Optional.empty());
    }

    /** @return one of the constants of {@code values}, written in lower case: {@code "create"} for CREATE */
    static <E extends Enum<E>> Type<E> oneOf(Class<E> values) {
        Map<String, E> choices = new LinkedHashMap<>();
        for (E value : values.getEnumConstants()) {
            choices.put(value.name().toLowerCase(Locale.ROOT), value);
        }
        List<String> quoted =
                choices.keySet().stream().map(ConfigProblems::describe).toList();
        String expected = quoted.size() == 1
                ? quoted.get(0)
                : String.join(", ", quoted.subList(0, quoted.size() - 1)) + " or " + quoted.get(quoted.size() - 1);
        return leaf(expected, values, raw -> Optional.ofNullable(choices.get(raw)));
    }

    /** @return one of the whole numbers of {@code choices} (in their order), read as the value it maps to */
    static <T> Type<T> oneOf(String what, Map<Long, T> choices, Class<?> valueClass) {
        return leaf(
                what + ", one of " + choices.keySet(),
                valueClass,
                raw -> integral(raw).map(choices::get));
    }

    /** @return a whole number from {@code min} to {@code max}, e.g. {@code wholeNumber(24, 8760, "hours")} */
    static WholeNumber wholeNumber(long min, long max, String unit) {
        return new WholeNumber(min, max, unit, null, null, 1, null);
    }

    /** @return {@code raw} as a whole number: 48 and 48.0, not "48" or 48.5 */
    static Optional<Long> integral(Object raw) {
        try {
            return raw instanceof Number
                    ? Optional.of(new BigDecimal(raw.toString()).longValueExact())
                    : Optional.empty();
        } catch (ArithmeticException | NumberFormatException notWhole) {
            return Optional.empty();
        }
    }

    /** A type made of a {@link Reader}. */
    record Basic<T>(String expected, Class<?> valueClass, Reader<T> reader) implements Type<T> {
        @Override
        public Optional<T> read(Scope scope, ConfigKey key, Object raw) {
            return reader.read(key, raw, scope.problems());
        }
    }

    /** {@code type}, its values wrapped in an Optional: what a {@link Key#optional} key reads. */
    record Maybe<T>(Type<T> type) implements Type<Optional<T>> {
        @Override
        public Optional<Optional<T>> read(Scope scope, ConfigKey key, Object raw) {
            return type.read(scope, key, raw).map(Optional::of);
        }

        @Override
        public String expected() {
            return type.expected();
        }

        @Override
        public Class<?> valueClass() {
            return Optional.class;
        }
    }

    /**
     * A list whose elements are each read as {@code element}.
     *
     * @param emptyProblem when not null, an empty list is refused with this problem and {@code emptyFix}
     */
    record ListOf<T>(String expected, Type<T> element, String emptyProblem, String emptyFix) implements Type<List<T>> {
        @Override
        public Optional<List<T>> read(Scope scope, ConfigKey key, Object raw) {
            if (!(raw instanceof List)) {
                scope.problems().typeError(key, expected, raw);
                return Optional.empty();
            }
            List<?> list = (List<?>) raw;
            if (list.isEmpty() && emptyProblem != null) {
                scope.problems().error(key, emptyProblem, emptyFix);
                return Optional.empty();
            }
            List<T> values = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                element.read(scope, key.index(i), list.get(i)).ifPresent(values::add);
            }
            return values.size() == list.size() ? Optional.of(List.copyOf(values)) : Optional.empty();
        }

        @Override
        public Class<?> valueClass() {
            return List.class;
        }

        @Override
        public void document(String path, Key<?> key, List<Key.Row> rows) {
            Type.super.document(path, key, rows);
            if (element instanceof Group) {
                element.document(path + "[i]", key, rows);
            }
        }
    }

    /**
     * A whole number in a range; optionally also one value outside it with a meaning of its own
     * ({@link #or}), optionally in steps ({@link #inStepsOf}).
     */
    record WholeNumber(
            long min, long max, String unit, Long special, String specialMeaning, long step, String stepSubject)
            implements Type<Long> {

        /** @return this type, also accepting {@code value}, which means {@code meaning} */
        public WholeNumber or(long value, String meaning) {
            return new WholeNumber(min, max, unit, value, meaning, step, stepSubject);
        }

        /** @return this type, accepting multiples of {@code multiple} only ({@code subject} names what moves) */
        public WholeNumber inStepsOf(long multiple, String subject) {
            return new WholeNumber(min, max, unit, special, specialMeaning, multiple, subject);
        }

        @Override
        public Optional<Long> read(Scope scope, ConfigKey key, Object raw) {
            Optional<Long> value = integral(raw).filter(v -> v.equals(special) || (v >= min && v <= max));
            if (value.isEmpty()) {
                scope.problems().typeError(key, expected(), raw);
            } else if (value.get() % step != 0 && !value.get().equals(special)) {
                long below = value.get() / step * step;
                scope.problems()
                        .error(
                                key,
                                stepSubject + " moves in steps of " + step + " " + unit + ", got " + value.get(),
                                "set it to a multiple of " + step + ", e.g. " + Math.max(below, min) + " or "
                                        + (below + step));
                return Optional.empty();
            }
            return value;
        }

        @Override
        public String expected() {
            return (special == null ? "" : special + " (" + specialMeaning + ") or ") + "a whole number of " + unit
                    + " from " + min + " to " + max;
        }

        @Override
        public Class<?> valueClass() {
            return Long.class;
        }

        @Override
        public void document(String path, Key<?> key, List<Key.Row> rows) {
            String steps = step == 1 ? "" : ", in steps of " + step;
            rows.add(new Key.Row(path, key.defaultText(), expected() + steps, key.help()));
        }
    }
}
