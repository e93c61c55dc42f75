package com.dsqlcdc.backfill;

import com.dsqlcdc.consumer.decode.ChangeDecoder;
import com.dsqlcdc.consumer.decode.Decoded;
import com.dsqlcdc.consumer.stage.StagedFileWriter;
import com.dsqlcdc.consumer.stage.StagedRow;
import com.dsqlcdc.consumer.stage.Stager;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Snapshot records on their way to the staging bucket, through the consumer's own code: each record
 * is decoded by the consumer's {@link ChangeDecoder} (so a row the consumer would quarantine, e.g. a
 * string over the warehouse's SUPER limit, is refused here for the same reason), written as a staged
 * line by its {@link StagedFileWriter} (a row over COPY's 4 MB limit is refused) and staged by its
 * {@link Stager} as objects under {@code staged/<shard>/}, which the loader loads like any other: into
 * {@code cdc_events}, then MERGEd into the state tables. An object holds at most {@link
 * #MAX_OBJECT_ROWS} rows and about {@link #MAX_OBJECT_BYTES}; its name comes from its content, so the
 * same rows staged again (a repeated run) rewrite the same object and the loader appends them once.
 */
public final class SnapshotBatch {

    /** Rows per staged object. */
    public static final int MAX_OBJECT_ROWS = 10_000;
    /** Uncompressed bytes per staged object, about. */
    public static final long MAX_OBJECT_BYTES = 64L * 1024 * 1024;

    /** A record that could not be staged, and why (the consumer's quarantine reason, or row-too-large). */
    public record Refused(String reason, String detail) {}

    /** What a flush staged. */
    public record Flushed(int objects, int rows, long bytes) {}

    private final ChangeDecoder decoder;
    private final StagedFileWriter files;
    private final Stager stager;
    private final String shardId;
    /** The objects to stage, each a list of lines numbered 0..n-1: an object's key depends on its content alone. */
    private final List<List<StagedFileWriter.Line>> objects = new ArrayList<>();

    private long objectBytes;
    private int rows;
    private long bytes;

    /**
     * @param decoder the consumer's decoder, with the job's catalog and the warehouse's SUPER limit
     * @param files   the consumer's staged-line writer
     * @param stager  the consumer's stager (the staging bucket)
     * @param shardId what the rows' {@code kinesis_shard_id} says they came from (e.g. {@code snapshot})
     */
    public SnapshotBatch(ChangeDecoder decoder, StagedFileWriter files, Stager stager, String shardId) {
        this.decoder = decoder;
        this.files = files;
        this.stager = stager;
        this.shardId = shardId;
    }

    /**
     * @param record a CDC record ({@link SnapshotRecords})
     * @return empty when it is buffered, else why it cannot be staged
     */
    public Optional<Refused> add(byte[] record) {
        Decoded decoded = decoder.decode(record);
        if (!(decoded instanceof Decoded.Ok ok)) {
            if (decoded instanceof Decoded.Poison poison) {
                return Optional.of(new Refused(poison.reason().label(), poison.detail()));
            }
            return Optional.of(new Refused("unexpected", new String(record, StandardCharsets.UTF_8)));
        }
        List<StagedFileWriter.Line> object = objects.isEmpty() ? null : objects.get(objects.size() - 1);
        StagedFileWriter.Line line = files.line(
                new StagedRow(0, ok.change(), shardId, Integer.toString(object == null ? 0 : object.size())));
        if (!line.fits()) {
            return Optional.of(new Refused(
                    "row-too-large",
                    "the staged line is " + line.copyBytes() + " bytes, over COPY's "
                            + StagedFileWriter.MAX_RECORD_BYTES));
        }
        if (object == null || object.size() >= MAX_OBJECT_ROWS || objectBytes + line.copyBytes() > MAX_OBJECT_BYTES) {
            object = new ArrayList<>();
            objects.add(object);
            objectBytes = 0;
            line = files.line(new StagedRow(0, ok.change(), shardId, "0"));
        }
        object.add(line);
        objectBytes += line.copyBytes();
        rows++;
        bytes += line.copyBytes();
        return Optional.empty();
    }

    /** @return rows buffered */
    public int rows() {
        return rows;
    }

    /** @return bytes buffered */
    public long bytes() {
        return bytes;
    }

    /**
     * Stages every buffered row and empties the buffer.
     *
     * @return what was staged
     * @throws RuntimeException when a PUT failed (the objects not staged stay buffered: flush again)
     */
    public Flushed flush() {
        Flushed flushed = new Flushed(objects.size(), rows, bytes);
        while (!objects.isEmpty()) {
            stager.stage(objects.get(0));
            objects.remove(0);
        }
        objectBytes = 0;
        rows = 0;
        bytes = 0;
        return flushed;
    }
}
