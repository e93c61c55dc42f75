package com.dsqlcdc.consumer.chunk;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.dsqlcdc.consumer.InputRecord;
import com.dsqlcdc.consumer.decode.ChangeDecoder;
import com.dsqlcdc.consumer.decode.ChunkRef;
import com.dsqlcdc.consumer.decode.Decoded;
import com.dsqlcdc.consumer.decode.PoisonReason;
import com.dsqlcdc.consumer.quarantine.QuarantinedRecord;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reassembles oversized changes from their pieces, across invocations and shards, in any
 * arrival order and with duplicates, using S3 ({@link ChunkStore}) as the assembly area.
 *
 * <p>Every piece is parked first; then each set a piece belongs to is listed. S3 is strongly
 * consistent, so of two invocations parking the last two pieces at once, at least the later one
 * sees the set complete (each lists after its own write); both may, and then both load it, which
 * the append-only log absorbs as a duplicate with the same event id. The invocation that sees the
 * set complete reads the fragments, checks the CRC32C the main record gives, and returns the full
 * record (the main record with its images put back, {@code type} full) for the usual decode and
 * load. Once that has landed (or been quarantined), {@link #finish} writes the set's done marker
 * and removes its pieces. A piece that arrives after that finds the marker and is dropped as the
 * duplicate it is. Pieces of a set that never completes stay parked: the sweep reports them.
 */
public final class ChunkAssembler {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkAssembler.class);

    private final ChunkStore store;
    private final ChangeDecoder decoder;
    private final ObjectMapper mapper;

    /**
     * @param store   the assembly area
     * @param decoder reads parked pieces back
     * @param mapper  rebuilds the full record from the main record (small: the images are put back raw)
     */
    public ChunkAssembler(ChunkStore store, ChangeDecoder decoder, ObjectMapper mapper) {
        this.store = store;
        this.decoder = decoder;
        this.mapper = mapper;
    }

    /**
     * A piece of a chunked change in the batch.
     *
     * @param position its place in the batch
     * @param record   the Kinesis record
     * @param piece    what it decoded to: a {@link Decoded.ChunkedMain} or a {@link Decoded.Fragment}
     */
    public record Piece(int position, InputRecord record, Decoded piece) {
        List<String> chunkIds() {
            if (piece instanceof Decoded.ChunkedMain main) {
                return main.refs().stream().map(ChunkRef::chunkId).distinct().toList();
            }
            return List.of(((Decoded.Fragment) piece).chunkId());
        }

        String name() {
            return piece instanceof Decoded.Fragment f ? ChunkStore.fragmentName(f.index()) : ChunkStore.MAIN;
        }
    }

    /**
     * A set that this batch completed.
     *
     * @param position   the batch position that stands for it: done only once it is loaded or quarantined
     * @param chunkIds   its chunk ids
     * @param full       the reassembled record (main's shard and sequence number), when the CRCs matched
     * @param corrupt    every piece of the set, each with reason {@link PoisonReason#CHUNK_CRC_MISMATCH},
     *                   when a CRC did not match (then {@code full} is null)
     */
    public record Completed(int position, List<String> chunkIds, InputRecord full, List<QuarantinedRecord> corrupt) {}

    /**
     * What parking the batch's pieces came to.
     *
     * @param parked    positions whose piece is parked (or is a duplicate of a finished set): done,
     *                  except the position of each completed set
     * @param completed sets that are now complete
     * @param failures  why pieces could not be parked or sets not checked (their positions are not done)
     */
    public record Offered(Set<Integer> parked, List<Completed> completed, List<String> failures) {}

    /** Parks the pieces, then checks every set they belong to. */
    public Offered offer(List<Piece> pieces) {
        Set<Integer> parked = new LinkedHashSet<>();
        List<String> failures = new ArrayList<>();
        Map<String, List<Piece>> byChunk = new LinkedHashMap<>();
        for (Piece piece : pieces) {
            try {
                for (String chunkId : piece.chunkIds()) {
                    store.put(chunkId, piece.name(), piece.record());
                }
                parked.add(piece.position());
                piece.chunkIds()
                        .forEach(id -> byChunk.computeIfAbsent(id, k -> new ArrayList<>())
                                .add(piece));
            } catch (RuntimeException e) {
                failures.add(
                        "could not park " + piece.name() + " of chunk " + piece.chunkIds() + ": " + e.getMessage());
            }
        }
        List<Completed> completed = new ArrayList<>();
        Set<String> checked = new LinkedHashSet<>();
        for (Map.Entry<String, List<Piece>> entry : byChunk.entrySet()) {
            String chunkId = entry.getKey();
            if (checked.contains(chunkId)) {
                continue;
            }
            try {
                SetState state = check(chunkId, entry.getValue());
                checked.addAll(state.chunkIds);
                if (state.complete) {
                    int position = state.chunkIds.stream()
                            .flatMap(id -> byChunk.getOrDefault(id, List.of()).stream())
                            .mapToInt(Piece::position)
                            .max()
                            .orElseThrow();
                    completed.add(assemble(position, state));
                } else if (store.isDone(chunkId)) {
                    // A piece of a set that was already loaded: delivered again. Remove what we just re-parked.
                    store.delete(
                            chunkId,
                            entry.getValue().stream()
                                    .map(Piece::name)
                                    .distinct()
                                    .toList());
                    LOG.info("dropped re-delivered pieces of a finished chunk set", entry("chunkId", chunkId));
                }
            } catch (RuntimeException e) {
                if (finishedElsewhere(chunkId)) {
                    // Another invocation completed the set at the same time, staged it and removed its
                    // pieces while this one read them: these pieces are duplicates, done like one.
                    dropQuietly(chunkId, entry.getValue());
                    LOG.info("a chunk set was finished by another invocation meanwhile", entry("chunkId", chunkId));
                    continue;
                }
                entry.getValue().forEach(p -> parked.remove(p.position()));
                failures.add("could not check chunk set " + chunkId + ": " + e.getMessage());
                LOG.error(
                        "could not check a chunk set; its pieces will be delivered again",
                        entry("chunkId", chunkId),
                        e);
            }
        }
        for (Completed c : completed) {
            parked.remove(c.position());
        }
        return new Offered(parked, completed, failures);
    }

    private boolean finishedElsewhere(String chunkId) {
        try {
            return store.isDone(chunkId);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void dropQuietly(String chunkId, List<Piece> pieces) {
        try {
            store.delete(chunkId, pieces.stream().map(Piece::name).distinct().toList());
        } catch (RuntimeException e) {
            LOG.warn(
                    "could not remove re-parked pieces of a finished chunk set; the sweep reports them",
                    entry("chunkId", chunkId),
                    e);
        }
    }

    /**
     * Marks a completed set done and removes its pieces, once its change landed or was
     * quarantined. Failing here loses nothing: the pieces stay, and the sweep reports them.
     */
    public void finish(Completed set) {
        String outcome = set.full() != null ? "staged" : "quarantined";
        for (String chunkId : set.chunkIds()) {
            try {
                store.markDone(chunkId, outcome);
                store.delete(chunkId, store.names(chunkId));
            } catch (RuntimeException e) {
                LOG.warn(
                        "could not clean up a finished chunk set; its pieces stay parked",
                        entry("chunkId", chunkId),
                        e);
            }
        }
    }

    /** Where a set stands: its main record (if parked) and whether every fragment of every image is there. */
    private record SetState(List<String> chunkIds, InputRecord main, List<ChunkRef> refs, boolean complete) {}

    private SetState check(String chunkId, List<Piece> batchPieces) {
        List<String> names = store.names(chunkId);
        if (!names.contains(ChunkStore.MAIN)) {
            return new SetState(List.of(chunkId), null, List.of(), false);
        }
        InputRecord main = batchPieces.stream()
                .filter(p -> p.piece() instanceof Decoded.ChunkedMain)
                .findFirst()
                .map(Piece::record)
                .orElseGet(() -> store.get(chunkId, ChunkStore.MAIN));
        if (!(decoder.decode(main.data()) instanceof Decoded.ChunkedMain decodedMain)) {
            throw new IllegalStateException("the parked main record of chunk " + chunkId + " is not a chunked record");
        }
        List<String> ids =
                decodedMain.refs().stream().map(ChunkRef::chunkId).distinct().toList();
        boolean complete = true;
        for (ChunkRef ref : decodedMain.refs()) {
            List<String> refNames = ref.chunkId().equals(chunkId) ? names : store.names(ref.chunkId());
            for (int i = 0; i < ref.totalFragments() && complete; i++) {
                complete = refNames.contains(ChunkStore.fragmentName(i));
            }
        }
        return new SetState(ids, main, decodedMain.refs(), complete);
    }

    private Completed assemble(int position, SetState state) {
        Map<String, String> images = new LinkedHashMap<>();
        List<String> mismatches = new ArrayList<>();
        List<InputRecord> fragments = new ArrayList<>();
        for (ChunkRef ref : state.refs) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < ref.totalFragments(); i++) {
                InputRecord record = store.get(ref.chunkId(), ChunkStore.fragmentName(i));
                fragments.add(record);
                if (!(decoder.decode(record.data()) instanceof Decoded.Fragment f)
                        || !f.chunkId().equals(ref.chunkId())
                        || f.index() != i) {
                    throw new IllegalStateException(
                            "parked fragment " + i + " of chunk " + ref.chunkId() + " is not that fragment");
                }
                text.append(f.slice());
            }
            String image = text.toString();
            CRC32C crc = new CRC32C();
            crc.update(image.getBytes(StandardCharsets.UTF_8));
            if (crc.getValue() != ref.crc32c()) {
                mismatches.add("chunk " + ref.chunkId() + " (" + ref.image() + "): CRC32C of the "
                        + ref.totalFragments() + " reassembled fragments is " + crc.getValue()
                        + ", the chunked record says " + ref.crc32c());
            }
            images.put(ref.image(), image);
        }
        if (!mismatches.isEmpty()) {
            String detail = String.join("; ", mismatches) + "; every piece of the set is quarantined";
            List<QuarantinedRecord> corrupt = new ArrayList<>();
            corrupt.add(new QuarantinedRecord(state.main, PoisonReason.CHUNK_CRC_MISMATCH, detail));
            fragments.forEach(f -> corrupt.add(new QuarantinedRecord(f, PoisonReason.CHUNK_CRC_MISMATCH, detail)));
            LOG.warn(
                    "a reassembled chunked change failed its CRC32C check",
                    entry("chunkIds", state.chunkIds),
                    entry("detail", detail));
            return new Completed(position, state.chunkIds, null, corrupt);
        }
        InputRecord main = state.main;
        return new Completed(
                position,
                state.chunkIds,
                new InputRecord(
                        main.shardId(),
                        main.sequenceNumber(),
                        fullRecord(main.data(), images),
                        main.arrival(),
                        main.eventSourceArn()),
                List.of());
    }

    /** The main record with its images put back (exactly as reassembled) and {@code type} full. */
    private byte[] fullRecord(byte[] main, Map<String, String> images) {
        try {
            ObjectNode record = (ObjectNode) mapper.readTree(main);
            record.remove("chunked");
            record.put("type", "full");
            images.forEach((image, text) -> record.putRawValue(image, new RawValue(text)));
            return mapper.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
