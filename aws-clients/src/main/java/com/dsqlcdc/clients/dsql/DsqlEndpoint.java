package com.dsqlcdc.clients.dsql;

import com.dsqlcdc.clients.EndpointOverrides;
import com.dsqlcdc.contract.env.LambdaEnvironment;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the DSQL control plane lives: {@code https://dsql.<region>.api.aws} (not amazonaws.com),
 * unless an endpoint override is configured the way every AWS SDK client honours it, so that one
 * test or LocalStack-style setup drives this hand-written client and the generated ones alike.
 *
 * <p>Precedence, as in the SDK ({@link EndpointOverrides}): {@code aws.endpointUrlDsql},
 * {@code AWS_ENDPOINT_URL_DSQL}, {@code aws.endpointUrl}, {@code AWS_ENDPOINT_URL}.
 */
public final class DsqlEndpoint {

    private DsqlEndpoint() {}

    /** The endpoint for {@code region} given this process's environment and system properties. */
    public static URI resolve(String region) {
        return resolve(region, System.getenv(), System.getProperties());
    }

    static URI resolve(String region, Map<String, String> env, Properties systemProperties) {
        Optional<URI> override = EndpointOverrides.of("DSQL", "Dsql", env, systemProperties);
        if (override.isPresent()) {
            return override.get();
        }
        if (region == null || !LambdaEnvironment.REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("Cannot build the DSQL endpoint: region \"" + region
                    + "\" is not a region name such as us-east-1" + " (set AWS_REGION).");
        }
        return URI.create("https://dsql." + region + ".api.aws");
    }
}
