package com.dsqlcdc.infra;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps with a fixed iteration order, for anything that ends up in a template. {@code Map.of}
 * iterates in an order salted per JVM, which would reorder keys between two synths of the same
 * commit and make diffs noisy.
 */
public final class Ordered {

    private Ordered() {}

    /**
     * @param keysAndValues alternating keys (strings) and values, in the order to keep
     * @return an unmodifiable map iterating in the given order
     */
    public static Map<String, Object> map(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("expected key/value pairs");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
