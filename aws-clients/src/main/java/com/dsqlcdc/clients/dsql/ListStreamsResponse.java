package com.dsqlcdc.clients.dsql;

import java.util.List;

/** One page of ListStreams; {@code nextToken} is null on the last page. */
public record ListStreamsResponse(List<StreamSummary> streams, String nextToken) {
    public ListStreamsResponse {
        streams = List.copyOf(streams);
    }
}
