package com.dsqlcdc.health;

import com.dsqlcdc.clients.dsql.DsqlStreamClient;
import com.dsqlcdc.clients.dsql.GetStreamRequest;
import com.dsqlcdc.clients.dsql.GetStreamResponse;
import com.dsqlcdc.clients.dsql.StreamStatusExplanation;
import java.util.Objects;
import software.amazon.awssdk.services.dsql.model.ResourceNotFoundException;

/**
 * One GetStream call turned into a {@link StreamHealth}. A stream that no longer exists (404, or
 * DELETING/DELETED) is a finding, reported as such; every other failure (access denied, retries
 * exhausted on throttling or server errors, a response without a status this code knows) is
 * thrown, so the function errors and the alarms on its errors and on missing metrics fire.
 * Retries are the stream client's own (429, 5xx and I/O errors, with backoff).
 */
public final class StreamHealthProbe {

    private final DsqlStreamClient streams;
    private final String clusterId;
    private final String streamId;

    public StreamHealthProbe(DsqlStreamClient streams, String clusterId, String streamId) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.clusterId = Objects.requireNonNull(clusterId, "clusterId");
        this.streamId = Objects.requireNonNull(streamId, "streamId");
    }

    public String clusterId() {
        return clusterId;
    }

    public String streamId() {
        return streamId;
    }

    public StreamHealth run() {
        GetStreamResponse stream;
        try {
            stream = streams.getStream(new GetStreamRequest(clusterId, streamId));
        } catch (ResourceNotFoundException notFound) {
            return new StreamHealth(
                    clusterId,
                    streamId,
                    null,
                    StreamHealth.NOT_FOUND,
                    null,
                    gone("GetStream answers ResourceNotFoundException"));
        }
        return switch (stream.status()) {
            case ACTIVE ->
                found(stream, "DSQL CDC stream " + stream.arn() + " is ACTIVE: changes are delivered to Kinesis.");
            case CREATING ->
                found(
                        stream,
                        "DSQL CDC stream " + stream.arn()
                                + " is CREATING (1-3 minutes is typical); nothing is delivered yet."
                                + " If it stays CREATING, check it with `aws dsql get-stream`.");
            case IMPAIRED, FAILED -> found(stream, StreamStatusExplanation.describe(stream));
            case DELETING, DELETED -> found(stream, gone("its status is " + stream.status()));
            case UNKNOWN_TO_CLIENT ->
                throw new IllegalStateException("GetStream for stream " + streamId + " of cluster " + clusterId
                        + " answered without a status this check"
                        + " knows (CREATING, ACTIVE, IMPAIRED, FAILED, DELETING, DELETED): a malformed response, or DSQL added"
                        + " a status this version does not handle. Check it with `aws dsql get-stream --cluster-identifier "
                        + clusterId + " --stream-identifier " + streamId + "`.");
        };
    }

    private StreamHealth found(GetStreamResponse stream, String explanation) {
        return new StreamHealth(
                clusterId, streamId, stream.arn(), stream.status().name(), stream.statusReason(), explanation);
    }

    private String gone(String evidence) {
        return "DSQL CDC stream " + streamId + " of cluster " + clusterId + " no longer exists (" + evidence + "):"
                + " no changes reach Kinesis, and the pipeline is down as if the stream had FAILED. Fix: raise the"
                + " environment's cdcStreamGeneration by one in cdk.json and redeploy: the stream resource then creates a"
                + " new stream (a deploy that changes nothing in the resource does not call its handler). Runbook: 'A"
                + " FAILED stream'.";
    }
}
