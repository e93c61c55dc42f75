package com.dsqlcdc.loader;

import java.time.Instant;
import java.util.Objects;

/**
 * One object the consumer staged and the loader has not loaded yet.
 *
 * @param key          its key in the staging bucket, under {@code staged/}
 * @param size         its size in bytes
 * @param lastModified when it was (last) written
 */
public record StagedObject(String key, long size, Instant lastModified) {
    public StagedObject {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(lastModified, "lastModified");
    }
}
