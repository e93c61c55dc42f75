package com.dsqlcdc.consumer.decode;

import java.util.List;
import java.util.Objects;

/**
 * What a record decodes to: a change to land, a poison record to quarantine, or one piece of an
 * oversized change (a {@code chunked} main record or a {@code fragment}) to park until its set is
 * complete.
 */
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

    /**
     * A {@code chunked} main record: the change without its oversized image(s), which arrive as
     * fragments.
     *
     * @param refs the chunked images ({@code before} and/or {@code after}), at least one
     */
    record ChunkedMain(List<ChunkRef> refs) implements Decoded {
        public ChunkedMain {
            refs = List.copyOf(refs);
            if (refs.isEmpty()) {
                throw new IllegalArgumentException("a chunked record has at least one chunked image");
            }
        }
    }

    /**
     * One slice of a chunked image.
     *
     * @param chunkId the set it belongs to
     * @param index   its place in the set, from 0
     * @param slice   its part of the image's JSON text
     */
    record Fragment(String chunkId, int index, String slice) implements Decoded {
        public Fragment {
            Objects.requireNonNull(chunkId, "chunkId");
            Objects.requireNonNull(slice, "slice");
        }
    }
}
