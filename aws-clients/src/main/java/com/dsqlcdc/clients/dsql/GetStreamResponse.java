package com.dsqlcdc.clients.dsql;

import java.time.Instant;
import java.util.Map;

/** GetStream output. {@code statusReason} is present only when IMPAIRED or FAILED. */
public record GetStreamResponse(
        String clusterIdentifier,
        String streamIdentifier,
        String arn,
        StreamStatus status,
        Instant creationTime,
        String ordering,
        String format,
        KinesisTarget targetDefinition,
        Map<String, String> tags,
        StatusReason statusReason) {
    public GetStreamResponse {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }
}
