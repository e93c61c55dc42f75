package com.dsqlcdc.consumer.quarantine;

import com.dsqlcdc.consumer.InputRecord;
import com.dsqlcdc.consumer.decode.PoisonReason;

/**
 * A record that cannot be applied, kept whole with why.
 *
 * @param record the original record, data included
 * @param reason the cause
 * @param detail what exactly was wrong
 */
public record QuarantinedRecord(InputRecord record, PoisonReason reason, String detail) {}
