package com.dsqlcdc.infra.config.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration key as a path, for error messages: dotted, list positions as {@code [i]}, e.g.
 * {@code dsql-cdc:environments.dev.kinesis} or {@code dsql-cdc:delivery.stages[1].environment}.
 * Shared by every reader so every message names keys the same way.
 */
public final class ConfigKey {

    private final List<String> segments;

    private ConfigKey(List<String> segments) {
        this.segments = List.copyOf(segments);
    }

    /** @param name a context key, e.g. {@code dsql-cdc:environments} @return the key */
    public static ConfigKey root(String name) {
        return new ConfigKey(List.of(name));
    }

    /** @param name a setting under this key @return its key */
    public ConfigKey child(String name) {
        List<String> longer = new ArrayList<>(segments);
        longer.add(name);
        return new ConfigKey(longer);
    }

    /** @param index a position in the list this key names @return the key of that element */
    public ConfigKey index(int index) {
        List<String> longer = new ArrayList<>(segments);
        longer.set(longer.size() - 1, last() + "[" + index + "]");
        return new ConfigKey(longer);
    }

    /** @return the last segment: the setting's name in its parent object */
    public String last() {
        return segments.get(segments.size() - 1);
    }

    /** @return where to edit it, e.g. {@code context > "dsql-cdc:environments" > "dev" > "kinesis"} */
    public String location() {
        return "context > " + segments.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(" > "));
    }

    @Override
    public String toString() {
        return String.join(".", segments);
    }
}
