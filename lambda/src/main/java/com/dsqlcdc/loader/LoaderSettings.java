package com.dsqlcdc.loader;

import static com.dsqlcdc.contract.env.LoaderEnvironment.COPY_ROLE_ARN;
import static com.dsqlcdc.contract.env.LoaderEnvironment.DATABASE_NAME;
import static com.dsqlcdc.contract.env.LoaderEnvironment.LOADED_BATCH_RETENTION_DAYS;
import static com.dsqlcdc.contract.env.LoaderEnvironment.LOAD_INTERVAL_SECONDS;
import static com.dsqlcdc.contract.env.LoaderEnvironment.LOG_RETENTION_DAYS;
import static com.dsqlcdc.contract.env.LoaderEnvironment.MAX_MEGABYTES_PER_RUN;
import static com.dsqlcdc.contract.env.LoaderEnvironment.MAX_OBJECTS_PER_RUN;
import static com.dsqlcdc.contract.env.LoaderEnvironment.METRICS_NAMESPACE;
import static com.dsqlcdc.contract.env.LoaderEnvironment.STAGING_BUCKET;
import static com.dsqlcdc.contract.env.LoaderEnvironment.STATEMENT_TIMEOUT_SECONDS;
import static com.dsqlcdc.contract.env.LoaderEnvironment.WORKGROUP_NAME;

import com.dsqlcdc.contract.env.FunctionEnvironment;
import com.dsqlcdc.contract.env.LoaderEnvironment;
import com.dsqlcdc.sql.load.LoadRunSql;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The loader's settings, read once from the function's environment (declared in the contract's
 * {@link LoaderEnvironment}, written by infra's {@code CdcLoader} construct); a missing or bad
 * variable fails the function's init with every problem named.
 *
 * @param stagingBucket     where the consumer stages and the loader writes its manifests
 * @param copyRoleArn       the namespace's COPY role
 * @param workgroup         the Redshift Serverless workgroup
 * @param database          its database
 * @param loadInterval      time between two loads
 * @param pruning           log and batch-record retention
 * @param maxObjectsPerRun  staged objects per run
 * @param maxBytesPerRun    staged bytes per run
 * @param statementTimeout  the longest wait for one statement
 * @param metricsNamespace  the CloudWatch namespace
 */
public record LoaderSettings(
        String stagingBucket,
        String copyRoleArn,
        String workgroup,
        String database,
        Duration loadInterval,
        LoadRunSql.Pruning pruning,
        int maxObjectsPerRun,
        long maxBytesPerRun,
        Duration statementTimeout,
        String metricsNamespace) {

    /** @return the settings from {@code env}, or an exception naming every problem */
    public static LoaderSettings from(Map<String, String> env) {
        FunctionEnvironment.Values values = LoaderEnvironment.ENVIRONMENT.read(env, new Properties());
        values.throwIfInvalid();
        return new LoaderSettings(
                values.get(STAGING_BUCKET),
                values.get(COPY_ROLE_ARN),
                values.get(WORKGROUP_NAME),
                values.get(DATABASE_NAME),
                Duration.ofSeconds(values.get(LOAD_INTERVAL_SECONDS)),
                new LoadRunSql.Pruning(values.get(LOG_RETENTION_DAYS), values.get(LOADED_BATCH_RETENTION_DAYS)),
                values.get(MAX_OBJECTS_PER_RUN),
                values.get(MAX_MEGABYTES_PER_RUN) * 1024L * 1024L,
                Duration.ofSeconds(values.get(STATEMENT_TIMEOUT_SECONDS)),
                values.get(METRICS_NAMESPACE));
    }
}
