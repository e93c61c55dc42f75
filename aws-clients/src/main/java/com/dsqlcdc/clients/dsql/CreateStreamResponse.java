package com.dsqlcdc.clients.dsql;

import java.time.Instant;

/** CreateStream output: the service echoes neither the target nor the tags. */
public record CreateStreamResponse(
        String clusterIdentifier,
        String streamIdentifier,
        String arn,
        StreamStatus status,
        Instant creationTime,
        String ordering,
        String format) {}
