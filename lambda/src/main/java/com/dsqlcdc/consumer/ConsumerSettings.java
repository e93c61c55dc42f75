package com.dsqlcdc.consumer;

import static com.dsqlcdc.contract.env.ConsumerEnvironment.BULK_MIN_BYTES;
import static com.dsqlcdc.contract.env.ConsumerEnvironment.BULK_MIN_ROWS;
import static com.dsqlcdc.contract.env.ConsumerEnvironment.COPY_ROLE_ARN;
import static com.dsqlcdc.contract.env.ConsumerEnvironment.DATABASE_NAME;
import static com.dsqlcdc.contract.env.ConsumerEnvironment.MAX_CONCURRENT_STATEMENTS;
import static com.dsqlcdc.contract.env.ConsumerEnvironment.MAX_SUPER_STRING_BYTES;
import static com.dsqlcdc.contract.env.ConsumerEnvironment.METRICS_NAMESPACE;
import static com.dsqlcdc.contract.env.ConsumerEnvironment.QUARANTINE_BUCKET;
import static com.dsqlcdc.contract.env.ConsumerEnvironment.STAGING_BUCKET;
import static com.dsqlcdc.contract.env.ConsumerEnvironment.STATEMENT_TIMEOUT_SECONDS;
import static com.dsqlcdc.contract.env.ConsumerEnvironment.WORKGROUP_NAME;

import com.dsqlcdc.contract.env.ConsumerEnvironment;
import com.dsqlcdc.contract.env.FunctionEnvironment;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The consumer's settings, read once from the function's environment (declared in the contract's
 * {@link ConsumerEnvironment}, written by infra's {@code CdcConsumer} construct). A missing or bad
 * variable fails the function's init with every problem named, rather than failing each batch later.
 *
 * <p>Each component is the value of one variable (its meaning, range and default are in
 * {@link ConsumerEnvironment}): {@code WORKGROUP_NAME}, {@code DATABASE_NAME},
 * {@code QUARANTINE_BUCKET}, {@code MAX_CONCURRENT_STATEMENTS}, {@code STATEMENT_TIMEOUT_SECONDS},
 * {@code POWERTOOLS_METRICS_NAMESPACE}, {@code STAGING_BUCKET}, {@code COPY_ROLE_ARN},
 * {@code BULK_MIN_ROWS}, {@code BULK_MIN_BYTES}, {@code MAX_SUPER_STRING_BYTES}.
 */
public record ConsumerSettings(
        String workgroup,
        String database,
        String quarantineBucket,
        int maxConcurrentStatements,
        Duration statementTimeout,
        String metricsNamespace,
        String stagingBucket,
        String copyRoleArn,
        int bulkMinRows,
        int bulkMinBytes,
        int maxSuperStringBytes) {

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
                values.get(WORKGROUP_NAME),
                values.get(DATABASE_NAME),
                values.get(QUARANTINE_BUCKET),
                values.get(MAX_CONCURRENT_STATEMENTS),
                Duration.ofSeconds(values.get(STATEMENT_TIMEOUT_SECONDS)),
                values.get(METRICS_NAMESPACE),
                values.get(STAGING_BUCKET),
                values.get(COPY_ROLE_ARN),
                values.get(BULK_MIN_ROWS),
                values.get(BULK_MIN_BYTES),
                values.get(MAX_SUPER_STRING_BYTES));
    }
}
