package com.dsqlcdc.contract.env;

import com.dsqlcdc.contract.MetricNames;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The backfill job's functions ({@code lambda/}'s {@code com.dsqlcdc.backfill} handlers), written by
 * infra's backfill job construct. One Step Functions job runs them in turn: the plan step
 * ({@code BackfillPlanHandler}: checks the stream, plans each table's key ranges, writes the plan to
 * the staging bucket's {@code backfill/}), the range worker ({@code BackfillRangeHandler}: backfills,
 * resyncs or validates one range within a time budget, called again until the range is done) and the
 * report step ({@code BackfillReportHandler}: the summary, the report object and the metrics). Each has
 * its own {@link FunctionEnvironment}; the variables they share are declared once, here.
 */
public final class BackfillEnvironment {

    /** Rows per key range by default: a range is validated in one warehouse query and one worker call. */
    public static final int DEFAULT_RANGE_ROWS = 100_000;

    public static final EnvVar<String> CLUSTER_IDENTIFIER = EnvVar.matching(
            "CLUSTER_IDENTIFIER",
            StreamHealthEnvironment.DSQL_IDENTIFIER,
            "26 characters a-z and 0-9",
            "the Aurora DSQL cluster the job reads (endpoint <id>.dsql.<region>.on.aws, database postgres)");
    public static final EnvVar<String> STREAM_IDENTIFIER = EnvVar.matching(
            "STREAM_IDENTIFIER",
            StreamHealthEnvironment.DSQL_IDENTIFIER,
            "26 characters a-z and 0-9",
            "the cluster's CDC stream: a backfill starts only while it is ACTIVE and dates its rows at its creation");
    public static final EnvVar<String> SOURCE_DATABASE_ROLE = EnvVar.matching(
                    "SOURCE_DATABASE_ROLE",
                    Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}"),
                    "a database role name",
                    "the DSQL database role the job connects as (SELECT on the captured tables only, mapped to the"
                            + " job's IAM role with AWS IAM GRANT; see docs/backfill.md)")
            .withDefault("cdc_reader");
    public static final EnvVar<String> STAGING_BUCKET = ConsumerEnvironment.STAGING_BUCKET;
    public static final EnvVar<String> WORKGROUP_NAME = EnvVar.text(
            "WORKGROUP_NAME", "the Redshift Serverless workgroup validation and resync read the current state from");
    public static final EnvVar<String> DATABASE_NAME =
            EnvVar.text("DATABASE_NAME", "the database of the workgroup's namespace that holds the state tables");
    public static final EnvVar<Integer> MAX_SUPER_STRING_BYTES = ConsumerEnvironment.MAX_SUPER_STRING_BYTES;
    public static final EnvVar<Integer> RANGE_ROWS = EnvVar.integer(
                    "RANGE_ROWS",
                    100,
                    10_000_000,
                    "rows per key range (the unit of parallelism, checkpointing, validation and resync)")
            .withDefault(DEFAULT_RANGE_ROWS);
    public static final EnvVar<Integer> PAGE_ROWS = EnvVar.integer(
                    "PAGE_ROWS",
                    1,
                    100_000,
                    "rows per page: each page is one short read-only transaction on the source")
            .withDefault(1_000);
    public static final EnvVar<Integer> RESYNC_MARGIN_MILLIS = EnvVar.integer(
                    "RESYNC_MARGIN_MILLIS",
                    0,
                    60_000,
                    "how far before its transaction's start a resync page's rows are dated (docs/backfill.md,"
                            + " ordering rules)")
            .withDefault(1_000);
    public static final EnvVar<Integer> WORK_SECONDS = EnvVar.integer(
                    "WORK_SECONDS",
                    30,
                    840,
                    "the longest one range-worker call works before it returns a continuation (inside Lambda's"
                            + " 15 minutes; each page is a transaction far inside DSQL's 5)")
            .withDefault(600);
    public static final EnvVar<String> METRICS_NAMESPACE =
            LambdaEnvironment.METRICS_NAMESPACE.withDefault(MetricNames.NAMESPACE);

    /** The plan step. */
    public static final FunctionEnvironment PLAN = new FunctionEnvironment(
            "backfill plan",
            "infra's backfill job construct",
            List.of(
                    CLUSTER_IDENTIFIER,
                    STREAM_IDENTIFIER,
                    SOURCE_DATABASE_ROLE,
                    STAGING_BUCKET,
                    RANGE_ROWS,
                    PAGE_ROWS,
                    RESYNC_MARGIN_MILLIS,
                    LambdaEnvironment.AWS_REGION,
                    LambdaEnvironment.SERVICE_NAME,
                    LambdaEnvironment.LOG_LEVEL));

    /** The range worker. */
    public static final FunctionEnvironment WORKER = new FunctionEnvironment(
            "backfill range worker",
            "infra's backfill job construct",
            List.of(
                    CLUSTER_IDENTIFIER,
                    SOURCE_DATABASE_ROLE,
                    STAGING_BUCKET,
                    WORKGROUP_NAME,
                    DATABASE_NAME,
                    MAX_SUPER_STRING_BYTES,
                    WORK_SECONDS,
                    LambdaEnvironment.AWS_REGION,
                    LambdaEnvironment.SERVICE_NAME,
                    LambdaEnvironment.LOG_LEVEL));

    /** The report step. */
    public static final FunctionEnvironment REPORT = new FunctionEnvironment(
            "backfill report",
            "infra's backfill job construct",
            List.of(
                    STAGING_BUCKET,
                    LambdaEnvironment.AWS_REGION,
                    LambdaEnvironment.SERVICE_NAME,
                    METRICS_NAMESPACE,
                    LambdaEnvironment.LOG_LEVEL));

    private BackfillEnvironment() {}
}
