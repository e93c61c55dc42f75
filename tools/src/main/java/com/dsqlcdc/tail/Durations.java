package com.dsqlcdc.tail;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the command line's durations: {@code 90s}, {@code 15m}, {@code 2h}, {@code 1h30m}, {@code 500ms}, or ISO-8601 {@code PT5M}. */
final class Durations {

    private static final Pattern PARTS = Pattern.compile("(\\d+)(ms|d|h|m|s)");

    private Durations() {}

    /** @throws IllegalArgumentException naming the accepted forms */
    static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("pt") || t.startsWith("p")) {
            try {
                return nonNegative(Duration.parse(t.toUpperCase(Locale.ROOT)), text);
            } catch (java.time.format.DateTimeParseException e) {
                throw invalid(text);
            }
        }
        Matcher m = PARTS.matcher(t);
        Duration total = Duration.ZERO;
        int at = 0;
        while (m.find() && m.start() == at) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(
                    switch (m.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        case "h" -> Duration.ofHours(n);
                        default -> Duration.ofDays(n);
                    });
            at = m.end();
        }
        if (at == 0 || at != t.length()) {
            throw invalid(text);
        }
        return total;
    }

    private static Duration nonNegative(Duration d, String text) {
        if (d.isNegative()) {
            throw invalid(text);
        }
        return d;
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("'" + text + "' is not a duration (e.g. 30s, 5m, 2h, 1h30m, 500ms, PT5M)");
    }
}
