package com.dsqlcdc.consumer;

import static com.dsqlcdc.contract.env.ConsumerEnvironment.MAX_SUPER_STRING_BYTES;
import static com.dsqlcdc.contract.env.ConsumerEnvironment.METRICS_NAMESPACE;
import static com.dsqlcdc.contract.env.ConsumerEnvironment.QUARANTINE_BUCKET;
import static com.dsqlcdc.contract.env.ConsumerEnvironment.STAGING_BUCKET;

import com.dsqlcdc.contract.env.ConsumerEnvironment;
import com.dsqlcdc.contract.env.FunctionEnvironment;
import java.util.Map;
import java.util.Properties;

/**
 * The consumer's settings, read once from the function's environment (declared in the contract's
 * {@link ConsumerEnvironment}, written by infra's {@code CdcConsumer} construct). A missing or bad
 * variable fails the function's init with every problem named, rather than failing each batch later.
 *
 * <p>Each component is the value of one variable (its meaning, range and default are in
 * {@link ConsumerEnvironment}): {@code QUARANTINE_BUCKET}, {@code STAGING_BUCKET},
 * {@code POWERTOOLS_METRICS_NAMESPACE}, {@code MAX_SUPER_STRING_BYTES}.
 */
public record ConsumerSettings(
        String quarantineBucket, String stagingBucket, String metricsNamespace, int maxSuperStringBytes) {

    /** @return the settings from {@code env}, or an exception naming every problem */
    public static ConsumerSettings from(Map<String, String> env) {
        return from(ConsumerEnvironment.ENVIRONMENT.read(env, new Properties()));
    }

    /**
     * @param values the consumer's environment, as read
     * @return the settings, or an exception naming every problem
     */
    public static ConsumerSettings from(FunctionEnvironment.Values values) {
        values.throwIfInvalid();
        return new ConsumerSettings(
                values.get(QUARANTINE_BUCKET),
                values.get(STAGING_BUCKET),
                values.get(METRICS_NAMESPACE),
                values.get(MAX_SUPER_STRING_BYTES));
    }
}
