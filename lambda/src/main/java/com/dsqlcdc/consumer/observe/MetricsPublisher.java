package com.dsqlcdc.consumer.observe;

import com.dsqlcdc.consumer.BatchResult;

/** Publishes a batch's figures. */
public interface MetricsPublisher {
    /** @param result the batch's outcome */
    void publish(BatchResult result);
}
