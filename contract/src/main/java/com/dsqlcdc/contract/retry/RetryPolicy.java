package com.dsqlcdc.contract.retry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Tries a call again after failures that may pass (throttling, server errors, I/O): at most
 * {@link #maxAttempts} attempts, waiting {@link Backoff#delay} between them, and at least what the
 * service asked for (a {@code Retry-After}, capped at {@code maxServerDelay}). A wait that would
 * end after the caller's deadline is not started: the last failure is thrown instead. For calls
 * through an SDK client, use the SDK's own retry strategy; this is for what the SDK does not
 * retry (hand-written clients, whole operations, polls).
 *
 * <p>Immutable and thread-safe; {@link Builder} makes one.
 */
public final class RetryPolicy {

    /** What one attempt gave. */
    public sealed interface Outcome<T> {
        /**
         * @param value the result
         * @param <T>   its type
         * @return success: no more attempts
         */
        static <T> Outcome<T> done(T value) {
            return new Done<>(value);
        }

        /**
         * @param failure   what went wrong (thrown if no attempt is left)
         * @param minimumWait the least wait the service asked for, if it did (e.g. {@code Retry-After})
         * @param <T>       the result's type
         * @return a failure that another attempt may not have
         */
        static <T> Outcome<T> retry(RuntimeException failure, Optional<Duration> minimumWait) {
            return new Again<>(failure, minimumWait);
        }
    }

    private record Done<T>(T value) implements Outcome<T> {}

    private record Again<T>(RuntimeException failure, Optional<Duration> minimumWait) implements Outcome<T> {
        Again {
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(minimumWait, "minimumWait");
        }
    }

    /**
     * One attempt. It returns {@link Outcome#done} or {@link Outcome#retry}, and throws what no
     * retry can fix.
     *
     * @param <T> the result's type
     */
    @FunctionalInterface
    public interface Attempt<T> {
        /**
         * @param attempt 1 for the first attempt, 2 for the second, …
         * @return its outcome
         */
        Outcome<T> run(int attempt);
    }

    /** Told before each wait: for a log line. */
    @FunctionalInterface
    public interface Listener {
        /** Says nothing. */
        Listener NONE = (what, attempt, maxAttempts, failure, wait) -> {};

        /**
         * @param what        the call, as the caller named it
         * @param attempt     the attempt that failed
         * @param maxAttempts attempts allowed in all
         * @param failure     its failure
         * @param wait        the wait before the next attempt
         */
        void retrying(String what, int attempt, int maxAttempts, RuntimeException failure, Duration wait);
    }

    private final int maxAttempts;
    private final Backoff backoff;
    private final Duration maxServerWait;
    private final Sleeper sleeper;
    private final Clock clock;
    private final DoubleSupplier random;
    private final Listener listener;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.backoff = b.backoff;
        this.maxServerWait = b.maxServerWait;
        this.sleeper = b.sleeper;
        this.clock = b.clock;
        this.random = b.random;
        this.listener = b.listener;
    }

    /**
     * @param maxAttempts attempts in all, the first included
     * @param backoff     the waits between them
     * @return a builder with those; {@link Sleeper#SYSTEM}, the UTC clock, no server-wait cap
     */
    public static Builder builder(int maxAttempts, Backoff backoff) {
        return new Builder(maxAttempts, backoff);
    }

    /** @return attempts in all, the first included */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** @return the waits between attempts */
    public Backoff backoff() {
        return backoff;
    }

    /** @return how this policy waits */
    public Sleeper sleeper() {
        return sleeper;
    }

    /**
     * Runs {@code attempt} until it is done, throws, or no attempt (or no time) is left.
     *
     * @param what     the call, for the listener
     * @param deadline no wait may end after it; null for none
     * @param attempt  the call
     * @param <T>      its result's type
     * @return the result of the attempt that was done
     * @throws RuntimeException the last failure when attempts or time ran out, or what an attempt
     *                          threw; when interrupted while waiting, the last failure with the
     *                          {@link InterruptedException} suppressed in it (the thread's
     *                          interrupt flag set again)
     */
    public <T> T run(String what, Instant deadline, Attempt<T> attempt) {
        for (int n = 1; ; n++) {
            Outcome<T> outcome = attempt.run(n);
            if (outcome instanceof Done<T> done) {
                return done.value();
            }
            Again<T> again = (Again<T>) outcome;
            if (n >= maxAttempts) {
                throw again.failure();
            }
            Duration wait = waitAfter(n, again.minimumWait());
            if (deadline != null && clock.instant().plus(wait).isAfter(deadline)) {
                throw again.failure();
            }
            listener.retrying(what, n, maxAttempts, again.failure(), wait);
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                again.failure().addSuppressed(e);
                throw again.failure();
            }
        }
    }

    /**
     * Waits as this policy does after failed attempt {@code attempt}, for loops that decide
     * themselves what to try again (a batch that partly landed).
     *
     * @param attempt the attempt that failed, from 1
     * @return false when interrupted (the thread's interrupt flag set again)
     */
    public boolean pauseAfter(int attempt) {
        return sleeper.pause(waitAfter(attempt, Optional.empty()));
    }

    /**
     * @param attempt     the attempt that failed, from 1
     * @param minimumWait what the service asked for, if anything
     * @return the backoff's wait, or the service's (capped) when longer
     */
    public Duration waitAfter(int attempt, Optional<Duration> minimumWait) {
        Duration wait = backoff.delay(attempt, random);
        if (minimumWait.isPresent()) {
            Duration asked = minimumWait.get().compareTo(maxServerWait) > 0 ? maxServerWait : minimumWait.get();
            wait = asked.compareTo(wait) > 0 ? asked : wait;
        }
        return wait;
    }

    /** Makes a {@link RetryPolicy}. */
    public static final class Builder {
        private final int maxAttempts;
        private final Backoff backoff;
        private Duration maxServerWait = Duration.ofDays(1);
        private Sleeper sleeper = Sleeper.SYSTEM;
        private Clock clock = Clock.systemUTC();
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private Listener listener = Listener.NONE;

        private Builder(int maxAttempts, Backoff backoff) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            this.backoff = Objects.requireNonNull(backoff, "backoff");
        }

        /** @param max the longest wait a service may ask for (a longer one is cut to this) @return this */
        public Builder maxServerWait(Duration max) {
            this.maxServerWait = Objects.requireNonNull(max, "max");
            return this;
        }

        /** @param sleeper how to wait (tests: one that records) @return this */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** @param clock what the deadline is compared with @return this */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @param random uniform in [0, 1), for the jitter @return this */
        public Builder random(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** @param listener told before each wait @return this */
        public Builder listener(Listener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** @return the policy */
        public RetryPolicy build() {
            return new RetryPolicy(this);
        }
    }
}
