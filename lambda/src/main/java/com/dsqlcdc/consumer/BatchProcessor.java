package com.dsqlcdc.consumer;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.dsqlcdc.consumer.decode.Change;
import com.dsqlcdc.consumer.decode.ChangeDecoder;
import com.dsqlcdc.consumer.decode.Decoded;
import com.dsqlcdc.consumer.decode.PoisonReason;
import com.dsqlcdc.consumer.quarantine.QuarantineStore;
import com.dsqlcdc.consumer.quarantine.QuarantinedRecord;
import com.dsqlcdc.consumer.write.InsertStatementBuilder;
import com.dsqlcdc.consumer.write.InsertStatementBuilder.Envelope;
import com.dsqlcdc.consumer.write.InsertStatementBuilder.Row;
import com.dsqlcdc.consumer.write.PlannedStatement;
import com.dsqlcdc.consumer.write.StatementResult;
import com.dsqlcdc.consumer.write.StatementRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch, start to end: decode and validate every record, store the poison ones in the
 * quarantine, write the rest as parameterised INSERTs, and work out what can be acknowledged.
 *
 * <p>A record is done only when Redshift said FINISHED for its statement or the quarantine store
 * returned. Lambda resumes a shard from the lowest sequence number reported as failed, so the
 * result names the first record, in batch order, that is not done: everything before it is
 * done, and everything from it on is delivered again (landed rows come back as duplicates, which
 * the current-state views ignore). Nothing is acknowledged that did not land.
 */
public final class BatchProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(BatchProcessor.class);

    private final ChangeDecoder decoder;
    private final InsertStatementBuilder statements;
    private final StatementRunner runner;
    private final QuarantineStore quarantine;

    /**
     * @param decoder    record decoding and validation
     * @param statements INSERT building
     * @param runner     Data API execution
     * @param quarantine where poison records go
     */
    public BatchProcessor(ChangeDecoder decoder, InsertStatementBuilder statements, StatementRunner runner,
                          QuarantineStore quarantine) {
        this.decoder = decoder;
        this.statements = statements;
        this.runner = runner;
        this.quarantine = quarantine;
    }

    /**
     * @param records  the batch, in shard order
     * @param deadline when the answer is due; statements still running then count as failed
     * @return what landed, what was quarantined, and where to resume
     */
    public BatchResult process(List<InputRecord> records, Instant deadline) {
        BitSet done = new BitSet(records.size());
        List<String> failures = new ArrayList<>();
        Map<PoisonReason, Integer> quarantined = new EnumMap<>(PoisonReason.class);

        Prepared prepared = prepare(records);
        if (!prepared.poison.isEmpty()) {
            try {
                String location = quarantine.put(prepared.poison);
                prepared.poisonPositions.forEach(done::set);
                for (QuarantinedRecord q : prepared.poison) {
                    quarantined.merge(q.reason(), 1, Integer::sum);
                    LOG.warn("quarantined a record that cannot be applied", entry("reason", q.reason().label()),
                            entry("detail", q.detail()), entry("shardId", q.record().shardId()),
                            entry("sequenceNumber", q.record().sequenceNumber()), entry("quarantinedAt", location));
                }
            } catch (RuntimeException e) {
                failures.add("quarantine store failed for " + prepared.poison.size() + " records: " + e.getMessage());
                LOG.error("could not store poison records in the quarantine; they will be retried",
                        entry("records", prepared.poison.size()), e);
            }
        }

        List<PlannedStatement> planned = statements.plan(prepared.rows);
        List<StatementResult> results = planned.isEmpty() ? List.of() : runner.run(planned, deadline);
        int landed = 0;
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
                String failure = "statement " + result.statementId().orElse("(not accepted)") + " with "
                        + result.statement().records().size() + " records: " + result.failure().orElse("?");
                failures.add(failure);
                LOG.error("records not landed; they will be retried", entry("statementId", result.statementId().orElse("")),
                        entry("records", result.statement().records().size()), entry("failure", result.failure().orElse("")));
            }
        }

        int firstNotDone = done.nextClearBit(0);
        Optional<String> resumeFrom = firstNotDone < records.size()
                ? Optional.of(records.get(firstNotDone).sequenceNumber()) : Optional.empty();
        return new BatchResult(records.size(), landed, quarantined, results.size(), latencies,
                maxLag == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(maxLag), resumeFrom, failures);
    }

    /** Decodes every record: each becomes a row to write or a poison record. */
    private Prepared prepare(List<InputRecord> records) {
        Prepared prepared = new Prepared(records.size());
        for (int i = 0; i < records.size(); i++) {
            InputRecord record = records.get(i);
            Decoded decoded = decoder.decode(record.data());
            if (decoded instanceof Decoded.Poison poison) {
                prepared.poison(i, new QuarantinedRecord(record, poison.reason(), poison.detail()));
                continue;
            }
            Change change = ((Decoded.Ok) decoded).change();
            Envelope envelope = statements.envelope(new Row(i, change, record.shardId(), record.sequenceNumber()));
            if (!InsertStatementBuilder.fits(envelope)) {
                prepared.poison(i, new QuarantinedRecord(record, PoisonReason.ROW_TOO_LARGE, "the row takes "
                        + envelope.bytes() + " bytes, over one statement's budget of "
                        + InsertStatementBuilder.MAX_STATEMENT_BYTES + "; it needs the bulk (S3 + COPY) path"));
                continue;
            }
            prepared.changes[i] = change;
            prepared.rows.add(envelope);
        }
        return prepared;
    }

    /** The decoded batch. */
    private static final class Prepared {
        final Change[] changes;
        final List<Envelope> rows = new ArrayList<>();
        final List<QuarantinedRecord> poison = new ArrayList<>();
        /** Batch position of each entry of {@code poison}. */
        final List<Integer> poisonPositions = new ArrayList<>();

        Prepared(int size) {
            this.changes = new Change[size];
        }

        void poison(int position, QuarantinedRecord record) {
            poison.add(record);
            poisonPositions.add(position);
        }
    }
}
