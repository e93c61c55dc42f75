package com.dsqlcdc.infra.stateless;

import java.util.Objects;
import software.amazon.awscdk.services.kinesis.IStream;

/**
 * Properties of {@link DsqlStreamServiceRole}.
 *
 * @param clusterArn    ARN of the DSQL cluster; only its streams may assume the role
 * @param kinesisStream the Kinesis stream DSQL writes to (and, through Kinesis, its customer managed key if
 *                      it has one)
 */
public record DsqlStreamServiceRoleProps(String clusterArn, IStream kinesisStream) {

    public DsqlStreamServiceRoleProps {
        Objects.requireNonNull(clusterArn, "DsqlStreamServiceRoleProps.clusterArn is required");
        Objects.requireNonNull(kinesisStream, "DsqlStreamServiceRoleProps.kinesisStream is required");
    }
}
