package com.dsqlcdc.consumer.decode;

import java.util.Objects;

/** What a record decodes to: a change to land, or a poison record to quarantine. */
public sealed interface Decoded {

    /** A change that can be written. */
    record Ok(Change change) implements Decoded {
        public Ok {
            Objects.requireNonNull(change, "change");
        }
    }

    /** A record that cannot be applied, with its reason and a human-readable detail. */
    record Poison(PoisonReason reason, String detail) implements Decoded {
        public Poison {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
