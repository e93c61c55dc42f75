package com.dsqlcdc.replay;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Progress (one line per source object, on stderr) and the final summary (stdout): totals, then
 * every record left and failed, with its source object, shard, sequence number and reason.
 *
 * <p>Exit code: 0 when everything is loaded (or was, by an earlier run); 2 when records are left
 * (they wait for their cause to be fixed and {@code --retry-left}); 1 when records failed or an
 * object could not be read or its ledger written (run the same command again). Failed wins over
 * left: running again is the thing to do first.
 */
final class ReplayReport {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int LEFT = 2;

    private final PrintWriter progress;
    private final boolean dryRun;
    private final List<SourceResult> results = new ArrayList<>();
    private String origin = "";
    private String command = "";

    /**
     * @param progress where the per-object lines go (stderr)
     * @param dryRun   whether this is a dry run (the wording says "would")
     */
    ReplayReport(PrintWriter progress, boolean dryRun) {
        this.progress = progress;
        this.dryRun = dryRun;
    }

    void started(ReplaySource source, int objects) {
        origin = "s3://" + source.bucket() + "/" + source.prefix();
        command = source.name();
        progress.println((dryRun ? "Dry run (nothing is written): " : "Replaying ") + plural(objects, "object")
                + " from " + origin);
        progress.flush();
    }

    void finished(int index, int total, SourceResult result) {
        results.add(result);
        progress.println("[" + index + "/" + total + "] " + result.key() + ": " + describe(result));
        progress.flush();
    }

    private String describe(SourceResult r) {
        return switch (r.status()) {
            case ALREADY_REPLAYED -> "already replayed" + (r.left().isEmpty() ? "" : " (" + leftText(r.left()) + ")");
            case UNREADABLE -> "left, not readable: " + r.problem().get(0);
            case FAILED -> "failed, run again: " + r.problem().get(0);
            case REPLAYED -> counts(r.loaded(), r.parked(), r.left(), r.failed().size(), r.skipped());
        };
    }

    private String counts(long loaded, long parked, List<Left> left, long failed, long skipped) {
        StringBuilder line = new StringBuilder();
        if (dryRun) {
            line.append("would load ")
                    .append(loaded)
                    .append(", would leave ")
                    .append(leftText(left).replace(" left", ""));
            if (parked > 0) {
                line.append(", would park ").append(parked);
            }
        } else {
            line.append(loaded)
                    .append(" loaded, ")
                    .append(leftText(left))
                    .append(", ")
                    .append(failed)
                    .append(" failed");
            if (parked > 0) {
                line.append(", ").append(parked).append(" parked");
            }
        }
        if (skipped > 0) {
            line.append(", ").append(skipped).append(" skipped (other reasons)");
        }
        return line.toString();
    }

    /** @return e.g. {@code 2 left (table-not-in-catalog)} or {@code 3 left (not-json 1, row-too-large 2)} */
    private static String leftText(List<Left> left) {
        Map<String, Long> byReason = new TreeMap<>(
                left.stream().collect(Collectors.groupingBy(Left::reason, Collectors.summingLong(Left::records))));
        long total = byReason.values().stream().mapToLong(Long::longValue).sum();
        if (byReason.isEmpty()) {
            return "0 left";
        }
        return total + " left ("
                + (byReason.size() == 1
                        ? byReason.keySet().iterator().next()
                        : byReason.entrySet().stream()
                                .map(e -> e.getKey() + " " + e.getValue())
                                .collect(Collectors.joining(", ")))
                + ")";
    }

    /** Prints the totals and every record left and failed. */
    void summary(PrintWriter out) {
        long loaded = 0;
        long parked = 0;
        long failed = 0;
        long skipped = 0;
        List<Left> left = new ArrayList<>();
        int already = 0;
        for (SourceResult r : results) {
            loaded += r.loaded();
            parked += r.parked();
            failed += r.failed().size();
            skipped += r.skipped();
            left.addAll(r.left());
            already += r.status() == SourceResult.Status.ALREADY_REPLAYED ? 1 : 0;
        }
        out.println((dryRun ? "Dry run of replay " : "Replay ") + command + " from " + origin + ": "
                + plural(results.size(), "object") + (already > 0 ? ", " + already + " already replayed" : ""));
        out.println(
                dryRun
                        ? "Would load " + loaded + ", would park " + parked + ", would leave "
                                + left.stream().mapToLong(Left::records).sum()
                        : "Loaded " + loaded + ", parked " + parked + ", left "
                                + left.stream().mapToLong(Left::records).sum() + ", failed " + failed
                                + (skipped > 0 ? ", skipped " + skipped + " (other reasons than --reason)" : ""));
        printLeft(out);
        printFailed(out);
        out.flush();
    }

    private void printLeft(PrintWriter out) {
        boolean header = false;
        for (SourceResult r : results) {
            if (r.status() == SourceResult.Status.UNREADABLE) {
                header = header(out, header, "Left (fix the cause, then run again with --retry-left):");
                out.println("  " + r.key() + "  " + Left.UNREADABLE_SOURCE + "  "
                        + r.problem().get(0));
            }
            for (Left l : r.left()) {
                header = header(out, header, "Left (fix the cause, then run again with --retry-left):");
                String where = l.untilSequenceNumber() == null
                        ? l.sequenceNumber()
                        : l.sequenceNumber() + ".." + l.untilSequenceNumber() + " (" + plural(l.records(), "record")
                                + ")";
                out.println("  " + r.key() + "  " + l.shardId() + "  " + where + "  " + l.reason() + "  " + l.detail());
            }
        }
    }

    private void printFailed(PrintWriter out) {
        boolean header = false;
        for (SourceResult r : results) {
            if (r.status() == SourceResult.Status.FAILED) {
                header = header(out, header, "Failed (run the same command again):");
                out.println("  " + r.key() + "  " + r.problem().get(0));
            }
            for (RecordId id : r.failed()) {
                header = header(out, header, "Failed (run the same command again):");
                out.println("  " + r.key() + "  " + id.shardId() + "  " + id.sequenceNumber());
            }
            if (r.status() == SourceResult.Status.REPLAYED && !r.failed().isEmpty()) {
                r.problem().forEach(p -> out.println("    because: " + p));
            }
        }
    }

    private static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static boolean header(PrintWriter out, boolean printed, String text) {
        if (!printed) {
            out.println(text);
        }
        return true;
    }

    /** @return 1 if anything failed, else 2 if anything is left, else 0 */
    int exitCode() {
        boolean failed = results.stream()
                .anyMatch(r ->
                        r.status() == SourceResult.Status.FAILED || !r.failed().isEmpty());
        boolean left = results.stream()
                .anyMatch(r -> r.status() == SourceResult.Status.UNREADABLE
                        || !r.left().isEmpty());
        return failed ? FAILED : left ? LEFT : OK;
    }
}
