package com.dsqlcdc.loader;

import com.dsqlcdc.contract.StagingLayout;
import java.util.List;

/**
 * The staging bucket as the loader sees it. An object under {@link StagingLayout#STAGED} is a batch
 * the consumer staged and nobody has loaded: the loader deletes it only after the transaction
 * that appended its changes committed, so listing the prefix is the complete and durable list of
 * what is still to load. S3 lists strongly consistently: an object whose PUT succeeded is listed.
 */
public interface StagingStore {

    /**
     * @param runId the run
     * @return the key of the run's manifest
     */
    static String manifestKey(String runId) {
        return StagingLayout.MANIFESTS + runId + ".json";
    }

    /** @return every staged object still to load, in no particular order */
    List<StagedObject> listStaged();

    /**
     * Writes a COPY manifest listing {@code objects}, each {@code mandatory} (a missing object fails
     * the COPY rather than being skipped).
     *
     * @param runId   names the manifest ({@link #manifestKey})
     * @param objects the run's objects
     * @return the manifest's {@code s3://} URL
     */
    String putManifest(String runId, List<StagedObject> objects);

    /**
     * Deletes loaded objects (and a run's manifest). Deleting an object that is gone is fine.
     *
     * @param keys the keys
     */
    void delete(List<String> keys);

    /** @return the {@code s3://} URL of a key */
    String url(String key);
}
