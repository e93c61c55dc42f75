package com.dsqlcdc.customresource.dsql;

import java.net.URI;
import java.util.Map;
import java.util.Properties;

/**
 * Where the DSQL control plane lives: {@code https://dsql.<region>.api.aws} (not amazonaws.com),
 * unless an endpoint override is configured the way every AWS SDK client honours it, so that one
 * test or LocalStack-style setup drives this hand-written client and the generated ones alike.
 *
 * <p>Precedence, as in the SDK: service-specific system property {@code aws.endpointUrlDsql},
 * service-specific environment variable {@code AWS_ENDPOINT_URL_DSQL}, global system property
 * {@code aws.endpointUrl}, global environment variable {@code AWS_ENDPOINT_URL}; all ignored when
 * {@code AWS_IGNORE_CONFIGURED_ENDPOINT_URLS} (or {@code aws.ignoreConfiguredEndpointUrls}) is true.
 */
public final class DsqlEndpoint {

  private DsqlEndpoint() {}

  /** The endpoint for {@code region} given this process's environment and system properties. */
  public static URI resolve(String region) {
    return resolve(region, System.getenv(), System.getProperties());
  }

  static URI resolve(String region, Map<String, String> env, Properties systemProperties) {
    boolean ignoreOverrides =
        Boolean.parseBoolean(systemProperties.getProperty("aws.ignoreConfiguredEndpointUrls"))
            || Boolean.parseBoolean(env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"));
    if (!ignoreOverrides) {
      for (String candidate :
          new String[] {
            systemProperties.getProperty("aws.endpointUrlDsql"),
            env.get("AWS_ENDPOINT_URL_DSQL"),
            systemProperties.getProperty("aws.endpointUrl"),
            env.get("AWS_ENDPOINT_URL")
          }) {
        if (candidate != null && !candidate.isBlank()) {
          return URI.create(candidate.trim());
        }
      }
    }
    if (region == null || !region.matches("[a-z]{2}(-[a-z]+)+-\\d+")) {
      throw new IllegalArgumentException(
          "Cannot build the DSQL endpoint: region \"" + region + "\" is not a region name such as us-east-1"
              + " (set AWS_REGION).");
    }
    return URI.create("https://dsql." + region + ".api.aws");
  }
}
