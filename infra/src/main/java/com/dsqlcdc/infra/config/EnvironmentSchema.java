package com.dsqlcdc.infra.config;

import static com.dsqlcdc.infra.config.schema.Key.byDefault;
import static com.dsqlcdc.infra.config.schema.Key.derived;
import static com.dsqlcdc.infra.config.schema.Key.key;
import static com.dsqlcdc.infra.config.schema.Key.object;
import static com.dsqlcdc.infra.config.schema.Key.optional;
import static com.dsqlcdc.infra.config.schema.Key.required;
import static com.dsqlcdc.infra.config.schema.Type.bool;
import static com.dsqlcdc.infra.config.schema.Type.oneOf;
import static com.dsqlcdc.infra.config.schema.Type.text;
import static com.dsqlcdc.infra.config.schema.Type.wholeNumber;
import static java.util.Map.entry;

import com.dsqlcdc.contract.env.BackfillEnvironment;
import com.dsqlcdc.infra.config.schema.ConfigProblems;
import com.dsqlcdc.infra.config.schema.Group;
import com.dsqlcdc.infra.config.schema.Key;
import com.dsqlcdc.infra.config.schema.Scope;
import com.dsqlcdc.infra.config.schema.Type;
import com.dsqlcdc.infra.stateless.CdcConsumerProps.Tuning;
import com.dsqlcdc.infra.stateless.CdcLoaderProps;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awscdk.services.logs.RetentionDays;

/**
 * Every setting of an environment ({@code dsql-cdc:environments.<env>} in cdk.json), declared
 * once: its key, type and range, default and help text. This declaration is the parser (each
 * {@link Group} reads its object into the record of the same shape), the unknown-key check (an
 * object allows exactly its members) and README's configuration table ({@link ConfigTable}).
 *
 * <p>Adding a setting to an object is one line in its group plus the record component of the
 * same name; e.g. {@code warehouse.loadIntervalSeconds} is
 * <pre>{@code
 * key("loadIntervalSeconds", wholeNumber(60, 86_400, "seconds"), byDefault(300), "how often the loader runs"),
 * }</pre>
 * in {@link #WAREHOUSE}, and {@code int loadIntervalSeconds} in {@link WarehouseConfig}. (A group
 * matches members to record components by name and type when this class loads, so a mismatch
 * fails every test.) A new object, e.g. {@code backfill.onCreate}, is a group of its own:
 * <pre>{@code
 * static final Key<BackfillConfig> BACKFILL = object("backfill", Group.of(BackfillConfig.class,
 *         key("onCreate", bool(), byDefault(false), "snapshot the existing rows at the first deploy")));
 * }</pre>
 * added to {@link #ENVIRONMENT}'s members and builder (and to {@link EnvironmentConfig}). Then
 * regenerate the table ({@link ConfigTable}); a test fails until it is. Rules that tie a key to
 * others are the groups' {@code rule}s below; say them in the key's help text too.
 */
final class EnvironmentSchema {

    static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    static final Pattern REGION_CODE = Pattern.compile("[a-z]{2,4}(-[a-z]+)+-\\d{1,2}");
    private static final Pattern CLUSTER_IDENTIFIER = Pattern.compile("[a-z0-9]{26}");
    private static final Pattern KMS_KEY_ARN =
            Pattern.compile("arn:aws(-[a-z]+)*:kms:([a-z0-9-]+):(\\d{12}):key/[A-Za-z0-9-]{1,128}");
    private static final Pattern TAG_CHARACTERS = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
    /** An Availability Zone name (not an AZ id): the Region code and a letter, e.g. eu-west-1a. */
    private static final Pattern AVAILABILITY_ZONE = Pattern.compile("([a-z]{2,4}(-[a-z]+)+-\\d{1,2})[a-z]");
    /**
     * A Redshift database name: lowercase letters, digits, _ and $, not starting with a digit or $,
     * at most 64 characters (Redshift folds unquoted names to lowercase; this keeps the configured
     * name and the one Redshift shows identical).
     */
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_$]{0,63}");
    /** Deliberately loose: SNS validates the address, and the subscriber must confirm it anyway. */
    private static final Pattern EMAIL = Pattern.compile("[^@\\s\"]+@[^@\\s\"]+\\.[^@\\s\"]+");
    /** The values CloudWatch Logs accepts, mapped to the CDK enum (which does not expose the number). */
    private static final Map<Long, RetentionDays> RETENTION_DAYS = retentionDays();
    /** Lambda's longest maximum record age (7 days). */
    private static final long MAX_RECORD_AGE_SECONDS = 604_800;
    /**
     * How much earlier than the Kinesis stream's retention a record goes to the failed-batch bucket
     * by default: a record that expires from the stream before that is lost without trace.
     */
    private static final long RECORD_AGE_MARGIN_SECONDS = 3600;
    /** Five weeks: more than most streams keep records; a stream kept longer raises the default. */
    private static final long DONE_MARKER_RETENTION_DAYS = 35;
    /** What the lag alarms' defaults allow beyond two load intervals: a slow run and the metric's delay. */
    static final long ALARM_SLACK_SECONDS = 300;
    /** Why the consumer's Redshift settings went. */
    private static final String NO_REDSHIFT_WRITES = "the consumer no longer writes to Redshift (it stages batches"
            + " in the staging bucket; the loader writes them, once per warehouse.loadIntervalSeconds), so";

    static final Key<Optional<String>> ACCOUNT = optional(
            "account",
            text("a 12-digit AWS account id in quotes, e.g. \"123456789012\"", ACCOUNT_ID),
            "absent",
            "with `region`, a fixed environment; with neither, an environment-agnostic one (deploys to the CLI's"
                    + " account and Region). One without the other is an error.");
    static final Key<Optional<String>> REGION =
            optional("region", text("an AWS Region code, e.g. \"eu-west-1\"", REGION_CODE), "absent", "see `account`");

    private static final Key<ClusterConfig.Mode> MODE = key(
            "mode",
            oneOf(ClusterConfig.Mode.class),
            required(),
            "`create` a cluster in the Stateful stack, or use an `existing` one");
    private static final Key<Optional<String>> IDENTIFIER = optional(
            "identifier",
            text("the cluster identifier: 26 characters, lowercase letters and digits", CLUSTER_IDENTIFIER),
            "absent",
            "the existing cluster's identifier: required with `existing`, not allowed with `create` (AWS assigns it)");
    private static final Key<Boolean> DELETION_PROTECTION = key(
            "deletionProtection",
            bool(),
            byDefault(true),
            "deletion protection of the created cluster; not allowed with `existing` (set it on that cluster)");
    private static final Key<KmsKeyConfig> CLUSTER_KMS_KEY = key(
            "kmsKey",
            kmsKey(true),
            byDefault("aws-owned"),
            "the cluster's key; `create` (a new rotating CMK) only with mode `create`, a key ARN only of the"
                    + " environment's Region. With a CMK the stream handler gets `kms:Decrypt` on it, as CreateStream"
                    + " requires.");
    static final Key<ClusterConfig> CLUSTER = key(
            "cluster",
            Group.of(
                            ClusterConfig.class,
                            EnvironmentSchema::cluster,
                            MODE,
                            IDENTIFIER,
                            DELETION_PROTECTION,
                            CLUSTER_KMS_KEY)
                    .rule(EnvironmentSchema::clusterMode)
                    .rule(inRegion(CLUSTER_KMS_KEY)),
            required("add \"cluster\": {\"mode\": \"create\"} to create a cluster, or {\"mode\": \"existing\","
                    + " \"identifier\": \"<26-character cluster id>\"} to use one"),
            "");

    private static final Key<KmsKeyConfig> KINESIS_KMS_KEY = key(
            "kmsKey",
            kmsKey(false),
            byDefault("create"),
            "the stream's key: `create` (a new rotating CMK) or a key ARN of the environment's Region");
    static final Key<KinesisConfig> KINESIS = object(
            "kinesis",
            Group.of(
                            KinesisConfig.class,
                            key(
                                    "retentionHours",
                                    wholeNumber(24, 8760, "hours"),
                                    byDefault(168),
                                    "how long the stream keeps records; 7 days matches how long DSQL keeps undelivered changes"),
                            KINESIS_KMS_KEY)
                    .rule(inRegion(KINESIS_KMS_KEY)));

    private static final Key<Boolean> RETAIN_DATA = key(
            "retainData",
            bool(),
            byDefault(true),
            "removal policy of the stateful resources (keys, Kinesis stream, cluster, warehouse namespace, buckets):"
                    + " `RETAIN` or `DESTROY` (with `DESTROY` the buckets are emptied on delete)");
    private static final Key<RetentionDays> LOG_RETENTION = key(
            "logRetentionDays",
            oneOf("a CloudWatch Logs retention in days", RETENTION_DAYS, RetentionDays.class),
            byDefault(30),
            "retention of every log group the app creates");
    private static final Key<SortedMap<String, String>> TAGS = key(
            "tags",
            tags(),
            byDefault(Map.of()),
            "applied to every stack of the stage and to the CDC stream. Names: 1-128 letters, digits, spaces or"
                    + " `_.:/=+-@`, not starting with `aws:`; values: 0-256 of the same");

    private static final Key<Optional<List<String>>> AVAILABILITY_ZONES = optional(
            "availabilityZones",
            availabilityZones(),
            "the Region's first three (`Fn::GetAZs`)",
            "zones of the environment's Region for the warehouse's isolated subnets; set them when a zone of the"
                    + " Region cannot host Redshift Serverless");
    private static final Key<Long> LOAD_INTERVAL = key(
            "loadIntervalSeconds",
            wholeNumber(
                    CdcLoaderProps.Tuning.MIN_LOAD_INTERVAL_SECONDS,
                    CdcLoaderProps.Tuning.MAX_LOAD_INTERVAL_SECONDS,
                    "seconds"),
            byDefault(CdcLoaderProps.Tuning.DEFAULT_LOAD_INTERVAL_SECONDS),
            "how often the loader COPYs what the consumer staged into `cdc_events` and MERGEs it into the"
                    + " current-state tables: the cost knob (see \"The cost knob\"). Landed latency is about half"
                    + " the interval plus a run's duration; Redshift Serverless bills at least 60 s per load, so"
                    + " below 60 s the warehouse is billed around the clock. From 60 s up a whole number of minutes"
                    + " (EventBridge schedules run in minutes); below 60 s one invocation a minute loads every"
                    + " interval. Shipped: `dev` 900 (a development warehouse billed ~7% of the time), `prod` 300"
                    + " (changes visible within ~5 minutes, ~20% of the time)");
    static final Key<WarehouseConfig> WAREHOUSE = object(
            "warehouse",
            Group.of(
                            WarehouseConfig.class,
                            key(
                                    "baseCapacityRpu",
                                    wholeNumber(8, 1024, "RPUs")
                                            .inStepsOf(8, "Redshift Serverless base capacity")
                                            .or(
                                                    WarehouseConfig.MIN_BASE_CAPACITY_RPU,
                                                    "Redshift Serverless's smallest"),
                                    byDefault(8),
                                    "Redshift Serverless base capacity: what every second the warehouse runs is billed"
                                            + " at (loads and queries). Shipped: `dev` 4, the smallest (a development"
                                            + " warehouse holds little), `prod` 8 (a load of a 5-minute interval takes"
                                            + " seconds; reads scan current-state tables, not the log). Raise it for"
                                            + " heavy queries"),
                            key(
                                    "databaseName",
                                    text(
                                            "a database name: 1-64 lowercase letters, digits, _ or $, starting with a letter"
                                                    + " or _",
                                            DATABASE_NAME),
                                    byDefault("dev"),
                                    "the namespace's database"),
                            AVAILABILITY_ZONES,
                            key(
                                    "largeStrings",
                                    bool(),
                                    byDefault(true),
                                    "sets the workgroup's `enable_large_strings_opt_in = Yes`:"
                                            + " strings inside SUPER up to " + WarehouseConfig.LARGE_SUPER_STRING_BYTES
                                            + " bytes instead of "
                                            + WarehouseConfig.SUPER_STRING_BYTES + " (see \"Size limits\")"),
                            LOAD_INTERVAL,
                            key(
                                    "logRetentionDays",
                                    wholeNumber(1, 3650, "days").or(0, "keep the whole log"),
                                    byDefault(0),
                                    "prunes from `cdc_events` the events older than this that a newer event of the"
                                            + " same row superseded and that are merged already, in the loader's own"
                                            + " transaction (pruning never races a merge); the latest event of every row"
                                            + " stays, so a rebuild from the log still gives the current state. 0 keeps"
                                            + " the whole log"))
                    .rule(EnvironmentSchema::zonesInRegion)
                    .rule(EnvironmentSchema::intervalInWholeMinutes));

    private static final Key<Long> MAX_RECORD_AGE = key(
            "maxRecordAgeSeconds",
            wholeNumber(60, MAX_RECORD_AGE_SECONDS, "seconds").or(ConsumerConfig.UNLIMITED_RECORD_AGE, "no limit"),
            derived(
                    "`kinesis.retentionHours` × 3600 − " + RECORD_AGE_MARGIN_SECONDS + ", at most "
                            + MAX_RECORD_AGE_SECONDS,
                    scope -> scope.find(KINESIS).map(k -> maxRecordAge(k.retentionHours()))),
            "records older than this go to the failed-batch bucket; must be below `kinesis.retentionHours` × 3600,"
                    + " so nothing expires from the stream unrecorded");
    private static final Key<Long> DONE_MARKER_RETENTION = key(
            "doneMarkerRetentionDays",
            wholeNumber(1, 3650, "days"),
            derived(
                    DONE_MARKER_RETENTION_DAYS + ", or 1 more than the Kinesis retention in days (rounded up) when"
                            + " that is more",
                    scope -> scope.find(KINESIS).map(k -> doneMarkerDays(k.retentionHours()))),
            "markers of assembled chunk sets (`chunk-done/`) expire after this; must be more than"
                    + " `kinesis.retentionHours` in days, so a piece delivered again still finds its set's done"
                    + " marker");
    static final Key<ConsumerConfig> CONSUMER = object(
            "consumer",
            Group.of(
                            ConsumerConfig.class,
                            key(
                                    "batchSize",
                                    wholeNumber(1, 10_000, "records"),
                                    byDefault(Tuning.DEFAULT_BATCH_SIZE),
                                    "records per invocation (an invocation also stops at 6 MB); each batch is"
                                            + " staged as one object, so larger batches mean fewer, larger objects for"
                                            + " the loader"),
                            key(
                                    "maxBatchingWindowSeconds",
                                    wholeNumber(0, 300, "seconds"),
                                    byDefault(Tuning.DEFAULT_MAX_BATCHING_WINDOW_SECONDS),
                                    "how long the event source mapping may wait to fill a batch. Each batch is one"
                                            + " staged object and the loader pays per object it opens: 60 s makes lightly"
                                            + " loaded shards stage ~12x fewer objects than 5 s, and the wait is small next"
                                            + " to the load interval"),
                            key(
                                    "parallelizationFactor",
                                    wholeNumber(1, 10, "concurrent batches per shard"),
                                    byDefault(Tuning.DEFAULT_PARALLELIZATION_FACTOR),
                                    "concurrent batches per shard"),
                            key(
                                            "retryAttempts",
                                            wholeNumber(0, 10_000, "retries"),
                                            byDefault(Tuning.DEFAULT_RETRY_ATTEMPTS),
                                            "retries of a failing batch (bisected) before it goes to the failed-batch bucket")
                                    .refusing(
                                            -1,
                                            "-1 (retry until the records expire) is not allowed: one poison batch would block"
                                                    + " its shard for as long as Kinesis keeps it",
                                            "a batch that still fails goes to the failed-batch bucket"),
                            MAX_RECORD_AGE,
                            key(
                                    "memoryMb",
                                    wholeNumber(256, 10_240, "MB"),
                                    byDefault(Tuning.DEFAULT_MEMORY_MB),
                                    "the consumer's memory: 1 GB gives"
                                            + " Java a full vCPU share for decoding and a fast SnapStart restore"),
                            key(
                                    "timeoutSeconds",
                                    wholeNumber(30, 900, "seconds"),
                                    byDefault(Tuning.DEFAULT_TIMEOUT_SECONDS),
                                    "the consumer's timeout"),
                            Key.removed(
                                    "maxConcurrentStatements",
                                    NO_REDSHIFT_WRITES + " it has no statements to run",
                                    "remove it"),
                            key(
                                    "failedBatchRetentionDays",
                                    wholeNumber(1, 3650, "days"),
                                    byDefault(365),
                                    "failed batches expire after this, replaced versions this long after"),
                            key(
                                    "quarantineRetentionDays",
                                    wholeNumber(1, 3650, "days"),
                                    byDefault(365),
                                    "same for quarantined records"),
                            Key.removed(
                                    "bulk",
                                    NO_REDSHIFT_WRITES + " every staged batch is loaded, and its object deleted, by"
                                            + " the loader's one COPY per interval (minRows and minBytes chose between"
                                            + " INSERT and COPY; staged objects no longer expire)",
                                    "remove the whole \"bulk\" object"),
                            object(
                                    "chunks",
                                    Group.of(
                                                    ConsumerConfig.Chunks.class,
                                                    DONE_MARKER_RETENTION,
                                                    key(
                                                            "sweepIntervalMinutes",
                                                            wholeNumber(5, 1440, "minutes"),
                                                            byDefault(15),
                                                            "how often the chunk sweep runs"),
                                                    key(
                                                            "incompleteAgeMinutes",
                                                            wholeNumber(5, 10_080, "minutes"),
                                                            byDefault(60),
                                                            "a chunk set waiting this long for a piece counts as incomplete (metric and alarm)"))
                                            .rule(EnvironmentSchema::markersOutliveTheStream)))
                    .rule(EnvironmentSchema::recordAgeBelowTheStreamsRetention));

    private static final Key<Long> STAGED_OBJECT_AGE = lagAlarm(
            "stagedObjectAgeSeconds",
            "the oldest staged object not loaded yet older than this alarms (`OldestStagedObjectAgeSeconds`; the"
                    + " loader publishes it every run, so a loader that does not run alarms too): the current-state"
                    + " tables are that stale");
    private static final Key<Long> COMMIT_TO_LANDED_LAG = lagAlarm(
            "commitToLandedLagSeconds",
            "a change that took longer than this from its DSQL commit to being merged into its current-state table"
                    + " alarms (the loader's `CommitToMergedLag`)");

    static final Key<AlarmsConfig> ALARMS = object(
            "alarms",
            Group.of(
                            AlarmsConfig.class,
                            key(
                                    "emails",
                                    emails(),
                                    byDefault(List.of()),
                                    "addresses subscribed to the alarm topic by email (each confirms once, from SNS's mail)"),
                            key(
                                    "behindSourceLagSeconds",
                                    wholeNumber(1, 86_400, "seconds"),
                                    byDefault(60),
                                    "DSQL `BehindSourceLag` above this for 3 minutes alarms"),
                            key(
                                    "iteratorAgeSeconds",
                                    wholeNumber(1, 604_800, "seconds"),
                                    byDefault(300),
                                    "Kinesis and Lambda iterator age above this for 3 minutes alarms"),
                            // An on-demand stream scales to 200 MiB/s of writes by default (more on request).
                            key(
                                    "incomingBytesPerSecond",
                                    wholeNumber(1024, 1024L * 1024 * 1024, "bytes per second"),
                                    byDefault(3L * 1024 * 1024),
                                    "Kinesis `IncomingBytes` above this rate for 3 minutes alarms"
                                            + " (3 MiB/s: ¾ of what an on-demand stream accepts before it has scaled up)"),
                            STAGED_OBJECT_AGE,
                            COMMIT_TO_LANDED_LAG,
                            key(
                                    "streamHealthIntervalMinutes",
                                    wholeNumber(1, 60, "minutes"),
                                    byDefault(5),
                                    "how often the stream health check calls GetStream"))
                    .rule(EnvironmentSchema::lagAlarmsAboveTheInterval));

    private static final Key<Long> GENERATION = key(
            "cdcStreamGeneration",
            wholeNumber(1, 999_999_999, "generations"),
            byDefault(1),
            "raise by one to replace the CDC stream at the next deploy: how a FAILED stream is recreated"
                    + " ([runbook](docs/runbook.md#a-failed-stream))");

    /** A rate or cron expression of EventBridge, e.g. {@code rate(1 day)}, {@code cron(0 3 * * ? *)}. */
    private static final Pattern SCHEDULE_EXPRESSION =
            Pattern.compile("rate\\(\\d+ (minute|minutes|hour|hours|day|days)\\)|cron\\([^()]+\\)");
    /** A database role name as DSQL (PostgreSQL) takes it unquoted. */
    private static final Pattern DATABASE_ROLE = Pattern.compile("[a-z_][a-z0-9_$]{0,62}");

    private static final Key<Boolean> ON_CREATE = key(
            "onCreate",
            bool(),
            derived(
                    "`true` when `cluster.mode` is `existing`, else `false`",
                    scope -> scope.find(CLUSTER).map(c -> c.mode() == ClusterConfig.Mode.EXISTING)),
            "start one backfill job when the CDC stream is first created, so the warehouse also gets the rows"
                    + " that existed before it (a stream carries changes from its creation only). Only for an"
                    + " `existing` cluster: a created cluster starts empty");
    static final Key<BackfillConfig> BACKFILL = object(
            "backfill",
            Group.of(
                            BackfillConfig.class,
                            ON_CREATE,
                            key(
                                    "maxConcurrency",
                                    wholeNumber(1, 100, "range workers"),
                                    byDefault(4),
                                    "range workers at once (the job's distributed map): each reads one page"
                                            + " transaction at a time on its own connection, so this bounds the load on"
                                            + " the source"),
                            key(
                                    "rangeRows",
                                    wholeNumber(100, 10_000_000, "rows"),
                                    byDefault(BackfillEnvironment.DEFAULT_RANGE_ROWS),
                                    "rows per key range: the unit of parallelism, checkpointing, validation and"
                                            + " resync (split points are read from the data)"),
                            key(
                                    "pageRows",
                                    wholeNumber(1, 100_000, "rows"),
                                    byDefault(1_000),
                                    "rows per page; each page is one short read-only transaction on the source"
                                            + " (far inside DSQL's 5 minutes and 128 MiB)"),
                            key(
                                    "sourceDatabaseRole",
                                    text(
                                            "a database role name: 1-63 lowercase letters, digits, _ or $, starting"
                                                    + " with a letter or _",
                                            DATABASE_ROLE),
                                    byDefault("cdc_reader"),
                                    "the DSQL database role the job connects as (`dsql:DbConnect`, never admin): it"
                                            + " may only SELECT the captured tables and is mapped to the job's IAM roles"
                                            + " with `AWS IAM GRANT` ([runbook](docs/runbook.md#the-backfill-job))"),
                            optional(
                                    "validationSchedule",
                                    text(
                                            "an EventBridge schedule expression, e.g. \"rate(1 day)\" or"
                                                    + " \"cron(0 3 * * ? *)\"",
                                            SCHEDULE_EXPRESSION),
                                    "absent (no scheduled validation)",
                                    "starts a validation job on this schedule; the `backfill-mismatch` alarm fires"
                                            + " when one finds ranges whose source and warehouse differ"))
                    .rule(EnvironmentSchema::onCreateOnlyForExistingClusters));

    /** One environment; its name is the last segment of its key. */
    static final Group<EnvironmentConfig> ENVIRONMENT = Group.of(
                    EnvironmentConfig.class,
                    EnvironmentSchema::environment,
                    ACCOUNT,
                    REGION,
                    CLUSTER,
                    KINESIS,
                    RETAIN_DATA,
                    LOG_RETENTION,
                    TAGS,
                    WAREHOUSE,
                    CONSUMER,
                    ALARMS,
                    BACKFILL,
                    GENERATION)
            .expecting("an object with the environment's settings")
            .rule(EnvironmentSchema::accountAndRegionTogether);

    private EnvironmentSchema() {}

    /**
     * @return a staleness threshold, in seconds, whose default follows the load interval and which must
     *         be above it ({@link #lagAlarmsAboveTheInterval})
     */
    private static Key<Long> lagAlarm(String name, String help) {
        return key(
                name,
                wholeNumber(1, 604_800, "seconds"),
                derived(
                        "2 × `warehouse.loadIntervalSeconds` + " + ALARM_SLACK_SECONDS,
                        scope -> scope.find(WAREHOUSE).map(w -> lagAlarmDefault(w.loadIntervalSeconds()))),
                help + ". Must be more than `warehouse.loadIntervalSeconds`");
    }

    /** @return the default of the lag alarms: two load intervals and {@value #ALARM_SLACK_SECONDS} s */
    static long lagAlarmDefault(int loadIntervalSeconds) {
        return 2L * loadIntervalSeconds + ALARM_SLACK_SECONDS;
    }

    /** @return the default maximum record age: one hour less than the stream keeps records, at most 7 days */
    static long maxRecordAge(int kinesisRetentionHours) {
        return Math.min(MAX_RECORD_AGE_SECONDS, kinesisRetentionHours * 3600L - RECORD_AGE_MARGIN_SECONDS);
    }

    /** @return the default done-marker retention: 35 days, or the least that outlives the stream's records */
    static long doneMarkerDays(int kinesisRetentionHours) {
        return Math.max(
                DONE_MARKER_RETENTION_DAYS, ConsumerConfig.Chunks.minDoneMarkerRetentionDays(kinesisRetentionHours));
    }

    private static EnvironmentConfig environment(Scope env) {
        return new EnvironmentConfig(
                env.key().last(),
                env.get(ACCOUNT).flatMap(account -> env.get(REGION).map(r -> new DeploymentTarget(account, r))),
                env.get(CLUSTER),
                env.get(KINESIS),
                env.get(WAREHOUSE),
                env.get(CONSUMER),
                env.get(ALARMS),
                env.get(BACKFILL),
                env.get(GENERATION).intValue(),
                env.get(RETAIN_DATA),
                env.get(LOG_RETENTION),
                env.get(TAGS));
    }

    private static ClusterConfig cluster(Scope cluster) {
        return cluster.get(MODE) == ClusterConfig.Mode.EXISTING
                ? ClusterConfig.existing(cluster.get(IDENTIFIER).orElseThrow(), cluster.get(CLUSTER_KMS_KEY))
                : ClusterConfig.create(cluster.get(DELETION_PROTECTION), cluster.get(CLUSTER_KMS_KEY));
    }

    // ---- rules: what ties a key to others ----

    private static void accountAndRegionTogether(Scope env) {
        if (env.isSet(ACCOUNT) != env.isSet(REGION)) {
            boolean hasAccount = env.isSet(ACCOUNT);
            env.error(
                    hasAccount ? REGION : ACCOUNT,
                    "missing while \"" + (hasAccount ? "account" : "region") + "\" is set",
                    "set both \"account\" and \"region\" for a fixed environment, or neither for an"
                            + " environment-agnostic one");
        }
    }

    /** A created cluster starts empty: there is nothing for a first backfill to read. */
    private static void onCreateOnlyForExistingClusters(Scope backfill) {
        boolean created = backfill.find(CLUSTER)
                .map(c -> c.mode() == ClusterConfig.Mode.CREATE)
                .orElse(false);
        if (created && backfill.isSet(ON_CREATE) && backfill.find(ON_CREATE).orElse(false)) {
            backfill.error(
                    ON_CREATE,
                    "true, but cluster.mode is \"create\": the app creates the cluster empty, and its CDC stream"
                            + " carries every row from the first one, so there is nothing to backfill",
                    "remove it (or set it to false); to snapshot a table added later, start a backfill job by hand"
                            + " (docs/runbook.md, the backfill job)");
        }
    }

    private static void clusterMode(Scope cluster) {
        Optional<ClusterConfig.Mode> mode = cluster.find(MODE);
        if (mode.equals(Optional.of(ClusterConfig.Mode.CREATE)) && cluster.isSet(IDENTIFIER)) {
            cluster.error(
                    IDENTIFIER,
                    "not allowed when mode is \"create\" (the identifier is assigned by AWS)",
                    "remove it, or set mode to \"existing\" to use that cluster");
        }
        if (!mode.equals(Optional.of(ClusterConfig.Mode.EXISTING))) {
            return;
        }
        if (!cluster.isSet(IDENTIFIER)) {
            cluster.error(
                    IDENTIFIER,
                    "missing; an existing cluster is found by its identifier",
                    "set it to the 26-character identifier shown by `aws dsql list-clusters`");
        }
        if (cluster.isSet(DELETION_PROTECTION)) {
            cluster.error(
                    DELETION_PROTECTION,
                    "not allowed when mode is \"existing\" (this app does not manage that" + " cluster)",
                    "remove it and change deletion protection on the cluster itself");
        }
        if (cluster.find(CLUSTER_KMS_KEY)
                .map(k -> k.source() == KmsKeyConfig.Source.CREATE)
                .orElse(false)) {
            cluster.error(
                    CLUSTER_KMS_KEY,
                    "\"create\" is not allowed when mode is \"existing\" (the cluster already has its key)",
                    "set it to \"aws-owned\" or to the ARN of the cluster's customer managed key, so the stream"
                            + " handler gets kms:Decrypt on it");
        }
    }

    /** @return the rule that an imported key is in the environment's Region (KMS keys are regional) */
    private static Consumer<Scope> inRegion(Key<KmsKeyConfig> kmsKey) {
        return scope -> scope.find(kmsKey).flatMap(KmsKeyConfig::keyArn).ifPresent(arn -> {
            Matcher matcher = KMS_KEY_ARN.matcher(arn);
            String keyRegion = matcher.matches() ? matcher.group(2) : "";
            scope.find(REGION)
                    .flatMap(r -> r)
                    .filter(region -> !region.equals(keyRegion))
                    .ifPresent(region -> scope.error(
                            kmsKey,
                            "the key is in " + keyRegion + " but the environment deploys to " + region
                                    + " (KMS keys are regional)",
                            "use a key from " + region));
        });
    }

    private static void zonesInRegion(Scope warehouse) {
        warehouse.find(AVAILABILITY_ZONES).flatMap(z -> z).ifPresent(zones -> {
            Matcher matcher = AVAILABILITY_ZONE.matcher(zones.get(0));
            String zoneRegion = matcher.matches() ? matcher.group(1) : "";
            warehouse
                    .find(REGION)
                    .flatMap(r -> r)
                    .filter(region -> !region.equals(zoneRegion))
                    .ifPresent(region -> warehouse.error(
                            AVAILABILITY_ZONES,
                            "the zones are in " + zoneRegion + " but the environment" + " deploys to " + region,
                            "use zones of " + region));
        });
    }

    /** EventBridge schedules run in whole minutes: from a minute up, the interval must be one. */
    private static void intervalInWholeMinutes(Scope warehouse) {
        warehouse.find(LOAD_INTERVAL).ifPresent(seconds -> {
            long minute = CdcLoaderProps.Tuning.MINUTE_SECONDS;
            if (seconds > minute && seconds % minute != 0) {
                long below = seconds / minute * minute;
                warehouse.error(
                        LOAD_INTERVAL,
                        seconds + " s is above a minute but not a whole number of minutes (the loader's EventBridge"
                                + " schedule runs in minutes; below a minute, one invocation a minute loads every"
                                + " interval)",
                        "set it to " + below + " or " + (below + minute));
            }
        });
    }

    /** An alarm on staleness at or below the load interval would fire between two healthy loads. */
    private static void lagAlarmsAboveTheInterval(Scope alarms) {
        Optional<Integer> interval = alarms.find(WAREHOUSE).map(WarehouseConfig::loadIntervalSeconds);
        if (interval.isEmpty()) {
            return;
        }
        for (Key<Long> threshold : List.of(STAGED_OBJECT_AGE, COMMIT_TO_LANDED_LAG)) {
            alarms.find(threshold)
                    .filter(seconds -> seconds <= interval.get())
                    .ifPresent(seconds -> alarms.error(
                            threshold,
                            seconds + " s is not more than warehouse.loadIntervalSeconds (" + interval.get()
                                    + " s): it would alarm between two healthy loads",
                            "set it above " + interval.get() + " (or leave it out: the default is "
                                    + lagAlarmDefault(interval.get()) + ")"));
        }
    }

    private static void recordAgeBelowTheStreamsRetention(Scope consumer) {
        Optional<Long> age = consumer.find(MAX_RECORD_AGE).filter(a -> a != ConsumerConfig.UNLIMITED_RECORD_AGE);
        Optional<KinesisConfig> kinesis = consumer.find(KINESIS);
        if (age.isEmpty() || kinesis.isEmpty()) {
            return;
        }
        int hours = kinesis.get().retentionHours();
        long streamSeconds = hours * 3600L;
        if (age.get() >= streamSeconds) {
            consumer.error(
                    MAX_RECORD_AGE,
                    age.get() + " s is not less than the Kinesis stream's retention (" + hours
                            + " hours = " + streamSeconds + " s): a record the consumer cannot take would expire from"
                            + " the stream before it reaches the failed-batch bucket",
                    "set it below " + streamSeconds + " (or leave it out: the default is " + maxRecordAge(hours)
                            + "), or raise kinesis.retentionHours");
        }
    }

    private static void markersOutliveTheStream(Scope chunks) {
        Optional<Long> days = chunks.find(DONE_MARKER_RETENTION);
        Optional<KinesisConfig> kinesis = chunks.find(KINESIS);
        if (days.isEmpty() || kinesis.isEmpty()) {
            return;
        }
        int hours = kinesis.get().retentionHours();
        int least = ConsumerConfig.Chunks.minDoneMarkerRetentionDays(hours);
        if (days.get() < least) {
            chunks.error(
                    DONE_MARKER_RETENTION,
                    days.get() + " days is not more than the Kinesis stream's retention ("
                            + hours + " hours, " + (least - 1) + " days rounded up): a piece of a chunked record"
                            + " re-delivered after its set's done marker expired would start a set that never"
                            + " completes",
                    "set it to at least " + least + " (or leave it out: the default is " + doneMarkerDays(hours)
                            + "), or lower kinesis.retentionHours");
        }
    }

    // ---- value types of this configuration ----

    private static Type<KmsKeyConfig> kmsKey(boolean awsOwnedAllowed) {
        return Type.leaf(
                (awsOwnedAllowed ? "\"aws-owned\", " : "") + "\"create\" or a KMS key ARN"
                        + " (arn:aws:kms:<region>:<account>:key/<key id>)",
                KmsKeyConfig.class,
                raw -> {
                    if ("create".equals(raw)) {
                        return Optional.of(KmsKeyConfig.create());
                    }
                    if (awsOwnedAllowed && "aws-owned".equals(raw)) {
                        return Optional.of(KmsKeyConfig.awsOwned());
                    }
                    return raw instanceof String
                                    && KMS_KEY_ARN.matcher((String) raw).matches()
                            ? Optional.of(KmsKeyConfig.imported((String) raw))
                            : Optional.empty();
                });
    }

    private static Type<List<String>> availabilityZones() {
        int count = WarehouseConfig.AVAILABILITY_ZONE_COUNT;
        String expected = "a list of " + count + " distinct Availability Zone names of one Region, e.g."
                + " [\"eu-west-1a\", \"eu-west-1b\", \"eu-west-1c\"]";
        return Type.of(expected, List.class, (key, raw, problems) -> {
            if (!(raw instanceof List)) {
                problems.typeError(key, expected, raw);
                return Optional.empty();
            }
            List<String> zones = new ArrayList<>();
            Set<String> regions = new TreeSet<>();
            for (Object zone : (List<?>) raw) {
                Matcher matcher = zone instanceof String ? AVAILABILITY_ZONE.matcher((String) zone) : null;
                if (matcher == null || !matcher.matches()) {
                    problems.typeError(
                            key, expected + " (Availability Zone ids such as euw1-az1 are not accepted)", raw);
                    return Optional.empty();
                }
                zones.add((String) zone);
                regions.add(matcher.group(1));
            }
            if (zones.size() != count || new TreeSet<>(zones).size() != count) {
                problems.error(
                        key,
                        "Redshift Serverless needs subnets in exactly " + count + " distinct Availability"
                                + " Zones, got " + zones,
                        "set three different zones of the Region, or remove the key to use the Region's first three");
                return Optional.empty();
            }
            if (regions.size() > 1) {
                problems.error(key, "the zones are in different Regions " + regions, "set three zones of one Region");
                return Optional.empty();
            }
            return Optional.of(List.copyOf(zones));
        });
    }

    private static Type<List<String>> emails() {
        String expected = "a list of email addresses, e.g. [\"oncall@example.com\"] (or leave it out: no email)";
        return Type.of(expected, List.class, (key, raw, problems) -> {
            if (!(raw instanceof List)) {
                problems.typeError(key, expected, raw);
                return Optional.empty();
            }
            List<String> emails = new ArrayList<>();
            for (Object email : (List<?>) raw) {
                if (!(email instanceof String) || !EMAIL.matcher((String) email).matches()) {
                    problems.typeError(
                            key, expected + "; " + ConfigProblems.describe(email) + " is not an email address", raw);
                    return Optional.empty();
                }
                if (emails.contains(email)) {
                    problems.error(
                            key,
                            ConfigProblems.describe(email) + " is listed twice (SNS would subscribe it once)",
                            "remove the duplicate");
                    return Optional.empty();
                }
                emails.add((String) email);
            }
            return Optional.of(List.copyOf(emails));
        });
    }

    private static Type<SortedMap<String, String>> tags() {
        String expected = "an object of tag names to string values";
        return Type.of(expected, SortedMap.class, (key, raw, problems) -> {
            Optional<Map<String, Object>> map = problems.object(key, raw, expected);
            int before = problems.count();
            SortedMap<String, String> tags = new TreeMap<>();
            map.orElse(Map.of()).forEach((name, value) -> {
                if (name.isEmpty()
                        || name.length() > 128
                        || !TAG_CHARACTERS.matcher(name).matches()
                        || name.toLowerCase(Locale.ROOT).startsWith("aws:")) {
                    problems.error(
                            key.child(name),
                            "invalid tag name " + ConfigProblems.describe(name),
                            "use 1-128 letters, digits, spaces or _.:/=+-@, not starting with \"aws:\"");
                } else if (!(value instanceof String)
                        || ((String) value).length() > 256
                        || !TAG_CHARACTERS.matcher((String) value).matches()) {
                    problems.typeError(
                            key.child(name),
                            "a tag value in quotes: 0-256 letters, digits, spaces or" + " _.:/=+-@",
                            value);
                } else {
                    tags.put(name, (String) value);
                }
            });
            return map.isPresent() && problems.count() == before ? Optional.of(tags) : Optional.empty();
        });
    }

    private static Map<Long, RetentionDays> retentionDays() {
        return Collections.unmodifiableMap(new TreeMap<>(Map.ofEntries(
                entry(1L, RetentionDays.ONE_DAY),
                entry(3L, RetentionDays.THREE_DAYS),
                entry(5L, RetentionDays.FIVE_DAYS),
                entry(7L, RetentionDays.ONE_WEEK),
                entry(14L, RetentionDays.TWO_WEEKS),
                entry(30L, RetentionDays.ONE_MONTH),
                entry(60L, RetentionDays.TWO_MONTHS),
                entry(90L, RetentionDays.THREE_MONTHS),
                entry(120L, RetentionDays.FOUR_MONTHS),
                entry(150L, RetentionDays.FIVE_MONTHS),
                entry(180L, RetentionDays.SIX_MONTHS),
                entry(365L, RetentionDays.ONE_YEAR),
                entry(400L, RetentionDays.THIRTEEN_MONTHS),
                entry(545L, RetentionDays.EIGHTEEN_MONTHS),
                entry(731L, RetentionDays.TWO_YEARS),
                entry(1096L, RetentionDays.THREE_YEARS),
                entry(1827L, RetentionDays.FIVE_YEARS),
                entry(2192L, RetentionDays.SIX_YEARS),
                entry(2557L, RetentionDays.SEVEN_YEARS),
                entry(2922L, RetentionDays.EIGHT_YEARS),
                entry(3288L, RetentionDays.NINE_YEARS),
                entry(3653L, RetentionDays.TEN_YEARS))));
    }
}
