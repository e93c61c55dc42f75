package com.dsqlcdc.tail;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which shards to read, in the order resharding requires: a child is read only once every parent
 * being read has been read to its end (so the changes of one hash key range come out in order).
 * Knows every shard ever listed, so a re-listing starts only the ones that are new.
 */
final class ShardSet {

    /** Shards listed or announced (as children), read or deliberately skipped. */
    private final Set<String> known = new HashSet<>();

    private final Set<String> reading = new HashSet<>();
    private final Set<String> finished = new HashSet<>();
    /** Shards waiting for parents, with those parents. */
    private final Map<String, List<String>> waiting = new LinkedHashMap<>();

    /** Marks a shard as known without reading it (closed before a LATEST start). */
    void skip(String shardId) {
        known.add(shardId);
    }

    boolean isKnown(String shardId) {
        return known.contains(shardId);
    }

    /**
     * Offers a shard with its parents.
     *
     * @return true when it can be read now; false when it waits for a parent (or is already known)
     */
    boolean offer(String shardId, List<String> parents) {
        if (!known.add(shardId)) {
            return false;
        }
        List<String> pending = parents.stream()
                .filter(p -> p != null && (reading.contains(p) || waiting.containsKey(p)))
                .toList();
        if (pending.isEmpty()) {
            reading.add(shardId);
            return true;
        }
        waiting.put(shardId, new ArrayList<>(pending));
        return false;
    }

    /**
     * Marks a shard as read to its end.
     *
     * @return the waiting shards that can be read now
     */
    List<String> finish(String shardId) {
        reading.remove(shardId);
        finished.add(shardId);
        List<String> ready = new ArrayList<>();
        waiting.entrySet().removeIf(e -> {
            e.getValue().remove(shardId);
            if (e.getValue().isEmpty()) {
                ready.add(e.getKey());
                return true;
            }
            return false;
        });
        reading.addAll(ready);
        return ready;
    }
}
