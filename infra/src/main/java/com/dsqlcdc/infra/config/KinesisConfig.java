package com.dsqlcdc.infra.config;

import java.util.Objects;

/**
 * The Kinesis data stream that receives the CDC records. Ranges and defaults:
 * {@link EnvironmentSchema#KINESIS}.
 *
 * @param retentionHours how long records stay readable
 * @param kmsKey         its encryption key: created here or imported (never AWS owned)
 */
public record KinesisConfig(int retentionHours, KmsKeyConfig kmsKey) {

    public KinesisConfig {
        Objects.requireNonNull(kmsKey, "kmsKey");
        if (kmsKey.source() == KmsKeyConfig.Source.AWS_OWNED) {
            throw new IllegalArgumentException("the Kinesis stream needs a customer managed key");
        }
    }
}
