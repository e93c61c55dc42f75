package com.dsqlcdc.infra.monitoring;

import com.dsqlcdc.infra.stateless.CdcConsumer;
import com.dsqlcdc.infra.stateless.CdcLoader;
import com.dsqlcdc.infra.stateless.DsqlCdcStream;
import java.util.Objects;
import software.amazon.awscdk.services.kinesis.IStream;

/**
 * What the alarms and the dashboard watch, hop by hop. The DSQL stream's, the consumer's and the
 * loader's metrics come from their constructs' {@code metricXxx} methods.
 *
 * @param cdcStream             the DSQL CDC stream (and its cluster)
 * @param kinesisStream         the Kinesis stream the CDC stream writes to
 * @param consumer              the consumer (function-level Lambda metrics: every version and alias)
 * @param loader                the loader (its metrics, its function's errors, its schedule's interval)
 * @param failedBatchBucketName the consumer's on-failure destination
 */
public record MonitoredResources(
        DsqlCdcStream cdcStream,
        IStream kinesisStream,
        CdcConsumer consumer,
        CdcLoader loader,
        String failedBatchBucketName) {

    public MonitoredResources {
        Objects.requireNonNull(cdcStream, "cdcStream");
        Objects.requireNonNull(kinesisStream, "kinesisStream");
        Objects.requireNonNull(consumer, "consumer");
        Objects.requireNonNull(loader, "loader");
        Objects.requireNonNull(failedBatchBucketName, "failedBatchBucketName");
    }
}
