package com.dsqlcdc.tail;

import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;

/**
 * The stream named on the command line: an ARN ({@code arn:aws:kinesis:…:stream/<name>}, as the
 * stack output {@code KinesisStreamArn} gives it) or a bare name.
 *
 * @param text the name or ARN as given
 */
record StreamRef(String text) {

    StreamRef {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(
                    "--stream is empty: give the stream's name or ARN (stack output KinesisStreamArn)");
        }
    }

    boolean isArn() {
        return text.startsWith("arn:");
    }

    void applyTo(ListShardsRequest.Builder request) {
        if (isArn()) {
            request.streamARN(text);
        } else {
            request.streamName(text);
        }
    }

    void applyTo(GetShardIteratorRequest.Builder request) {
        if (isArn()) {
            request.streamARN(text);
        } else {
            request.streamName(text);
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
