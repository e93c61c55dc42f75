package com.dsqlcdc.consumer;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.dsqlcdc.consumer.chunk.ChunkAssembler;
import com.dsqlcdc.consumer.chunk.ChunkAssembler.Completed;
import com.dsqlcdc.consumer.chunk.ChunkAssembler.Offered;
import com.dsqlcdc.consumer.chunk.ChunkAssembler.Piece;
import com.dsqlcdc.consumer.decode.Change;
import com.dsqlcdc.consumer.decode.ChangeDecoder;
import com.dsqlcdc.consumer.decode.Decoded;
import com.dsqlcdc.consumer.decode.PoisonReason;
import com.dsqlcdc.consumer.quarantine.QuarantineStore;
import com.dsqlcdc.consumer.quarantine.QuarantinedRecord;
import com.dsqlcdc.consumer.stage.StagedFileWriter;
import com.dsqlcdc.consumer.stage.StagedFileWriter.Line;
import com.dsqlcdc.consumer.stage.StagedRow;
import com.dsqlcdc.consumer.stage.Stager;
import java.time.Clock;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch, start to end: decode and validate every record, park the pieces of chunked changes
 * (and reassemble the sets they complete), store the poison records in the quarantine, stage the
 * rest as one object for the loader, and work out what can be acknowledged.
 *
 * <p>A record is done only when its change is staged (the PUT of its batch's object succeeded: the
 * object stays until the loader has committed it), the quarantine store returned, or (for a piece of
 * a chunked change) it is parked in S3; the piece that completes a set is done only when the
 * reassembled change was staged or quarantined. Lambda resumes a shard from the lowest sequence
 * number reported as failed, so the result names the first record, in batch order, that is not
 * done: everything before it is done, and everything from it on is delivered again (a batch staged
 * again is recognised by the loader by its batch id, or appended once more as duplicates, which the
 * current state ignores). Nothing is acknowledged that is not durably staged or quarantined.
 */
public final class BatchProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(BatchProcessor.class);

    private final ChangeDecoder decoder;
    private final ChunkAssembler chunks;
    private final StagedFileWriter files;
    private final Stager stager;
    private final QuarantineStore quarantine;
    private final Clock clock;

    /**
     * @param decoder    record decoding and validation
     * @param chunks     reassembly of chunked changes
     * @param files      the staged object's lines
     * @param stager     where staged objects go
     * @param quarantine where poison records go
     * @param clock      time source (the commit-to-staged lag)
     */
    public BatchProcessor(
            ChangeDecoder decoder,
            ChunkAssembler chunks,
            StagedFileWriter files,
            Stager stager,
            QuarantineStore quarantine,
            Clock clock) {
        this.decoder = decoder;
        this.chunks = chunks;
        this.files = files;
        this.stager = stager;
        this.quarantine = quarantine;
        this.clock = clock;
    }

    /**
     * @param records the batch, in shard order
     * @return what was staged, quarantined or parked, and where to resume
     */
    public BatchResult process(List<InputRecord> records) {
        BitSet done = new BitSet(records.size());
        List<String> failures = new ArrayList<>();
        Map<PoisonReason, Integer> quarantined = new EnumMap<>(PoisonReason.class);

        Prepared prepared = prepare(records);
        Offered offered = prepared.pieces.isEmpty() ? null : chunks.offer(prepared.pieces);
        if (offered != null) {
            offered.parked().forEach(done::set);
            failures.addAll(offered.failures());
            for (Completed set : offered.completed()) {
                if (set.full() == null) {
                    set.corrupt().forEach(q -> prepared.poison(set.position(), q));
                } else {
                    prepared.add(
                            set.position(),
                            set.full(),
                            decoder.decode(set.full().data()),
                            "reassembled from chunk " + String.join(", ", set.chunkIds()) + ": ");
                }
            }
        }

        prepared.rows.sort(Comparator.comparingInt(StagedRow::position));
        List<Line> lines = new ArrayList<>(prepared.rows.size());
        for (StagedRow row : prepared.rows) {
            Line line = files.line(row);
            if (line.fits()) {
                lines.add(line);
            } else {
                prepared.poison(
                        row.position(),
                        new QuarantinedRecord(
                                prepared.sources[row.position()],
                                PoisonReason.ROW_TOO_LARGE,
                                "the row is " + line.copyBytes() + " bytes as a COPY record, over the "
                                        + StagedFileWriter.MAX_RECORD_BYTES
                                        + " bytes Redshift's COPY accepts for one JSON record"));
            }
        }

        if (!prepared.poison.isEmpty()) {
            try {
                String location = quarantine.put(prepared.poison);
                prepared.poisonPositions.forEach(done::set);
                for (QuarantinedRecord q : prepared.poison) {
                    quarantined.merge(q.reason(), 1, Integer::sum);
                    LOG.warn(
                            "quarantined a record that cannot be applied",
                            entry("reason", q.reason().label()),
                            entry("detail", q.detail()),
                            entry("shardId", q.record().shardId()),
                            entry("sequenceNumber", q.record().sequenceNumber()),
                            entry("quarantinedAt", location));
                }
            } catch (RuntimeException e) {
                failures.add("quarantine store failed for " + prepared.poison.size() + " records: " + e.getMessage());
                LOG.error(
                        "could not store poison records in the quarantine; they will be retried",
                        entry("records", prepared.poison.size()),
                        e);
            }
        }

        int staged = 0;
        Optional<Stager.Staged> object = Optional.empty();
        long maxLag = Long.MIN_VALUE;
        if (!lines.isEmpty()) {
            try {
                Stager.Staged result = stager.stage(lines);
                object = Optional.of(result);
                long stagedMs = clock.millis();
                for (Line line : lines) {
                    done.set(line.row().position());
                    staged++;
                    maxLag = Math.max(
                            maxLag, stagedMs - prepared.changes[line.row().position()].commitTsMs());
                }
            } catch (RuntimeException e) {
                failures.add("staging " + lines.size() + " rows failed: " + e.getMessage());
                LOG.error("could not stage the batch's rows; they will be retried", entry("rows", lines.size()), e);
            }
        }
        if (offered != null) {
            offered.completed().stream().filter(set -> done.get(set.position())).forEach(chunks::finish);
        }

        int firstNotDone = done.nextClearBit(0);
        Optional<String> resumeFrom = firstNotDone < records.size()
                ? Optional.of(records.get(firstNotDone).sequenceNumber())
                : Optional.empty();
        int parked = offered == null ? 0 : offered.parked().size();
        return new BatchResult(
                records.size(),
                staged,
                quarantined,
                parked,
                object,
                maxLag == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(maxLag),
                resumeFrom,
                failures);
    }

    /** Decodes every record: each becomes a row to stage, a poison record, or a piece of a chunked change. */
    private Prepared prepare(List<InputRecord> records) {
        Prepared prepared = new Prepared(records.size());
        for (int i = 0; i < records.size(); i++) {
            InputRecord record = records.get(i);
            Decoded decoded = decoder.decode(record.data());
            if (decoded instanceof Decoded.ChunkedMain || decoded instanceof Decoded.Fragment) {
                prepared.pieces.add(new Piece(i, record, decoded));
            } else {
                prepared.add(i, record, decoded, "");
            }
        }
        return prepared;
    }

    /** The decoded batch. */
    private static final class Prepared {
        final Change[] changes;
        /** The record each row came from (a reassembled record for a completed chunk set). */
        final InputRecord[] sources;

        final List<StagedRow> rows = new ArrayList<>();
        final List<Piece> pieces = new ArrayList<>();
        final List<QuarantinedRecord> poison = new ArrayList<>();
        /** Batch position of each entry of {@code poison}. */
        final List<Integer> poisonPositions = new ArrayList<>();

        Prepared(int size) {
            this.changes = new Change[size];
            this.sources = new InputRecord[size];
        }

        void add(int position, InputRecord record, Decoded decoded, String detailPrefix) {
            if (decoded instanceof Decoded.Ok ok) {
                changes[position] = ok.change();
                sources[position] = record;
                rows.add(new StagedRow(position, ok.change(), record.shardId(), record.sequenceNumber()));
            } else if (decoded instanceof Decoded.Poison p) {
                poison(position, new QuarantinedRecord(record, p.reason(), detailPrefix + p.detail()));
            } else {
                poison(
                        position,
                        new QuarantinedRecord(
                                record,
                                PoisonReason.MALFORMED_CHUNK,
                                detailPrefix + "a reassembled record is itself a piece of a chunked change"));
            }
        }

        void poison(int position, QuarantinedRecord record) {
            poison.add(record);
            poisonPositions.add(position);
        }
    }
}
