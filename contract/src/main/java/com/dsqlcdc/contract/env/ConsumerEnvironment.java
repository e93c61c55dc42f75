package com.dsqlcdc.contract.env;

import com.dsqlcdc.contract.MetricNames;
import java.util.List;

/**
 * The consumer function's environment ({@code lambda/}'s {@code ConsumerHandler}), written by
 * infra's {@code CdcConsumer} construct. The replay command reads the same settings from its
 * command line, under these names.
 */
public final class ConsumerEnvironment {

    /** The longest string inside a SUPER value by default, in bytes. */
    public static final int SUPER_STRING_BYTES = 65_535;
    /** The longest string inside a SUPER value with {@code enable_large_strings_opt_in}, in bytes. */
    public static final int LARGE_SUPER_STRING_BYTES = 16_000_000;
    /**
     * Default of {@link #BULK_MIN_ROWS}: one past a statement's 190 rows, i.e. COPY as soon as the
     * INSERTs would need a second statement. The benchmark measured a COPY as fast as one INSERT
     * statement (docs/benchmarks.md, crossover), so from two statements on COPY costs less.
     */
    public static final int DEFAULT_BULK_MIN_ROWS = 191;
    /** Default of {@link #BULK_MIN_BYTES}: one statement's byte budget, for the same reason. */
    public static final int DEFAULT_BULK_MIN_BYTES = 96_000;

    public static final EnvVar<String> WORKGROUP_NAME =
            EnvVar.text("WORKGROUP_NAME", "the Redshift Serverless workgroup the consumer loads into");
    public static final EnvVar<String> DATABASE_NAME =
            EnvVar.text("DATABASE_NAME", "the database of the workgroup's namespace that holds cdc.cdc_events");
    public static final EnvVar<String> QUARANTINE_BUCKET =
            EnvVar.text("QUARANTINE_BUCKET", "the S3 bucket poison records go to");
    public static final EnvVar<String> STAGING_BUCKET =
            EnvVar.text("STAGING_BUCKET", "the S3 bucket of COPY files and chunked-record pieces");
    public static final EnvVar<String> COPY_ROLE_ARN =
            EnvVar.text("COPY_ROLE_ARN", "the namespace's IAM role that COPY uses to read the staging bucket");
    public static final EnvVar<Integer> MAX_CONCURRENT_STATEMENTS = EnvVar.integer(
                    "MAX_CONCURRENT_STATEMENTS", 1, 50, "Data API statements in flight per batch")
            .withDefault(8);
    public static final EnvVar<Integer> STATEMENT_TIMEOUT_SECONDS = EnvVar.integer(
                    "STATEMENT_TIMEOUT_SECONDS",
                    1,
                    900,
                    "the longest wait for one statement before it is cancelled and its records retried")
            .withDefault(120);
    public static final EnvVar<Integer> BULK_MIN_ROWS = EnvVar.integer(
                    "BULK_MIN_ROWS", 1, 10_000, "rows at which a batch loads with one COPY instead of INSERTs")
            .withDefault(DEFAULT_BULK_MIN_ROWS);
    public static final EnvVar<Integer> BULK_MIN_BYTES = EnvVar.integer(
                    "BULK_MIN_BYTES",
                    1024,
                    6 * 1024 * 1024,
                    "bytes at which a batch loads with one COPY instead of INSERTs")
            .withDefault(DEFAULT_BULK_MIN_BYTES);
    public static final EnvVar<Integer> MAX_SUPER_STRING_BYTES = EnvVar.integer(
                    "MAX_SUPER_STRING_BYTES",
                    SUPER_STRING_BYTES,
                    LARGE_SUPER_STRING_BYTES,
                    "the longest string the warehouse's SUPER accepts (" + LARGE_SUPER_STRING_BYTES
                            + " with large strings opted in)")
            .withDefault(SUPER_STRING_BYTES);
    /** The consumer defaults to this app's namespace. */
    public static final EnvVar<String> METRICS_NAMESPACE =
            LambdaEnvironment.METRICS_NAMESPACE.withDefault(MetricNames.NAMESPACE);

    /** Every variable of the consumer. */
    public static final FunctionEnvironment ENVIRONMENT = new FunctionEnvironment(
            "consumer",
            "infra's CdcConsumer construct",
            List.of(
                    WORKGROUP_NAME,
                    DATABASE_NAME,
                    QUARANTINE_BUCKET,
                    STAGING_BUCKET,
                    COPY_ROLE_ARN,
                    MAX_CONCURRENT_STATEMENTS,
                    STATEMENT_TIMEOUT_SECONDS,
                    BULK_MIN_ROWS,
                    BULK_MIN_BYTES,
                    MAX_SUPER_STRING_BYTES,
                    LambdaEnvironment.SERVICE_NAME,
                    METRICS_NAMESPACE,
                    LambdaEnvironment.LOG_LEVEL));

    private ConsumerEnvironment() {}
}
