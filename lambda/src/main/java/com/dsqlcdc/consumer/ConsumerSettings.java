package com.dsqlcdc.consumer;

import com.dsqlcdc.consumer.decode.ChangeDecoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The consumer's settings, read once from the function's environment (set by infra's
 * {@code CdcConsumer} construct). A missing or bad variable fails the function's init with every
 * problem named, rather than failing each batch later.
 *
 * @param workgroup              {@code WORKGROUP_NAME}: the Redshift Serverless workgroup
 * @param database               {@code DATABASE_NAME}
 * @param quarantineBucket       {@code QUARANTINE_BUCKET}: where poison records go
 * @param maxConcurrentStatements {@code MAX_CONCURRENT_STATEMENTS} (default 8): statements in flight per batch
 * @param statementTimeout       {@code STATEMENT_TIMEOUT_SECONDS} (default 120): longest wait for one statement
 * @param metricsNamespace       {@code POWERTOOLS_METRICS_NAMESPACE} (default DsqlCdcPipeline)
 * @param stagingBucket          {@code STAGING_BUCKET}: COPY files and the chunk assembly area
 * @param copyRoleArn            {@code COPY_ROLE_ARN}: the namespace's role that reads the staging bucket
 * @param bulkMinRows            {@code BULK_MIN_ROWS} (default 191): rows at which a batch loads with COPY
 * @param bulkMinBytes           {@code BULK_MIN_BYTES} (default 96000): bytes at which a batch loads with COPY
 * @param maxSuperStringBytes    {@code MAX_SUPER_STRING_BYTES} (default 65535): longest string the
 *                               warehouse's SUPER accepts (16000000 with large strings opted in)
 */
public record ConsumerSettings(String workgroup, String database, String quarantineBucket,
                               int maxConcurrentStatements, Duration statementTimeout, String metricsNamespace,
                               String stagingBucket, String copyRoleArn, int bulkMinRows, int bulkMinBytes,
                               int maxSuperStringBytes) {

    /**
     * Default of {@code BULK_MIN_ROWS}: one past a statement's 190 rows, i.e. COPY as soon as the
     * INSERTs would need a second statement. The benchmark measured a COPY as fast as one INSERT
     * statement (docs/benchmarks.md, crossover), so from two statements on COPY costs less.
     */
    public static final int DEFAULT_BULK_MIN_ROWS = 191;
    /** Default of {@code BULK_MIN_BYTES}: one statement's byte budget, for the same reason. */
    public static final int DEFAULT_BULK_MIN_BYTES = 96_000;

    /** @return the settings from {@code env}, or an exception naming every problem */
    public static ConsumerSettings from(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        String workgroup = required(env, "WORKGROUP_NAME", problems);
        String database = required(env, "DATABASE_NAME", problems);
        String bucket = required(env, "QUARANTINE_BUCKET", problems);
        int concurrent = integer(env, "MAX_CONCURRENT_STATEMENTS", 8, 1, 50, problems);
        int timeout = integer(env, "STATEMENT_TIMEOUT_SECONDS", 120, 1, 900, problems);
        String namespace = env.getOrDefault("POWERTOOLS_METRICS_NAMESPACE", "DsqlCdcPipeline");
        String staging = required(env, "STAGING_BUCKET", problems);
        String copyRole = required(env, "COPY_ROLE_ARN", problems);
        int minRows = integer(env, "BULK_MIN_ROWS", DEFAULT_BULK_MIN_ROWS, 1, 10_000, problems);
        int minBytes = integer(env, "BULK_MIN_BYTES", DEFAULT_BULK_MIN_BYTES, 1024, 6 * 1024 * 1024, problems);
        int maxString = integer(env, "MAX_SUPER_STRING_BYTES", ChangeDecoder.MAX_SUPER_STRING_BYTES,
                ChangeDecoder.MAX_SUPER_STRING_BYTES, ChangeDecoder.MAX_LARGE_SUPER_STRING_BYTES, problems);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("consumer environment is invalid: " + String.join("; ", problems));
        }
        return new ConsumerSettings(workgroup, database, bucket, concurrent, Duration.ofSeconds(timeout), namespace,
                staging, copyRole, minRows, minBytes, maxString);
    }

    private static String required(Map<String, String> env, String name, List<String> problems) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            problems.add(name + " is not set (infra's CdcConsumer sets it)");
            return null;
        }
        return value;
    }

    private static int integer(Map<String, String> env, String name, int fallback, int min, int max, List<String> problems) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problems.add(name + "=" + value + " is not a whole number in " + min + "-" + max);
        return fallback;
    }
}
