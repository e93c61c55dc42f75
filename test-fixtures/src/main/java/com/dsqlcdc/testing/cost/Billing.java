package com.dsqlcdc.testing.cost;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How Redshift Serverless turns activity into billed time: per second while it works, but each
 * burst of activity is billed at least the minimum (60 s; AWS facts section 7). Formally: a burst
 * starts with the first activity after the meter stopped; the meter then runs until the later of
 * the burst's start plus the minimum and the end of the last activity that started while it ran.
 * Activity that starts inside a burst's minute therefore adds nothing until the minute is over (the
 * more lenient reading of "a 60-second minimum charge": it favours frequent small loads), and a load
 * at least once a minute keeps the meter running around the clock.
 */
public final class Billing {

    private Billing() {}

    /**
     * A time the warehouse was working, in nanoseconds on any one time line (epoch or simulated).
     *
     * @param start when it started
     * @param end   when it ended (not before {@code start})
     */
    public record Interval(long start, long end) {
        public Interval {
            if (end < start) {
                throw new IllegalArgumentException("an interval ends after it starts: " + start + " > " + end);
            }
        }
    }

    /**
     * @param busy    the intervals of activity, in any order, overlapping or not
     * @param minimum the least a burst is billed
     * @return the billed time
     */
    public static Duration billed(List<Interval> busy, Duration minimum) {
        return billed(busy, minimum, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * The billed time that falls between {@code from} and {@code to} (a measurement window: a burst
     * that started before it, or whose minute runs past it, counts only inside it).
     *
     * @param busy    the intervals of activity, in any order, overlapping or not
     * @param minimum the least a burst is billed
     * @param from    the window's start
     * @param to      the window's end
     * @return the billed time inside the window
     */
    public static Duration billed(List<Interval> busy, Duration minimum, long from, long to) {
        List<Interval> sorted = new ArrayList<>(busy);
        sorted.sort(Comparator.comparingLong(Interval::start));
        long min = minimum.toNanos();
        long total = 0;
        boolean running = false;
        long burstStart = 0;
        long meterEnd = 0;
        for (Interval i : sorted) {
            if (running && i.start() < meterEnd) {
                meterEnd = Math.max(meterEnd, i.end());
                continue;
            }
            if (running) {
                total += inside(burstStart, meterEnd, from, to);
            }
            running = true;
            burstStart = i.start();
            meterEnd = Math.max(i.end(), i.start() + min);
        }
        if (running) {
            total += inside(burstStart, meterEnd, from, to);
        }
        return Duration.ofNanos(total);
    }

    private static long inside(long start, long end, long from, long to) {
        return Math.max(0, Math.min(end, to) - Math.max(start, from));
    }

    /**
     * @param busy the intervals of activity
     * @return the time at least one of them was running (no minimum)
     */
    public static Duration active(List<Interval> busy) {
        return billed(busy, Duration.ZERO);
    }
}
