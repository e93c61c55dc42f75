package com.dsqlcdc.backfill;

import com.dsqlcdc.clients.dsql.DsqlStreamClient;
import com.dsqlcdc.clients.dsql.GetStreamRequest;
import com.dsqlcdc.clients.dsql.GetStreamResponse;
import com.dsqlcdc.clients.dsql.StreamStatus;
import com.dsqlcdc.clients.dsql.StreamStatusExplanation;
import java.time.Instant;
import software.amazon.awssdk.services.dsql.model.ResourceNotFoundException;

/**
 * The check every backfill and resync starts with: the cluster's CDC stream must be ACTIVE (GetStream),
 * because the ordering rules lean on it carrying every change committed from now on. Its
 * {@code creationTime} dates a first backfill's rows, and is the earliest a resync's gap may end.
 */
public final class StreamGate {

    private final DsqlStreamClient streams;

    /** @param streams the signed stream client (GetStream) */
    public StreamGate(DsqlStreamClient streams) {
        this.streams = streams;
    }

    /** The stream is not ACTIVE (or not there): the job must not start. */
    public static final class StreamNotActiveException extends RuntimeException {
        public StreamNotActiveException(String message) {
            super(message);
        }
    }

    /**
     * @param clusterId the cluster
     * @param streamId  its CDC stream
     * @return the stream's creation time
     * @throws StreamNotActiveException naming the status, the reason DSQL gives and the fix
     */
    public Instant activeSince(String clusterId, String streamId) {
        GetStreamResponse stream;
        try {
            stream = streams.getStream(new GetStreamRequest(clusterId, streamId));
        } catch (ResourceNotFoundException e) {
            throw new StreamNotActiveException("CDC stream " + streamId + " of cluster " + clusterId
                    + " does not exist: deploy the pipeline (it creates the stream), then run the backfill");
        }
        if (stream.status() != StreamStatus.ACTIVE) {
            throw new StreamNotActiveException("CDC stream " + streamId + " of cluster " + clusterId + " is "
                    + stream.status() + ", not ACTIVE: " + StreamStatusExplanation.describe(stream)
                    + ". A backfill or resync starts only while the stream carries every change (a FAILED stream"
                    + " is recreated by raising cdcStreamGeneration and deploying; then resync)");
        }
        if (stream.creationTime() == null) {
            throw new StreamNotActiveException(
                    "GetStream did not say when stream " + streamId + " was created; the backfill needs that time");
        }
        return stream.creationTime();
    }
}
