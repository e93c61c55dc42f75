package com.dsqlcdc.sql.views;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds {@code shared/fixtures} (the sample CDC records) without assuming where the repository is
 * checked out: from the working directory up, the first directory with a {@code shared/fixtures}
 * child. {@code -Ddsqlcdc.fixtures=<dir>} overrides the search.
 */
final class SharedFixtures {

    static final String PROPERTY = "dsqlcdc.fixtures";

    private SharedFixtures() {
    }

    static Path dir() {
        String override = System.getProperty(PROPERTY);
        if (override != null && !override.isBlank()) {
            Path dir = Path.of(override);
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException("-D" + PROPERTY + "=" + override + " is not a directory");
            }
            return dir;
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("fixtures");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no shared/fixtures directory in " + start + " or any directory above it; the"
                + " sample CDC records (history-in-commit-order.jsonl, ...) live there. Check them out next to the"
                + " repository, or point -D" + PROPERTY + "=<dir> at them.");
    }

    static Path file(String name) {
        Path file = dir().resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("fixture " + file + " is missing");
        }
        return file;
    }
}
