package com.dsqlcdc.contract.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before the next attempt or poll: {@code first}, then each wait {@code factor}
 * times the last, at most {@code max}; with {@link Jitter#FULL}, a uniformly random part of that
 * ("full jitter"), so that many callers throttled together do not come back together.
 *
 * @param first  the wait before the second attempt (or the first poll); zero or more
 * @param factor growth of each wait, at least 1
 * @param max    the longest wait, at least {@code first}
 * @param jitter whether the wait is randomised
 */
public record Backoff(Duration first, double factor, Duration max, Jitter jitter) {

    /** Whether a wait is randomised. */
    public enum Jitter {
        /** The wait as computed: pollers, and waits a test or an operator wants predictable. */
        NONE,
        /** Uniform in {@code [0, wait]}: retries of calls a service throttled. */
        FULL
    }

    public Backoff {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(jitter, "jitter");
        if (first.isNegative() || factor < 1.0 || max.compareTo(first) < 0) {
            throw new IllegalArgumentException(
                    "a backoff needs first >= 0, factor >= 1, max >= first; got " + first + ", " + factor + ", " + max);
        }
    }

    /**
     * @param first the first wait
     * @param max   the longest
     * @return waits doubling from {@code first} to {@code max}, not randomised
     */
    public static Backoff doubling(Duration first, Duration max) {
        return new Backoff(first, 2.0, max, Jitter.NONE);
    }

    /**
     * @param first the first wait's ceiling
     * @param max   the longest wait's ceiling
     * @return waits doubling from {@code first} to {@code max}, each a random part of that
     */
    public static Backoff fullJitter(Duration first, Duration max) {
        return new Backoff(first, 2.0, max, Jitter.FULL);
    }

    /**
     * @param every the wait
     * @return the same wait every time
     */
    public static Backoff fixed(Duration every) {
        return new Backoff(every, 1.0, every, Jitter.NONE);
    }

    /**
     * @param retry   1 for the wait after the first attempt, 2 after the second, …
     * @param random  uniform in {@code [0, 1)}; read only with {@link Jitter#FULL}
     * @return the wait before the next attempt
     */
    public Duration delay(int retry, DoubleSupplier random) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry counts from 1, got " + retry);
        }
        double nanos = first.toNanos() * Math.pow(factor, Math.min(retry - 1, 62));
        long ceiling = (long) Math.min(nanos, (double) max.toNanos());
        return Duration.ofNanos(jitter == Jitter.FULL ? (long) (ceiling * random.getAsDouble()) : ceiling);
    }

    /**
     * @param retry 1 for the wait after the first attempt, 2 after the second, …
     * @return the wait before the next attempt (full jitter from a thread-local random)
     */
    public Duration delay(int retry) {
        return delay(retry, () -> ThreadLocalRandom.current().nextDouble());
    }
}
