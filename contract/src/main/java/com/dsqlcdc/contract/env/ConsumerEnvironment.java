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

    public static final EnvVar<String> QUARANTINE_BUCKET =
            EnvVar.text("QUARANTINE_BUCKET", "the S3 bucket poison records go to");
    public static final EnvVar<String> STAGING_BUCKET = EnvVar.text(
            "STAGING_BUCKET",
            "the S3 bucket of staged batches (staged/), chunked-record pieces and the loader's manifests");
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
                    QUARANTINE_BUCKET,
                    STAGING_BUCKET,
                    MAX_SUPER_STRING_BYTES,
                    LambdaEnvironment.SERVICE_NAME,
                    METRICS_NAMESPACE,
                    LambdaEnvironment.LOG_LEVEL));

    private ConsumerEnvironment() {}
}
