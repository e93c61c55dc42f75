package com.dsqlcdc.infra.stateful;

import com.dsqlcdc.infra.config.KinesisConfig;
import java.util.Objects;
import software.amazon.awscdk.RemovalPolicy;

/**
 * Properties of {@link CdcKinesisStream}.
 *
 * @param config        retention hours and the encryption key (created or imported)
 * @param removalPolicy what happens to the stream (and a created key) when it leaves the stack: RETAIN
 *                      keeps the data, DESTROY deletes it
 */
public record CdcKinesisStreamProps(KinesisConfig config, RemovalPolicy removalPolicy) {

    public CdcKinesisStreamProps {
        Objects.requireNonNull(config, "CdcKinesisStreamProps.config is required");
        Objects.requireNonNull(removalPolicy, "CdcKinesisStreamProps.removalPolicy is required");
    }
}
