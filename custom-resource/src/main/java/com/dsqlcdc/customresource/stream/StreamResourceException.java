package com.dsqlcdc.customresource.stream;

/**
 * A failure to report to CloudFormation as it is: the message is written for the operator who
 * reads it in the stack events (what happened, and what to do about it).
 */
public final class StreamResourceException extends RuntimeException {
    public StreamResourceException(String message) {
        super(message);
    }

    public StreamResourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
