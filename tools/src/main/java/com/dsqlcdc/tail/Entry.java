package com.dsqlcdc.tail;

import com.dsqlcdc.consumer.decode.ChunkRef;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * One record as the tail shows it. Which fields are set depends on {@link #kind}; the others are null.
 *
 * @param kind           what the record is
 * @param shardId        its shard
 * @param sequenceNumber its sequence number
 * @param arrival        its ApproximateArrivalTimestamp
 * @param dataBytes      the size of its data
 * @param commitTsNs     {@code source.ts_ns} (change, chunked, and unreadable records whose source could be read)
 * @param schema         {@code source.schema}, likewise
 * @param table          {@code source.table}, likewise
 * @param op             {@code op} as sent, likewise
 * @param key            the row's primary-key columns as a compact JSON object (changes only)
 * @param chunks         the chunked images of a chunked main record
 * @param chunkId        a fragment's chunk
 * @param fragmentIndex  a fragment's index (from 0)
 * @param totalFragments how many fragments its chunk has, when this run has seen the chunk's main record
 * @param reason         why an unreadable record cannot be applied (the consumer's quarantine reason)
 * @param detail         the details of that reason
 */
record Entry(
        Kind kind,
        String shardId,
        String sequenceNumber,
        Instant arrival,
        int dataBytes,
        Long commitTsNs,
        String schema,
        String table,
        String op,
        String key,
        List<ChunkRef> chunks,
        String chunkId,
        Integer fragmentIndex,
        Integer totalFragments,
        String reason,
        String detail) {

    /** What a record is. */
    enum Kind {
        /** A change the consumer decodes and lands. */
        CHANGE,
        /** The main record of an oversized change, whose image(s) arrive as fragments. */
        CHUNKED,
        /** One slice of a chunked image. */
        FRAGMENT,
        /** A record the consumer cannot apply (it quarantines it). */
        UNREADABLE;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** @return the DSQL commit time, or null when the record does not say */
    Instant commitTime() {
        return commitTsNs == null ? null : Instant.ofEpochSecond(0, commitTsNs);
    }

    /**
     * @return arrival in Kinesis minus commit time (how far DSQL's publishing trailed the commit), or
     *         null; in milliseconds, the arrival timestamp's precision
     */
    Duration lag() {
        Instant commit = commitTime();
        return commit == null || arrival == null
                ? null
                : Duration.between(commit.truncatedTo(ChronoUnit.MILLIS), arrival);
    }

    /** @return {@code schema.table}, or null when the record does not say */
    String qualifiedTable() {
        return schema == null || table == null ? null : schema + "." + table;
    }

    /** @return whether this record is a change (--count counts these) */
    boolean isChange() {
        return kind == Kind.CHANGE || kind == Kind.CHUNKED;
    }
}
