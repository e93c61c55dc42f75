package com.dsqlcdc.tail;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** An AWS call that failed for good: the command ends with exit code 1 and this message. */
final class TailFailure extends RuntimeException {

    TailFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * @param operation the Kinesis operation, e.g. {@code GetRecords}
     * @param where     what it was called on, e.g. {@code shardId-000000000001 of stream dsql-cdc}
     * @param e         the SDK's exception (after its own retries)
     */
    static TailFailure of(String operation, String where, SdkException e) {
        String why;
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            why = service.awsErrorDetails().errorCode() + ": "
                    + service.awsErrorDetails().errorMessage() + " (HTTP " + service.statusCode() + ")";
        } else {
            why = e.getMessage();
        }
        return new TailFailure(operation + " on " + where + " failed: " + why, e);
    }
}
