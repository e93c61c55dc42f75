package com.dsqlcdc.infra.config.schema;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One setting of a configuration object, declared once: its name, its {@link Type} (and so its
 * range), what it is when left out, and its help text. {@link Group}s of keys are the parser, the
 * unknown-key check and the generated configuration tables.
 *
 * @param <T> the value read
 */
public final class Key<T> {

    private final String name;
    private final Type<T> type;
    private final Default fallback;
    private final String help;
    private final Long refused;
    private final String refusedProblem;
    private final String refusedNote;

    private Key(
            String name,
            Type<T> type,
            Default fallback,
            String help,
            Long refused,
            String refusedProblem,
            String refusedNote) {
        this.name = name;
        this.type = type;
        this.fallback = fallback;
        this.help = help;
        this.refused = refused;
        this.refusedProblem = refusedProblem;
        this.refusedNote = refusedNote;
    }

    /**
     * @param fallback what it is when left out: {@link #byDefault}, {@link #derived} or {@link #required}
     * @param help     what it means, for the generated table (Markdown); state rules tying it to other keys here
     * @return the key
     */
    public static <T> Key<T> key(String name, Type<T> type, Default fallback, String help) {
        return new Key<>(name, type, fallback, help, null, null, null);
    }

    /** @return a key that may be left out: it is then empty, which the table states as {@code absent} */
    public static <T> Key<Optional<T>> optional(String name, Type<T> type, String absent, String help) {
        return key(name, new Type.Maybe<>(type), new Default(Kind.ABSENT, absent, null, null), help);
    }

    /**
     * A setting that existed and was taken out: a configuration that still sets it is refused with
     * {@code <key>: no longer a setting: <why>; <fix>}, instead of being reported as unknown (or worse,
     * silently ignored). It reads no value, binds to no record component and has no row in the
     * generated table; the unknown-key check never suggests it.
     *
     * @param name the setting's name in its object
     * @param why  why it went, and what does its work now
     * @param fix  what to do, e.g. "remove it"
     * @return the key
     */
    public static Key<Removed> removed(String name, String why, String fix) {
        return new Key<>(
                name,
                Removed.TYPE,
                new Default(Kind.REMOVED, "removed", null, new Removal(why, fix)),
                "",
                null,
                null,
                null);
    }

    /** @return whether this setting was taken out ({@link #removed}) */
    public boolean isRemoved() {
        return fallback.kind == Kind.REMOVED;
    }

    /** @return an object of settings that may be left out (then each of them takes its default) */
    public static <R> Key<R> object(String name, Group<R> group) {
        return key(name, group, byDefault(Map.of()), "");
    }

    /** @return the default {@code raw}, written as in cdk.json and read like a configured value */
    public static Default byDefault(Object raw) {
        return new Default(Kind.VALUE, "`" + json(raw) + "`", scope -> Optional.of(raw), raw);
    }

    /**
     * @param raw the default, computed from settings read before this one ({@link Scope#find}); empty
     *            when one of those is invalid (its problem is recorded already)
     * @return a default computed from other settings, which the table states as "derived: {@code text}"
     */
    public static Default derived(String text, Function<Scope, Optional<?>> raw) {
        return new Default(Kind.DERIVED, "derived: " + text, raw, null);
    }

    /** @return a key that must be set: leaving it out is reported as "missing; set it to &lt;expected&gt;" */
    public static Default required() {
        return required(null);
    }

    /** @return a key that must be set: leaving it out is reported as "missing; {@code fix}" */
    public static Default required(String fix) {
        return new Default(Kind.REQUIRED, "required", null, fix);
    }

    /**
     * @param value   a whole number that is refused, though the service would take it
     * @param problem why, e.g. "-1 (retry until the records expire) is not allowed: ..."
     * @param note    what happens instead, ending the fix
     * @return this key, refusing {@code value}
     */
    public Key<T> refusing(long value, String problem, String note) {
        return new Key<>(name, type, fallback, help, value, problem, note);
    }

    /** @return the key in its object */
    public String name() {
        return name;
    }

    /** @return how its value is read */
    public Type<T> type() {
        return type;
    }

    /** @return what it means (Markdown), and why a refused value is refused */
    public String help() {
        return refused == null ? help : help + "; " + refusedProblem;
    }

    /** @return its default as the table states it (Markdown): {@code `168`}, "required", "derived: ..." */
    public String defaultText() {
        return fallback.text;
    }

    /** @return the value in {@code object}, or what the unset key stands for; empty once a problem is recorded */
    @SuppressWarnings("unchecked")
    Optional<T> read(Scope scope, Map<String, Object> object) {
        ConfigKey key = scope.key(this);
        if (fallback.kind == Kind.REMOVED) {
            if (!object.containsKey(name)) {
                return Optional.of((T) Removed.VALUE);
            }
            Removal removal = (Removal) fallback.detail;
            scope.problems()
                    .error(
                            key,
                            "no longer a setting: " + removal.why(),
                            removal.fix() + " (in cdk.json under " + key.location() + ")");
            return Optional.empty();
        }
        if (object.containsKey(name)) {
            Object raw = object.get(name);
            if (refused != null && Type.integral(raw).filter(refused::equals).isPresent()) {
                scope.problems()
                        .error(
                                key,
                                refusedProblem,
                                "set " + type.expected() + " (default " + json(fallback.detail) + "); " + refusedNote);
                return Optional.empty();
            }
            return type.read(scope, key, raw);
        }
        switch (fallback.kind) {
            case REQUIRED:
                scope.problems()
                        .error(
                                key,
                                "missing",
                                fallback.detail != null ? (String) fallback.detail : "set it to " + type.expected());
                return Optional.empty();
            case ABSENT:
                return Optional.of((T) Optional.empty());
            default:
                return fallback.raw.apply(scope).flatMap(raw -> type.read(scope, key, raw));
        }
    }

    /** Adds this key's rows to the generated table, under {@code prefix}. */
    void document(String prefix, List<Row> rows) {
        type.document(prefix + name, this, rows);
    }

    private static String json(Object raw) {
        return raw instanceof Map ? "{}" : raw instanceof List ? "[]" : String.valueOf(raw);
    }

    /** The kinds of {@link Default}. */
    public enum Kind {
        VALUE,
        DERIVED,
        REQUIRED,
        ABSENT,
        /** a setting taken out ({@link #removed}) */
        REMOVED
    }

    /** What a {@link #removed} key reads when it is (rightly) absent: nothing. */
    public enum Removed {
        VALUE;

        /** Reads nothing (a present value is refused before it is read) and has no table row. */
        static final Type<Removed> TYPE = new Type<>() {
            @Override
            public Optional<Removed> read(Scope scope, ConfigKey key, Object raw) {
                throw new IllegalStateException(key + " was removed; it is never read");
            }

            @Override
            public String expected() {
                return "nothing (removed)";
            }

            @Override
            public Class<?> valueClass() {
                return Removed.class;
            }

            @Override
            public void document(String path, Key<?> key, List<Row> rows) {}
        };
    }

    /**
     * Why a setting was taken out, and the fix.
     *
     * @param why what the message says after "no longer a setting: "
     * @param fix what to do
     */
    record Removal(String why, String fix) {}

    /**
     * What an unset key stands for; made by {@link #byDefault}, {@link #derived} and {@link #required}.
     *
     * @param text   as the table states it
     * @param raw    VALUE, DERIVED: the raw value it reads as
     * @param detail VALUE: the default as written; REQUIRED: the fix, or null; REMOVED: the {@link Removal}
     */
    public record Default(Kind kind, String text, Function<Scope, Optional<?>> raw, Object detail) {}

    /**
     * One row of a generated configuration table.
     *
     * @param key          the key's path from the table's root, e.g. {@code consumer.bulk.minRows}
     * @param defaultValue the default (Markdown)
     * @param allowed      what a valid value looks like (plain text)
     * @param help         what it means (Markdown)
     */
    public record Row(String key, String defaultValue, String allowed, String help) {}
}
