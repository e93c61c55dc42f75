package com.dsqlcdc.health;

import static com.dsqlcdc.contract.env.StreamHealthEnvironment.CLUSTER_ID;
import static com.dsqlcdc.contract.env.StreamHealthEnvironment.STREAM_ID;

import com.dsqlcdc.contract.env.FunctionEnvironment;
import com.dsqlcdc.contract.env.LambdaEnvironment;
import com.dsqlcdc.contract.env.StreamHealthEnvironment;
import java.util.Map;
import java.util.Properties;

/**
 * The stream health function's settings, read once at init from its environment (declared in
 * {@link StreamHealthEnvironment}) and validated: a missing or malformed variable fails the
 * function's initialisation with every problem named, instead of a check that silently watches
 * nothing.
 *
 * @param clusterId the Aurora DSQL cluster identifier ({@code CLUSTER_ID})
 * @param streamId  the CDC stream identifier ({@code STREAM_ID})
 * @param region    the Region ({@code AWS_REGION}, which Lambda sets; the {@code aws.region}
 *                  system property serves local runs, as in the SDK)
 * @param namespace the CloudWatch namespace of the metrics ({@code POWERTOOLS_METRICS_NAMESPACE})
 */
public record StreamHealthConfig(String clusterId, String streamId, String region, String namespace) {

    /** @return the settings of this process's environment (and the {@code aws.region} system property) */
    public static StreamHealthConfig fromEnvironment() {
        return from(System.getenv(), System.getProperties());
    }

    /**
     * @param env              the environment
     * @param systemProperties the system properties
     * @return the settings
     * @throws IllegalStateException listing every problem
     */
    public static StreamHealthConfig from(Map<String, String> env, Properties systemProperties) {
        FunctionEnvironment.Values values = StreamHealthEnvironment.ENVIRONMENT.read(env, systemProperties);
        values.throwIfInvalid();
        return new StreamHealthConfig(
                values.get(CLUSTER_ID),
                values.get(STREAM_ID),
                values.get(LambdaEnvironment.AWS_REGION),
                values.get(LambdaEnvironment.METRICS_NAMESPACE));
    }
}
