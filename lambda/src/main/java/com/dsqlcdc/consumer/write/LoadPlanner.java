package com.dsqlcdc.consumer.write;

import com.dsqlcdc.consumer.write.CopyFileWriter.Line;
import com.dsqlcdc.consumer.write.InsertStatementBuilder.Envelope;
import com.dsqlcdc.consumer.write.InsertStatementBuilder.Row;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks each batch's load path and prepares it.
 *
 * <p>Every ExecuteStatement counts against the account's ~30 per second, and a statement costs
 * about the same whether it carries one row or seventy, so the INSERT path's cost grows with the
 * rows while a COPY costs one statement and one S3 PUT whatever the size. Small batches stay on
 * INSERTs (no S3 round trip, lower latency); a batch at or over {@code minRows} rows or
 * {@code minBytes} bytes of rows goes to one COPY. The defaults come from the crossover measured
 * in {@code lambda/benchmark} (docs/benchmarks.md). A batch with any row too large for a statement
 * goes to COPY whole: one COPY is cheaper than a COPY plus INSERTs.
 */
public final class LoadPlanner {

    private final InsertStatementBuilder inserts;
    private final CopyFileWriter copyFiles;
    private final BulkLoader bulk;
    private final int minRows;
    private final long minBytes;

    /**
     * @param inserts   INSERT packing
     * @param copyFiles COPY file lines
     * @param bulk      staging and the COPY
     * @param minRows   rows at which a batch goes to COPY
     * @param minBytes  bytes of rows (as INSERT parameters) at which a batch goes to COPY
     */
    public LoadPlanner(
            InsertStatementBuilder inserts, CopyFileWriter copyFiles, BulkLoader bulk, int minRows, long minBytes) {
        this.inserts = inserts;
        this.copyFiles = copyFiles;
        this.bulk = bulk;
        this.minRows = minRows;
        this.minBytes = minBytes;
    }

    /**
     * How a batch's rows will load.
     *
     * @param copyLines  the rows for one COPY (empty on the INSERT path)
     * @param statements the INSERTs (empty on the COPY path)
     * @param tooLarge   rows that no path can load: over a COPY record's limit
     */
    public record Plan(List<Line> copyLines, List<PlannedStatement> statements, List<Line> tooLarge) {
        /** @return whether the batch goes through COPY */
        public boolean bulk() {
            return !copyLines.isEmpty();
        }
    }

    /** @return the plan for the batch's rows, in batch order */
    public Plan plan(List<Row> rows) {
        // Enough rows decide it alone: don't serialise every row as an INSERT envelope only to write it again as a COPY
        // line.
        if (rows.size() >= minRows) {
            return copyPlan(rows);
        }
        List<Envelope> envelopes = new ArrayList<>(rows.size());
        long bytes = 0;
        boolean needsCopy = false;
        for (Row row : rows) {
            Envelope envelope = inserts.envelope(row);
            envelopes.add(envelope);
            bytes += envelope.bytes();
            needsCopy |= !InsertStatementBuilder.fits(envelope);
        }
        if (!needsCopy && bytes < minBytes) {
            return new Plan(List.of(), inserts.plan(envelopes), List.of());
        }
        return copyPlan(rows);
    }

    private Plan copyPlan(List<Row> rows) {
        List<Line> lines = new ArrayList<>(rows.size());
        List<Line> tooLarge = new ArrayList<>();
        for (Row row : rows) {
            Line line = copyFiles.line(row);
            (line.fits() ? lines : tooLarge).add(line);
        }
        return new Plan(lines, List.of(), tooLarge);
    }

    /** Stages the plan's COPY file: the one statement of a bulk plan. */
    public PlannedStatement stage(Plan plan) {
        return bulk.stage(plan.copyLines());
    }
}
