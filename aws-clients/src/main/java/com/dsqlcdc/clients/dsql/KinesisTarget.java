package com.dsqlcdc.clients.dsql;

import java.util.Objects;

/** {@code targetDefinition.kinesis}: where DSQL writes changes, and the role it assumes to do so. */
public record KinesisTarget(String streamArn, String roleArn) {
    public KinesisTarget {
        Objects.requireNonNull(streamArn, "streamArn");
        Objects.requireNonNull(roleArn, "roleArn");
    }
}
