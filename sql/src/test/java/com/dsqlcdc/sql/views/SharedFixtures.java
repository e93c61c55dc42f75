package com.dsqlcdc.sql.views;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The sample CDC records, from this module's test resources ({@code src/test/resources/fixtures},
 * a copy of the shared fixtures, so a fresh clone alone runs every test).
 */
final class SharedFixtures {

    private SharedFixtures() {
    }

    /** @return the lines of {@code fixtures/<name>} */
    static List<String> lines(String name) {
        try (InputStream in = SharedFixtures.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalStateException("fixture " + name + " is not in src/test/resources/fixtures");
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
