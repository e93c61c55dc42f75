package com.dsqlcdc.sql.backfill;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A half-open interval of a table's primary key, {@code (lo, hi]}, compared as row values (a
 * composite key compares column by column, as PostgreSQL's {@code (a, b) > (x, y)} does). A bound is
 * the key's values as PostgreSQL writes them in text (its output functions: exact for every type,
 * and what {@code CAST(? AS <type>)} reads back), in key order; a missing bound is unbounded.
 *
 * <p>Key ranges are the unit of the backfill's parallelism, checkpointing, validation and resync:
 * the split points that separate them are read from the data ({@link SourceSql#splitPointSql}).
 *
 * @param lo exclusive lower bound, or null for none
 * @param hi inclusive upper bound, or null for none
 */
public record KeyRange(List<String> lo, List<String> hi) {

    public KeyRange {
        lo = lo == null ? null : Collections.unmodifiableList(new ArrayList<>(lo));
        hi = hi == null ? null : Collections.unmodifiableList(new ArrayList<>(hi));
        if (lo != null && lo.contains(null) || hi != null && hi.contains(null)) {
            throw new IllegalArgumentException("a key bound has no NULL values (primary-key columns are NOT NULL)");
        }
        if (lo != null && hi != null && lo.size() != hi.size()) {
            throw new IllegalArgumentException("bounds of " + lo.size() + " and " + hi.size() + " key columns");
        }
    }

    /** @return the whole key space */
    public static KeyRange all() {
        return new KeyRange(null, null);
    }

    /** @return whether there is a lower bound */
    public boolean hasLo() {
        return lo != null;
    }

    /** @return whether there is an upper bound */
    public boolean hasHi() {
        return hi != null;
    }

    /**
     * @param after the new exclusive lower bound (a key read in this range), or null to keep it
     * @return the part of this range after {@code after}
     */
    public KeyRange after(List<String> after) {
        return after == null ? this : new KeyRange(after, hi);
    }

    /**
     * @param upTo the new inclusive upper bound, or null to keep this range's
     * @return the part of this range up to {@code upTo}
     */
    public KeyRange upTo(List<String> upTo) {
        return upTo == null ? this : new KeyRange(lo, upTo);
    }

    /** @return the bounds for messages, e.g. {@code (-∞, [1000]]} */
    public String describe() {
        return "(" + (lo == null ? "-∞" : lo) + ", " + (hi == null ? "+∞" : hi) + "]";
    }
}
