package com.dsqlcdc.contract.env;

import java.util.List;

/**
 * The chunk sweep function's environment ({@code lambda/}'s {@code ChunkSweepHandler}), written by
 * infra's {@code ChunkSweep} construct.
 */
public final class ChunkSweepEnvironment {

    public static final EnvVar<String> STAGING_BUCKET = ConsumerEnvironment.STAGING_BUCKET;
    public static final EnvVar<Integer> INCOMPLETE_CHUNK_SET_AGE_MINUTES = EnvVar.integer(
                    "INCOMPLETE_CHUNK_SET_AGE_MINUTES",
                    5,
                    10_080,
                    "how long a chunk set may wait for its last piece before it counts as incomplete")
            .withDefault(60);
    /** The sweep defaults to this app's namespace. */
    public static final EnvVar<String> METRICS_NAMESPACE = ConsumerEnvironment.METRICS_NAMESPACE;

    /** Every variable of the chunk sweep. */
    public static final FunctionEnvironment ENVIRONMENT = new FunctionEnvironment(
            "chunk sweep",
            "infra's ChunkSweep construct",
            List.of(
                    STAGING_BUCKET,
                    INCOMPLETE_CHUNK_SET_AGE_MINUTES,
                    LambdaEnvironment.SERVICE_NAME,
                    METRICS_NAMESPACE,
                    LambdaEnvironment.LOG_LEVEL));

    private ChunkSweepEnvironment() {}
}
