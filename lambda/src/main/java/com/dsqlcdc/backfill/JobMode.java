package com.dsqlcdc.backfill;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** What a job does with each key range (docs/backfill.md). */
public enum JobMode {
    /**
     * First backfill: every row, dated at the CDC stream's creation, so any change the stream
     * captured wins over it.
     */
    @JsonProperty("backfill")
    BACKFILL,
    /**
     * Resync: every row dated at its page's read (less a margin), so it wins over every change older
     * than the read; keys the warehouse holds that the source no longer has become tombstones.
     */
    @JsonProperty("resync")
    RESYNC,
    /** Validation: counts and checksums per range, source against the warehouse's current state. */
    @JsonProperty("validate")
    VALIDATE;

    /** @return the name as commands and JSON spell it */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param label {@code backfill}, {@code resync} or {@code validate}
     * @return the mode
     * @throws IllegalArgumentException naming the accepted labels
     */
    public static JobMode of(String label) {
        for (JobMode mode : values()) {
            if (mode.label().equals(label)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("mode '" + label + "' is none of backfill, resync, validate");
    }

    /** @return whether the mode stages rows (backfill, resync) */
    public boolean stages() {
        return this != VALIDATE;
    }

    /** @return whether the mode reads the warehouse (resync, validate) */
    public boolean readsWarehouse() {
        return this != BACKFILL;
    }
}
