package com.dsqlcdc.contract;

import java.util.Set;

/**
 * The names of every metric this app's functions publish (CloudWatch embedded metric format): the
 * namespace, the service names (Powertools' {@code Service} dimension), the dimension names and the
 * metric names. The handlers publish under these names and infra's alarms and dashboard read them:
 * a metric with another name or dimension set is another metric, and an alarm on it would watch
 * nothing.
 */
public final class MetricNames {

    /** Namespace of every metric the app's functions publish. */
    public static final String NAMESPACE = "DsqlCdcPipeline";

    /** The consumer's service name: its metrics' {@value #SERVICE} dimension. */
    public static final String CONSUMER_SERVICE = "dsql-cdc-consumer";
    /** The chunk sweep's service name: its metrics' {@value #SERVICE} dimension. */
    public static final String CHUNK_SWEEP_SERVICE = "dsql-cdc-chunk-sweep";
    /** The loader's service name: its metrics' {@value #SERVICE} dimension. */
    public static final String LOADER_SERVICE = "dsql-cdc-loader";
    /** The backfill job's service name (snapshot backfill, resync, validation): its metrics' {@value #SERVICE} dimension. */
    public static final String BACKFILL_SERVICE = "dsql-cdc-backfill";
    /** The stream health check's service name (its logs only: its metrics carry the stream's dimensions). */
    public static final String STREAM_HEALTH_SERVICE = "dsql-cdc-stream-health";

    /** Dimension Powertools adds from {@code POWERTOOLS_SERVICE_NAME}. */
    public static final String SERVICE = "Service";
    /** Dimension of the per-reason {@link #RECORDS_QUARANTINED}: the quarantine reason's label. */
    public static final String REASON = "Reason";
    /** Dimension of the stream health metrics (and of DSQL's own stream metrics). */
    public static final String CLUSTER_ID = "ClusterId";
    /** Dimension of the stream health metrics (and of DSQL's own stream metrics). */
    public static final String STREAM_ID = "StreamId";
    /** Dimension of the loader's per-table {@link #ROWS_MERGED}: the source table, {@code schema.table}. */
    public static final String TABLE = "Table";
    /** Dimension of {@link #STREAM_STATUS_REASON}: DSQL's {@code statusReason.error}. */
    public static final String ERROR = "Error";

    // The consumer, per batch (dimension Service).
    /** Records in the batch. */
    public static final String RECORDS_IN = "RecordsIn";
    /** Records whose change is durably staged for the loader. */
    public static final String RECORDS_STAGED = "RecordsStaged";
    /** Records quarantined, in total and per {@link #REASON}. */
    public static final String RECORDS_QUARANTINED = "RecordsQuarantined";
    /** Pieces of chunked changes parked until their set is complete. */
    public static final String RECORDS_PARKED = "RecordsParked";
    /** Records left unacknowledged (retried by the event source mapping). */
    public static final String RECORDS_FAILED = "RecordsFailed";
    /** Milliseconds from the commit in DSQL to the change being staged, the batch's largest. */
    public static final String COMMIT_TO_STAGED_LAG = "CommitToStagedLag";

    // The loader, per invocation (dimension Service; RowsMerged also per Table).
    /** Runs that committed. */
    public static final String LOADER_RUNS = "LoaderRuns";
    /** Runs that failed (their objects stay staged; the next run loads them). */
    public static final String LOADER_RUNS_FAILED = "LoaderRunsFailed";
    /** Staged objects loaded. */
    public static final String OBJECTS_LOADED = "ObjectsLoaded";
    /** Changes in the loaded objects. */
    public static final String CHANGES_LOADED = "ChangesLoaded";
    /** Changes appended to cdc.cdc_events (fewer than loaded when a batch had been appended before). */
    public static final String CHANGES_APPENDED = "ChangesAppended";
    /** Rows a state table took (changed, inserted or tombstoned), in total and per {@link #TABLE}. */
    public static final String ROWS_MERGED = "RowsMerged";
    /** Committing transactions. */
    public static final String LOADER_COMMITS = "LoaderCommits";
    /** Objects staged when the invocation started: the backlog. */
    public static final String STAGED_OBJECTS = "StagedObjects";
    /** Age of the oldest of them, in seconds: how stale the current-state tables may be. */
    public static final String OLDEST_STAGED_OBJECT_AGE_SECONDS = "OldestStagedObjectAgeSeconds";
    /** Milliseconds from the oldest change's commit in DSQL to its run's last commit, per run. */
    public static final String COMMIT_TO_MERGED_LAG = "CommitToMergedLag";
    /** Milliseconds a run took. */
    public static final String LOADER_RUN_DURATION = "LoaderRunDuration";

    // The backfill job, per job, from its report step (dimension Service).
    /** Key ranges whose source and warehouse counts or checksums differ (a validation job); alarm at 1. */
    public static final String VALIDATION_MISMATCHED_RANGES = "ValidationMismatchedRanges";
    /** Key ranges a validation job compared. */
    public static final String VALIDATED_RANGES = "ValidatedRanges";
    /** Differences between the source's catalog and sql/catalog.json (a validation job's drift check). */
    public static final String CATALOG_DRIFT_PROBLEMS = "CatalogDriftProblems";
    /** Snapshot rows a backfill or resync job staged. */
    public static final String BACKFILL_ROWS_STAGED = "BackfillRowsStaged";
    /** Tombstones a resync job staged for keys the warehouse held and the source no longer has. */
    public static final String RESYNC_TOMBSTONES = "ResyncTombstones";
    /** Source rows a job could not stage (too large for COPY, a string over the SUPER limit): listed in its report. */
    public static final String BACKFILL_ROWS_SKIPPED = "BackfillRowsSkipped";

    // The chunk sweep, per run (dimension Service).
    /** Chunk sets older than the configured age without a done marker. */
    public static final String INCOMPLETE_CHUNK_SETS = "IncompleteChunkSets";
    /** Age of the oldest incomplete chunk set's newest piece, in seconds. */
    public static final String OLDEST_INCOMPLETE_CHUNK_SET_AGE_SECONDS = "OldestIncompleteChunkSetAgeSeconds";

    // The stream health check, per run (dimensions ClusterId and StreamId).
    /** 1 while GetStream answers FAILED, or the stream is gone; else 0. */
    public static final String STREAM_FAILED = "StreamFailed";
    /** 1 while GetStream answers IMPAIRED; else 0. */
    public static final String STREAM_IMPAIRED = "StreamImpaired";
    /** 1 while GetStream answers ACTIVE; else 0. */
    public static final String STREAM_ACTIVE = "StreamActive";
    /** 1 per run that DSQL gives a status reason, with dimensions ClusterId, StreamId and {@link #ERROR}. */
    public static final String STREAM_STATUS_REASON = "StreamStatusReason";

    /** Every metric the consumer publishes. */
    public static final Set<String> CONSUMER_METRICS = Set.of(
            RECORDS_IN, RECORDS_STAGED, RECORDS_QUARANTINED, RECORDS_PARKED, RECORDS_FAILED, COMMIT_TO_STAGED_LAG);
    /** Every metric the loader publishes. */
    public static final Set<String> LOADER_METRICS = Set.of(
            LOADER_RUNS,
            LOADER_RUNS_FAILED,
            OBJECTS_LOADED,
            CHANGES_LOADED,
            CHANGES_APPENDED,
            ROWS_MERGED,
            LOADER_COMMITS,
            STAGED_OBJECTS,
            OLDEST_STAGED_OBJECT_AGE_SECONDS,
            COMMIT_TO_MERGED_LAG,
            LOADER_RUN_DURATION);
    /** Every metric the backfill job's report step publishes. */
    public static final Set<String> BACKFILL_METRICS = Set.of(
            VALIDATION_MISMATCHED_RANGES,
            VALIDATED_RANGES,
            CATALOG_DRIFT_PROBLEMS,
            BACKFILL_ROWS_STAGED,
            RESYNC_TOMBSTONES,
            BACKFILL_ROWS_SKIPPED);
    /** Every metric the chunk sweep publishes. */
    public static final Set<String> CHUNK_SWEEP_METRICS =
            Set.of(INCOMPLETE_CHUNK_SETS, OLDEST_INCOMPLETE_CHUNK_SET_AGE_SECONDS);
    /** Every metric the stream health check publishes. */
    public static final Set<String> STREAM_HEALTH_METRICS =
            Set.of(STREAM_FAILED, STREAM_IMPAIRED, STREAM_ACTIVE, STREAM_STATUS_REASON);

    private MetricNames() {}
}
