package com.dsqlcdc.contract.env;

import com.dsqlcdc.contract.MetricNames;
import java.util.regex.Pattern;

/**
 * Variables every function of this app has: the Region Lambda sets, and Powertools' service name,
 * metric namespace and log level, which the constructs set. Each function's environment class
 * lists the ones it reads.
 */
public final class LambdaEnvironment {

    /** A Region name such as {@code us-east-1}. */
    public static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");

    /** The Region; Lambda sets it (the {@code aws.region} system property serves local runs, as in the SDK). */
    public static final EnvVar<String> AWS_REGION = EnvVar.matching(
                    "AWS_REGION", REGION, "a Region name such as us-east-1", "the Region the function runs in")
            .setByLambda("aws.region");

    /**
     * Powertools' service name: the logs' {@code service} and, where kept, the metrics' {@code Service}
     * dimension. Powertools reads it, not the handlers.
     */
    public static final EnvVar<String> SERVICE_NAME = EnvVar.text(
                    "POWERTOOLS_SERVICE_NAME",
                    "the function's service name in its logs and metrics (one of MetricNames' or"
                            + " CustomResourceEnvironment's *_SERVICE)")
            .optional();

    /** Powertools' metric namespace; this app's is {@link MetricNames#NAMESPACE}. */
    public static final EnvVar<String> METRICS_NAMESPACE = EnvVar.text(
            "POWERTOOLS_METRICS_NAMESPACE",
            "the CloudWatch namespace of the function's metrics, which the alarms read (" + MetricNames.NAMESPACE
                    + " in this app)");

    /** Powertools' log level. Powertools reads it, not the handlers. */
    public static final EnvVar<String> LOG_LEVEL = EnvVar.matching(
                    "POWERTOOLS_LOG_LEVEL",
                    Pattern.compile("TRACE|DEBUG|INFO|WARN|ERROR|FATAL"),
                    "one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL",
                    "the lowest level the function logs")
            .optional();

    private LambdaEnvironment() {}
}
