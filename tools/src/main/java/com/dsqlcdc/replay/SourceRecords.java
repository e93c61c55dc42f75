package com.dsqlcdc.replay;

import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The records of one source object in shard order, read as they are consumed (a Kinesis range
 * is fetched page by page), and the ranges found missing on the way.
 */
interface SourceRecords extends Iterator<SourceRecord> {

    /** @return the ranges that could not be read; complete once the iterator is exhausted */
    List<Gap> gaps();

    static SourceRecords of(Iterator<SourceRecord> records, Supplier<List<Gap>> gaps) {
        return new SourceRecords() {
            @Override
            public boolean hasNext() {
                return records.hasNext();
            }

            @Override
            public SourceRecord next() {
                return records.next();
            }

            @Override
            public List<Gap> gaps() {
                return gaps.get();
            }
        };
    }
}
