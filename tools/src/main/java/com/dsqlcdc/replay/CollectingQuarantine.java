package com.dsqlcdc.replay;

import com.dsqlcdc.consumer.quarantine.QuarantineStore;
import com.dsqlcdc.consumer.quarantine.QuarantinedRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The replay's quarantine: it keeps the records that are still poison in memory instead of
 * writing them to S3 again. They are already stored where the replay read them from (a
 * quarantine or on-failure object), and a second copy would be replayed twice by the next
 * quarantine replay; the ledger names them instead.
 */
final class CollectingQuarantine implements QuarantineStore {

    private final List<QuarantinedRecord> records = new ArrayList<>();

    @Override
    public synchronized String put(List<QuarantinedRecord> batch) {
        records.addAll(batch);
        return "left in place by the replay";
    }

    /** @return the records put since the last call, which are then forgotten */
    synchronized List<QuarantinedRecord> drain() {
        List<QuarantinedRecord> out = List.copyOf(records);
        records.clear();
        return out;
    }
}
