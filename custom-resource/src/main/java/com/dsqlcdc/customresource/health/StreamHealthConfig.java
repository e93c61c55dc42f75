package com.dsqlcdc.customresource.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The stream health function's settings, read once at init from its environment and validated:
 * a missing or malformed variable fails the function's initialisation with a message naming it,
 * instead of a check that silently watches nothing.
 *
 * @param clusterId the Aurora DSQL cluster identifier ({@code CLUSTER_ID})
 * @param streamId  the CDC stream identifier ({@code STREAM_ID})
 * @param region    the Region ({@code AWS_REGION}, which Lambda sets; the {@code aws.region}
 *                  system property serves local runs, as in the SDK)
 * @param namespace the CloudWatch namespace of the metrics ({@code POWERTOOLS_METRICS_NAMESPACE})
 */
public record StreamHealthConfig(String clusterId, String streamId, String region, String namespace) {

  public static final String CLUSTER_ID = "CLUSTER_ID";
  public static final String STREAM_ID = "STREAM_ID";
  public static final String AWS_REGION = "AWS_REGION";
  public static final String NAMESPACE = "POWERTOOLS_METRICS_NAMESPACE";

  private static final Pattern IDENTIFIER = Pattern.compile("[a-z0-9]{26}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");

  /** This process's environment (and the {@code aws.region} system property for the Region). */
  public static StreamHealthConfig fromEnvironment() {
    return from(System.getenv(), System.getProperties());
  }

  /** Validates {@code env}; throws {@link IllegalStateException} listing every problem. */
  public static StreamHealthConfig from(Map<String, String> env, Properties systemProperties) {
    List<String> problems = new ArrayList<>();
    String cluster =
        identifier(env, CLUSTER_ID, "the Aurora DSQL cluster identifier whose CDC stream this function checks", problems);
    String stream = identifier(env, STREAM_ID, "the identifier of the CDC stream this function checks", problems);
    String region = trimmed(env.get(AWS_REGION));
    if (region == null) {
      region = trimmed(systemProperties.getProperty("aws.region"));
    }
    if (region == null) {
      problems.add(AWS_REGION + " is not set (Lambda always sets it; set it, or the aws.region system property, for a local run)");
    } else if (!REGION.matcher(region).matches()) {
      problems.add(AWS_REGION + "=" + region + " is not a Region name such as us-east-1");
    }
    String namespace = trimmed(env.get(NAMESPACE));
    if (namespace == null) {
      problems.add(NAMESPACE + " is not set: the CloudWatch namespace the stream health metrics (and the alarms on"
          + " them) use, DsqlCdcPipeline in this app");
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "The stream health function is misconfigured:\n - " + String.join("\n - ", problems));
    }
    return new StreamHealthConfig(cluster, stream, region, namespace);
  }

  private static String identifier(Map<String, String> env, String name, String meaning, List<String> problems) {
    String value = trimmed(env.get(name));
    if (value == null) {
      problems.add(name + " is not set: " + meaning + " (26 characters a-z and 0-9)");
      return null;
    }
    if (!IDENTIFIER.matcher(value).matches()) {
      problems.add(name + "=" + value + " is not " + meaning + ": expected 26 characters a-z and 0-9");
    }
    return value;
  }

  private static String trimmed(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
