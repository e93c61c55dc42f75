package com.dsqlcdc.infra.config;

import java.util.Objects;

/**
 * The Kinesis data stream that receives the CDC records.
 *
 * @param retentionHours how long records stay readable, 24 to 8760 hours
 * @param kmsKey         its encryption key: created here or imported (never AWS owned)
 */
public record KinesisConfig(int retentionHours, KmsKeyConfig kmsKey) {

    /** Smallest retention Kinesis accepts. */
    public static final int MIN_RETENTION_HOURS = 24;
    /** Largest retention Kinesis accepts (365 days). */
    public static final int MAX_RETENTION_HOURS = 8760;
    /** One week, matching how long DSQL keeps changes it could not deliver. */
    public static final int DEFAULT_RETENTION_HOURS = 168;

    public KinesisConfig {
        Objects.requireNonNull(kmsKey, "kmsKey");
        if (retentionHours < MIN_RETENTION_HOURS || retentionHours > MAX_RETENTION_HOURS) {
            throw new IllegalArgumentException("retentionHours out of range: " + retentionHours);
        }
        if (kmsKey.source() == KmsKeyConfig.Source.AWS_OWNED) {
            throw new IllegalArgumentException("the Kinesis stream needs a customer managed key");
        }
    }
}
