package com.dsqlcdc.infra.monitoring;

import java.util.Objects;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.lambda.IFunction;

/**
 * What the alarms and the dashboard watch, hop by hop.
 *
 * @param clusterIdentifier     the DSQL cluster
 * @param streamIdentifier      the DSQL CDC stream (the stream resource's attribute)
 * @param kinesisStream         the Kinesis stream the CDC stream writes to
 * @param consumerFunction      the consumer Lambda (function-level metrics: every version and alias)
 * @param failedBatchBucketName the consumer's on-failure destination
 */
public record MonitoredResources(String clusterIdentifier, String streamIdentifier, IStream kinesisStream,
                                 IFunction consumerFunction, String failedBatchBucketName) {

    public MonitoredResources {
        Objects.requireNonNull(clusterIdentifier, "clusterIdentifier");
        Objects.requireNonNull(streamIdentifier, "streamIdentifier");
        Objects.requireNonNull(kinesisStream, "kinesisStream");
        Objects.requireNonNull(consumerFunction, "consumerFunction");
        Objects.requireNonNull(failedBatchBucketName, "failedBatchBucketName");
    }
}
