package com.dsqlcdc.contract.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final List<Duration> waits = new ArrayList<>();
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

    private RetryPolicy.Builder policy(int attempts) {
        return RetryPolicy.builder(attempts, Backoff.fullJitter(Duration.ofMillis(100), Duration.ofSeconds(2)))
                .sleeper(waits::add)
                .clock(clock)
                .random(() -> 0.5);
    }

    @Test
    void retriesUntilDoneWaitingTheBackoff() {
        AtomicInteger calls = new AtomicInteger();
        String result = policy(5)
                .build()
                .run(
                        "call",
                        null,
                        attempt -> calls.incrementAndGet() < 3
                                ? RetryPolicy.Outcome.retry(new IllegalStateException("throttled"), Optional.empty())
                                : RetryPolicy.Outcome.done("ok"));

        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(3);
        assertThat(waits).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100));
    }

    @Test
    void throwsTheLastFailureWhenAttemptsRunOut() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> policy(3)
                        .build()
                        .run(
                                "call",
                                null,
                                attempt -> RetryPolicy.Outcome.retry(
                                        new IllegalStateException("failure " + calls.incrementAndGet()),
                                        Optional.empty())))
                .hasMessage("failure 3");
        assertThat(waits).hasSize(2);
    }

    @Test
    void waitsAtLeastWhatTheServiceAskedForUpToTheCap() {
        RetryPolicy retries = policy(3).maxServerWait(Duration.ofSeconds(30)).build();

        assertThat(retries.waitAfter(1, Optional.of(Duration.ofSeconds(3)))).isEqualTo(Duration.ofSeconds(3));
        assertThat(retries.waitAfter(1, Optional.of(Duration.ofMinutes(5)))).isEqualTo(Duration.ofSeconds(30));
        assertThat(retries.waitAfter(1, Optional.of(Duration.ofMillis(1)))).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void doesNotStartAWaitThatEndsAfterTheDeadline() {
        RetryPolicy retries = policy(10).build();

        // waits of 50 and 100 ms each end before the deadline 150 ms from now; the third (200 ms) would not
        assertThatThrownBy(() -> retries.run(
                        "call",
                        clock.instant().plusMillis(150),
                        attempt -> RetryPolicy.Outcome.retry(
                                new IllegalStateException("failure " + attempt), Optional.empty())))
                .hasMessage("failure 3");
        assertThat(waits).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100));
    }

    @Test
    void anErrorNoRetryFixesIsThrownAtOnce() {
        assertThatThrownBy(() -> policy(5).build().run("call", null, attempt -> {
                    throw new IllegalArgumentException("access denied");
                }))
                .hasMessage("access denied");
        assertThat(waits).isEmpty();
    }

    @Test
    void anInterruptedWaitThrowsTheLastFailureAndKeepsTheFlag() {
        RetryPolicy retries = policy(5)
                .sleeper(d -> {
                    throw new InterruptedException("stop");
                })
                .build();
        try {
            assertThatThrownBy(() -> retries.run(
                            "call",
                            null,
                            attempt -> RetryPolicy.Outcome.retry(
                                    new IllegalStateException("throttled"), Optional.empty())))
                    .hasMessage("throttled")
                    .satisfies(e -> assertThat(e.getSuppressed()).hasOnlyElementsOfType(InterruptedException.class));
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void pausesAfterAnAttemptForLoopsThatRetryThemselves() {
        RetryPolicy retries = RetryPolicy.builder(4, Backoff.doubling(Duration.ofSeconds(5), Duration.ofSeconds(20)))
                .sleeper(waits::add)
                .build();

        assertThat(retries.pauseAfter(1)).isTrue();
        assertThat(retries.pauseAfter(3)).isTrue();
        assertThat(waits).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(20));
    }
}
