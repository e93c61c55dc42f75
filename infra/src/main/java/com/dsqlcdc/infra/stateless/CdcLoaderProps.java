package com.dsqlcdc.infra.stateless;

import com.dsqlcdc.contract.env.LoaderEnvironment;
import com.dsqlcdc.infra.stateful.IRedshiftTarget;
import com.dsqlcdc.infra.stateful.StagingBucket;
import java.util.Objects;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.IBucket;

/**
 * Properties of {@link CdcLoader}: CDK types and {@link IRedshiftTarget} only, so another app can run
 * the loader on its own staging bucket and warehouse.
 *
 * @param handlerCode   the lambda module's shaded jar ({@code lambda/target/consumer.jar}), which holds the
 *                      loader's handler too
 * @param warehouse     where the staged changes land (the Data API on its workgroup, GetCredentials on it,
 *                      and its COPY role for the COPY)
 * @param stagingBucket what the consumer staged ({@link StagingBucket#grantLoader}); its {@code staged/}
 *                      must never expire
 * @param logRetention  retention of the function's log group
 * @param tuning        the load interval and the log's retention ({@link Tuning#defaults()})
 */
public record CdcLoaderProps(
        Code handlerCode, IRedshiftTarget warehouse, IBucket stagingBucket, RetentionDays logRetention, Tuning tuning) {

    public CdcLoaderProps {
        Objects.requireNonNull(handlerCode, "CdcLoaderProps.handlerCode is required");
        Objects.requireNonNull(warehouse, "CdcLoaderProps.warehouse is required");
        Objects.requireNonNull(stagingBucket, "CdcLoaderProps.stagingBucket is required");
        Objects.requireNonNull(logRetention, "CdcLoaderProps.logRetention is required");
        Objects.requireNonNull(tuning, "CdcLoaderProps.tuning is required");
    }

    /**
     * When the loader loads and what it prunes.
     *
     * @param loadIntervalSeconds seconds between two loads, 10-86400: below a minute (the schedule's
     *                            smallest rate) one invocation a minute loads every interval; from a minute
     *                            up a whole number of minutes
     * @param logRetentionDays    superseded, merged events older than this are pruned from the log, 1-3650;
     *                            0 keeps the whole log
     */
    public record Tuning(int loadIntervalSeconds, int logRetentionDays) {

        /** The loader's own range and default ({@code LOAD_INTERVAL_SECONDS} of its environment). */
        public static final int MIN_LOAD_INTERVAL_SECONDS = 10;

        public static final int MAX_LOAD_INTERVAL_SECONDS = 86_400;
        public static final int DEFAULT_LOAD_INTERVAL_SECONDS =
                LoaderEnvironment.LOAD_INTERVAL_SECONDS.defaultValue().orElseThrow();
        /** The schedule's unit, and its smallest rate. */
        public static final int MINUTE_SECONDS = LoaderEnvironment.MINUTE_SECONDS;

        public Tuning {
            if (loadIntervalSeconds < MIN_LOAD_INTERVAL_SECONDS || loadIntervalSeconds > MAX_LOAD_INTERVAL_SECONDS) {
                throw new IllegalArgumentException(
                        "Tuning.loadIntervalSeconds must be from " + MIN_LOAD_INTERVAL_SECONDS + " to "
                                + MAX_LOAD_INTERVAL_SECONDS + ", got " + loadIntervalSeconds);
            }
            if (loadIntervalSeconds > MINUTE_SECONDS && loadIntervalSeconds % MINUTE_SECONDS != 0) {
                throw new IllegalArgumentException("Tuning.loadIntervalSeconds above a minute must be a whole number"
                        + " of minutes (the schedule's unit), got " + loadIntervalSeconds);
            }
            if (logRetentionDays < 0 || logRetentionDays > 3650) {
                throw new IllegalArgumentException(
                        "Tuning.logRetentionDays must be from 0 (keep the whole log) to 3650, got " + logRetentionDays);
            }
        }

        /** @return a load every five minutes, the whole log kept */
        public static Tuning defaults() {
            return new Tuning(DEFAULT_LOAD_INTERVAL_SECONDS, 0);
        }

        /** @return how often the schedule starts the loader: the interval, or a minute when it is shorter */
        public int scheduleSeconds() {
            return Math.max(MINUTE_SECONDS, loadIntervalSeconds);
        }
    }
}
