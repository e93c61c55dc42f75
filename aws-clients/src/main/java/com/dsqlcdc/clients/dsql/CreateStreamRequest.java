package com.dsqlcdc.clients.dsql;

import java.util.Map;
import java.util.Objects;

/**
 * CreateStream input. {@code clientToken} makes the call idempotent: the same token (1-128
 * printable characters) returns the stream the first call made instead of a second one.
 */
public record CreateStreamRequest(
        String clusterIdentifier,
        KinesisTarget targetDefinition,
        String ordering,
        String format,
        Map<String, String> tags,
        String clientToken) {
    public CreateStreamRequest {
        Objects.requireNonNull(clusterIdentifier, "clusterIdentifier");
        Objects.requireNonNull(targetDefinition, "targetDefinition");
        Objects.requireNonNull(ordering, "ordering");
        Objects.requireNonNull(format, "format");
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }
}
