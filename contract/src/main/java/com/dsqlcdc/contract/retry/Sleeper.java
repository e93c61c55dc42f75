package com.dsqlcdc.contract.retry;

import java.time.Duration;

/**
 * Waits. Every wait of this app's code between attempts and polls goes through one, so that tests
 * substitute one that records the waits instead of sleeping.
 */
@FunctionalInterface
public interface Sleeper {

    /** {@link Thread#sleep}; a zero or negative duration does not wait. */
    Sleeper SYSTEM = duration -> {
        long nanos = duration.toNanos();
        if (nanos > 0) {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        }
    };

    /**
     * @param duration how long
     * @throws InterruptedException when the thread is interrupted meanwhile
     */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * Waits, and on an interrupt stops waiting and sets the thread's interrupt flag again, for
     * callers that wind down on it instead of failing.
     *
     * @param duration how long
     * @return false when interrupted
     */
    default boolean pause(Duration duration) {
        try {
            sleep(duration);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
