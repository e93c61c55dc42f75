package com.dsqlcdc.contract;

/**
 * The staging bucket's prefixes, shared by the functions that write and read them and by infra,
 * which grants each role exactly its prefixes and sets each prefix's lifecycle.
 */
public final class StagingLayout {

    /**
     * Staged batches: written by the consumer (and the replay and backfill commands), listed and
     * deleted by the loader once their changes are committed, read by COPY. Never expired: an
     * object here is a change not loaded yet.
     */
    public static final String STAGED = "staged/";
    /** The loader's COPY manifests, one per run, deleted with the run's objects; read by COPY. */
    public static final String MANIFESTS = "manifests/";
    /** Parked pieces of chunked (oversized) changes, until their set is complete. Never expired. */
    public static final String CHUNKS = "chunks/";
    /** Markers of assembled chunk sets, so a piece delivered again is recognised. */
    public static final String CHUNK_DONE = "chunk-done/";
    /**
     * The backfill job's own objects: each job's plan, its ranges' checkpoints, the items a Step
     * Functions map iterates and its report ({@code backfill/<job id>/...}). Written and read by the
     * backfill functions (and the laptop command with an S3 checkpoint), never by COPY. Small; keep
     * them as long as a job's report may be wanted (a resync reads a validation report).
     */
    public static final String BACKFILL = "backfill/";
    /**
     * COPY files of the consumer before the staged loader (December 2026): nothing writes here any
     * more; the prefix keeps its expiry so the old files go.
     */
    public static final String LEGACY_COPY_FILES = "staging/";

    private StagingLayout() {}
}
