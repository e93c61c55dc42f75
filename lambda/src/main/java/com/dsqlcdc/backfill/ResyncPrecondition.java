package com.dsqlcdc.backfill;

import com.dsqlcdc.loader.StagedObject;
import com.dsqlcdc.loader.StagingStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a resync needs before it starts, as far as the job can check it: the stream is ACTIVE (checked
 * by {@link StreamGate}) and the loader has loaded everything staged before the gap ended. The
 * resync's tombstones come from the keys the warehouse holds when a page is read: a change the stream
 * carried from before the gap (an insert whose later delete the gap lost) that is still waiting to be
 * loaded would bring back a row the resync could not see. What the job cannot check: records from
 * before the gap's end still in Kinesis or in the consumer's retries (the dashboard's iterator ages
 * must be below the time since the gap ended; docs/backfill.md says how to check).
 */
public final class ResyncPrecondition {

    private ResyncPrecondition() {}

    /**
     * The gap's end a resync plans with, checked: the one given, or the stream's creation when none is.
     * The deployed plan step and {@code tools/backfill resync} both start a resync through here.
     *
     * @param given         the gap's end the operator named, or null
     * @param member        how the operator names it ({@code gapEnd}, {@code --gap-end}), for the message
     * @param streamCreated when the (new) stream was created
     * @param staging       the staging bucket
     * @return the gap's end
     * @throws IllegalArgumentException when {@code given} is before the stream's creation
     * @throws IllegalStateException    when objects staged before the gap's end are not loaded yet
     *                                  ({@link #problem})
     */
    public static Instant gapEnd(Instant given, String member, Instant streamCreated, StagingStore staging) {
        Instant end = given == null ? streamCreated : given;
        if (end.isBefore(streamCreated)) {
            throw new IllegalArgumentException(end + " is before the stream's creation (" + streamCreated
                    + "): the stream carries no change before it; give a later " + member + " or none");
        }
        problem(staging, end).ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
        return end;
    }

    /**
     * @return how long to wait before the first page: every page is dated its read less the margin, and
     *         must be dated after the gap's end (negative when that has passed)
     */
    public static Duration untilFirstPage(Instant gapEnd, long marginMillis, Clock clock) {
        return Duration.between(clock.instant(), gapEnd.plusMillis(marginMillis + 1));
    }

    /**
     * @param staging the staging bucket
     * @param gapEnd  when the gap ended
     * @return why the resync must wait, or empty when the staged backlog allows it
     */
    public static Optional<String> problem(StagingStore staging, Instant gapEnd) {
        List<StagedObject> early = staging.listStaged().stream()
                .filter(o -> o.lastModified().isBefore(gapEnd))
                .sorted(Comparator.comparing(StagedObject::lastModified))
                .toList();
        if (early.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                early.size() + " staged objects from before the gap's end (" + gapEnd + ") are not loaded yet"
                        + " (the oldest, " + early.get(0).key() + ", since "
                        + early.get(0).lastModified() + "): the loader has"
                        + " not caught up past the gap; wait until the loader's OldestStagedObjectAgeSeconds is below the time"
                        + " since the gap ended, then run the resync again");
    }
}
