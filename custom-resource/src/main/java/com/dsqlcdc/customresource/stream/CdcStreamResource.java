package com.dsqlcdc.customresource.stream;

import com.dsqlcdc.clients.dsql.CreateStreamRequest;
import com.dsqlcdc.clients.dsql.CreateStreamResponse;
import com.dsqlcdc.clients.dsql.DeleteStreamRequest;
import com.dsqlcdc.clients.dsql.DsqlStreamClient;
import com.dsqlcdc.clients.dsql.GetStreamRequest;
import com.dsqlcdc.clients.dsql.GetStreamResponse;
import com.dsqlcdc.clients.dsql.KinesisTarget;
import com.dsqlcdc.clients.dsql.ListStreamsRequest;
import com.dsqlcdc.clients.dsql.ListStreamsResponse;
import com.dsqlcdc.clients.dsql.StreamStatus;
import com.dsqlcdc.clients.dsql.StreamStatusExplanation;
import com.dsqlcdc.clients.dsql.StreamSummary;
import com.dsqlcdc.contract.Problems;
import com.dsqlcdc.customresource.stream.CustomResourceRequest.RequestType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dsql.DsqlClient;
import software.amazon.awssdk.services.dsql.model.AccessDeniedException;
import software.amazon.awssdk.services.dsql.model.ConflictException;
import software.amazon.awssdk.services.dsql.model.DsqlException;
import software.amazon.awssdk.services.dsql.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dsql.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.dsql.model.ValidationException;

/**
 * {@code Custom::DsqlCdcStream}: an Aurora DSQL CDC stream as an honest CloudFormation resource,
 * behind the CDK Provider framework (onEvent starts the work, isComplete is polled until done).
 *
 * <ul>
 *   <li>Create: validate, require an ACTIVE cluster, adopt a live stream of this cluster with the
 *       same target, ordering and format (a leftover of an earlier attempt), otherwise CreateStream
 *       with a client token derived from the CloudFormation request, so a retried create never
 *       makes a second stream. The physical id is the stream ARN.
 *   <li>isComplete: ACTIVE is done; CREATING is not yet; FAILED, or IMPAIRED while being created,
 *       fails with the status reason explained. Success is never reported for a stream that is not
 *       ACTIVE, with two exceptions for an IMPAIRED stream (a working stream whose delivery DSQL
 *       keeps retrying, changes kept a week), where failing would only make a rollback fail the same
 *       way (UPDATE_ROLLBACK_FAILED): a tags-only update (the tags were applied), and a stream that
 *       onEvent adopted once it had been ACTIVE or IMPAIRED (above all the old stream that the
 *       rollback of a replacing update adopts again). onEvent marks such an adoption with
 *       {@link #ADOPTED_STREAM}, a field of its result that the Provider framework hands to
 *       isComplete with the request (not a resource attribute). A stream adopted while still
 *       CREATING is one being created, and fails like a fresh one.
 *   <li>Update: any change but tags needs a new stream (DSQL has no UpdateStream), so a new
 *       physical id; CloudFormation then deletes the old stream. Tags only: TagResource and
 *       UntagResource in place.
 *   <li>Delete: DeleteStream, "not found" counts as deleted, and isComplete waits until GetStream
 *       answers 404 or DELETED. A physical id that is not a stream ARN (a failed create's marker)
 *       names nothing of ours and is left alone.
 * </ul>
 */
public final class CdcStreamResource {

    private static final Logger LOG = LoggerFactory.getLogger(CdcStreamResource.class);
    /** DSQL's fixed limit, not raisable. */
    static final int MAX_STREAMS_PER_CLUSTER = 5;
    /**
     * Field of onEvent's result naming a stream it adopted after the stream had been ACTIVE or
     * IMPAIRED. The CDK Provider framework passes every field onEvent returns to isComplete along
     * with the request; only {@code Data} becomes resource attributes.
     */
    public static final String ADOPTED_STREAM = "AdoptedStreamArn";

    private final DsqlStreamClient streams;
    private final DsqlClient dsql;
    private final ClusterReadiness clusterReadiness;
    private final String region;

    public CdcStreamResource(
            DsqlStreamClient streams, DsqlClient dsql, ClusterReadiness clusterReadiness, String region) {
        this.streams = streams;
        this.dsql = dsql;
        this.clusterReadiness = clusterReadiness;
        this.region = region;
    }

    /** The Provider framework's onEvent: returns {@code PhysicalResourceId}; throws on failure. */
    public Map<String, Object> onEvent(CustomResourceRequest request) {
        LOG.info(
                "onEvent {} {} physical id {}",
                request.requestType(),
                request.logicalResourceId(),
                request.physicalResourceId());
        Provisioned provisioned = switch (request.requestType()) {
            case CREATE -> provision(request, StreamProperties.parse(request.resourceProperties()));
            case UPDATE -> update(request);
            case DELETE -> new Provisioned(startDelete(request), false);
        };
        return provisioned.establishedAdoption()
                ? Map.of("PhysicalResourceId", provisioned.arn(), ADOPTED_STREAM, provisioned.arn())
                : Map.of("PhysicalResourceId", provisioned.arn());
    }

    /**
     * The Provider framework's isComplete: returns {@code IsComplete} (and {@code Data} when done).
     *
     * @param request       the request, with the physical id onEvent returned
     * @param adoptedStream {@link #ADOPTED_STREAM} of onEvent's result, if any
     */
    public Map<String, Object> isComplete(CustomResourceRequest request, Optional<String> adoptedStream) {
        return request.requestType() == RequestType.DELETE
                ? isDeleted(request)
                : isActive(
                        request,
                        adoptedStream.isPresent() && adoptedStream.get().equals(request.physicalResourceId()));
    }

    /** {@link #isComplete(CustomResourceRequest, Optional)} without an adoption. */
    public Map<String, Object> isComplete(CustomResourceRequest request) {
        return isComplete(request, Optional.empty());
    }

    /**
     * @param event what the Provider framework passes to isComplete: the request and onEvent's result
     * @return the stream onEvent marked as an adoption of an established stream, if any
     */
    public static Optional<String> adoptedStream(Map<String, Object> event) {
        return event.get(ADOPTED_STREAM) instanceof String arn ? Optional.of(arn) : Optional.empty();
    }

    /**
     * What onEvent settled on.
     *
     * @param arn                 the stream (the physical id)
     * @param establishedAdoption an existing stream was adopted that had been ACTIVE or IMPAIRED
     */
    private record Provisioned(String arn, boolean establishedAdoption) {}

    // ---- create and update ----------------------------------------------------------------------

    private Provisioned update(CustomResourceRequest request) {
        StreamProperties desired = StreamProperties.parse(request.resourceProperties());
        StreamProperties previous = StreamProperties.parse(request.oldResourceProperties());
        Optional<StreamArn> current = StreamArn.parse(request.physicalResourceId());
        if (current.isEmpty() || desired.requiresReplacementOf(previous)) {
            // Also the rollback of a replacing update (from the new properties back to the old ones):
            // the old stream still exists, so it is adopted again below.
            LOG.info("Update changes more than tags: creating (or adopting) a replacement stream");
            return provision(request, desired);
        }
        reconcileTags(current.get().arn(), previous.tags(), desired.tags());
        return new Provisioned(current.get().arn(), false);
    }

    /** An Update that changes only tags keeps its stream (and physical id). */
    private static boolean isTagsOnlyUpdate(CustomResourceRequest request) {
        return request.requestType() == RequestType.UPDATE
                && !StreamProperties.parse(request.resourceProperties())
                        .requiresReplacementOf(StreamProperties.parse(request.oldResourceProperties()));
    }

    private Provisioned provision(CustomResourceRequest request, StreamProperties props) {
        requireSameAccountAndRegion(props);
        clusterReadiness.awaitActive(props.clusterIdentifier());
        Optional<GetStreamResponse> adoptable = findAdoptable(props);
        if (adoptable.isPresent()) {
            GetStreamResponse stream = adoptable.get();
            LOG.info("Adopting existing stream {} ({}) with the same target", stream.arn(), stream.status());
            reconcileTags(stream.arn(), stream.tags(), props.tags());
            // One still CREATING is the leftover of an attempt whose answer was lost: a stream being
            // created, judged as one. ACTIVE or IMPAIRED, it has been working.
            return new Provisioned(stream.arn(), stream.status() != StreamStatus.CREATING);
        }
        CreateStreamResponse created;
        try {
            created = streams.createStream(new CreateStreamRequest(
                    props.clusterIdentifier(),
                    new KinesisTarget(props.kinesisStreamArn(), props.roleArn()),
                    props.ordering(),
                    props.format(),
                    props.tags(),
                    clientToken("create", request)));
        } catch (ServiceQuotaExceededException e) {
            throw new StreamResourceException(quotaMessage(props.clusterIdentifier()), e);
        } catch (ValidationException e) {
            throw new StreamResourceException(
                    "DSQL rejected CreateStream for cluster " + props.clusterIdentifier() + ": "
                            + e.awsErrorDetails().errorMessage() + ". If this is about the cluster's state, the cluster"
                            + " must be ACTIVE (connect any PostgreSQL client to wake an idle one) and then deploy again.",
                    e);
        } catch (AccessDeniedException e) {
            throw new StreamResourceException(
                    "Not allowed to create the stream: " + e.awsErrorDetails().errorMessage() + ". The handler's"
                            + " role needs dsql:CreateStream on the cluster, iam:PassRole on " + props.roleArn()
                            + " (iam:PassedToService dsql.amazonaws.com) and, for a cluster with a customer managed"
                            + " key, kms:Decrypt on that key.",
                    e);
        }
        LOG.info("CreateStream accepted: {} ({})", created.arn(), created.status());
        return new Provisioned(created.arn(), false);
    }

    private Map<String, Object> isActive(CustomResourceRequest request, boolean establishedAdoption) {
        StreamArn arn = StreamArn.parse(request.physicalResourceId())
                .orElseThrow(() -> new StreamResourceException(
                        "Internal error: physical id " + request.physicalResourceId() + " is not a DSQL stream ARN"));
        GetStreamResponse stream;
        try {
            stream = streams.getStream(new GetStreamRequest(arn.clusterIdentifier(), arn.streamIdentifier()));
        } catch (ResourceNotFoundException e) {
            throw new StreamResourceException(
                    "DSQL CDC stream " + arn.arn() + " no longer exists: it was deleted while CloudFormation was"
                            + " creating or updating it. Fix: deploy again to create a new one.",
                    e);
        }
        switch (stream.status()) {
            case ACTIVE:
                return complete(stream);
            case CREATING:
                LOG.info("Stream {} is CREATING", stream.arn());
                return Map.of("IsComplete", false);
            case IMPAIRED:
                if (isTagsOnlyUpdate(request)) {
                    LOG.warn("Tags updated, but the stream is impaired: {}", StreamStatusExplanation.describe(stream));
                    return complete(stream);
                }
                if (establishedAdoption) {
                    LOG.warn(
                            "Adopted stream {} is impaired; DSQL keeps retrying its delivery (changes are"
                                    + " kept a week): {}",
                            stream.arn(),
                            StreamStatusExplanation.describe(stream));
                    return complete(stream);
                }
                throw new StreamResourceException(StreamStatusExplanation.describe(stream));
            case FAILED:
                throw new StreamResourceException(StreamStatusExplanation.describe(stream));
            case DELETING:
            case DELETED:
                throw new StreamResourceException(
                        "DSQL CDC stream " + stream.arn() + " is " + stream.status() + ": it is being deleted by"
                                + " someone else while CloudFormation creates or updates it. Fix: deploy again.");
            default:
                LOG.warn("Stream {} is in a state this version does not know; still waiting for ACTIVE", stream.arn());
                return Map.of("IsComplete", false);
        }
    }

    private static Map<String, Object> complete(GetStreamResponse stream) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("StreamIdentifier", stream.streamIdentifier());
        data.put("StreamArn", stream.arn());
        data.put("Status", stream.status().name());
        return Map.of("IsComplete", true, "Data", data);
    }

    /**
     * A live stream of this cluster that writes to the same Kinesis stream with the same role,
     * ordering and format is ours: the leftover of an attempt whose response never reached
     * CloudFormation. ACTIVE ones are preferred.
     */
    private Optional<GetStreamResponse> findAdoptable(StreamProperties props) {
        KinesisTarget wanted = new KinesisTarget(props.kinesisStreamArn(), props.roleArn());
        List<GetStreamResponse> matches = new ArrayList<>();
        for (StreamSummary summary : listAll(props.clusterIdentifier())) {
            if (!summary.status().isLive()) {
                continue;
            }
            GetStreamResponse stream;
            try {
                stream = streams.getStream(new GetStreamRequest(props.clusterIdentifier(), summary.streamIdentifier()));
            } catch (ResourceNotFoundException goneMeanwhile) {
                continue;
            }
            if (stream.status().isLive()
                    && wanted.equals(stream.targetDefinition())
                    && props.ordering().equals(stream.ordering())
                    && props.format().equals(stream.format())) {
                matches.add(stream);
            }
        }
        if (matches.size() > 1) {
            LOG.warn(
                    "{} streams of cluster {} write to {}; adopting one",
                    matches.size(),
                    props.clusterIdentifier(),
                    wanted);
        }
        return matches.stream()
                .filter(s -> s.status() == StreamStatus.ACTIVE)
                .findFirst()
                .or(() -> matches.stream().findFirst());
    }

    private List<StreamSummary> listAll(String clusterIdentifier) {
        List<StreamSummary> all = new ArrayList<>();
        String token = null;
        do {
            ListStreamsResponse page = streams.listStreams(new ListStreamsRequest(clusterIdentifier, 100, token));
            all.addAll(page.streams());
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return all;
    }

    private String quotaMessage(String clusterIdentifier) {
        String existing;
        try {
            existing = listAll(clusterIdentifier).stream()
                    .map(s -> s.streamIdentifier() + " (" + s.status() + ")")
                    .collect(Collectors.joining(", "));
        } catch (DsqlException e) {
            existing = "(could not list them: " + e.getMessage() + ")";
        }
        return "Cluster " + clusterIdentifier + " already has the maximum of " + MAX_STREAMS_PER_CLUSTER
                + " CDC streams per cluster (a fixed DSQL limit that cannot be raised). Existing streams: "
                + existing + ". Fix: delete a stream that is no longer needed (`aws dsql delete-stream"
                + " --cluster-identifier " + clusterIdentifier + " --stream-identifier <id>`), then deploy again.";
    }

    private void requireSameAccountAndRegion(StreamProperties props) {
        Problems problems = new Problems();
        if (!region.equals(props.kinesisRegion())) {
            problems.add(
                    "KinesisStreamArn",
                    "the Kinesis stream is in " + props.kinesisRegion() + " but the cluster and this stack are in "
                            + region,
                    null);
        }
        if (!props.kinesisAccount().equals(props.roleAccount())) {
            problems.add(
                    "RoleArn",
                    "the Kinesis stream (account " + props.kinesisAccount() + ") and the role (account "
                            + props.roleAccount() + ") are in different accounts",
                    null);
        }
        problems.throwIfAny(
                "DSQL requires the cluster, the Kinesis stream and the role in one account and Region",
                StreamResourceException::new);
    }

    private void reconcileTags(String streamArn, Map<String, String> current, Map<String, String> desired) {
        List<String> removed = current.keySet().stream()
                .filter(k -> !desired.containsKey(k) && !k.startsWith("aws:"))
                .sorted()
                .toList();
        boolean changed =
                desired.entrySet().stream().anyMatch(e -> !e.getValue().equals(current.get(e.getKey())));
        try {
            if (!removed.isEmpty()) {
                dsql.untagResource(r -> r.resourceArn(streamArn).tagKeys(removed));
            }
            if (changed) {
                dsql.tagResource(r -> r.resourceArn(streamArn).tags(desired));
            }
        } catch (ResourceNotFoundException e) {
            throw new StreamResourceException(
                    "Cannot update the tags of DSQL CDC stream " + streamArn + ": it no longer exists. Fix: deploy"
                            + " again after removing the resource from the stack, or restore the stream.",
                    e);
        }
        LOG.info("Tags of {}: removed {}, {}", streamArn, removed, changed ? "set " + desired.keySet() : "unchanged");
    }

    // ---- delete ---------------------------------------------------------------------------------

    private String startDelete(CustomResourceRequest request) {
        Optional<StreamArn> arn = StreamArn.parse(request.physicalResourceId());
        if (arn.isEmpty()) {
            LOG.info(
                    "Physical id {} is not a stream ARN (e.g. a failed create): nothing to delete",
                    request.physicalResourceId());
            return request.physicalResourceId();
        }
        requestDeletion(arn.get(), request);
        return arn.get().arn();
    }

    private Map<String, Object> isDeleted(CustomResourceRequest request) {
        Optional<StreamArn> parsed = StreamArn.parse(request.physicalResourceId());
        if (parsed.isEmpty()) {
            return Map.of("IsComplete", true);
        }
        StreamArn arn = parsed.get();
        GetStreamResponse stream;
        try {
            stream = streams.getStream(new GetStreamRequest(arn.clusterIdentifier(), arn.streamIdentifier()));
        } catch (ResourceNotFoundException gone) {
            LOG.info("Stream {} is gone", arn.arn());
            return Map.of("IsComplete", true);
        }
        if (stream.status() == StreamStatus.DELETED) {
            return Map.of("IsComplete", true);
        }
        if (stream.status() != StreamStatus.DELETING) {
            // A stream still CREATING may refuse deletion (409) until it settles: ask again.
            LOG.info("Stream {} is {}; asking DSQL to delete it again", arn.arn(), stream.status());
            requestDeletion(arn, request);
        }
        return Map.of("IsComplete", false);
    }

    private void requestDeletion(StreamArn arn, CustomResourceRequest request) {
        try {
            streams.deleteStream(new DeleteStreamRequest(
                    arn.clusterIdentifier(), arn.streamIdentifier(), clientToken("delete", request)));
            LOG.info("DeleteStream accepted for {}", arn.arn());
        } catch (ResourceNotFoundException alreadyGone) {
            LOG.info("Stream {} (or its cluster) is already gone", arn.arn());
        } catch (ConflictException busy) {
            LOG.info("Stream {} cannot be deleted yet ({}); isComplete will retry", arn.arn(), busy.getMessage());
        }
    }

    /**
     * The same CloudFormation request always gives the same token (so a retried invocation is the
     * same DSQL request), and different requests give different ones. 64 hex characters.
     */
    static String clientToken(String purpose, CustomResourceRequest request) {
        String source =
                purpose + "|" + request.stackId() + "|" + request.logicalResourceId() + "|" + request.requestId();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
