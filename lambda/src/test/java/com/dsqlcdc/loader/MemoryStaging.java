package com.dsqlcdc.loader;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A staging bucket in memory, for loader tests that need no S3 wire protocol. */
final class MemoryStaging implements StagingStore {

    static final String BUCKET = "staging";

    private final Map<String, StagedObject> staged = new ConcurrentHashMap<>();
    private final Map<String, byte[]> bytes = new ConcurrentHashMap<>();
    private final Clock clock;

    MemoryStaging(Clock clock) {
        this.clock = clock;
    }

    /** The consumer's side: stage an object (again, when a batch is re-delivered). */
    void stage(String key, byte[] body) {
        bytes.put(key, body);
        staged.put(key, new StagedObject(key, body.length, clock.instant()));
    }

    /** What COPY reads. */
    Optional<byte[]> read(String url) {
        String prefix = "s3://" + BUCKET + "/";
        return url.startsWith(prefix)
                ? Optional.ofNullable(bytes.get(url.substring(prefix.length())))
                : Optional.empty();
    }

    @Override
    public List<StagedObject> listStaged() {
        return new ArrayList<>(staged.values());
    }

    @Override
    public String putManifest(String runId, List<StagedObject> objects) {
        StringBuilder json = new StringBuilder("{\"entries\":[");
        for (int i = 0; i < objects.size(); i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"url\":\"")
                    .append(url(objects.get(i).key()))
                    .append("\",\"mandatory\":true}");
        }
        String key = StagingStore.manifestKey(runId);
        bytes.put(key, json.append("]}").toString().getBytes(StandardCharsets.UTF_8));
        return url(key);
    }

    @Override
    public void delete(List<String> keys) {
        for (String key : keys) {
            staged.remove(key);
            bytes.remove(key);
        }
    }

    @Override
    public String url(String key) {
        return "s3://" + BUCKET + "/" + key;
    }
}
