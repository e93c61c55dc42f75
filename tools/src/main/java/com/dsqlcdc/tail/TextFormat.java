package com.dsqlcdc.tail;

import com.dsqlcdc.consumer.decode.ChunkRef;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.stream.Collectors;

/**
 * One aligned line per record: commit time (UTC), lag, table, op, key, shard and sequence number.
 * Columns have a minimum width, so lines line up as long as values fit; a longer value pushes the
 * rest of its line right rather than being cut.
 *
 * <pre>
 * 2025-11-21T04:41:49.079Z  136ms    public.orders             insert  {"order_id":1000}          shardId-000000000000 4959…
 * -                         -        fragment 2/5 of chunk ijk5… (1204 bytes)                     shardId-000000000001 4959…
 * -                         -        UNREADABLE not-json (Unrecognized token 'this': …)             shardId-000000000000 4959…
 * </pre>
 */
final class TextFormat implements EntryFormat {

    private static final DateTimeFormatter COMMIT_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final int TIME = 24;
    private static final int LAG = 8;
    private static final int TABLE = 24;
    private static final int OP = 6;
    private static final int KEY = 24;
    private static final int BODY = TABLE + 1 + OP + 1 + KEY;

    @Override
    public String header() {
        return pad("COMMIT TIME (UTC)", TIME) + "  " + pad("LAG", LAG) + " " + pad(columns("TABLE", "OP", "KEY"), BODY)
                + "  SHARD SEQUENCE-NUMBER";
    }

    @Override
    public String format(Entry e) {
        String body = switch (e.kind()) {
            case CHANGE -> columns(e.qualifiedTable(), op(e.op()), e.key());
            case CHUNKED ->
                columns(
                        orDash(e.qualifiedTable()),
                        op(e.op()),
                        "chunked: " + e.chunks().stream().map(TextFormat::chunk).collect(Collectors.joining(", ")));
            case FRAGMENT ->
                "fragment " + (e.fragmentIndex() + 1) + "/" + (e.totalFragments() == null ? "?" : e.totalFragments())
                        + " of chunk " + e.chunkId() + " (" + e.dataBytes() + " bytes)";
            case UNREADABLE -> {
                String what = "UNREADABLE " + e.reason() + " (" + e.detail() + ")";
                yield e.qualifiedTable() == null ? what : columns(e.qualifiedTable(), op(e.op()), what);
            }
        };
        return pad(time(e.commitTime()), TIME) + "  " + pad(lag(e.lag()), LAG) + " " + pad(body, BODY) + "  "
                + e.shardId() + " " + e.sequenceNumber();
    }

    private static String columns(String table, String op, String key) {
        return pad(table, TABLE) + " " + pad(op, OP) + " " + key;
    }

    private static String chunk(ChunkRef ref) {
        return ref.image() + " in " + ref.totalFragments() + " fragment" + (ref.totalFragments() == 1 ? "" : "s")
                + " (chunk " + ref.chunkId() + ")";
    }

    /** @return insert, update, delete, or an unknown op as the consumer applies it: {@code upsert(r)} */
    static String op(String op) {
        if (op == null) {
            return "-";
        }
        return switch (op) {
            case "c" -> "insert";
            case "u" -> "update";
            case "d" -> "delete";
            default -> "upsert(" + op + ")";
        };
    }

    static String time(Instant t) {
        return t == null ? "-" : COMMIT_TIME.format(t);
    }

    /** @return e.g. {@code 136ms}, {@code 2.504s}, {@code 3m07s}, {@code 2h05m}, {@code -40ms} (commit after arrival: clock skew) */
    static String lag(Duration d) {
        if (d == null) {
            return "-";
        }
        if (d.isNegative()) {
            return "-" + lag(d.negated());
        }
        long ms = d.toMillis();
        if (ms < 1_000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format("%d.%03ds", ms / 1_000, ms % 1_000);
        }
        long s = ms / 1_000;
        if (s < 3_600) {
            return String.format("%dm%02ds", s / 60, s % 60);
        }
        return String.format("%dh%02dm", s / 3_600, (s % 3_600) / 60);
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
