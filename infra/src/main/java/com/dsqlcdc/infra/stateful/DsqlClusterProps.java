package com.dsqlcdc.infra.stateful;

import com.dsqlcdc.infra.config.ClusterConfig;
import java.util.Objects;
import software.amazon.awscdk.RemovalPolicy;

/**
 * Properties of {@link DsqlCluster}.
 *
 * @param config        whether to create the cluster or use an existing one, its identifier, deletion
 *                      protection and key choice
 * @param removalPolicy what happens to a created cluster (and a created key) when it leaves the stack;
 *                      ignored for an existing cluster
 */
public record DsqlClusterProps(ClusterConfig config, RemovalPolicy removalPolicy) {

    public DsqlClusterProps {
        Objects.requireNonNull(config, "DsqlClusterProps.config is required");
        Objects.requireNonNull(removalPolicy, "DsqlClusterProps.removalPolicy is required");
    }
}
