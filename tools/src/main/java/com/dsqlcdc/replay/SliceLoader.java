package com.dsqlcdc.replay;

import com.dsqlcdc.consumer.InputRecord;
import java.util.List;

/** Loads one slice of a source's records (or, for a dry run, works out what loading would do). */
interface SliceLoader {

    /**
     * @param slice records in shard order, as many as one Lambda batch would carry
     * @return what became of them
     */
    SliceOutcome load(List<InputRecord> slice);
}
