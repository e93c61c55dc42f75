package com.dsqlcdc.contract.env;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The stream health check's environment ({@code lambda/}'s {@code StreamHealthHandler}), written by
 * infra's {@code StreamHealthCheck} construct. Everything is required: a check that started without
 * its stream or its namespace would watch nothing, and its alarms would not notice.
 */
public final class StreamHealthEnvironment {

    /** An Aurora DSQL cluster or stream identifier: 26 characters a-z and 0-9. */
    public static final Pattern DSQL_IDENTIFIER = Pattern.compile("[a-z0-9]{26}");

    public static final EnvVar<String> CLUSTER_ID = EnvVar.matching(
            "CLUSTER_ID",
            DSQL_IDENTIFIER,
            "26 characters a-z and 0-9",
            "the Aurora DSQL cluster identifier whose CDC stream this function checks");
    public static final EnvVar<String> STREAM_ID = EnvVar.matching(
            "STREAM_ID",
            DSQL_IDENTIFIER,
            "26 characters a-z and 0-9",
            "the identifier of the CDC stream this function checks");

    /** Every variable of the stream health check. */
    public static final FunctionEnvironment ENVIRONMENT = new FunctionEnvironment(
            "stream health",
            "infra's StreamHealthCheck construct",
            List.of(
                    CLUSTER_ID,
                    STREAM_ID,
                    LambdaEnvironment.AWS_REGION,
                    LambdaEnvironment.SERVICE_NAME,
                    LambdaEnvironment.METRICS_NAMESPACE,
                    LambdaEnvironment.LOG_LEVEL));

    private StreamHealthEnvironment() {}
}
