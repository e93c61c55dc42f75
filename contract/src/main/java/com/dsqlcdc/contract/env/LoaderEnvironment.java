package com.dsqlcdc.contract.env;

import java.util.List;

/**
 * The loader function's environment ({@code lambda/}'s {@code LoaderHandler}), written by infra's
 * {@code CdcLoader} construct. The loader is the warehouse's one writer: once per load interval it
 * loads everything the consumer staged, appends it to {@code cdc.cdc_events} and merges it into the
 * current-state tables.
 */
public final class LoaderEnvironment {

    /** Below a minute, the schedule's smallest rate, one invocation a minute loads every interval. */
    public static final int MINUTE_SECONDS = 60;

    public static final EnvVar<String> STAGING_BUCKET = ConsumerEnvironment.STAGING_BUCKET;
    public static final EnvVar<String> COPY_ROLE_ARN =
            EnvVar.text("COPY_ROLE_ARN", "the namespace's IAM role that COPY uses to read the staging bucket");
    public static final EnvVar<String> WORKGROUP_NAME =
            EnvVar.text("WORKGROUP_NAME", "the Redshift Serverless workgroup the loader loads into");
    public static final EnvVar<String> DATABASE_NAME =
            EnvVar.text("DATABASE_NAME", "the database of the workgroup's namespace that holds cdc.cdc_events");
    public static final EnvVar<Integer> LOAD_INTERVAL_SECONDS = EnvVar.integer(
                    "LOAD_INTERVAL_SECONDS",
                    10,
                    86_400,
                    "seconds between two loads (below " + MINUTE_SECONDS
                            + ", one invocation a minute loads every interval)")
            .withDefault(300);
    public static final EnvVar<Integer> LOG_RETENTION_DAYS = EnvVar.integer(
                    "LOG_RETENTION_DAYS",
                    0,
                    3650,
                    "days after which superseded events are pruned from cdc.cdc_events (0: never)")
            .withDefault(0);
    public static final EnvVar<Integer> LOADED_BATCH_RETENTION_DAYS = EnvVar.integer(
                    "LOADED_BATCH_RETENTION_DAYS",
                    1,
                    3650,
                    "days a loaded batch is remembered, so a batch staged again is not appended twice")
            .withDefault(14);
    public static final EnvVar<Integer> MAX_OBJECTS_PER_RUN = EnvVar.integer(
                    "MAX_OBJECTS_PER_RUN", 1, 5000, "staged objects one run loads (one COPY manifest)")
            .withDefault(2000);
    public static final EnvVar<Integer> MAX_MEGABYTES_PER_RUN = EnvVar.integer(
                    "MAX_MEGABYTES_PER_RUN", 1, 10_240, "megabytes of staged objects one run loads")
            .withDefault(2048);
    public static final EnvVar<Integer> STATEMENT_TIMEOUT_SECONDS = EnvVar.integer(
                    "STATEMENT_TIMEOUT_SECONDS",
                    60,
                    900,
                    "the longest wait for one statement (a COPY or a commit) before it is cancelled")
            .withDefault(600);
    public static final EnvVar<String> METRICS_NAMESPACE = ConsumerEnvironment.METRICS_NAMESPACE;

    /** Every variable of the loader. */
    public static final FunctionEnvironment ENVIRONMENT = new FunctionEnvironment(
            "loader",
            "infra's CdcLoader construct",
            List.of(
                    STAGING_BUCKET,
                    COPY_ROLE_ARN,
                    WORKGROUP_NAME,
                    DATABASE_NAME,
                    LOAD_INTERVAL_SECONDS,
                    LOG_RETENTION_DAYS,
                    LOADED_BATCH_RETENTION_DAYS,
                    MAX_OBJECTS_PER_RUN,
                    MAX_MEGABYTES_PER_RUN,
                    STATEMENT_TIMEOUT_SECONDS,
                    LambdaEnvironment.SERVICE_NAME,
                    METRICS_NAMESPACE,
                    LambdaEnvironment.LOG_LEVEL));

    private LoaderEnvironment() {}
}
