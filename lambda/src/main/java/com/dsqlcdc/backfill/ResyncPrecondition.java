package com.dsqlcdc.backfill;

import com.dsqlcdc.loader.StagedObject;
import com.dsqlcdc.loader.StagingStore;
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
