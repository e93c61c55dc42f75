package com.dsqlcdc.consumer.quarantine;

import java.util.List;

/** Where poison records are kept for inspection and replay. */
public interface QuarantineStore {

    /**
     * Stores the records durably, or throws: a record counts as handled only once this returns.
     *
     * @param records the poison records of one batch (not empty)
     * @return where they were written
     */
    String put(List<QuarantinedRecord> records);
}
