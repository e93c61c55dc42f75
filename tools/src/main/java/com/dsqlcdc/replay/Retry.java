package com.dsqlcdc.replay;

import java.time.Duration;

/**
 * How often a slice whose records did not all land is tried again, and the pause before each try
 * (doubling from {@code firstPause} up to {@code maxPause}): long enough for a throttled Data API
 * or a workgroup that is scaling to recover.
 *
 * @param attempts   tries per slice, the first included
 * @param firstPause pause before the second try
 * @param maxPause   longest pause
 * @param sleeper    how to pause (tests pass one that does not)
 */
public record Retry(int attempts, Duration firstPause, Duration maxPause, Sleeper sleeper) {

    /** Four tries over about 35 seconds. */
    public static final Retry DEFAULT = new Retry(4, Duration.ofSeconds(5), Duration.ofSeconds(20), Sleeper.SYSTEM);

    public Retry {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
    }

    /** Pauses after failed try {@code attempt} (1-based). */
    void pauseAfter(int attempt) {
        Duration pause = firstPause.multipliedBy(1L << Math.min(attempt - 1, 20));
        sleeper.sleep(pause.compareTo(maxPause) > 0 ? maxPause : pause);
    }

    /** A pause. */
    @FunctionalInterface
    public interface Sleeper {
        /**
         * Thread.sleep (a negative pause is none), giving up quietly (with the interrupt flag set)
         * when interrupted. Shared by the replay's retries and the tail's polling.
         */
        Sleeper SYSTEM = d -> {
            try {
                Thread.sleep(Math.max(0, d.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };

        void sleep(Duration duration);
    }
}
