package com.dsqlcdc.replay;

import java.util.List;

/**
 * What loading one slice of records came to.
 *
 * @param loaded   records landed (or, in a dry run, that would be)
 * @param parked   pieces of chunked changes parked for reassembly
 * @param left     records that cannot be loaded as they are
 * @param failed   records not loaded because something failed, after the retries
 * @param failures why they failed
 */
record SliceOutcome(long loaded, long parked, List<Left> left, List<RecordId> failed, List<String> failures) {

    SliceOutcome {
        left = List.copyOf(left);
        failed = List.copyOf(failed);
        failures = List.copyOf(failures);
    }
}
