package com.dsqlcdc.clients.dsql;

import java.time.Instant;

/** A ListStreams entry: no target, ordering or format (GetStream has those). */
public record StreamSummary(
        String clusterIdentifier, String streamIdentifier, String arn, Instant creationTime, StreamStatus status) {}
