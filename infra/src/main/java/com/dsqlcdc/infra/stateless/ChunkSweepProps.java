package com.dsqlcdc.infra.stateless;

import com.dsqlcdc.infra.config.ConsumerConfig;
import com.dsqlcdc.infra.stateful.StagingBucket;
import java.util.Objects;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.logs.RetentionDays;

/**
 * Properties of {@link ChunkSweep}.
 *
 * @param config        the consumer's chunk settings (sweep interval, incomplete age)
 * @param handlerCode   the shaded consumer jar ({@code lambda/target/consumer.jar}): the sweep handler
 *                      ships in it
 * @param stagingBucket the bucket to sweep (list, read pieces and decrypt are granted)
 * @param logRetention  retention of the function's log group
 */
public record ChunkSweepProps(
        ConsumerConfig.Chunks config, Code handlerCode, StagingBucket stagingBucket, RetentionDays logRetention) {

    public ChunkSweepProps {
        Objects.requireNonNull(config, "ChunkSweepProps.config is required");
        Objects.requireNonNull(handlerCode, "ChunkSweepProps.handlerCode is required");
        Objects.requireNonNull(stagingBucket, "ChunkSweepProps.stagingBucket is required");
        Objects.requireNonNull(logRetention, "ChunkSweepProps.logRetention is required");
    }
}
