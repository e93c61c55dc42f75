package com.dsqlcdc.infra.config.schema;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A configuration object: its member keys, the rules that tie them together, and how its value is
 * made. Reading one checks that it is an object, reports every key that is not a member (with the
 * nearest member's name), reads each member in order (its value, or what it stands for when
 * unset), runs the rules, and makes the value only when none of that found a problem.
 *
 * @param <R> the value read
 */
public final class Group<R> implements Type<R> {

    private final Class<?> valueClass;
    private final List<Key<?>> members;
    private final Function<Scope, R> build;
    private final String expected;
    private final List<Consumer<Scope>> rules;

    private Group(
            Class<?> valueClass,
            List<Key<?>> members,
            Function<Scope, R> build,
            String expected,
            List<Consumer<Scope>> rules) {
        this.valueClass = valueClass;
        this.members = List.copyOf(members);
        this.build = build;
        this.expected = expected;
        this.rules = List.copyOf(rules);
        if (names().stream().distinct().count() != members.size()) {
            throw new IllegalStateException("two members share a name: " + names());
        }
    }

    /**
     * An object read into {@code record}: each member goes to the record component of the same name
     * (a whole number to an {@code int} or {@code long}). Checked here, when the schema is declared:
     * every component has a member of its type, and every member a component.
     *
     * @throws IllegalStateException when members and components do not match
     */
    public static <R extends Record> Group<R> of(Class<R> record, Key<?>... members) {
        return new Group<>(record, List.of(members), binder(record, List.of(members)), "an object", List.of());
    }

    /** @return an object whose value {@code build} makes from its members (all valid: {@link Scope#get}) */
    public static <R> Group<R> of(Class<?> valueClass, Function<Scope, R> build, Key<?>... members) {
        return new Group<>(valueClass, List.of(members), build, "an object", List.of());
    }

    /** @return this group, stating a value that is not an object as "expected {@code description}, got ..." */
    public Group<R> expecting(String description) {
        return new Group<>(valueClass, members, build, description, rules);
    }

    /**
     * @param rule checks what ties members together, or to settings read before, recording each problem
     *             on the member to change ({@link Scope#error}); runs after every member is read, valid
     *             or not ({@link Scope#find} is empty for an invalid one)
     * @return this group with the rule
     */
    public Group<R> rule(Consumer<Scope> rule) {
        List<Consumer<Scope>> more = new ArrayList<>(rules);
        more.add(rule);
        return new Group<>(valueClass, members, build, expected, more);
    }

    /** @return a whole context value (e.g. one environment) read as this object; empty when problems were recorded */
    public Optional<R> parse(ConfigKey key, Object raw, ConfigProblems problems) {
        int before = problems.count();
        Optional<R> value = read(Scope.root(problems), key, raw);
        if (value.isEmpty() && problems.count() == before) {
            throw new IllegalStateException(key + " was not read, yet no problem was recorded: a derived default or a"
                    + " rule reads a setting that is declared after it");
        }
        return value;
    }

    /** @return the generated table's rows for this object's keys, paths relative to it */
    public List<Key.Row> rows() {
        List<Key.Row> rows = new ArrayList<>();
        members.forEach(member -> member.document("", rows));
        return rows;
    }

    @Override
    public Optional<R> read(Scope scope, ConfigKey key, Object raw) {
        ConfigProblems problems = scope.problems();
        int before = problems.count();
        Optional<Map<String, Object>> object = problems.object(key, raw, expected);
        if (object.isEmpty()) {
            return Optional.empty();
        }
        // A removed setting is not unknown (its own key reports it), nor a suggestion for a misspelling.
        Map<String, Object> live = new java.util.LinkedHashMap<>(object.get());
        live.keySet().removeAll(removedNames());
        problems.checkKeys(key, live, liveNames());
        Scope values = scope.child(key, object.get().keySet());
        boolean complete = true;
        for (Key<?> member : members) {
            complete &= values.read(member, object.get());
        }
        rules.forEach(rule -> rule.accept(values));
        return complete && problems.count() == before ? Optional.of(build.apply(values)) : Optional.empty();
    }

    @Override
    public String expected() {
        return expected;
    }

    @Override
    public Class<?> valueClass() {
        return valueClass;
    }

    @Override
    public void document(String path, Key<?> key, List<Key.Row> rows) {
        members.forEach(member -> member.document(path + ".", rows));
    }

    private List<String> names() {
        return members.stream().map(Key::name).toList();
    }

    private List<String> liveNames() {
        return members.stream().filter(m -> !m.isRemoved()).map(Key::name).toList();
    }

    private List<String> removedNames() {
        return members.stream().filter(Key::isRemoved).map(Key::name).toList();
    }

    private static <R extends Record> Function<Scope, R> binder(Class<R> record, List<Key<?>> all) {
        // a removed setting binds to nothing
        List<Key<?>> members = all.stream().filter(m -> !m.isRemoved()).toList();
        RecordComponent[] components = record.getRecordComponents();
        List<Key<?>> bound = new ArrayList<>();
        for (RecordComponent component : components) {
            String where = record.getName() + "." + component.getName();
            Key<?> member = members.stream()
                    .filter(m -> m.name().equals(component.getName()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(where + " has no setting of that name"));
            Class<?> type = component.getType();
            Class<?> read = member.type().valueClass();
            boolean wholeNumber = (type == int.class || type == long.class) && read == Long.class;
            if (!wholeNumber && !(type == boolean.class ? Boolean.class : type).isAssignableFrom(read)) {
                throw new IllegalStateException(
                        where + " is a " + type.getSimpleName() + " but its setting reads a " + read.getSimpleName());
            }
            bound.add(member);
        }
        if (bound.size() != members.size()) {
            throw new IllegalStateException(record.getName() + " has no component for some of "
                    + members.stream().map(Key::name).toList());
        }
        Constructor<R> constructor;
        try {
            constructor = record.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        return scope -> {
            Object[] arguments = new Object[components.length];
            for (int i = 0; i < arguments.length; i++) {
                Object value = scope.get(bound.get(i));
                arguments[i] = components[i].getType() == int.class ? Math.toIntExact((Long) value) : value;
            }
            try {
                return constructor.newInstance(arguments);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof RuntimeException
                        ? (RuntimeException) e.getCause()
                        : new IllegalStateException(e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
