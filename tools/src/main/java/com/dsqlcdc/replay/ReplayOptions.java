package com.dsqlcdc.replay;

import com.dsqlcdc.consumer.ConsumerSettings;
import com.dsqlcdc.contract.env.ConsumerEnvironment;
import com.dsqlcdc.contract.env.EnvVar;
import com.dsqlcdc.contract.env.FunctionEnvironment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options both sources share: where to stage (the consumer Lambda's settings, under the
 * names of its environment variables) and how to run. A replay stages like the consumer does; the
 * loader then loads what it staged at its next run.
 */
final class ReplayOptions {

    @Option(
            names = "--staging-bucket",
            required = true,
            paramLabel = "BUCKET",
            description =
                    "Staging bucket: where replayed changes are staged for the loader, and chunk reassembly (the consumer's STAGING_BUCKET).")
    String stagingBucket;

    @Option(
            names = "--max-super-string-bytes",
            paramLabel = "BYTES",
            description = "Longest string SUPER holds: " + ConsumerEnvironment.LARGE_SUPER_STRING_BYTES
                    + " if the warehouse opted in to large strings (the consumer's MAX_SUPER_STRING_BYTES; default "
                    + ConsumerEnvironment.SUPER_STRING_BYTES + ").")
    Integer maxSuperStringBytes;

    @Option(
            names = "--retry-left",
            description =
                    "Also try again the records earlier runs left (after fixing their cause, e.g. adding a table to the catalog).")
    boolean retryLeft;

    @Option(
            names = "--dry-run",
            description = "Decode only: report what would be staged and what would be left, and write nothing.")
    boolean dryRun;

    /**
     * @param commandLine  for the error
     * @param sourceBucket the bucket records are read from (and left in): the replay's quarantine
     * @return the consumer's settings
     * @throws CommandLine.ParameterException naming the options that are out of range
     */
    ConsumerSettings settings(CommandLine commandLine, String sourceBucket) {
        Map<String, String> options = new LinkedHashMap<>();
        Map<String, String> env = new LinkedHashMap<>();
        put(env, options, ConsumerEnvironment.STAGING_BUCKET, "--staging-bucket", stagingBucket);
        put(env, options, ConsumerEnvironment.MAX_SUPER_STRING_BYTES, "--max-super-string-bytes", maxSuperStringBytes);
        // Records still poison stay in the object they came from: that bucket is the replay's quarantine.
        env.put(ConsumerEnvironment.QUARANTINE_BUCKET.name(), sourceBucket);
        FunctionEnvironment.Values values = ConsumerEnvironment.ENVIRONMENT.read(env, new Properties());
        if (!values.problems().isEmpty()) {
            // The consumer's own checks, named by the options they came from (the variables' fixes speak of infra).
            String message = values.problems().list().stream()
                    .map(p -> options.containsKey(p.key())
                            ? p.message().replace(p.key() + "=", options.get(p.key()) + " ")
                            : p.toString())
                    .collect(Collectors.joining("; "));
            throw new CommandLine.ParameterException(commandLine, "Invalid options: " + message);
        }
        return ConsumerSettings.from(values);
    }

    private static void put(
            Map<String, String> env, Map<String, String> options, EnvVar<?> variable, String option, Object value) {
        options.put(variable.name(), option);
        if (value != null) {
            env.put(variable.name(), value.toString());
        }
    }
}
