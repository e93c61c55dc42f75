package com.dsqlcdc.testing.cost;

import java.util.Map;
import java.util.TreeMap;

/**
 * A part of the warehouse used by one statement at a time, across every session:
 *
 * <ul>
 *   <li>its commits (Redshift serializes commits warehouse-wide: AWS facts section 7);
 *   <li>its data-processing capacity: the parts of statements that grow with their work (files,
 *       bytes, rows) share the workgroup's base capacity, so concurrent statements take turns (the
 *       same throughput as sharing it at once; the capacity does not scale up).
 * </ul>
 *
 * A use that can start at {@code ready} takes the first free slot of its length from then on; uses
 * already placed keep their slots. Placing them as statements are submitted (in time order)
 * approximates a first-come, first-served queue by readiness; a use too long for a gap waits behind
 * the next one.
 *
 * <p>Times are nanoseconds on one time line (epoch nanoseconds for the Data API fake, simulated
 * time for the benchmark). Thread-safe.
 */
public final class SerialQueue {

    /** Slots by start: start → end. */
    private final TreeMap<Long, Long> slots = new TreeMap<>();

    private long uses;
    private long waitedNanos;

    /**
     * @param ready    when the use can start (a transaction asks to commit, a statement's work is ready)
     * @param duration how long it takes
     * @return when it ends (for a commit: when its effects become visible)
     */
    public synchronized long reserve(long ready, long duration) {
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
        uses++;
        waitedNanos += start - ready;
        return start + duration;
    }

    /** Forgets the slots that ended before {@code time} (nothing can be placed before the present). */
    public synchronized void forgetBefore(long time) {
        while (!slots.isEmpty() && slots.firstEntry().getValue() < time) {
            slots.pollFirstEntry();
        }
    }

    /** @return uses placed so far */
    public synchronized long uses() {
        return uses;
    }

    /** @return the total time uses waited for others, in nanoseconds */
    public synchronized long waitedNanos() {
        return waitedNanos;
    }
}
