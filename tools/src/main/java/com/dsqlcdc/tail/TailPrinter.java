package com.dsqlcdc.tail;

import com.dsqlcdc.consumer.decode.ChunkRef;
import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.Set;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * The tail's sink: describes each record, applies the {@code --table} filter, prints the line and
 * flushes it at once, and counts changes for {@code --count}.
 *
 * <p>With a table filter, a record whose table is known is printed only for the tables named; a
 * fragment only when its chunk's main record (read earlier in this run) was; an unreadable record
 * whose table cannot be read is always printed (nothing undecodable is hidden).
 */
final class TailPrinter implements StreamTail.Sink {

    private static final int CHUNKS_REMEMBERED = 10_000;

    private final RecordDescriber describer;
    private final EntryFormat format;
    private final PrintWriter out;
    private final Set<String> tables;
    private final long count;
    /** Chunks whose main record passed the filter. */
    private final Set<String> chunksShown = new LinkedHashSet<>();

    private long changes;
    private long printed;
    private long unreadable;
    private boolean progress;

    /**
     * @param tables {@code schema.table} names to show, or empty for all
     * @param count  changes after which the tail ends, or 0 for no limit
     */
    TailPrinter(RecordDescriber describer, EntryFormat format, PrintWriter out, Set<String> tables, long count) {
        this.describer = describer;
        this.format = format;
        this.out = out;
        this.tables = Set.copyOf(tables);
        this.count = count;
    }

    @Override
    public boolean accept(String shardId, Record record) {
        Entry entry = describer.describe(shardId, record);
        if (!shown(entry)) {
            return true;
        }
        out.println(format.format(entry));
        out.flush();
        if (out.checkError()) {
            // The reader went away (e.g. `| head`): nothing more to do.
            return false;
        }
        printed++;
        progress = true;
        if (entry.kind() == Entry.Kind.UNREADABLE) {
            unreadable++;
        }
        if (entry.isChange()) {
            changes++;
        }
        return count == 0 || changes < count;
    }

    private boolean shown(Entry e) {
        if (tables.isEmpty()) {
            return true;
        }
        return switch (e.kind()) {
            case CHANGE -> tables.contains(e.qualifiedTable());
            case CHUNKED -> {
                boolean match = e.qualifiedTable() == null || tables.contains(e.qualifiedTable());
                if (match) {
                    for (ChunkRef ref : e.chunks()) {
                        remember(ref.chunkId());
                    }
                }
                yield match;
            }
            case FRAGMENT -> chunksShown.contains(e.chunkId());
            case UNREADABLE -> e.qualifiedTable() == null || tables.contains(e.qualifiedTable());
        };
    }

    private void remember(String chunkId) {
        chunksShown.add(chunkId);
        if (chunksShown.size() > CHUNKS_REMEMBERED) {
            chunksShown.remove(chunksShown.iterator().next());
        }
    }

    /** @return whether a line was printed since the last call */
    boolean takeProgress() {
        boolean p = progress;
        progress = false;
        return p;
    }

    long changes() {
        return changes;
    }

    long printed() {
        return printed;
    }

    long unreadable() {
        return unreadable;
    }
}
