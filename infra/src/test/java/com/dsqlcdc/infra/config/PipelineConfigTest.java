package com.dsqlcdc.infra.config;

import static com.dsqlcdc.infra.TestSupport.CONSUMER_JAR;
import static com.dsqlcdc.infra.TestSupport.CUSTOM_RESOURCE_JAR;
import static com.dsqlcdc.infra.TestSupport.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import com.dsqlcdc.infra.TestSupport;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.logs.RetentionDays;

/** Validation of the {@code dsql-cdc:environments} context. No synthesis: plain Java. */
class PipelineConfigTest {

    private static final String KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final String CLUSTER_ID = "abcdefghijklmnopqrstuvwxyz";

    private static Map<String, Object> minimal() {
        return map("cluster", map("mode", "create"));
    }

    private static InvalidConfigException invalid(Object environments) {
        return invalid(environments, null);
    }

    private static InvalidConfigException invalid(Object environments, Object only) {
        Throwable thrown =
                catchThrowable(() -> PipelineConfig.fromContext(environments, only, CUSTOM_RESOURCE_JAR, CONSUMER_JAR));
        assertThat(thrown).isInstanceOf(InvalidConfigException.class);
        return (InvalidConfigException) thrown;
    }

    @Test
    void shippedCdkJsonHasAgnosticDevAndProtectedProd() {
        PipelineConfig config =
                PipelineConfig.fromContext(TestSupport.shippedEnvironments(), null, CUSTOM_RESOURCE_JAR, CONSUMER_JAR);

        assertThat(config.environments()).extracting(EnvironmentConfig::name).containsExactly("dev", "prod");
        EnvironmentConfig dev = config.environments().get(0);
        EnvironmentConfig prod = config.environments().get(1);
        assertThat(dev.target()).isEmpty();
        assertThat(prod.target()).isEmpty();
        assertThat(dev.cluster().deletionProtection()).isFalse();
        assertThat(dev.dataRemovalPolicy()).isEqualTo(RemovalPolicy.DESTROY);
        assertThat(prod.cluster().deletionProtection()).isTrue();
        assertThat(prod.dataRemovalPolicy()).isEqualTo(RemovalPolicy.RETAIN);
    }

    @Test
    void defaultsApplyWhenOnlyTheClusterModeIsSet() {
        EnvironmentConfig dev =
                TestSupport.config(map("dev", minimal())).environments().get(0);

        assertThat(dev.target()).isEmpty();
        assertThat(dev.cluster()).isEqualTo(ClusterConfig.create(true, KmsKeyConfig.awsOwned()));
        assertThat(dev.kinesis()).isEqualTo(new KinesisConfig(168, KmsKeyConfig.create()));
        assertThat(dev.retainData()).isTrue();
        assertThat(dev.logRetention()).isEqualTo(RetentionDays.ONE_MONTH);
        assertThat(dev.tags()).isEmpty();
    }

    @Test
    void everySettingIsRead() {
        EnvironmentConfig prod = TestSupport.config(map(
                        "prod",
                        map(
                                "account",
                                "123456789012",
                                "region",
                                "eu-west-1",
                                "cluster",
                                map("mode", "existing", "identifier", CLUSTER_ID, "kmsKey", KEY_ARN),
                                "kinesis",
                                map("retentionHours", 48.0, "kmsKey", KEY_ARN),
                                "retainData",
                                false,
                                "logRetentionDays",
                                365,
                                "tags",
                                map("team", "data"))))
                .environments()
                .get(0);

        assertThat(prod.target()).contains(new DeploymentTarget("123456789012", "eu-west-1"));
        assertThat(prod.cluster()).isEqualTo(ClusterConfig.existing(CLUSTER_ID, KmsKeyConfig.imported(KEY_ARN)));
        assertThat(prod.kinesis()).isEqualTo(new KinesisConfig(48, KmsKeyConfig.imported(KEY_ARN)));
        assertThat(prod.retainData()).isFalse();
        assertThat(prod.logRetention()).isEqualTo(RetentionDays.ONE_YEAR);
        assertThat(prod.tags()).containsExactly(Map.entry("team", "data"));
    }

    @Test
    void warehouseAndConsumerDefaultsAreTheDocumentedOnes() {
        EnvironmentConfig dev =
                TestSupport.config(map("dev", minimal())).environments().get(0);

        assertThat(dev.warehouse()).isEqualTo(new WarehouseConfig(8, "dev", Optional.empty(), true, 300, 0));
        assertThat(dev.warehouse().maxSuperStringBytes()).isEqualTo(16_000_000);
        assertThat(dev.warehouse().logPruning()).isFalse();
        // max record age: one hour less than the stream's default 168 hours
        assertThat(dev.consumer())
                .isEqualTo(new ConsumerConfig(
                        2000, 60, 2, 10, 601_200, 1024, 300, 365, 365, new ConsumerConfig.Chunks(35, 15, 60)));
    }

    @Test
    void defaultMaxRecordAgeFollowsTheStreamsRetention() {
        EnvironmentConfig dev = TestSupport.config(map("dev", settings("kinesis", map("retentionHours", 24))))
                .environments()
                .get(0);
        EnvironmentConfig year = TestSupport.config(map("dev", settings("kinesis", map("retentionHours", 8760))))
                .environments()
                .get(0);

        assertThat(dev.consumer().maxRecordAgeSeconds()).isEqualTo(24 * 3600 - 3600);
        // capped at Lambda's maximum, 7 days
        assertThat(year.consumer().maxRecordAgeSeconds()).isEqualTo(604_800);
    }

    @Test
    void everyWarehouseAndConsumerSettingIsRead() {
        EnvironmentConfig prod = TestSupport.config(map(
                        "prod",
                        map(
                                "account", "123456789012",
                                "region", "eu-west-1",
                                "cluster", map("mode", "create"),
                                "warehouse",
                                        map(
                                                "baseCapacityRpu",
                                                1024,
                                                "databaseName",
                                                "cdc_$1",
                                                "availabilityZones",
                                                List.of("eu-west-1c", "eu-west-1a", "eu-west-1b"),
                                                "largeStrings",
                                                false,
                                                "loadIntervalSeconds",
                                                86_400,
                                                "logRetentionDays",
                                                3650),
                                "consumer",
                                        map(
                                                "batchSize", 10000,
                                                "maxBatchingWindowSeconds", 0,
                                                "parallelizationFactor", 10,
                                                "retryAttempts", 0,
                                                "maxRecordAgeSeconds", -1,
                                                "memoryMb", 10240,
                                                "timeoutSeconds", 30,
                                                "failedBatchRetentionDays", 3650,
                                                "quarantineRetentionDays", 1,
                                                "chunks",
                                                        map(
                                                                "doneMarkerRetentionDays",
                                                                3650,
                                                                "sweepIntervalMinutes",
                                                                1440,
                                                                "incompleteAgeMinutes",
                                                                10080)))))
                .environments()
                .get(0);

        assertThat(prod.warehouse())
                .isEqualTo(new WarehouseConfig(
                        1024,
                        "cdc_$1",
                        Optional.of(List.of("eu-west-1c", "eu-west-1a", "eu-west-1b")),
                        false,
                        86_400,
                        3650));
        assertThat(prod.warehouse().maxSuperStringBytes()).isEqualTo(65_535);
        assertThat(prod.warehouse().logPruning()).isTrue();
        assertThat(prod.consumer())
                .isEqualTo(new ConsumerConfig(
                        10000, 0, 10, 0, -1, 10240, 30, 3650, 1, new ConsumerConfig.Chunks(3650, 1440, 10_080)));
        assertThat(prod.consumer().hasMaxRecordAge()).isFalse();
    }

    @Test
    void shippedEnvironmentsSizeTheirWarehousesAndKeepFailuresForTheirLifetimes() {
        List<EnvironmentConfig> shipped = PipelineConfig.fromContext(
                        TestSupport.shippedEnvironments(), null, CUSTOM_RESOURCE_JAR, CONSUMER_JAR)
                .environments();
        EnvironmentConfig dev = shipped.get(0);
        EnvironmentConfig prod = shipped.get(1);

        // the smallest warehouse for development; a load of prod's 5-minute interval takes seconds at 8 RPU
        assertThat(dev.warehouse().baseCapacityRpu()).isEqualTo(4);
        assertThat(prod.warehouse().baseCapacityRpu()).isEqualTo(8);
        // development billed a fraction of the time; prod's changes visible within about 5 minutes
        assertThat(dev.warehouse().loadIntervalSeconds()).isEqualTo(900);
        assertThat(prod.warehouse().loadIntervalSeconds()).isEqualTo(300);
        assertThat(dev.alarms().stagedObjectAgeSeconds()).isEqualTo(2 * 900 + 300);
        assertThat(prod.alarms().commitToLandedLagSeconds()).isEqualTo(2 * 300 + 300);
        assertThat(dev.consumer().retryAttempts()).isBetween(0, 10_000);
        assertThat(prod.consumer().quarantineRetentionDays()).isEqualTo(365);
        assertThat(prod.consumer().failedBatchRetentionDays()).isEqualTo(365);
        assertThat(prod.consumer().hasMaxRecordAge()).isTrue();
        ConsumerConfig defaults =
                TestSupport.config(map("dev", minimal())).environments().get(0).consumer();
        for (EnvironmentConfig environment : shipped) {
            assertThat(environment.consumer().chunks()).as(environment.name()).isEqualTo(defaults.chunks());
        }
    }

    @Test
    void errorNamesTheFullKeyTheValueAndWhereToFixIt() {
        InvalidConfigException error = invalid(map(
                "dev",
                map(
                        "cluster", map("mode", "create"),
                        "kinesis", map("retentionHours", "abc"))));

        assertThat(error.getProblems())
                .containsExactly(
                        "dsql-cdc:environments.dev.kinesis.retentionHours: expected a whole number of hours from 24 to 8760,"
                                + " got \"abc\"; set it in cdk.json under context > \"dsql-cdc:environments\" > \"dev\""
                                + " > \"kinesis\" > \"retentionHours\"");
    }

    static Stream<Arguments> badSettings() {
        return Stream.of(
                bad(
                        "kinesis.retentionHours 23",
                        settings("kinesis", map("retentionHours", 23)),
                        "dev.kinesis.retentionHours",
                        "expected a whole number of hours from 24 to 8760, got 23"),
                bad(
                        "kinesis.retentionHours 8761",
                        settings("kinesis", map("retentionHours", 8761)),
                        "dev.kinesis.retentionHours",
                        "got 8761"),
                bad(
                        "kinesis.retentionHours 24.5",
                        settings("kinesis", map("retentionHours", 24.5)),
                        "dev.kinesis.retentionHours",
                        "got 24.5"),
                bad(
                        "kinesis.kmsKey aws-owned",
                        settings("kinesis", map("kmsKey", "aws-owned")),
                        "dev.kinesis.kmsKey",
                        "expected \"create\" or a KMS key ARN"),
                bad(
                        "account too short",
                        settings("account", "12345", "region", "eu-west-1"),
                        "dev.account",
                        "expected a 12-digit AWS account id in quotes"),
                bad(
                        "account as a number",
                        settings("account", 123456789012L, "region", "eu-west-1"),
                        "dev.account",
                        "got 123456789012"),
                bad(
                        "region upper case",
                        settings("account", "123456789012", "region", "EU-WEST-1"),
                        "dev.region",
                        "expected an AWS Region code, e.g. \"eu-west-1\", got \"EU-WEST-1\""),
                bad(
                        "cluster.mode",
                        map("cluster", map("mode", "new")),
                        "dev.cluster.mode",
                        "expected \"create\" or \"existing\", got \"new\""),
                bad(
                        "cluster.identifier malformed",
                        map("cluster", map("mode", "existing", "identifier", "ABC")),
                        "dev.cluster.identifier",
                        "26 characters, lowercase letters and digits, got \"ABC\""),
                bad(
                        "cluster.identifier with create",
                        map("cluster", map("mode", "create", "identifier", CLUSTER_ID)),
                        "dev.cluster.identifier",
                        "not allowed when mode is \"create\""),
                bad(
                        "cluster.deletionProtection with existing",
                        map("cluster", map("mode", "existing", "identifier", CLUSTER_ID, "deletionProtection", true)),
                        "dev.cluster.deletionProtection",
                        "not allowed when mode is \"existing\""),
                bad(
                        "cluster.kmsKey create with existing",
                        map("cluster", map("mode", "existing", "identifier", CLUSTER_ID, "kmsKey", "create")),
                        "dev.cluster.kmsKey",
                        "\"create\" is not allowed when mode is \"existing\""),
                bad(
                        "cluster.kmsKey alias",
                        map("cluster", map("mode", "create", "kmsKey", "alias/mine")),
                        "dev.cluster.kmsKey",
                        "expected \"aws-owned\", \"create\" or a KMS key ARN"),
                bad(
                        "kinesis.kmsKey in another region",
                        settings("account", "123456789012", "region", "us-east-1", "kinesis", map("kmsKey", KEY_ARN)),
                        "dev.kinesis.kmsKey",
                        "the key is in eu-west-1 but the environment deploys to us-east-1"),
                bad(
                        "cluster missing",
                        map("retainData", true),
                        "dev.cluster",
                        "missing; add \"cluster\": {\"mode\": \"create\"}"),
                bad(
                        "cluster.deletionProtection not boolean",
                        map("cluster", map("mode", "create", "deletionProtection", "yes")),
                        "dev.cluster.deletionProtection",
                        "expected true or false (without quotes), got \"yes\""),
                bad(
                        "retainData string",
                        settings("retainData", "true"),
                        "dev.retainData",
                        "expected true or false (without quotes), got \"true\""),
                bad(
                        "logRetentionDays 31",
                        settings("logRetentionDays", 31),
                        "dev.logRetentionDays",
                        "one of [1, 3, 5, 7, 14, 30, 60, 90"),
                bad(
                        "tag value not a string",
                        settings("tags", map("team", 5)),
                        "dev.tags.team",
                        "expected a tag value in quotes"),
                bad(
                        "reserved tag name",
                        settings("tags", map("aws:owner", "me")),
                        "dev.tags.aws:owner",
                        "invalid tag name \"aws:owner\""),
                bad(
                        "tags not an object",
                        settings("tags", List.of("a")),
                        "dev.tags",
                        "expected an object of tag names to string values, got a list"),
                bad("kinesis not an object", settings("kinesis", 7), "dev.kinesis", "expected an object, got 7"),
                bad(
                        "warehouse not an object",
                        settings("warehouse", "big"),
                        "dev.warehouse",
                        "expected an object, got \"big\""),
                bad(
                        "warehouse.baseCapacityRpu 3",
                        warehouse("baseCapacityRpu", 3),
                        "dev.warehouse.baseCapacityRpu",
                        "expected 4 (Redshift Serverless's smallest) or a whole number of RPUs from 8 to 1024, got 3"),
                bad(
                        "warehouse.baseCapacityRpu 6",
                        warehouse("baseCapacityRpu", 6),
                        "dev.warehouse.baseCapacityRpu",
                        "got 6"),
                bad(
                        "warehouse.baseCapacityRpu 1032",
                        warehouse("baseCapacityRpu", 1032),
                        "dev.warehouse.baseCapacityRpu",
                        "from 8 to 1024, got 1032"),
                bad(
                        "warehouse.baseCapacityRpu 12",
                        warehouse("baseCapacityRpu", 12),
                        "dev.warehouse.baseCapacityRpu",
                        "moves in steps of 8 RPUs, got 12; set it to a multiple of 8, e.g. 8 or 16"),
                bad(
                        "warehouse.baseCapacityRpu as a string",
                        warehouse("baseCapacityRpu", "32"),
                        "dev.warehouse.baseCapacityRpu",
                        "got \"32\""),
                bad(
                        "warehouse.loadIntervalSeconds 9",
                        warehouse("loadIntervalSeconds", 9),
                        "dev.warehouse.loadIntervalSeconds",
                        "expected a whole number of seconds from 10 to 86400, got 9"),
                bad(
                        "warehouse.loadIntervalSeconds 86401",
                        warehouse("loadIntervalSeconds", 86_401),
                        "dev.warehouse.loadIntervalSeconds",
                        "got 86401"),
                bad(
                        "warehouse.loadIntervalSeconds 90",
                        warehouse("loadIntervalSeconds", 90),
                        "dev.warehouse.loadIntervalSeconds",
                        "90 s is above a minute but not a whole number of minutes (the loader's EventBridge schedule"
                                + " runs in minutes; below a minute, one invocation a minute loads every interval);"
                                + " set it to 60 or 120"),
                bad(
                        "warehouse.logRetentionDays -1",
                        warehouse("logRetentionDays", -1),
                        "dev.warehouse.logRetentionDays",
                        "expected 0 (keep the whole log) or a whole number of days from 1 to 3650, got -1"),
                bad(
                        "warehouse.logRetentionDays 3651",
                        warehouse("logRetentionDays", 3651),
                        "dev.warehouse.logRetentionDays",
                        "got 3651"),
                bad(
                        "warehouse.databaseName upper case",
                        warehouse("databaseName", "Dev"),
                        "dev.warehouse.databaseName",
                        "expected a database name: 1-64 lowercase letters, digits, _ or $"),
                bad(
                        "warehouse.databaseName leading digit",
                        warehouse("databaseName", "1db"),
                        "dev.warehouse.databaseName",
                        "got \"1db\""),
                bad(
                        "warehouse.databaseName too long",
                        warehouse("databaseName", "d".repeat(65)),
                        "dev.warehouse.databaseName",
                        "expected a database name"),
                bad(
                        "warehouse.availabilityZones two",
                        warehouse("availabilityZones", List.of("eu-west-1a", "eu-west-1b")),
                        "dev.warehouse.availabilityZones",
                        "needs subnets in exactly 3 distinct Availability Zones, got [eu-west-1a, eu-west-1b]"),
                bad(
                        "warehouse.availabilityZones repeated",
                        warehouse("availabilityZones", List.of("eu-west-1a", "eu-west-1b", "eu-west-1a")),
                        "dev.warehouse.availabilityZones",
                        "exactly 3 distinct Availability Zones"),
                bad(
                        "warehouse.availabilityZones as ids",
                        warehouse("availabilityZones", List.of("euw1-az1", "euw1-az2", "euw1-az3")),
                        "dev.warehouse.availabilityZones",
                        "Availability Zone ids such as euw1-az1 are not accepted"),
                bad(
                        "warehouse.availabilityZones of two Regions",
                        warehouse("availabilityZones", List.of("eu-west-1a", "eu-west-1b", "eu-west-2c")),
                        "dev.warehouse.availabilityZones",
                        "the zones are in different Regions [eu-west-1, eu-west-2]"),
                bad(
                        "warehouse.largeStrings as a string",
                        warehouse("largeStrings", "Yes"),
                        "dev.warehouse.largeStrings",
                        "expected true or false (without quotes), got \"Yes\""),
                bad(
                        "warehouse.largeStrings as a number",
                        warehouse("largeStrings", 1),
                        "dev.warehouse.largeStrings",
                        "expected true or false (without quotes), got 1"),
                bad(
                        "warehouse.availabilityZones not a list",
                        warehouse("availabilityZones", "eu-west-1a"),
                        "dev.warehouse.availabilityZones",
                        "expected a list of 3 distinct Availability Zone names"),
                bad(
                        "warehouse.availabilityZones in another Region",
                        settings(
                                "account",
                                "123456789012",
                                "region",
                                "us-east-1",
                                "warehouse",
                                map("availabilityZones", List.of("eu-west-1a", "eu-west-1b", "eu-west-1c"))),
                        "dev.warehouse.availabilityZones",
                        "the zones are in eu-west-1 but the environment deploys to us-east-1; use zones of us-east-1"),
                bad(
                        "consumer not an object",
                        settings("consumer", List.of()),
                        "dev.consumer",
                        "expected an object, got a list"),
                bad(
                        "consumer.batchSize 0",
                        consumer("batchSize", 0),
                        "dev.consumer.batchSize",
                        "expected a whole number of records from 1 to 10000, got 0"),
                bad("consumer.batchSize 10001", consumer("batchSize", 10001), "dev.consumer.batchSize", "got 10001"),
                bad(
                        "consumer.maxBatchingWindowSeconds 301",
                        consumer("maxBatchingWindowSeconds", 301),
                        "dev.consumer.maxBatchingWindowSeconds",
                        "expected a whole number of seconds from 0 to 300"),
                bad(
                        "consumer.parallelizationFactor 11",
                        consumer("parallelizationFactor", 11),
                        "dev.consumer.parallelizationFactor",
                        "expected a whole number of concurrent batches per shard from 1 to 10, got 11"),
                bad(
                        "consumer.retryAttempts -1",
                        consumer("retryAttempts", -1),
                        "dev.consumer.retryAttempts",
                        "-1 (retry until the records expire) is not allowed"),
                bad(
                        "consumer.retryAttempts 10001",
                        consumer("retryAttempts", 10001),
                        "dev.consumer.retryAttempts",
                        "expected a whole number of retries from 0 to 10000, got 10001"),
                bad(
                        "consumer.maxRecordAgeSeconds 59",
                        consumer("maxRecordAgeSeconds", 59),
                        "dev.consumer.maxRecordAgeSeconds",
                        "expected -1 (no limit) or a whole number of seconds from 60" + " to 604800, got 59"),
                bad(
                        "consumer.maxRecordAgeSeconds -2",
                        consumer("maxRecordAgeSeconds", -2),
                        "dev.consumer.maxRecordAgeSeconds",
                        "got -2"),
                bad(
                        "consumer.maxRecordAgeSeconds 604801",
                        consumer("maxRecordAgeSeconds", 604801),
                        "dev.consumer.maxRecordAgeSeconds",
                        "got 604801"),
                bad(
                        "consumer.maxRecordAgeSeconds as long as the stream keeps records",
                        consumer("maxRecordAgeSeconds", 604800),
                        "dev.consumer.maxRecordAgeSeconds",
                        "604800 s is not less than the Kinesis stream's retention" + " (168 hours = 604800 s)"),
                bad(
                        "consumer.maxRecordAgeSeconds beyond a shorter stream retention",
                        settings("kinesis", map("retentionHours", 24), "consumer", map("maxRecordAgeSeconds", 86400)),
                        "dev.consumer.maxRecordAgeSeconds",
                        "set it below 86400 (or leave it out: the default is 82800), or raise kinesis.retentionHours"),
                bad(
                        "consumer.memoryMb 128",
                        consumer("memoryMb", 128),
                        "dev.consumer.memoryMb",
                        "expected a whole number of MB from 256 to 10240, got 128"),
                bad("consumer.memoryMb 10241", consumer("memoryMb", 10241), "dev.consumer.memoryMb", "got 10241"),
                bad(
                        "consumer.timeoutSeconds 29",
                        consumer("timeoutSeconds", 29),
                        "dev.consumer.timeoutSeconds",
                        "expected a whole number of seconds from 30 to 900, got 29"),
                bad(
                        "consumer.timeoutSeconds 901",
                        consumer("timeoutSeconds", 901),
                        "dev.consumer.timeoutSeconds",
                        "got 901"),
                bad(
                        "consumer.failedBatchRetentionDays 0",
                        consumer("failedBatchRetentionDays", 0),
                        "dev.consumer.failedBatchRetentionDays",
                        "expected a whole number of days from 1 to 3650, got 0"),
                bad(
                        "consumer.failedBatchRetentionDays 3651",
                        consumer("failedBatchRetentionDays", 3651),
                        "dev.consumer.failedBatchRetentionDays",
                        "got 3651"),
                bad(
                        "consumer.quarantineRetentionDays 0",
                        consumer("quarantineRetentionDays", 0),
                        "dev.consumer.quarantineRetentionDays",
                        "expected a whole number of days from 1 to 3650, got 0"),
                bad(
                        "consumer.quarantineRetentionDays 1.5",
                        consumer("quarantineRetentionDays", 1.5),
                        "dev.consumer.quarantineRetentionDays",
                        "got 1.5"),
                bad(
                        "consumer.chunks not an object",
                        consumer("chunks", List.of()),
                        "dev.consumer.chunks",
                        "expected an object, got a list"),
                bad(
                        "consumer.chunks.doneMarkerRetentionDays 0",
                        consumer("chunks", map("doneMarkerRetentionDays", 0)),
                        "dev.consumer.chunks.doneMarkerRetentionDays",
                        "expected a whole number of days from 1 to 3650, got 0"),
                bad(
                        "consumer.chunks.doneMarkerRetentionDays 3651",
                        consumer("chunks", map("doneMarkerRetentionDays", 3651)),
                        "dev.consumer.chunks.doneMarkerRetentionDays",
                        "got 3651"),
                bad(
                        "consumer.chunks.doneMarkerRetentionDays as long as the stream keeps records",
                        consumer("chunks", map("doneMarkerRetentionDays", 7)),
                        "dev.consumer.chunks.doneMarkerRetentionDays",
                        "7 days is not more than the Kinesis stream's retention (168 hours, 7 days rounded up): a"
                                + " piece of a chunked record re-delivered after its set's done marker expired would"
                                + " start a set that never completes; set it to at least 8 (or leave it out: the"
                                + " default is 35), or lower kinesis.retentionHours"),
                bad(
                        "consumer.chunks.doneMarkerRetentionDays within a partial day of the stream's retention",
                        settings(
                                "kinesis",
                                map("retentionHours", 25),
                                "consumer",
                                map("chunks", map("doneMarkerRetentionDays", 2))),
                        "dev.consumer.chunks.doneMarkerRetentionDays",
                        "(25 hours, 2 days rounded up)"),
                bad(
                        "consumer.chunks.doneMarkerRetentionDays shorter than a year-long stream",
                        settings(
                                "kinesis",
                                map("retentionHours", 8760),
                                "consumer",
                                map("chunks", map("doneMarkerRetentionDays", 35))),
                        "dev.consumer.chunks.doneMarkerRetentionDays",
                        "35 days is not more than the Kinesis stream's retention (8760 hours, 365 days rounded up)"),
                bad(
                        "consumer.chunks.sweepIntervalMinutes 4",
                        consumer("chunks", map("sweepIntervalMinutes", 4)),
                        "dev.consumer.chunks.sweepIntervalMinutes",
                        "expected a whole number of minutes from 5 to 1440, got 4"),
                bad(
                        "consumer.chunks.sweepIntervalMinutes 1441",
                        consumer("chunks", map("sweepIntervalMinutes", 1441)),
                        "dev.consumer.chunks.sweepIntervalMinutes",
                        "got 1441"),
                bad(
                        "consumer.chunks.incompleteAgeMinutes 4",
                        consumer("chunks", map("incompleteAgeMinutes", 4)),
                        "dev.consumer.chunks.incompleteAgeMinutes",
                        "expected a whole number of minutes from 5 to 10080, got 4"),
                bad(
                        "consumer.chunks.incompleteAgeMinutes 10081",
                        consumer("chunks", map("incompleteAgeMinutes", 10081)),
                        "dev.consumer.chunks.incompleteAgeMinutes",
                        "got 10081"),
                bad("alarms not an object", settings("alarms", "on"), "dev.alarms", "expected an object"),
                bad(
                        "alarms.emails a string",
                        alarms("emails", "oncall@example.com"),
                        "dev.alarms.emails",
                        "expected a list of email addresses"),
                bad(
                        "alarms.emails not an address",
                        alarms("emails", List.of("oncall@example.com", "oncall")),
                        "dev.alarms.emails",
                        "\"oncall\" is not an email address"),
                bad(
                        "alarms.emails twice",
                        alarms("emails", List.of("a@example.com", "a@example.com")),
                        "dev.alarms.emails",
                        "\"a@example.com\" is listed twice"),
                bad(
                        "alarms.behindSourceLagSeconds 0",
                        alarms("behindSourceLagSeconds", 0),
                        "dev.alarms.behindSourceLagSeconds",
                        "expected a whole number of seconds from 1 to 86400, got 0"),
                bad(
                        "alarms.iteratorAgeSeconds 1.5",
                        alarms("iteratorAgeSeconds", 1.5),
                        "dev.alarms.iteratorAgeSeconds",
                        "got 1.5"),
                bad(
                        "alarms.incomingBytesPerSecond 1000",
                        alarms("incomingBytesPerSecond", 1000),
                        "dev.alarms.incomingBytesPerSecond",
                        "expected a whole number of bytes per second from 1024 to 1073741824, got 1000"),
                bad(
                        "alarms.commitToLandedLagSeconds \"300\"",
                        alarms("commitToLandedLagSeconds", "300"),
                        "dev.alarms.commitToLandedLagSeconds",
                        "got \"300\""),
                bad(
                        "alarms.commitToLandedLagSeconds at the interval",
                        settings(
                                "warehouse",
                                map("loadIntervalSeconds", 600),
                                "alarms",
                                map("commitToLandedLagSeconds", 600)),
                        "dev.alarms.commitToLandedLagSeconds",
                        "600 s is not more than warehouse.loadIntervalSeconds (600 s): it would alarm between two"
                                + " healthy loads; set it above 600 (or leave it out: the default is 1500)"),
                bad(
                        "alarms.stagedObjectAgeSeconds below the default interval",
                        alarms("stagedObjectAgeSeconds", 120),
                        "dev.alarms.stagedObjectAgeSeconds",
                        "120 s is not more than warehouse.loadIntervalSeconds (300 s)"),
                bad(
                        "alarms.stagedObjectAgeSeconds 0",
                        alarms("stagedObjectAgeSeconds", 0),
                        "dev.alarms.stagedObjectAgeSeconds",
                        "expected a whole number of seconds from 1 to 604800, got 0"),
                bad(
                        "cdcStreamGeneration 0",
                        settings("cdcStreamGeneration", 0),
                        "dev.cdcStreamGeneration",
                        "expected a whole number of generations from 1 to 999999999, got 0"),
                bad(
                        "alarms.streamHealthIntervalMinutes 61",
                        alarms("streamHealthIntervalMinutes", 61),
                        "dev.alarms.streamHealthIntervalMinutes",
                        "from 1 to 60, got 61"));
    }

    @Test
    void alarmDefaultsAreTheDocumentedOnesAndEverySettingIsRead() {
        EnvironmentConfig dev =
                TestSupport.config(map("dev", minimal())).environments().get(0);
        EnvironmentConfig prod = TestSupport.config(map(
                        "prod",
                        alarms(
                                "emails",
                                List.of("oncall@example.com", "data-team+cdc@example.org"),
                                "behindSourceLagSeconds",
                                30,
                                "iteratorAgeSeconds",
                                600,
                                "incomingBytesPerSecond",
                                10_485_760,
                                "stagedObjectAgeSeconds",
                                1200,
                                "commitToLandedLagSeconds",
                                900,
                                "streamHealthIntervalMinutes",
                                1)))
                .environments()
                .get(0);

        // the lag alarms' defaults: two load intervals (300 s by default) and 300 s
        assertThat(dev.alarms()).isEqualTo(new AlarmsConfig(List.of(), 60, 300, 3_145_728, 900, 900, 5));
        assertThat(prod.alarms())
                .isEqualTo(new AlarmsConfig(
                        List.of("oncall@example.com", "data-team+cdc@example.org"), 30, 600, 10_485_760, 1200, 900, 1));
    }

    @Test
    void theLagAlarmsDefaultsFollowTheLoadInterval() {
        EnvironmentConfig hourly = TestSupport.config(map("dev", warehouse("loadIntervalSeconds", 3600)))
                .environments()
                .get(0);
        EnvironmentConfig fast = TestSupport.config(map("dev", warehouse("loadIntervalSeconds", 30)))
                .environments()
                .get(0);

        assertThat(hourly.alarms().stagedObjectAgeSeconds()).isEqualTo(2 * 3600 + 300);
        assertThat(hourly.alarms().commitToLandedLagSeconds()).isEqualTo(2 * 3600 + 300);
        assertThat(fast.warehouse().loadIntervalSeconds()).isEqualTo(30);
        assertThat(fast.alarms().stagedObjectAgeSeconds()).isEqualTo(2 * 30 + 300);
    }

    @Test
    void theSmallestBaseCapacityAndWholeMinuteIntervalsAreAccepted() {
        EnvironmentConfig small = TestSupport.config(
                        map("dev", warehouse("baseCapacityRpu", 4, "loadIntervalSeconds", 120, "logRetentionDays", 0)))
                .environments()
                .get(0);

        assertThat(small.warehouse().baseCapacityRpu()).isEqualTo(4);
        assertThat(small.warehouse().loadIntervalSeconds()).isEqualTo(120);
        assertThat(small.warehouse().logPruning()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("removedSettings")
    void aRemovedSettingFailsSynthSayingWhyItWentAndTheFix(String key, Map<String, Object> settings) {
        InvalidConfigException error = invalid(map("dev", settings));

        assertThat(error.getProblems())
                .singleElement()
                .asString()
                .startsWith("dsql-cdc:environments.dev." + key + ": no longer a setting: the consumer no longer"
                        + " writes to Redshift (it stages batches in the staging bucket; the loader writes them, once"
                        + " per warehouse.loadIntervalSeconds)")
                .contains("; remove")
                .endsWith("(in cdk.json under context > \"dsql-cdc:environments\" > \"dev\" > \"consumer\" > \""
                        + key.substring(key.indexOf('.') + 1) + "\")")
                .doesNotContain("unknown setting");
    }

    static Stream<Arguments> removedSettings() {
        return Stream.of(
                Arguments.of("consumer.maxConcurrentStatements", consumer("maxConcurrentStatements", 8)),
                Arguments.of("consumer.bulk", consumer("bulk", map("minRows", 191, "stagingRetentionDays", 7))),
                Arguments.of("consumer.bulk", consumer("bulk", map())));
    }

    @Test
    void aRemovedSettingIsNeverSuggestedForAMisspelling() {
        InvalidConfigException error = invalid(map("dev", consumer("bul", 1)));

        assertThat(error.getProblems())
                .singleElement()
                .asString()
                .startsWith("dsql-cdc:environments.dev.consumer.bul: unknown setting")
                .doesNotContain("bulk");
    }

    @Test
    void unknownAlarmsKeyIsAnErrorWithASuggestion() {
        InvalidConfigException error = invalid(map("dev", alarms("email", List.of("oncall@example.com"))));

        assertThat(error.getProblems())
                .singleElement()
                .asString()
                .startsWith("dsql-cdc:environments.dev.alarms.email: unknown setting")
                .contains("did you mean \"emails\"?");
    }

    private static Map<String, Object> alarms(Object... keysAndValues) {
        return settings("alarms", map(keysAndValues));
    }

    @Test
    void doneMarkersOneDayLongerThanTheStreamsRetentionAreEnough() {
        EnvironmentConfig dev = TestSupport.config(map(
                        "dev",
                        settings(
                                "kinesis", map("retentionHours", 72),
                                "consumer", map("chunks", map("doneMarkerRetentionDays", 4)))))
                .environments()
                .get(0);
        EnvironmentConfig partialDay = TestSupport.config(map(
                        "dev",
                        settings(
                                "kinesis", map("retentionHours", 25),
                                "consumer", map("chunks", map("doneMarkerRetentionDays", 3)))))
                .environments()
                .get(0);

        assertThat(dev.consumer().chunks().doneMarkerRetentionDays()).isEqualTo(4);
        assertThat(partialDay.consumer().chunks().doneMarkerRetentionDays()).isEqualTo(3);
        assertThat(ConsumerConfig.Chunks.minDoneMarkerRetentionDays(168)).isEqualTo(8);
        assertThat(ConsumerConfig.Chunks.minDoneMarkerRetentionDays(169)).isEqualTo(9);
    }

    @Test
    void defaultDoneMarkerRetentionOutlivesAStreamKeptLongerThanFiveWeeks() {
        EnvironmentConfig year = TestSupport.config(map("dev", settings("kinesis", map("retentionHours", 8760))))
                .environments()
                .get(0);
        EnvironmentConfig week =
                TestSupport.config(map("dev", minimal())).environments().get(0);

        assertThat(year.consumer().chunks().doneMarkerRetentionDays()).isEqualTo(366);
        assertThat(week.consumer().chunks().doneMarkerRetentionDays()).isEqualTo(35);
    }

    private static Map<String, Object> warehouse(Object... keysAndValues) {
        return settings("warehouse", map(keysAndValues));
    }

    private static Map<String, Object> consumer(Object... keysAndValues) {
        return settings("consumer", map(keysAndValues));
    }

    private static Map<String, Object> settings(Object... keysAndValues) {
        Map<String, Object> settings = minimal();
        settings.putAll(map(keysAndValues));
        return settings;
    }

    private static Arguments bad(String name, Map<String, Object> settings, String key, String problem) {
        return Arguments.of(name, settings, "dsql-cdc:environments." + key, problem);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSettings")
    void badSettingIsReportedWithItsKeyAndFix(String name, Map<String, Object> settings, String key, String problem) {
        InvalidConfigException error = invalid(map("dev", settings));

        assertThat(error.getProblems()).hasSize(1);
        assertThat(error.getProblems().get(0))
                .startsWith(key + ": ")
                .contains(problem)
                .containsPattern("; (set|remove|rename|add|use|set both)");
    }

    @Test
    void unknownKeyIsAnErrorWithASuggestion() {
        InvalidConfigException error = invalid(map("dev", settings("kinesis", map("retentionHour", 48))));

        assertThat(error.getProblems())
                .containsExactly(
                        "dsql-cdc:environments.dev.kinesis.retentionHour: unknown setting (allowed here: kmsKey,"
                                + " retentionHours); did you mean \"retentionHours\"? remove or rename it in cdk.json under"
                                + " context > \"dsql-cdc:environments\" > \"dev\" > \"kinesis\"");
    }

    @Test
    void unknownChunksKeysAreErrorsWithSuggestions() {
        InvalidConfigException error = invalid(map("dev", consumer("chunks", map("sweepIntervalMinute", 15))));

        assertThat(error.getProblems())
                .containsExactly("dsql-cdc:environments.dev.consumer.chunks.sweepIntervalMinute: unknown setting"
                        + " (allowed here: doneMarkerRetentionDays, incompleteAgeMinutes, sweepIntervalMinutes); did you"
                        + " mean \"sweepIntervalMinutes\"? remove or rename it in cdk.json under context >"
                        + " \"dsql-cdc:environments\" > \"dev\" > \"consumer\" > \"chunks\"");
    }

    @Test
    void allProblemsAreReportedTogether() {
        InvalidConfigException error = invalid(map(
                "dev", settings("logRetentionDays", 31, "colour", "blue"),
                "prod", map("cluster", map("mode", "existing"), "kinesis", map("retentionHours", 0))));

        assertThat(error.getProblems()).hasSize(4);
        assertThat(error.getMessage())
                .startsWith("Invalid dsql-cdc configuration (4 problems):")
                .contains("dsql-cdc:environments.dev.colour: unknown setting")
                .contains("dsql-cdc:environments.dev.logRetentionDays: expected")
                .contains("dsql-cdc:environments.prod.cluster.identifier: missing")
                .contains("dsql-cdc:environments.prod.kinesis.retentionHours: expected");
    }

    @Test
    void accountWithoutRegionIsAnError() {
        InvalidConfigException error = invalid(map("dev", settings("account", "123456789012")));

        assertThat(error.getProblems())
                .containsExactly(
                        "dsql-cdc:environments.dev.region: missing while \"account\" is set; set both \"account\" and"
                                + " \"region\" for a fixed environment, or neither for an environment-agnostic one");
    }

    @Test
    void regionWithoutAccountIsAnError() {
        InvalidConfigException error = invalid(map("dev", settings("region", "eu-west-1")));

        assertThat(error.getProblems())
                .singleElement(STRING)
                .startsWith("dsql-cdc:environments.dev.account: missing while \"region\" is set");
    }

    @Test
    void existingClusterWithoutIdentifierIsAnError() {
        InvalidConfigException error = invalid(map("dev", map("cluster", map("mode", "existing"))));

        assertThat(error.getProblems())
                .singleElement(STRING)
                .startsWith("dsql-cdc:environments.dev.cluster.identifier: missing")
                .contains("aws dsql list-clusters");
    }

    @Test
    void missingEnvironmentsIsAnError() {
        InvalidConfigException error = invalid(null);

        assertThat(error.getProblems())
                .singleElement(STRING)
                .startsWith("dsql-cdc:environments: missing; add to \"context\" in cdk.json");
    }

    @Test
    void emptyEnvironmentsIsAnError() {
        InvalidConfigException error = invalid(map());

        assertThat(error.getProblems())
                .singleElement(STRING)
                .startsWith("dsql-cdc:environments: expected at least one environment, got an empty object");
    }

    @Test
    void environmentsGivenAsAStringIsAnError() {
        // what `cdk synth -c dsql-cdc:environments=dev` would pass
        InvalidConfigException error = invalid("dev");

        assertThat(error.getProblems())
                .singleElement(STRING)
                .startsWith("dsql-cdc:environments: expected an object mapping environment names to settings,"
                        + " got \"dev\"");
    }

    @Test
    void invalidEnvironmentNameIsAnError() {
        InvalidConfigException error = invalid(map("dev_1", minimal()));

        assertThat(error.getProblems())
                .singleElement(STRING)
                .startsWith("dsql-cdc:environments.dev_1: invalid environment name \"dev_1\"");
    }

    @Test
    void onlySelectsOneEnvironment() {
        PipelineConfig config = PipelineConfig.fromContext(
                map("dev", minimal(), "prod", minimal()), "prod", CUSTOM_RESOURCE_JAR, CONSUMER_JAR);

        assertThat(config.environments()).extracting(EnvironmentConfig::name).containsExactly("prod");
    }

    @Test
    void onlyWithAnUnknownNameListsTheKnownOnes() {
        InvalidConfigException error = invalid(map("prod", minimal(), "dev", minimal()), "staging");

        assertThat(error.getProblems())
                .containsExactly(
                        "dsql-cdc:only: unknown environment \"staging\"; known environments: dev, prod; pass one of them"
                                + " (cdk synth -c dsql-cdc:only=<name>) or leave it out to synthesise all");
    }

    @Test
    void missingHandlerJarSaysHowToBuildIt() {
        Throwable thrown = catchThrowable(() -> PipelineConfig.fromContext(
                map("dev", minimal()), null, Path.of("no", "such", "custom-resource.jar"), CONSUMER_JAR));

        assertThat(thrown)
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("custom-resource asset: ")
                .hasMessageContaining("custom-resource.jar does not exist")
                .hasMessageContaining("npx aws-cdk@2.1148.1 synth");
    }

    @Test
    void missingConsumerJarSaysHowToBuildIt() {
        Throwable thrown = catchThrowable(() -> PipelineConfig.fromContext(
                map("dev", minimal()), null, CUSTOM_RESOURCE_JAR, Path.of("no", "such", "consumer.jar")));

        assertThat(thrown)
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("consumer asset: ")
                .hasMessageContaining("consumer.jar does not exist")
                .hasMessageContaining("mvn -B -DskipTests package");
    }

    @Test
    void warehouseAndConsumerProblemsAreReportedWithTheRest() {
        InvalidConfigException error = invalid(map(
                "dev",
                settings(
                        "warehouse", map("baseCapacityRpu", 10, "databaseName", "X", "baseCapacity", 8),
                        "consumer", map("batchSize", 0, "retryAttempts", -1, "timeoutSecs", 60))));

        assertThat(error.getProblems()).hasSize(6);
        assertThat(error.getMessage())
                .contains("dsql-cdc:environments.dev.warehouse.baseCapacity: unknown setting")
                .contains("did you mean \"baseCapacityRpu\"?")
                .contains("dsql-cdc:environments.dev.warehouse.baseCapacityRpu: Redshift Serverless base capacity")
                .contains("dsql-cdc:environments.dev.warehouse.databaseName: expected")
                .contains("dsql-cdc:environments.dev.consumer.timeoutSecs: unknown setting")
                .contains("did you mean \"timeoutSeconds\"?")
                .contains("dsql-cdc:environments.dev.consumer.batchSize: expected")
                .contains("dsql-cdc:environments.dev.consumer.retryAttempts: -1");
    }

    @Test
    void recordsRejectInconsistentValues() {
        assertThatThrownBy(() -> new ClusterConfig(
                        ClusterConfig.Mode.EXISTING, Optional.empty(), false, KmsKeyConfig.awsOwned()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KinesisConfig(168, KmsKeyConfig.awsOwned()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WarehouseConfig(
                        8, "dev", Optional.of(List.of("eu-west-1a", "eu-west-1a", "eu-west-1b")), true, 300, 0))
                .isInstanceOf(IllegalArgumentException.class);
        // a done marker must outlive the stream's retention
        ConsumerConfig shortMarkers =
                new ConsumerConfig(500, 5, 2, 10, 601_200, 1024, 300, 365, 365, new ConsumerConfig.Chunks(7, 15, 60));
        assertThatThrownBy(() -> new EnvironmentConfig(
                        "dev",
                        Optional.empty(),
                        ClusterConfig.create(true, KmsKeyConfig.awsOwned()),
                        new KinesisConfig(168, KmsKeyConfig.create()),
                        new WarehouseConfig(8, "dev", Optional.empty(), true, 300, 0),
                        shortMarkers,
                        new AlarmsConfig(List.of(), 60, 300, 3_145_728, 900, 900, 5),
                        new BackfillConfig(false, 4, 100_000, 1_000, "cdc_reader", Optional.empty()),
                        1,
                        true,
                        RetentionDays.ONE_MONTH,
                        new TreeMap<>()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("doneMarkerRetentionDays must be at least 8");
    }
}
