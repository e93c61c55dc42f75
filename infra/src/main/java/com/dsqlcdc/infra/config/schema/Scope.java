package com.dsqlcdc.infra.config.schema;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The settings of one configuration object as they are read: for the rules and derived defaults
 * that look at other settings (read before them, in this object or an enclosing one), and for the
 * function that makes the object's value.
 */
public final class Scope {

    private final Scope parent;
    private final ConfigKey key;
    private final ConfigProblems problems;
    private final Set<String> configured;
    private final Map<Key<?>, Object> values = new HashMap<>();

    private Scope(Scope parent, ConfigKey key, ConfigProblems problems, Set<String> configured) {
        this.parent = parent;
        this.key = key;
        this.problems = problems;
        this.configured = Set.copyOf(configured);
    }

    static Scope root(ConfigProblems problems) {
        return new Scope(null, null, problems, Set.of());
    }

    Scope child(ConfigKey objectKey, Set<String> keys) {
        return new Scope(this, objectKey, problems, keys);
    }

    /** Reads {@code member} from {@code object} into this scope. @return whether it is valid */
    <T> boolean read(Key<T> member, Map<String, Object> object) {
        Optional<T> value = member.read(this, object);
        value.ifPresent(v -> values.put(member, v));
        return value.isPresent();
    }

    /** @return this object's key, e.g. {@code dsql-cdc:environments.dev.kinesis} */
    public ConfigKey key() {
        return key;
    }

    /** @return the full key of {@code member} */
    public ConfigKey key(Key<?> member) {
        return key.child(member.name());
    }

    /** @return where problems are recorded */
    public ConfigProblems problems() {
        return problems;
    }

    /** Records {@code <member's full key>: <problem>; <fix>}. */
    public void error(Key<?> member, String problem, String fix) {
        problems.error(key(member), problem, fix);
    }

    /** @return whether {@code member} is configured (whatever its value) rather than left unset */
    public boolean isSet(Key<?> member) {
        return configured.contains(member.name());
    }

    /** @return the valid value of {@code member} of this object (for builders: they run when all are valid) */
    @SuppressWarnings("unchecked")
    public <T> T get(Key<T> member) {
        if (!values.containsKey(member)) {
            throw new IllegalStateException(key + ": " + member.name() + " was not read in this object");
        }
        return (T) values.get(member);
    }

    /** @return the value of {@code setting}, read before in this object or an enclosing one; empty when invalid */
    @SuppressWarnings("unchecked")
    public <T> Optional<T> find(Key<T> setting) {
        for (Scope scope = this; scope != null; scope = scope.parent) {
            if (scope.values.containsKey(setting)) {
                return Optional.of((T) scope.values.get(setting));
            }
        }
        return Optional.empty();
    }
}
