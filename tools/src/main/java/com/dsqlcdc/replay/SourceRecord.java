package com.dsqlcdc.replay;

import com.dsqlcdc.consumer.InputRecord;

/**
 * A record read from a source object.
 *
 * @param record the Kinesis record, as the Lambda would have received it
 * @param reason why it was quarantined ({@code PoisonReason} label), or null for a failed batch's record
 */
record SourceRecord(InputRecord record, String reason) {

    RecordId id() {
        return RecordId.of(record);
    }
}
