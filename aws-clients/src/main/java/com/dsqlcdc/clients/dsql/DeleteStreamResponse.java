package com.dsqlcdc.clients.dsql;

import java.time.Instant;

public record DeleteStreamResponse(
        String clusterIdentifier, String streamIdentifier, String arn, StreamStatus status, Instant creationTime) {}
