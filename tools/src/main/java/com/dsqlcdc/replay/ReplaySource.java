package com.dsqlcdc.replay;

import java.util.List;

/** A bucket of objects to replay: the quarantine, or the failed-batch destination. */
interface ReplaySource {

    /** @return the source's name on the command line ({@code quarantine}, {@code failed-batches}) */
    String name();

    /** @return the bucket the objects (and their ledgers) are in */
    String bucket();

    /** @return the key prefix listed */
    String prefix();

    /** @return the keys of the objects to replay, in key order (ledgers excluded) */
    List<String> keys();

    /**
     * @param key an object of {@link #keys}
     * @return its records
     * @throws UnreadableSourceException when the object is not a record of this kind
     */
    SourceRecords read(String key);
}
