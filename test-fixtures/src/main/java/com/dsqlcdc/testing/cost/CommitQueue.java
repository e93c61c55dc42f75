package com.dsqlcdc.testing.cost;

import java.util.Map;
import java.util.TreeMap;

/**
 * The warehouse's commits, one at a time across every session (Redshift serializes commits
 * warehouse-wide: AWS facts section 7). A transaction that is ready to commit at {@code ready}
 * takes the first free slot of the commit's length from then on; commits already placed keep their
 * slots. Placing commits as transactions are submitted (in time order) approximates a first-come,
 * first-served queue by readiness; a commit too long for a gap waits behind the next one.
 *
 * <p>Times are nanoseconds on one time line (epoch nanoseconds for the Data API fake, simulated
 * time for the benchmark). Thread-safe.
 */
public final class CommitQueue {

    /** Commit slots by start: start → end. */
    private final TreeMap<Long, Long> slots = new TreeMap<>();

    private long commits;
    private long waitedNanos;

    /**
     * @param ready    when the transaction has run its statements and asks to commit
     * @param duration how long its commit takes
     * @return when its commit ends (its effects become visible)
     */
    public synchronized long commit(long ready, long duration) {
        long start = ready;
        // The slot that began before `ready` may still be running.
        Map.Entry<Long, Long> before = slots.floorEntry(ready);
        if (before != null && before.getValue() > start) {
            start = before.getValue();
        }
        for (Map.Entry<Long, Long> next = slots.ceilingEntry(start);
                next != null && next.getKey() < start + duration;
                next = slots.ceilingEntry(start)) {
            start = Math.max(start, next.getValue());
        }
        slots.put(start, start + duration);
        commits++;
        waitedNanos += start - ready;
        return start + duration;
    }

    /** Forgets the slots that ended before {@code time} (nothing can be placed before the present). */
    public synchronized void forgetBefore(long time) {
        while (!slots.isEmpty() && slots.firstEntry().getValue() < time) {
            slots.pollFirstEntry();
        }
    }

    /** @return commits placed so far */
    public synchronized long commits() {
        return commits;
    }

    /** @return the total time transactions waited for other commits, in nanoseconds */
    public synchronized long waitedNanos() {
        return waitedNanos;
    }
}
