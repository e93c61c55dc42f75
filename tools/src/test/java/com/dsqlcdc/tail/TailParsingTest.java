package com.dsqlcdc.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The command line's durations and start positions, and how the text format writes a lag. */
class TailParsingTest {

    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void durationsTakeUnitsInAnyCombinationAndIsoText() {
        assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse("PT5M")).isEqualTo(Duration.ofMinutes(5));
        for (String bad : new String[] {"", "5", "m", "5 m", "5x", "-5m", "5m3", "PT-5M"}) {
            assertThatThrownBy(() -> Durations.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a duration");
        }
    }

    @Test
    void startPositionsAreLatestTrimHorizonAnInstantOrADurationAgo() {
        assertThat(StartPosition.parse("latest", CLOCK)).isInstanceOf(StartPosition.Latest.class);
        assertThat(StartPosition.parse("LATEST", CLOCK)).isInstanceOf(StartPosition.Latest.class);
        assertThat(StartPosition.parse("trim-horizon", CLOCK)).isInstanceOf(StartPosition.TrimHorizon.class);
        assertThat(StartPosition.parse("15m", CLOCK)).isEqualTo(new StartPosition.AtTimestamp(NOW.minusSeconds(900)));
        assertThat(StartPosition.parse("2h", CLOCK)).isEqualTo(new StartPosition.AtTimestamp(NOW.minusSeconds(7200)));
        assertThat(StartPosition.parse("2026-11-21T09:30:00Z", CLOCK))
                .isEqualTo(new StartPosition.AtTimestamp(Instant.parse("2026-11-21T09:30:00Z")));
        assertThat(StartPosition.parse("2026-11-21T10:30:00+01:00", CLOCK))
                .isEqualTo(new StartPosition.AtTimestamp(Instant.parse("2026-11-21T09:30:00Z")));
        assertThat(StartPosition.parse("latest", CLOCK).onlyOpenShards()).isTrue();
        assertThat(StartPosition.parse("15m", CLOCK).onlyOpenShards()).isFalse();
        for (String bad : new String[] {"yesterday", "2026-13-01T00:00:00Z", "15", ""}) {
            assertThatThrownBy(() -> StartPosition.parse(bad, CLOCK))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is none of latest, trim-horizon");
        }
    }

    @Test
    void lagIsWrittenInTheLargestUsefulUnit() {
        assertThat(TextFormat.lag(null)).isEqualTo("-");
        assertThat(TextFormat.lag(Duration.ZERO)).isEqualTo("0ms");
        assertThat(TextFormat.lag(Duration.ofMillis(136))).isEqualTo("136ms");
        assertThat(TextFormat.lag(Duration.ofMillis(2_504))).isEqualTo("2.504s");
        assertThat(TextFormat.lag(Duration.ofSeconds(187))).isEqualTo("3m07s");
        assertThat(TextFormat.lag(Duration.ofMinutes(125))).isEqualTo("2h05m");
        assertThat(TextFormat.lag(Duration.ofMillis(-40)))
                .as("commit after arrival: clock skew")
                .isEqualTo("-40ms");
    }
}
