package com.dsqlcdc.contract.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void growsByItsFactorUpToTheMaximum() {
        Backoff polls = new Backoff(Duration.ofMillis(20), 1.5, Duration.ofSeconds(1), Backoff.Jitter.NONE);

        assertThat(polls.delay(1)).isEqualTo(Duration.ofMillis(20));
        assertThat(polls.delay(2)).isEqualTo(Duration.ofMillis(30));
        assertThat(polls.delay(3)).isEqualTo(Duration.ofMillis(45));
        assertThat(polls.delay(20)).isEqualTo(Duration.ofSeconds(1));
        assertThat(polls.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(1));
        assertThat(Backoff.doubling(Duration.ofSeconds(5), Duration.ofSeconds(20))
                        .delay(3))
                .isEqualTo(Duration.ofSeconds(20));
        assertThat(Backoff.fixed(Duration.ofSeconds(10)).delay(7)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void fullJitterIsARandomPartOfTheWait() {
        Backoff backoff = Backoff.fullJitter(Duration.ofMillis(250), Duration.ofSeconds(20));

        assertThat(backoff.delay(3, () -> 0.5)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.delay(3, () -> 0.0)).isEqualTo(Duration.ZERO);
        assertThat(backoff.delay(30, () -> 0.999))
                .isLessThan(Duration.ofSeconds(20))
                .isGreaterThan(Duration.ofSeconds(19));
    }

    @Test
    void refusesAShrinkingOrNegativeSchedule() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), 2, Duration.ofSeconds(1), Backoff.Jitter.NONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(1), Backoff.Jitter.NONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Backoff.fixed(Duration.ofSeconds(1)).delay(0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
