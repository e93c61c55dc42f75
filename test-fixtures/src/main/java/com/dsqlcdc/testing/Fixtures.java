package com.dsqlcdc.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The sample DSQL CDC records: {@code src/main/resources/fixtures} of this module (what each file
 * shows: the README there), read from the classpath by the other modules' tests.
 */
public final class Fixtures {

    private Fixtures() {}

    /** @return the non-empty lines of {@code fixtures/<name>} */
    public static List<String> lines(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalStateException(
                        "fixture " + name + " is not on the classpath (test-fixtures/src/main/resources/fixtures)");
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .lines()
                    .filter(line -> !line.isBlank())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the whole of {@code fixtures/<name>} */
    public static String text(String name) {
        return String.join("\n", lines(name));
    }
}
