package com.dsqlcdc.infra.stateful;

import software.amazon.awscdk.services.kinesis.IStream;

/**
 * What the stateful stack hands the stateless one: the long-lived resources that the replaceable
 * parts (the CDC stream resource, the consumer, the checks, the alarms) are wired to. Implemented
 * by {@link StatefulStack}; passed whole, so a new resource is one getter here, not a field copied
 * through every layer.
 */
public interface StatefulResources {

    /** @return the DSQL cluster (created or existing) */
    IDsqlCluster getCluster();

    /** @return the Kinesis stream that receives CDC records (encrypted with its customer managed key) */
    IStream getKinesisStream();

    /** @return the Redshift Serverless warehouse */
    IWarehouse getWarehouse();

    /** @return the bucket of quarantined (poison) records */
    EncryptedBucket getQuarantineBucket();

    /** @return the bucket of failed batches (the consumer's on-failure destination) */
    EncryptedBucket getFailedBatchBucket();

    /** @return the staging bucket (staged batches, the loader's manifests, chunked-record pieces and markers) */
    StagingBucket getStagingBucket();
}
