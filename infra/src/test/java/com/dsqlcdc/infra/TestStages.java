package com.dsqlcdc.infra;

import static com.dsqlcdc.infra.TestSupport.ACCOUNT;
import static com.dsqlcdc.infra.TestSupport.REGION;
import static com.dsqlcdc.infra.TestSupport.map;

import com.dsqlcdc.infra.config.EnvironmentConfig;
import com.dsqlcdc.infra.config.PipelineConfig;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;

/**
 * One app holding the stages most tests look at, synthesised once per JVM (the first synth
 * costs seconds, later ones ~0.1 s) and shared by the test classes.
 */
public final class TestStages {

    /**
     * Fixed env; created cluster with its own CMK and deletion protection; data retained; tags;
     * warehouse in configured zones, loading every 2 minutes and pruning the log after 30 days; every
     * consumer and alarm setting away from its default.
     */
    public static final String CREATED = "created";
    /**
     * Environment-agnostic; existing cluster on the AWS owned key; imported Kinesis key; data
     * destroyed; warehouse and consumer defaults.
     */
    public static final String EXISTING = "existing";
    /**
     * Environment-agnostic; existing cluster with a customer managed key given by ARN; no maximum
     * record age; no large strings in the warehouse, the smallest base capacity, loads every 30 s.
     */
    public static final String EXISTING_CMK = "existingcmk";

    public static final String EXISTING_CLUSTER_ID = "abcdefghijklmnopqrstuvwxyz";
    public static final String EXISTING_CMK_CLUSTER_ID = "zyxwvutsrqponmlkjihgfedcba";
    public static final String IMPORTED_KINESIS_KEY_ARN =
            "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    public static final String EXISTING_CLUSTER_KEY_ARN =
            "arn:aws:kms:eu-west-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef";

    private static TestStages instance;

    private final Map<String, PipelineStage> stages;

    private TestStages() {
        PipelineConfig config = TestSupport.config(environments());
        App app = TestSupport.newApp();
        DsqlCdcApp.addStages(app, config, TestSupport.catalog());
        List<EnvironmentConfig> environments = config.environments();
        this.stages = Map.of(
                CREATED,
                        (PipelineStage)
                                app.getNode().findChild(environments.get(0).name()),
                EXISTING,
                        (PipelineStage)
                                app.getNode().findChild(environments.get(1).name()),
                EXISTING_CMK,
                        (PipelineStage)
                                app.getNode().findChild(environments.get(2).name()));
    }

    /** @return the shared stages (built on first use) */
    public static synchronized TestStages get() {
        if (instance == null) {
            instance = new TestStages();
        }
        return instance;
    }

    /**
     * @param name one of {@link #CREATED}, {@link #EXISTING}, {@link #EXISTING_CMK}
     * @return that stage
     */
    public PipelineStage stage(String name) {
        return stages.get(name);
    }

    /** @return the raw context of the three environments */
    public static Map<String, Object> environments() {
        return map(
                CREATED,
                        map(
                                "account", ACCOUNT,
                                "region", REGION,
                                "cluster", map("mode", "create", "deletionProtection", true, "kmsKey", "create"),
                                "kinesis", map("retentionHours", 72, "kmsKey", "create"),
                                "warehouse",
                                        map(
                                                "baseCapacityRpu",
                                                64,
                                                "databaseName",
                                                "analytics",
                                                "availabilityZones",
                                                List.of("eu-west-1b", "eu-west-1c", "eu-west-1a"),
                                                "loadIntervalSeconds",
                                                120,
                                                "logRetentionDays",
                                                30),
                                "consumer",
                                        map(
                                                "batchSize", 250,
                                                "maxBatchingWindowSeconds", 10,
                                                "parallelizationFactor", 3,
                                                "retryAttempts", 7,
                                                "maxRecordAgeSeconds", 3600,
                                                "memoryMb", 2048,
                                                "timeoutSeconds", 110,
                                                "failedBatchRetentionDays", 400,
                                                "quarantineRetentionDays", 90,
                                                // more than the stream's 72 hours (3 days)
                                                "chunks",
                                                        map(
                                                                "doneMarkerRetentionDays",
                                                                10,
                                                                "sweepIntervalMinutes",
                                                                30,
                                                                "incompleteAgeMinutes",
                                                                120)),
                                "alarms",
                                        map(
                                                "emails", List.of("oncall@example.com", "data-team@example.com"),
                                                "behindSourceLagSeconds", 120,
                                                "iteratorAgeSeconds", 600,
                                                "incomingBytesPerSecond", 1_048_576,
                                                "stagedObjectAgeSeconds", 700,
                                                "commitToLandedLagSeconds", 900,
                                                "streamHealthIntervalMinutes", 2),
                                "backfill",
                                        map(
                                                "maxConcurrency", 8,
                                                "rangeRows", 50_000,
                                                "pageRows", 500,
                                                "sourceDatabaseRole", "analytics_reader",
                                                "validationSchedule", "rate(1 day)"),
                                "cdcStreamGeneration", 3,
                                "retainData", true,
                                "logRetentionDays", 90,
                                "tags", map("team", "data", "cost-center", "42")),
                EXISTING,
                        map(
                                "cluster",
                                map("mode", "existing", "identifier", EXISTING_CLUSTER_ID),
                                "kinesis",
                                map("kmsKey", IMPORTED_KINESIS_KEY_ARN),
                                "retainData",
                                false,
                                "logRetentionDays",
                                7),
                EXISTING_CMK,
                        map(
                                "cluster",
                                        map(
                                                "mode",
                                                "existing",
                                                "identifier",
                                                EXISTING_CMK_CLUSTER_ID,
                                                "kmsKey",
                                                EXISTING_CLUSTER_KEY_ARN),
                                "warehouse",
                                        map("largeStrings", false, "baseCapacityRpu", 4, "loadIntervalSeconds", 30),
                                "consumer", map("maxRecordAgeSeconds", -1)));
    }
}
