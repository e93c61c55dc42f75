package com.dsqlcdc.consumer.write;

import java.time.Duration;

/**
 * When to ask DescribeStatement again: {@code first}, then each wait {@code factor} times the last,
 * at most {@code max}. Short first waits matter: most INSERTs finish in a few hundred ms and every
 * wasted poll interval is latency added to the whole batch.
 *
 * @param first  the wait before the first poll
 * @param factor growth of each wait
 * @param max    the longest wait
 */
public record PollSchedule(Duration first, double factor, Duration max) {

    /** 20 ms, ×1.5, at most 1 s: a 250 ms statement is seen finished at ~263 ms with 5 polls. */
    public static final PollSchedule DEFAULT = new PollSchedule(Duration.ofMillis(20), 1.5, Duration.ofSeconds(1));

    public PollSchedule {
        if (first.isNegative() || first.isZero() || factor < 1.0 || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("poll schedule needs first > 0, factor >= 1, max >= first");
        }
    }

    /** @return the wait after {@code previous} */
    public Duration next(Duration previous) {
        long nanos = (long) Math.min(previous.toNanos() * factor, (double) max.toNanos());
        return Duration.ofNanos(nanos);
    }
}
