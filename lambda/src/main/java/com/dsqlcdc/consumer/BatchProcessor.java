package com.dsqlcdc.consumer;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.dsqlcdc.clients.dataapi.DataApiStatements;
import com.dsqlcdc.clients.dataapi.Statement;
import com.dsqlcdc.clients.dataapi.StatementOutcome;
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
import com.dsqlcdc.consumer.write.CopyFileWriter;
import com.dsqlcdc.consumer.write.CopyFileWriter.Line;
import com.dsqlcdc.consumer.write.InsertStatementBuilder.Row;
import com.dsqlcdc.consumer.write.LoadPlanner;
import com.dsqlcdc.consumer.write.LoadPlanner.Plan;
import com.dsqlcdc.consumer.write.PlannedStatement;
import com.dsqlcdc.consumer.write.StatementResult;
import java.time.Duration;
import java.time.Instant;
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
 * (and reassemble the sets they complete), store the poison records in the quarantine, load the
 * rest with INSERTs or one COPY, and work out what can be acknowledged.
 *
 * <p>A record is done only when Redshift said FINISHED for its statement, the quarantine store
 * returned, or (for a piece of a chunked change) it is parked in S3; the piece that completes a
 * set is done only when the reassembled change landed or was quarantined. Lambda resumes a shard
 * from the lowest sequence number reported as failed, so the result names the first record, in
 * batch order, that is not done: everything before it is done, and everything from it on is
 * delivered again (landed rows come back as duplicates, which the current-state views ignore).
 * Nothing is acknowledged that did not land.
 */
public final class BatchProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(BatchProcessor.class);

    private final ChangeDecoder decoder;
    private final ChunkAssembler chunks;
    private final LoadPlanner loads;
    private final DataApiStatements runner;
    private final QuarantineStore quarantine;

    /**
     * @param decoder    record decoding and validation
     * @param chunks     reassembly of chunked changes
     * @param loads      the INSERT or COPY path, per batch
     * @param runner     Data API execution (bounded concurrency, each statement waited for to its final word)
     * @param quarantine where poison records go
     */
    public BatchProcessor(
            ChangeDecoder decoder,
            ChunkAssembler chunks,
            LoadPlanner loads,
            DataApiStatements runner,
            QuarantineStore quarantine) {
        this.decoder = decoder;
        this.chunks = chunks;
        this.loads = loads;
        this.runner = runner;
        this.quarantine = quarantine;
    }

    private List<StatementResult> run(List<PlannedStatement> planned, Instant deadline) {
        if (planned.isEmpty()) {
            return List.of();
        }
        List<StatementOutcome> outcomes = runner.runAll(
                planned.stream().map(p -> Statement.of(p.sql(), p.parameters())).toList(), deadline);
        List<StatementResult> results = new ArrayList<>(planned.size());
        for (int i = 0; i < planned.size(); i++) {
            results.add(StatementResult.of(planned.get(i), outcomes.get(i)));
        }
        return results;
    }

    /**
     * @param records  the batch, in shard order
     * @param deadline when the answer is due; statements still running then count as failed
     * @return what landed, what was quarantined or parked, and where to resume
     */
    public BatchResult process(List<InputRecord> records, Instant deadline) {
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

        prepared.rows.sort(Comparator.comparingInt(Row::position));
        Plan plan = loads.plan(prepared.rows);
        for (Line line : plan.tooLarge()) {
            Row row = line.row();
            prepared.poison(
                    row.position(),
                    new QuarantinedRecord(
                            prepared.sources[row.position()],
                            PoisonReason.ROW_TOO_LARGE,
                            "the row is " + line.json().length + " bytes as a COPY record, over the "
                                    + CopyFileWriter.MAX_RECORD_BYTES
                                    + " bytes Redshift's COPY accepts for one JSON record"));
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

        List<PlannedStatement> planned = plan.statements();
        if (plan.bulk()) {
            try {
                planned = List.of(loads.stage(plan));
            } catch (RuntimeException e) {
                planned = List.of();
                failures.add("staging " + plan.copyLines().size() + " rows for COPY failed: " + e.getMessage());
                LOG.error(
                        "could not stage rows for COPY; they will be retried",
                        entry("rows", plan.copyLines().size()),
                        e);
            }
        }
        List<StatementResult> results = run(planned, deadline);
        int landed = 0;
        int statementsFailed = 0;
        long maxLag = Long.MIN_VALUE;
        List<Duration> latencies = new ArrayList<>(results.size());
        for (StatementResult result : results) {
            latencies.add(result.latency());
            if (result.landed()) {
                long finishedMs = result.finishedAt().orElseThrow().toEpochMilli();
                for (int position : result.statement().records()) {
                    done.set(position);
                    landed++;
                    maxLag = Math.max(maxLag, finishedMs - prepared.changes[position].commitTsMs());
                }
            } else {
                statementsFailed++;
                String failure = "statement " + result.statementId().orElse("(not accepted)") + " with "
                        + result.statement().records().size() + " records: "
                        + result.failure().orElse("?");
                failures.add(failure);
                LOG.error(
                        "records not landed; they will be retried",
                        entry("statementId", result.statementId().orElse("")),
                        entry("records", result.statement().records().size()),
                        entry("failure", result.failure().orElse("")));
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
                landed,
                quarantined,
                parked,
                plan.bulk() ? 1 : 0,
                results.size(),
                statementsFailed,
                latencies,
                maxLag == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(maxLag),
                resumeFrom,
                failures);
    }

    /** Decodes every record: each becomes a row to write, a poison record, or a piece of a chunked change. */
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

        final List<Row> rows = new ArrayList<>();
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
                rows.add(new Row(position, ok.change(), record.shardId(), record.sequenceNumber()));
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
