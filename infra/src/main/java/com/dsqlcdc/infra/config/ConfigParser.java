package com.dsqlcdc.infra.config;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awscdk.services.logs.RetentionDays;

/**
 * Turns raw CDK context into {@link PipelineConfig}. Strict: unknown keys, wrong types and
 * out-of-range values are errors. Every error names the full key and how to fix it, and all of
 * them are reported together.
 */
final class ConfigParser {

    private static final Pattern ENVIRONMENT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,63}");
    static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    static final Pattern REGION = Pattern.compile("[a-z]{2,4}(-[a-z]+)+-\\d{1,2}");
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

    private static final Set<String> ENVIRONMENT_KEYS =
            Set.of("account", "region", "cluster", "kinesis", "warehouse", "consumer", "alarms", "cdcStreamGeneration",
                    "retainData", "logRetentionDays", "tags");
    private static final Set<String> CLUSTER_KEYS = Set.of("mode", "identifier", "deletionProtection", "kmsKey");
    private static final Set<String> KINESIS_KEYS = Set.of("retentionHours", "kmsKey");
    private static final Set<String> WAREHOUSE_KEYS = Set.of("baseCapacityRpu", "databaseName", "availabilityZones",
            "largeStrings");
    private static final Set<String> CONSUMER_KEYS = Set.of("batchSize", "maxBatchingWindowSeconds",
            "parallelizationFactor", "retryAttempts", "maxRecordAgeSeconds", "memoryMb", "timeoutSeconds",
            "maxConcurrentStatements", "failedBatchRetentionDays", "quarantineRetentionDays", "bulk", "chunks");
    private static final Set<String> BULK_KEYS = Set.of("minRows", "minBytes", "stagingRetentionDays");
    private static final Set<String> ALARMS_KEYS = Set.of("emails", "behindSourceLagSeconds", "iteratorAgeSeconds",
            "incomingBytesPerSecond", "commitToLandedLagSeconds", "streamHealthIntervalMinutes");
    /** Deliberately loose: SNS validates the address, and the subscriber must confirm it anyway. */
    private static final Pattern EMAIL = Pattern.compile("[^@\\s\"]+@[^@\\s\"]+\\.[^@\\s\"]+");
    private static final Set<String> CHUNKS_KEYS =
            Set.of("doneMarkerRetentionDays", "sweepIntervalMinutes", "incompleteAgeMinutes");

    private static final int DEFAULT_LOG_RETENTION_DAYS = 30;
    /** The values CloudWatch Logs accepts, mapped to the CDK enum (which does not expose the number). */
    private static final Map<Integer, RetentionDays> RETENTION_DAYS = retentionDays();

    private final ConfigProblems problems = new ConfigProblems();

    PipelineConfig parse(Object rawEnvironments, Object rawOnly, Path customResourceJar, Path consumerJar) {
        ConfigKey root = ConfigKey.root(PipelineConfig.ENVIRONMENTS_KEY);
        Map<String, Object> environments = environmentMap(root, rawEnvironments);
        List<EnvironmentConfig> parsed = new ArrayList<>();
        environments.forEach((name, value) -> environment(root.child(name), name, value).ifPresent(parsed::add));
        List<EnvironmentConfig> selected = select(environments.keySet(), parsed, rawOnly);
        checkJar("custom-resource", customResourceJar);
        checkJar("consumer", consumerJar);
        if (!problems.isEmpty()) {
            throw problems.exception();
        }
        return new PipelineConfig(selected, customResourceJar, consumerJar);
    }

    private Map<String, Object> environmentMap(ConfigKey root, Object raw) {
        if (raw == null) {
            problems.add(root + ": missing; add to \"context\" in cdk.json an object mapping each environment name"
                    + " to its settings, e.g. \"" + root + "\": {\"dev\": {\"cluster\": {\"mode\": \"create\"}}}");
            return Map.of();
        }
        Optional<Map<String, Object>> map = problems.object(root, raw, "an object mapping environment names to settings");
        if (map.isPresent() && map.get().isEmpty()) {
            problems.error(root, "expected at least one environment, got an empty object",
                    "add one, e.g. \"dev\": {\"cluster\": {\"mode\": \"create\"}}");
        }
        return map.orElse(Map.of());
    }

    private Optional<EnvironmentConfig> environment(ConfigKey key, String name, Object raw) {
        int errorsBefore = problems.count();
        if (!ENVIRONMENT_NAME.matcher(name).matches()) {
            problems.error(key, "invalid environment name " + ConfigProblems.describe(name)
                            + " (it becomes the Stage id and stack name prefix)",
                    "rename it to start with a letter and use only letters, digits and '-' (at most 64)");
        }
        Optional<Map<String, Object>> settings = problems.object(key, raw, "an object with the environment's settings");
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> map = settings.get();
        problems.checkKeys(key, map, ENVIRONMENT_KEYS);

        Optional<String> account = problems.string(key.child("account"), map,
                "a 12-digit AWS account id in quotes, e.g. \"123456789012\"", ACCOUNT);
        Optional<String> region = problems.string(key.child("region"), map,
                "an AWS Region code, e.g. \"eu-west-1\"", REGION);
        Optional<DeploymentTarget> target = target(key, map, account, region);

        Optional<ClusterConfig> cluster = cluster(key.child("cluster"), map, region);
        Optional<KinesisConfig> kinesis = kinesis(key.child("kinesis"), map, region);
        Optional<WarehouseConfig> warehouse = warehouse(key.child("warehouse"), map, region);
        Optional<ConsumerConfig> consumer = consumer(key.child("consumer"), map, kinesis);
        Optional<AlarmsConfig> alarms = alarms(key.child("alarms"), map);
        Optional<Long> generation = wholeNumber(key.child("cdcStreamGeneration"), map, 1, 999_999_999,
                "generations", 1);
        boolean retainData = problems.bool(key.child("retainData"), map, true);
        RetentionDays logRetention = logRetention(key.child("logRetentionDays"), map);
        SortedMap<String, String> tags = tags(key.child("tags"), map);

        if (problems.count() > errorsBefore) {
            return Optional.empty();
        }
        return Optional.of(new EnvironmentConfig(name, target, cluster.orElseThrow(), kinesis.orElseThrow(),
                warehouse.orElseThrow(), consumer.orElseThrow(), alarms.orElseThrow(), generation.orElseThrow().intValue(), retainData, logRetention, tags));
    }

    private Optional<DeploymentTarget> target(ConfigKey key, Map<String, Object> map,
                                              Optional<String> account, Optional<String> region) {
        boolean hasAccount = map.containsKey("account");
        boolean hasRegion = map.containsKey("region");
        if (hasAccount != hasRegion) {
            ConfigKey missing = key.child(hasAccount ? "region" : "account");
            problems.error(missing, "missing while \"" + (hasAccount ? "account" : "region") + "\" is set",
                    "set both \"account\" and \"region\" for a fixed environment, or neither for an"
                            + " environment-agnostic one");
            return Optional.empty();
        }
        if (account.isPresent() && region.isPresent()) {
            return Optional.of(new DeploymentTarget(account.get(), region.get()));
        }
        return Optional.empty();
    }

    private Optional<ClusterConfig> cluster(ConfigKey key, Map<String, Object> parent, Optional<String> region) {
        if (!parent.containsKey(key.last())) {
            problems.error(key, "missing", "add \"cluster\": {\"mode\": \"create\"} to create a cluster, or"
                    + " {\"mode\": \"existing\", \"identifier\": \"<26-character cluster id>\"} to use one");
            return Optional.empty();
        }
        Optional<Map<String, Object>> settings = problems.object(key, parent.get(key.last()), "an object");
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> map = settings.get();
        problems.checkKeys(key, map, CLUSTER_KEYS);
        int errorsBefore = problems.count();

        ConfigKey modeKey = key.child("mode");
        Optional<String> mode = Optional.empty();
        if (!map.containsKey("mode")) {
            problems.error(modeKey, "missing", "set it to \"create\" or \"existing\"");
        } else {
            mode = problems.string(modeKey, map, "\"create\" or \"existing\"", Pattern.compile("create|existing"));
        }
        boolean existing = mode.map("existing"::equals).orElse(false);
        boolean create = mode.map("create"::equals).orElse(false);

        ConfigKey identifierKey = key.child("identifier");
        Optional<String> identifier = problems.string(identifierKey, map,
                "the cluster identifier: 26 characters, lowercase letters and digits", CLUSTER_IDENTIFIER);
        if (existing && !map.containsKey("identifier")) {
            problems.error(identifierKey, "missing; an existing cluster is found by its identifier",
                    "set it to the 26-character identifier shown by `aws dsql list-clusters`");
        }
        if (create && map.containsKey("identifier")) {
            problems.error(identifierKey, "not allowed when mode is \"create\" (the identifier is assigned by AWS)",
                    "remove it, or set mode to \"existing\" to use that cluster");
        }

        ConfigKey protectionKey = key.child("deletionProtection");
        boolean deletionProtection = problems.bool(protectionKey, map, true);
        if (existing && map.containsKey("deletionProtection")) {
            problems.error(protectionKey, "not allowed when mode is \"existing\" (this app does not manage that cluster)",
                    "remove it and change deletion protection on the cluster itself");
        }

        ConfigKey kmsKeyKey = key.child("kmsKey");
        Optional<KmsKeyConfig> kmsKey = kmsKey(kmsKeyKey, map, KmsKeyConfig.awsOwned(), true, region);
        if (existing && kmsKey.map(k -> k.source() == KmsKeyConfig.Source.CREATE).orElse(false)) {
            problems.error(kmsKeyKey, "\"create\" is not allowed when mode is \"existing\" (the cluster already has its key)",
                    "set it to \"aws-owned\" or to the ARN of the cluster's customer managed key, so the stream"
                            + " handler gets kms:Decrypt on it");
        }

        if (problems.count() > errorsBefore || mode.isEmpty() || kmsKey.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(existing
                ? ClusterConfig.existing(identifier.orElseThrow(), kmsKey.get())
                : ClusterConfig.create(deletionProtection, kmsKey.get()));
    }

    private Optional<KinesisConfig> kinesis(ConfigKey key, Map<String, Object> parent, Optional<String> region) {
        Map<String, Object> map = Map.of();
        if (parent.containsKey(key.last())) {
            Optional<Map<String, Object>> settings = problems.object(key, parent.get(key.last()), "an object");
            if (settings.isEmpty()) {
                return Optional.empty();
            }
            map = settings.get();
            problems.checkKeys(key, map, KINESIS_KEYS);
        }
        int errorsBefore = problems.count();
        Optional<Long> hours = wholeNumber(key.child("retentionHours"), map,
                KinesisConfig.MIN_RETENTION_HOURS, KinesisConfig.MAX_RETENTION_HOURS, "hours",
                KinesisConfig.DEFAULT_RETENTION_HOURS);
        Optional<KmsKeyConfig> kmsKey = kmsKey(key.child("kmsKey"), map, KmsKeyConfig.create(), false, region);
        if (problems.count() > errorsBefore || hours.isEmpty() || kmsKey.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new KinesisConfig(hours.get().intValue(), kmsKey.get()));
    }

    private Optional<WarehouseConfig> warehouse(ConfigKey key, Map<String, Object> parent, Optional<String> region) {
        Optional<Map<String, Object>> settings = optionalObject(key, parent, WAREHOUSE_KEYS);
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> map = settings.get();
        int errorsBefore = problems.count();

        ConfigKey capacityKey = key.child("baseCapacityRpu");
        Optional<Long> capacity = wholeNumber(capacityKey, map, WarehouseConfig.MIN_BASE_CAPACITY_RPU,
                WarehouseConfig.MAX_BASE_CAPACITY_RPU, "RPUs", WarehouseConfig.DEFAULT_BASE_CAPACITY_RPU);
        if (capacity.isPresent() && capacity.get() % WarehouseConfig.BASE_CAPACITY_STEP_RPU != 0) {
            long below = capacity.get() / WarehouseConfig.BASE_CAPACITY_STEP_RPU * WarehouseConfig.BASE_CAPACITY_STEP_RPU;
            problems.error(capacityKey, "Redshift Serverless base capacity moves in steps of "
                            + WarehouseConfig.BASE_CAPACITY_STEP_RPU + " RPUs, got " + capacity.get(),
                    "set it to a multiple of 8, e.g. " + Math.max(below, WarehouseConfig.MIN_BASE_CAPACITY_RPU)
                            + " or " + (below + WarehouseConfig.BASE_CAPACITY_STEP_RPU));
        }

        ConfigKey databaseKey = key.child("databaseName");
        Optional<String> database = map.containsKey("databaseName")
                ? problems.string(databaseKey, map, "a database name: 1-64 lowercase letters, digits, _ or $, starting with a"
                        + " letter or _", DATABASE_NAME)
                : Optional.of(WarehouseConfig.DEFAULT_DATABASE_NAME);

        Optional<List<String>> zones = availabilityZones(key.child("availabilityZones"), map, region);
        boolean largeStrings = problems.bool(key.child("largeStrings"), map, WarehouseConfig.DEFAULT_LARGE_STRINGS);

        if (problems.count() > errorsBefore || capacity.isEmpty() || database.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new WarehouseConfig(capacity.get().intValue(), database.get(), zones, largeStrings));
    }

    private Optional<List<String>> availabilityZones(ConfigKey key, Map<String, Object> map, Optional<String> region) {
        if (!map.containsKey(key.last())) {
            return Optional.empty();
        }
        Object raw = map.get(key.last());
        String expected = "a list of " + WarehouseConfig.AVAILABILITY_ZONE_COUNT + " distinct Availability Zone names"
                + " of one Region, e.g. [\"eu-west-1a\", \"eu-west-1b\", \"eu-west-1c\"]";
        if (!(raw instanceof List)) {
            problems.typeError(key, expected, raw);
            return Optional.empty();
        }
        List<?> list = (List<?>) raw;
        List<String> zones = new ArrayList<>();
        Set<String> regions = new TreeSet<>();
        for (Object zone : list) {
            var matcher = zone instanceof String ? AVAILABILITY_ZONE.matcher((String) zone) : null;
            if (matcher == null || !matcher.matches()) {
                problems.typeError(key, expected + " (Availability Zone ids such as euw1-az1 are not accepted)", raw);
                return Optional.empty();
            }
            zones.add((String) zone);
            regions.add(matcher.group(1));
        }
        if (zones.size() != WarehouseConfig.AVAILABILITY_ZONE_COUNT
                || new TreeSet<>(zones).size() != WarehouseConfig.AVAILABILITY_ZONE_COUNT) {
            problems.error(key, "Redshift Serverless needs subnets in exactly " + WarehouseConfig.AVAILABILITY_ZONE_COUNT
                            + " distinct Availability Zones, got " + zones,
                    "set three different zones of the Region, or remove the key to use the Region's first three");
            return Optional.empty();
        }
        if (regions.size() > 1) {
            problems.error(key, "the zones are in different Regions " + regions, "set three zones of one Region");
            return Optional.empty();
        }
        String zoneRegion = regions.iterator().next();
        if (region.isPresent() && !zoneRegion.equals(region.get())) {
            problems.error(key, "the zones are in " + zoneRegion + " but the environment deploys to " + region.get(),
                    "use zones of " + region.get());
            return Optional.empty();
        }
        return Optional.of(List.copyOf(zones));
    }

    private Optional<ConsumerConfig> consumer(ConfigKey key, Map<String, Object> parent, Optional<KinesisConfig> kinesis) {
        Optional<Map<String, Object>> settings = optionalObject(key, parent, CONSUMER_KEYS);
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> map = settings.get();
        int errorsBefore = problems.count();

        Optional<Long> batchSize = wholeNumber(key.child("batchSize"), map, 1, 10_000, "records",
                ConsumerConfig.DEFAULT_BATCH_SIZE);
        Optional<Long> window = wholeNumber(key.child("maxBatchingWindowSeconds"), map, 0, 300, "seconds",
                ConsumerConfig.DEFAULT_MAX_BATCHING_WINDOW_SECONDS);
        Optional<Long> parallelization = wholeNumber(key.child("parallelizationFactor"), map, 1, 10,
                "concurrent batches per shard", ConsumerConfig.DEFAULT_PARALLELIZATION_FACTOR);
        ConfigKey retriesKey = key.child("retryAttempts");
        Optional<Long> retries = Optional.empty();
        if (Long.valueOf(-1).equals(integral(map.get(retriesKey.last())).orElse(null))) {
            problems.error(retriesKey, "-1 (retry until the records expire) is not allowed: one poison batch would block its"
                            + " shard for as long as Kinesis keeps it",
                    "set a whole number of retries from 0 to 10000 (default " + ConsumerConfig.DEFAULT_RETRY_ATTEMPTS
                            + "); a batch that still fails goes to the failed-batch bucket");
        } else {
            retries = wholeNumber(retriesKey, map, 0, 10_000, "retries", ConsumerConfig.DEFAULT_RETRY_ATTEMPTS);
        }
        int retentionHours = kinesis.map(KinesisConfig::retentionHours).orElse(KinesisConfig.DEFAULT_RETENTION_HOURS);
        Optional<Long> maxAge = maxRecordAge(key.child("maxRecordAgeSeconds"), map, kinesis);
        Optional<Long> memory = wholeNumber(key.child("memoryMb"), map, 256, 10_240, "MB",
                ConsumerConfig.DEFAULT_MEMORY_MB);
        Optional<Long> timeout = wholeNumber(key.child("timeoutSeconds"), map, 30, 900, "seconds",
                ConsumerConfig.DEFAULT_TIMEOUT_SECONDS);
        Optional<Long> statements = wholeNumber(key.child("maxConcurrentStatements"), map, 1, 50, "statements",
                ConsumerConfig.DEFAULT_MAX_CONCURRENT_STATEMENTS);
        Optional<Long> failedBatchDays = wholeNumber(key.child("failedBatchRetentionDays"), map, 1, 3650, "days",
                ConsumerConfig.DEFAULT_RETENTION_DAYS);
        Optional<Long> quarantineDays = wholeNumber(key.child("quarantineRetentionDays"), map, 1, 3650, "days",
                ConsumerConfig.DEFAULT_RETENTION_DAYS);
        Optional<ConsumerConfig.Bulk> bulk = bulk(key.child("bulk"), map);
        Optional<ConsumerConfig.Chunks> chunks = chunks(key.child("chunks"), map, kinesis);

        if (problems.count() > errorsBefore) {
            return Optional.empty();
        }
        return Optional.of(new ConsumerConfig(batchSize.orElseThrow().intValue(), window.orElseThrow().intValue(),
                parallelization.orElseThrow().intValue(), retries.orElseThrow().intValue(),
                maxAge.orElse((long) ConsumerConfig.defaultMaxRecordAgeSeconds(retentionHours)).intValue(),
                memory.orElseThrow().intValue(), timeout.orElseThrow().intValue(),
                statements.orElseThrow().intValue(), failedBatchDays.orElseThrow().intValue(),
                quarantineDays.orElseThrow().intValue(), bulk.orElseThrow(), chunks.orElseThrow()));
    }

    private Optional<ConsumerConfig.Bulk> bulk(ConfigKey key, Map<String, Object> parent) {
        Optional<Map<String, Object>> settings = optionalObject(key, parent, BULK_KEYS);
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> map = settings.get();
        Optional<Long> minRows = wholeNumber(key.child("minRows"), map, 1, 10_000, "rows",
                ConsumerConfig.DEFAULT_BULK_MIN_ROWS);
        Optional<Long> minBytes = wholeNumber(key.child("minBytes"), map, 1024, ConsumerConfig.MAX_BULK_MIN_BYTES,
                "bytes", ConsumerConfig.DEFAULT_BULK_MIN_BYTES);
        Optional<Long> stagingDays = wholeNumber(key.child("stagingRetentionDays"), map, 1, 365, "days",
                ConsumerConfig.DEFAULT_STAGING_RETENTION_DAYS);
        if (minRows.isEmpty() || minBytes.isEmpty() || stagingDays.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ConsumerConfig.Bulk(minRows.get().intValue(), minBytes.get().intValue(),
                stagingDays.get().intValue()));
    }

    private Optional<ConsumerConfig.Chunks> chunks(ConfigKey key, Map<String, Object> parent,
                                                   Optional<KinesisConfig> kinesis) {
        Optional<Map<String, Object>> settings = optionalObject(key, parent, CHUNKS_KEYS);
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> map = settings.get();
        ConfigKey markerKey = key.child("doneMarkerRetentionDays");
        int retentionHours = kinesis.map(KinesisConfig::retentionHours).orElse(KinesisConfig.DEFAULT_RETENTION_HOURS);
        Optional<Long> markerDays = wholeNumber(markerKey, map, 1, 3650, "days",
                ConsumerConfig.Chunks.defaultDoneMarkerRetentionDays(retentionHours));
        Optional<Long> interval = wholeNumber(key.child("sweepIntervalMinutes"), map, 5, 1440, "minutes",
                ConsumerConfig.DEFAULT_SWEEP_INTERVAL_MINUTES);
        Optional<Long> incompleteAge = wholeNumber(key.child("incompleteAgeMinutes"), map, 5, 10_080, "minutes",
                ConsumerConfig.DEFAULT_INCOMPLETE_AGE_MINUTES);
        // Only an explicit value can be too short: the default follows the stream's retention.
        int least = ConsumerConfig.Chunks.minDoneMarkerRetentionDays(retentionHours);
        if (kinesis.isPresent() && markerDays.isPresent() && markerDays.get() < least) {
            problems.error(markerKey, markerDays.get() + " days is not more than the Kinesis stream's retention ("
                            + retentionHours + " hours, " + (least - 1) + " days rounded up): a piece of a chunked"
                            + " record re-delivered after its set's done marker expired would start a set that"
                            + " never completes",
                    "set it to at least " + least + " (or leave it out: the default is "
                            + ConsumerConfig.Chunks.defaultDoneMarkerRetentionDays(retentionHours)
                            + "), or lower kinesis.retentionHours");
            return Optional.empty();
        }
        if (markerDays.isEmpty() || interval.isEmpty() || incompleteAge.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ConsumerConfig.Chunks(markerDays.get().intValue(), interval.get().intValue(),
                incompleteAge.get().intValue()));
    }

    private Optional<AlarmsConfig> alarms(ConfigKey key, Map<String, Object> parent) {
        Optional<Map<String, Object>> settings = optionalObject(key, parent, ALARMS_KEYS);
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> map = settings.get();
        Optional<List<String>> emails = emails(key.child("emails"), map);
        Optional<Long> behindSourceLag = wholeNumber(key.child("behindSourceLagSeconds"), map, 1, 86_400, "seconds",
                AlarmsConfig.DEFAULT_BEHIND_SOURCE_LAG_SECONDS);
        Optional<Long> iteratorAge = wholeNumber(key.child("iteratorAgeSeconds"), map, 1, 604_800, "seconds",
                AlarmsConfig.DEFAULT_ITERATOR_AGE_SECONDS);
        // An on-demand stream scales to 200 MiB/s of writes by default (more on request).
        Optional<Long> incomingBytes = wholeNumber(key.child("incomingBytesPerSecond"), map, 1024,
                1024L * 1024 * 1024, "bytes per second", AlarmsConfig.DEFAULT_INCOMING_BYTES_PER_SECOND);
        Optional<Long> commitToLanded = wholeNumber(key.child("commitToLandedLagSeconds"), map, 1, 604_800,
                "seconds", AlarmsConfig.DEFAULT_COMMIT_TO_LANDED_LAG_SECONDS);
        Optional<Long> healthInterval = wholeNumber(key.child("streamHealthIntervalMinutes"), map, 1, 60,
                "minutes", AlarmsConfig.DEFAULT_STREAM_HEALTH_INTERVAL_MINUTES);
        if (emails.isEmpty() || behindSourceLag.isEmpty() || iteratorAge.isEmpty() || incomingBytes.isEmpty()
                || commitToLanded.isEmpty() || healthInterval.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new AlarmsConfig(emails.get(), behindSourceLag.get().intValue(),
                iteratorAge.get().intValue(), incomingBytes.get(), commitToLanded.get().intValue(),
                healthInterval.get().intValue()));
    }

    private Optional<List<String>> emails(ConfigKey key, Map<String, Object> map) {
        if (!map.containsKey(key.last())) {
            return Optional.of(List.of());
        }
        Object raw = map.get(key.last());
        String expected = "a list of email addresses, e.g. [\"oncall@example.com\"] (or leave it out: no email)";
        if (!(raw instanceof List)) {
            problems.typeError(key, expected, raw);
            return Optional.empty();
        }
        List<String> emails = new ArrayList<>();
        for (Object email : (List<?>) raw) {
            if (!(email instanceof String) || !EMAIL.matcher((String) email).matches()) {
                problems.typeError(key, expected + "; " + ConfigProblems.describe(email) + " is not an email address", raw);
                return Optional.empty();
            }
            if (emails.contains(email)) {
                problems.error(key, ConfigProblems.describe(email) + " is listed twice (SNS would subscribe it once)", "remove the duplicate");
                return Optional.empty();
            }
            emails.add((String) email);
        }
        return Optional.of(List.copyOf(emails));
    }

    /** @return the configured age; empty when unset (the default applies) or invalid (error recorded) */
    private Optional<Long> maxRecordAge(ConfigKey key, Map<String, Object> map, Optional<KinesisConfig> kinesis) {
        if (!map.containsKey(key.last())) {
            return Optional.empty();
        }
        Object raw = map.get(key.last());
        Optional<Long> value = integral(raw).filter(v -> v == ConsumerConfig.UNLIMITED_RECORD_AGE
                || (v >= 60 && v <= ConsumerConfig.MAX_RECORD_AGE_SECONDS));
        if (value.isEmpty()) {
            problems.typeError(key, "-1 (no limit) or a whole number of seconds from 60 to "
                    + ConsumerConfig.MAX_RECORD_AGE_SECONDS, raw);
            return Optional.empty();
        }
        if (kinesis.isPresent() && value.get() != ConsumerConfig.UNLIMITED_RECORD_AGE) {
            long streamSeconds = kinesis.get().retentionHours() * 3600L;
            if (value.get() >= streamSeconds) {
                problems.error(key, value.get() + " s is not less than the Kinesis stream's retention ("
                                + kinesis.get().retentionHours() + " hours = " + streamSeconds + " s): a record the"
                                + " consumer cannot take would expire from the stream before it reaches the"
                                + " failed-batch bucket",
                        "set it below " + streamSeconds + " (or leave it out: the default is "
                                + ConsumerConfig.defaultMaxRecordAgeSeconds(kinesis.get().retentionHours())
                                + "), or raise kinesis.retentionHours");
                return Optional.empty();
            }
        }
        return value;
    }

    /** An optional nested object of settings: an empty map when absent, empty (error recorded) when not an object. */
    private Optional<Map<String, Object>> optionalObject(ConfigKey key, Map<String, Object> parent, Set<String> allowed) {
        if (!parent.containsKey(key.last())) {
            return Optional.of(Map.of());
        }
        Optional<Map<String, Object>> settings = problems.object(key, parent.get(key.last()), "an object");
        settings.ifPresent(map -> problems.checkKeys(key, map, allowed));
        return settings;
    }

    private Optional<KmsKeyConfig> kmsKey(ConfigKey key, Map<String, Object> map, KmsKeyConfig defaultValue,
                                          boolean awsOwnedAllowed, Optional<String> region) {
        if (!map.containsKey(key.last())) {
            return Optional.of(defaultValue);
        }
        String expected = (awsOwnedAllowed ? "\"aws-owned\", " : "") + "\"create\" or a KMS key ARN"
                + " (arn:aws:kms:<region>:<account>:key/<key id>)";
        Object raw = map.get(key.last());
        if (!(raw instanceof String)) {
            problems.typeError(key, expected, raw);
            return Optional.empty();
        }
        String value = (String) raw;
        if (value.equals("create")) {
            return Optional.of(KmsKeyConfig.create());
        }
        if (value.equals("aws-owned") && awsOwnedAllowed) {
            return Optional.of(KmsKeyConfig.awsOwned());
        }
        var arn = KMS_KEY_ARN.matcher(value);
        if (!arn.matches()) {
            problems.typeError(key, expected, raw);
            return Optional.empty();
        }
        if (region.isPresent() && !arn.group(2).equals(region.get())) {
            problems.error(key, "the key is in " + arn.group(2) + " but the environment deploys to " + region.get()
                    + " (KMS keys are regional)", "use a key from " + region.get());
            return Optional.empty();
        }
        return Optional.of(KmsKeyConfig.imported(value));
    }

    private RetentionDays logRetention(ConfigKey key, Map<String, Object> map) {
        if (!map.containsKey(key.last())) {
            return RETENTION_DAYS.get(DEFAULT_LOG_RETENTION_DAYS);
        }
        Object raw = map.get(key.last());
        Optional<Integer> days = integral(raw)
                .filter(value -> value >= 0 && value <= Integer.MAX_VALUE)
                .map(Long::intValue);
        if (days.isEmpty() || !RETENTION_DAYS.containsKey(days.get())) {
            problems.typeError(key, "a CloudWatch Logs retention in days, one of " + RETENTION_DAYS.keySet(), raw);
            return RETENTION_DAYS.get(DEFAULT_LOG_RETENTION_DAYS);
        }
        return RETENTION_DAYS.get(days.get());
    }

    private SortedMap<String, String> tags(ConfigKey key, Map<String, Object> parent) {
        SortedMap<String, String> tags = new TreeMap<>();
        if (!parent.containsKey(key.last())) {
            return tags;
        }
        Optional<Map<String, Object>> map = problems.object(key, parent.get(key.last()), "an object of tag names to string values");
        map.orElse(Map.of()).forEach((name, value) -> {
            ConfigKey tagKey = key.child(name);
            if (name.isEmpty() || name.length() > 128 || !TAG_CHARACTERS.matcher(name).matches()
                    || name.toLowerCase(Locale.ROOT).startsWith("aws:")) {
                problems.error(tagKey, "invalid tag name " + ConfigProblems.describe(name),
                        "use 1-128 letters, digits, spaces or _.:/=+-@, not starting with \"aws:\"");
            } else if (!(value instanceof String) || ((String) value).length() > 256
                    || !TAG_CHARACTERS.matcher((String) value).matches()) {
                problems.typeError(tagKey, "a tag value in quotes: 0-256 letters, digits, spaces or _.:/=+-@", value);
            } else {
                tags.put(name, (String) value);
            }
        });
        return tags;
    }

    private List<EnvironmentConfig> select(Set<String> known, List<EnvironmentConfig> parsed, Object rawOnly) {
        if (rawOnly == null) {
            return parsed;
        }
        ConfigKey key = ConfigKey.root(PipelineConfig.ONLY_KEY);
        if (!(rawOnly instanceof String) || ((String) rawOnly).isEmpty()) {
            problems.typeError(key, "an environment name", rawOnly);
            return parsed;
        }
        String only = (String) rawOnly;
        if (!known.isEmpty() && !known.contains(only)) {
            problems.add(key + ": unknown environment " + ConfigProblems.describe(only) + "; known environments: "
                    + String.join(", ", new TreeSet<>(known)) + "; pass one of them (cdk synth -c "
                    + PipelineConfig.ONLY_KEY + "=<name>) or leave it out to synthesise all");
        }
        return parsed.stream().filter(e -> e.name().equals(only)).collect(Collectors.toList());
    }

    private void checkJar(String module, Path jar) {
        if (!Files.isRegularFile(jar)) {
            problems.add(module + " asset: " + jar.toAbsolutePath().normalize() + " does not exist; run the app"
                    + " through `npx aws-cdk@2.1148.1 synth` (or deploy) from the repository root, whose app command"
                    + " builds it, or build it first with `mvn -B -DskipTests package`");
        }
    }

    // ---- typed field readers: each records an error and returns empty/default on a bad value ----

    private Optional<Long> wholeNumber(ConfigKey key, Map<String, Object> map, long min, long max, String unit,
                                       long defaultValue) {
        if (!map.containsKey(key.last())) {
            return Optional.of(defaultValue);
        }
        Object raw = map.get(key.last());
        Optional<Long> value = integral(raw).filter(v -> v >= min && v <= max);
        if (value.isEmpty()) {
            problems.typeError(key, "a whole number of " + unit + " from " + min + " to " + max, raw);
        }
        return value;
    }

    private static Optional<Long> integral(Object raw) {
        if (!(raw instanceof Number)) {
            return Optional.empty();
        }
        try {
            BigDecimal number = new BigDecimal(raw.toString());
            return Optional.of(number.longValueExact());
        } catch (ArithmeticException | NumberFormatException notWhole) {
            return Optional.empty();
        }
    }

    private static Map<Integer, RetentionDays> retentionDays() {
        Map<Integer, RetentionDays> days = new TreeMap<>();
        days.put(1, RetentionDays.ONE_DAY);
        days.put(3, RetentionDays.THREE_DAYS);
        days.put(5, RetentionDays.FIVE_DAYS);
        days.put(7, RetentionDays.ONE_WEEK);
        days.put(14, RetentionDays.TWO_WEEKS);
        days.put(30, RetentionDays.ONE_MONTH);
        days.put(60, RetentionDays.TWO_MONTHS);
        days.put(90, RetentionDays.THREE_MONTHS);
        days.put(120, RetentionDays.FOUR_MONTHS);
        days.put(150, RetentionDays.FIVE_MONTHS);
        days.put(180, RetentionDays.SIX_MONTHS);
        days.put(365, RetentionDays.ONE_YEAR);
        days.put(400, RetentionDays.THIRTEEN_MONTHS);
        days.put(545, RetentionDays.EIGHTEEN_MONTHS);
        days.put(731, RetentionDays.TWO_YEARS);
        days.put(1096, RetentionDays.THREE_YEARS);
        days.put(1827, RetentionDays.FIVE_YEARS);
        days.put(2192, RetentionDays.SIX_YEARS);
        days.put(2557, RetentionDays.SEVEN_YEARS);
        days.put(2922, RetentionDays.EIGHT_YEARS);
        days.put(3288, RetentionDays.NINE_YEARS);
        days.put(3653, RetentionDays.TEN_YEARS);
        return Collections.unmodifiableMap(days);
    }
}
