package com.dsqlcdc.clients;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The endpoint override of a service, looked up the way every AWS SDK client does it, so that one
 * setting points the generated clients and the hand-written one ({@code SignedDsqlStreamClient})
 * alike at a local fake: service-specific system property ({@code aws.endpointUrl<Service>}),
 * service-specific environment variable ({@code AWS_ENDPOINT_URL_<SERVICE>}), global system
 * property {@code aws.endpointUrl}, global environment variable {@code AWS_ENDPOINT_URL}; none
 * when {@code AWS_IGNORE_CONFIGURED_ENDPOINT_URLS} (or {@code aws.ignoreConfiguredEndpointUrls})
 * is true.
 */
public final class EndpointOverrides {

    private EndpointOverrides() {}

    /**
     * @param serviceId        the service's id as the variable spells it, e.g. {@code DSQL},
     *                         {@code S3}, {@code REDSHIFT_DATA}
     * @param propertyId       the same as the system property spells it, e.g. {@code Dsql}, {@code S3}
     * @param env              the process environment
     * @param systemProperties the system properties
     * @return the override in effect, if any
     */
    public static Optional<URI> of(
            String serviceId, String propertyId, Map<String, String> env, Properties systemProperties) {
        boolean ignore = Boolean.parseBoolean(systemProperties.getProperty("aws.ignoreConfiguredEndpointUrls"))
                || Boolean.parseBoolean(env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"));
        if (ignore) {
            return Optional.empty();
        }
        for (String candidate : new String[] {
            systemProperties.getProperty("aws.endpointUrl" + propertyId),
            env.get("AWS_ENDPOINT_URL_" + serviceId),
            systemProperties.getProperty("aws.endpointUrl"),
            env.get("AWS_ENDPOINT_URL")
        }) {
            if (candidate != null && !candidate.isBlank()) {
                return Optional.of(URI.create(candidate.trim()));
            }
        }
        return Optional.empty();
    }

    /**
     * @param serviceId  as for {@link #of}
     * @param propertyId as for {@link #of}
     * @return the override in effect in this process, if any
     */
    public static Optional<URI> of(String serviceId, String propertyId) {
        return of(serviceId, propertyId, System.getenv(), System.getProperties());
    }
}
