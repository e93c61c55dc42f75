package com.dsqlcdc.infra.config.schema;

import com.dsqlcdc.contract.Problems;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The problems found so far in one configuration: contract's {@link Problems} (the one collector
 * of every settings parser) with what configuration keys add, the key's place in cdk.json and a
 * suggestion for a misspelt name. Readers record a problem (naming the full key and the fix) and go
 * on, so that every problem is reported together.
 */
public final class ConfigProblems {

    private final Problems problems = new Problems();

    /** @param problem a complete message: the key, what is wrong, the fix */
    public void add(String problem) {
        problems.add("cdk.json", problem, null);
    }

    /** Records {@code <key>: <problem>; <fix>}. */
    public void error(ConfigKey key, String problem, String fix) {
        problems.at(key.toString(), problem, fix);
    }

    /** Records that {@code key} holds {@code actual} where {@code expected} belongs. */
    public void typeError(ConfigKey key, String expected, Object actual) {
        error(key, "expected " + expected + ", got " + describe(actual), "set it in cdk.json under " + key.location());
    }

    /** @return how many problems so far (a reader compares counts to see whether a part added any) */
    public int count() {
        return problems.count();
    }

    /** @return every problem, in the order found */
    public List<String> all() {
        return problems.messages();
    }

    /** Records every key of {@code map} that is not {@code allowed}, with the closest allowed one when near. */
    public void checkKeys(ConfigKey key, Map<String, Object> map, Collection<String> allowed) {
        for (String name : new TreeSet<>(map.keySet())) {
            if (!allowed.contains(name)) {
                String suggestion = closest(name, allowed)
                        .map(s -> "did you mean \"" + s + "\"? ")
                        .orElse("");
                problems.at(
                        key.child(name).toString(),
                        "unknown setting (allowed here: " + String.join(", ", new TreeSet<>(allowed)) + ")",
                        suggestion + "remove or rename it in cdk.json under " + key.location());
            }
        }
    }

    /** @return {@code raw} as an object with string keys; empty (problem recorded) when it is not one */
    public Optional<Map<String, Object>> object(ConfigKey key, Object raw, String expected) {
        if (raw instanceof Map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<?, ?>) raw).forEach((k, v) -> copy.put(String.valueOf(k), v));
            return Optional.of(copy);
        }
        typeError(key, expected, raw);
        return Optional.empty();
    }

    /** @return a value as a message shows it (contract's {@link Problems#describe}) */
    public static String describe(Object value) {
        return Problems.describe(value);
    }

    private static Optional<String> closest(String name, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : new TreeSet<>(candidates)) {
            int distance = editDistance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= 3 ? Optional.ofNullable(best) : Optional.empty();
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
