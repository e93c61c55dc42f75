package com.dsqlcdc.infra.stateless;

import com.dsqlcdc.infra.stateful.BucketGrants;
import software.amazon.awscdk.services.lambda.DlqDestinationConfig;
import software.amazon.awscdk.services.lambda.IEventSourceMapping;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.lambda.eventsources.S3OnFailureDestination;
import software.amazon.awscdk.services.s3.IBucket;

/**
 * The S3 on-failure destination of the consumer's event source mapping: Lambda writes each batch
 * it gives up on (retries exhausted or records too old) to the bucket, with the whole invocation
 * payload, using the function's execution role.
 *
 * <p>The CDK's {@link S3OnFailureDestination} grants the function read and write on the bucket,
 * including {@code s3:DeleteObject*} and {@code kms:Decrypt}: the consumer could read and erase the
 * failed batches it is meant to preserve. This subclass keeps its type (the event source mapping
 * checks it) and grants only what Lambda's documentation lists for an S3 destination:
 * {@code s3:PutObject} and {@code s3:ListBucket}, plus {@code kms:GenerateDataKey} on the bucket's
 * key.
 */
public final class FailedBatchDestination extends S3OnFailureDestination {

    private final IBucket bucket;

    /** @param bucket the failed-batch bucket */
    public FailedBatchDestination(IBucket bucket) {
        super(bucket);
        this.bucket = bucket;
    }

    @Override
    public DlqDestinationConfig bind(IEventSourceMapping target, IFunction targetHandler) {
        BucketGrants.writeObjects(bucket, targetHandler);
        BucketGrants.listObjects(bucket, targetHandler);
        return DlqDestinationConfig.builder().destination(bucket.getBucketArn()).build();
    }
}
