package com.dsqlcdc.backfill.command;

import com.dsqlcdc.backfill.JobRunner;
import com.dsqlcdc.backfill.RangeState;
import com.dsqlcdc.backfill.RangeWorker;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The progress line a job prints on stderr every few seconds, and once at the end: rows read of the
 * estimated total, ranges done, rows per second of this run and the time left at that rate. One line
 * each time (not a redrawn bar), so that it reads the same in a terminal and in a log. The total is an
 * estimate: planning counts a table's ranges by their size, not the rows each holds at the time it is
 * read.
 */
final class ProgressLine implements RangeWorker.Progress, JobRunner.RangeListener, AutoCloseable {

    private final PrintWriter err;
    private final String label;
    private final long total;
    private final long before;
    private final int ranges;
    private final Clock clock;
    private final Instant started;
    private final AtomicLong rows = new AtomicLong();
    private final AtomicInteger rangesDone;
    private final ScheduledExecutorService timer;

    /**
     * @param err        where the lines go
     * @param label      the job's mode
     * @param total      rows expected in all, about
     * @param before     rows read by earlier runs of the job
     * @param ranges     ranges in the job
     * @param rangesDone ranges earlier runs finished
     * @param every      time between two lines
     * @param clock      time source
     */
    ProgressLine(
            PrintWriter err,
            String label,
            long total,
            long before,
            int ranges,
            int rangesDone,
            Duration every,
            Clock clock) {
        this.err = err;
        this.label = label;
        this.total = total;
        this.before = before;
        this.ranges = ranges;
        this.rangesDone = new AtomicInteger(rangesDone);
        this.clock = clock;
        this.started = clock.instant();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "backfill-progress");
            t.setDaemon(true);
            return t;
        });
        long millis = every.toMillis();
        timer.scheduleAtFixedRate(this::print, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void rows(long read) {
        rows.addAndGet(read);
    }

    @Override
    public void done(RangeState state) {
        rangesDone.incrementAndGet();
    }

    /** @return the line as it stands */
    String line() {
        long now = rows.get();
        long read = before + now;
        double seconds =
                Math.max(0.001, Duration.between(started, clock.instant()).toMillis() / 1000.0);
        double rate = now / seconds;
        long expected = Math.max(total, read);
        StringBuilder line = new StringBuilder(label).append(": ");
        line.append(String.format("%,d of ~%,d rows", read, expected));
        if (expected > 0) {
            line.append(String.format(" (%d%%)", Math.min(100, read * 100 / expected)));
        }
        line.append(String.format(", ranges %d/%d, %,.0f rows/s", rangesDone.get(), ranges, rate));
        if (rangesDone.get() >= ranges) {
            line.append(", done in ").append(format(Duration.ofMillis((long) (seconds * 1000))));
        } else if (rate > 0) {
            line.append(", ETA ").append(format(Duration.ofSeconds((long) ((expected - read) / rate))));
        } else {
            line.append(", ETA unknown");
        }
        return line.toString();
    }

    private void print() {
        err.println(line());
        err.flush();
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        if (s >= 3600) {
            return String.format("%dh%02dm", s / 3600, s % 3600 / 60);
        }
        if (s >= 60) {
            return String.format("%dm%02ds", s / 60, s % 60);
        }
        return s + "s";
    }

    /** Stops the timer and prints the last line. */
    @Override
    public void close() {
        timer.shutdownNow();
        print();
    }
}
