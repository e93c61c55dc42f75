package com.dsqlcdc.backfill.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.testing.ManualClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The progress line: rows of the estimated total, this run's rate, and the time left at that rate. */
class ProgressLineTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-03T10:00:00Z"));
    private final StringWriter err = new StringWriter();

    private ProgressLine line(long total, long before, int ranges, int rangesDone) {
        return new ProgressLine(
                new PrintWriter(err, true), "backfill", total, before, ranges, rangesDone, Duration.ofHours(1), clock);
    }

    @Test
    void theRateIsThisRunsAndTheEtaTheRestAtThatRate() {
        try (ProgressLine progress = line(1_000_000, 200_000, 20, 4)) {
            progress.rows(100_000);
            clock.advance(Duration.ofSeconds(10));
            // 300,000 read (200,000 by an earlier run), 10,000 rows/s now: 700,000 left take 70 s.
            assertThat(progress.line())
                    .isEqualTo("backfill: 300,000 of ~1,000,000 rows (30%), ranges 4/20, 10,000 rows/s, ETA 1m10s");
        }
    }

    @Test
    void aTotalEstimatedTooLowGrowsWithTheRowsAndTheLastLineSaysHowLongItTook() {
        ProgressLine progress = line(1_000, 0, 2, 0);
        progress.rows(1_500);
        progress.done(null);
        progress.done(null);
        clock.advance(Duration.ofSeconds(3));
        progress.close();
        assertThat(err.toString().strip())
                .isEqualTo("backfill: 1,500 of ~1,500 rows (100%), ranges 2/2, 500 rows/s, done in 3s");
    }

    @Test
    void beforeAnyRowTheEtaIsUnknown() {
        try (ProgressLine progress = line(1_000, 0, 2, 0)) {
            assertThat(progress.line()).endsWith("0 rows/s, ETA unknown");
        }
    }
}
