package com.dsqlcdc.testing;

import static com.dsqlcdc.testing.AwsJsonServer.error;
import static com.dsqlcdc.testing.AwsJsonServer.ok;

import com.dsqlcdc.testing.AwsJsonServer.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local HTTP fake of Amazon Kinesis Data Streams (awsJson1_1: {@code POST /} with {@code
 * X-Amz-Target: Kinesis_20131202.<Operation>}, errors as {@code {"__type": ..., "message": ...}}),
 * for tests that read shards with the real {@code KinesisClient} pointed at it with {@code
 * endpointOverride}. Records are put from the test through {@link #put}, not over HTTP.
 *
 * <p><b>JSON, not CBOR.</b> The SDK's Kinesis client speaks CBOR by default; this fake speaks JSON
 * only. In SDK 2.40.2 the switch is the system property {@code aws.cborEnabled=false} (or the
 * environment variable {@code CBOR_ENABLED=false}: the SDK's {@code SdkSystemSetting.CBOR_ENABLED},
 * whose environment name is the enum constant's own name, not {@code AWS_CBOR_...}). The client reads it
 * once, when it is built ({@code AwsCborProtocolFactory.builder()}), so call {@link
 * #useJsonWireProtocol()} before building the client. A CBOR request is answered 400
 * SerializationException and recorded in {@link #protocolProblems()}.
 *
 * <p>Implements GetShardIterator, GetRecords and ListShards with the service's member names
 * (checked against the SDK 2.40.2 model); anything else is answered 400
 * UnknownOperationException. Streams are addressed by StreamName or StreamARN ({@code
 * arn:aws:kinesis:us-east-1:123456789012:stream/<name>}). What the service does that matters to a
 * reader:
 *
 * <ul>
 *   <li>Sequence numbers are 56-digit decimal strings, strictly increasing per shard; each encodes
 *       its stream and shard, so one used on another shard is an InvalidArgumentException ("It
 *       encodes shardId-…, while it was used in a call to shardId-…"), as on the service. The
 *       shard's StartingSequenceNumber is a valid position.
 *   <li>Shard iterators are opaque and expire {@link #ITERATOR_LIFETIME} after they are issued,
 *       by the fake's {@link #clock}: ExpiredIteratorException with the service's message.
 *   <li>GetRecords returns at most Limit (1-10,000, default 10,000) records and at most {@link
 *       #MAX_GET_RECORDS_BYTES} of data, but always at least one record when one is there (a
 *       record may be as big as the stream's 10 MiB maximum). MillisBehindLatest is 0 when the
 *       response reaches the tip of the shard, else the age of the next unread record.
 *   <li>Retention: {@link #trimBefore} drops older records, as expiry would. The service does not
 *       reject an AT_/AFTER_SEQUENCE_NUMBER iterator whose position has been trimmed (readers
 *       restarted from a checkpoint older than the retention report a valid iterator, then empty
 *       GetRecords pages with a large MillisBehindLatest until the reads reach the data: e.g.
 *       github.com/harlow/kinesis-consumer issues 98 and 125; the GetRecords reference says "It
 *       might take multiple calls to get to a portion of the shard that contains records"). The
 *       fake does the same in one step: such an iterator is accepted; the first GetRecords from a
 *       trimmed position answers no records and a NextShardIterator at the trim horizon, so a
 *       reader that stops at the first empty page loses data here as it would there. The records
 *       in between are gone. (Assumption: the exact number of empty pages on the service is not
 *       documented; one is the least a reader must cope with.)
 *   <li>Resharding: {@link #splitShard} and {@link #mergeShards} close shards and open children, as
 *       an on-demand stream does. A closed shard keeps its records and takes no new ones; ListShards
 *       gives it an EndingSequenceNumber and gives children their ParentShardId (and
 *       AdjacentParentShardId for a merge); the GetRecords page that reaches the end of a closed
 *       shard has no NextShardIterator and lists the ChildShards, as the service's does.
 * </ul>
 *
 * <p>Every request's SigV4 signature (service {@code kinesis}, us-east-1) is verified with {@link
 * SigV4Verifier}; a bad one is answered 400 InvalidSignatureException (the status other awsJson
 * services such as Secrets Manager answer it with; unconfirmed for Kinesis, and the SDK does not
 * retry either way) and recorded in {@link #signatureProblems()}. Faults are injected with {@link
 * #failNextCalls}: the SDK retries ProvisionedThroughputExceededException and 5xx.
 *
 * <p>Thread-safe (a pool of threads serves the requests; state is guarded by the instance).
 * Deterministic apart from the clock.
 */
public final class FakeKinesis implements AutoCloseable {

    public static final String TARGET_PREFIX = "Kinesis_20131202.";
    public static final String CONTENT_TYPE = AwsJsonServer.CONTENT_TYPE;
    /** The SigV4 signing name of Kinesis. */
    public static final String SIGNING_NAME = "kinesis";

    public static final String ACCOUNT = "123456789012";
    /** How long a shard iterator stays valid after it is issued. */
    public static final Duration ITERATOR_LIFETIME = Duration.ofMinutes(5);

    public static final int MAX_GET_RECORDS_LIMIT = 10_000;
    /** The most data one GetRecords call returns (unless its first record alone is bigger). */
    public static final int MAX_GET_RECORDS_BYTES = 10 * 1024 * 1024;
    /** The largest record a stream takes with MaxRecordSizeInKiB 10240 (data plus partition key). */
    public static final int MAX_RECORD_BYTES = 10 * 1024 * 1024;

    private static final String ITERATOR_PREFIX = "AAAAAAAAAAF";
    private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,128}");
    /** "49" + stream serial (17 digits) + shard index (5) + record counter (32): 56 digits, like the service's. */
    private static final Pattern OUR_SEQUENCE = Pattern.compile("49(\\d{17})(\\d{5})(\\d{32})");

    private static final long STREAM_SERIAL_BASE = 14_159_265_358_979_323L;
    private static final Pattern SHARD_ID = Pattern.compile("shardId-(\\d{12})");
    private static final DateTimeFormatter EXPIRY_TIME = DateTimeFormatter.ofPattern(
                    "EEE MMM dd HH:mm:ss 'UTC' yyyy", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final BigInteger HASH_SPACE = BigInteger.TWO.pow(128);

    private final ObjectMapper json = new ObjectMapper();
    private final AwsJsonServer server;

    private final List<String> protocolProblems = Collections.synchronizedList(new ArrayList<>());

    // Guarded by `this`.
    private Clock clock = Clock.systemUTC();
    private final Map<String, Stream> streams = new LinkedHashMap<>();
    private final Map<String, Deque<Fault>> faults = new HashMap<>();

    private record Fault(int status, String type, String message) {}

    /** A record on a shard; {@code data} is null once trimmed. */
    private static final class Rec {
        final String sequenceNumber;
        final String partitionKey;
        final Instant arrival;
        byte[] data;

        Rec(String sequenceNumber, String partitionKey, byte[] data, Instant arrival) {
            this.sequenceNumber = sequenceNumber;
            this.partitionKey = partitionKey;
            this.data = data;
            this.arrival = arrival;
        }
    }

    /**
     * A shard. Record {@code k} (1-based: its counter in the sequence number) is {@code records.get(k
     * - 1)}; positions are counters: "read from counter p on". Counter 0 is the shard's
     * StartingSequenceNumber, which no record has.
     */
    private static final class Shard {
        final String id;
        final int index;
        final BigInteger startingHashKey;
        final BigInteger endingHashKey;
        final List<Rec> records = new ArrayList<>();
        /** The first counter not trimmed. */
        long trimHorizon = 1;
        /** Set by resharding: the shard it was split from or merged from, and the adjacent parent of a merge. */
        String parent;

        String adjacentParent;
        /** The shards this one was split or merged into; non-empty once the shard is closed. */
        final List<Shard> children = new ArrayList<>();

        Shard(String id, int index, BigInteger startingHashKey, BigInteger endingHashKey) {
            this.id = id;
            this.index = index;
            this.startingHashKey = startingHashKey;
            this.endingHashKey = endingHashKey;
        }

        boolean closed() {
            return !children.isEmpty();
        }

        long latest() {
            return records.size();
        }
    }

    private static final class Stream {
        final String name;
        final String arn;
        final long serial;
        final Map<String, Shard> shards = new LinkedHashMap<>();

        Stream(String name, long serial) {
            this.name = name;
            this.arn = "arn:aws:kinesis:" + SigV4Verifier.DEFAULT_REGION + ":" + ACCOUNT + ":stream/" + name;
            this.serial = serial;
        }

        String sequenceNumber(Shard shard, long counter) {
            return "49" + String.format("%017d%05d%032d", serial, shard.index, counter);
        }
    }

    /** A decoded shard iterator: read {@code shard} from counter {@code position} on. */
    private record Position(String stream, String shard, long position, Instant issuedAt) {}

    private FakeKinesis() {
        server = new AwsJsonServer(
                "fake-kinesis", SIGNING_NAME, TARGET_PREFIX, 400, "InternalFailure", 0xF4C1L, this::process);
    }

    /** Starts a fake on 127.0.0.1 at an ephemeral port, with no streams. */
    public static FakeKinesis start() {
        return new FakeKinesis();
    }

    /**
     * Makes Kinesis clients built from now on in this JVM speak JSON instead of CBOR (sets the system
     * property {@code aws.cborEnabled=false}), which this fake requires. Call before building the
     * client; clients built earlier keep CBOR.
     */
    public static void useJsonWireProtocol() {
        System.setProperty("aws.cborEnabled", "false");
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    @Override
    public void close() {
        server.close();
    }

    // ---- scripting -------------------------------------------------------------------------------

    /** Creates a stream with one shard, {@code shardId-000000000000}, covering the whole hash key range. */
    public FakeKinesis createStream(String name) {
        return createStream(name, 1);
    }

    /** Creates a stream with {@code shardCount} shards, {@code shardId-000000000000} on, splitting the hash key range evenly. */
    public synchronized FakeKinesis createStream(String name, int shardCount) {
        if (!name.matches("[a-zA-Z0-9_.-]{1,128}")) {
            throw new IllegalArgumentException("not a valid stream name: " + name);
        }
        if (shardCount < 1) {
            throw new IllegalArgumentException("a stream needs at least one shard");
        }
        if (streams.containsKey(name)) {
            throw new IllegalStateException("stream " + name + " already exists");
        }
        Stream stream = new Stream(name, STREAM_SERIAL_BASE + streams.size());
        BigInteger width = HASH_SPACE.divide(BigInteger.valueOf(shardCount));
        for (int i = 0; i < shardCount; i++) {
            BigInteger start = width.multiply(BigInteger.valueOf(i));
            BigInteger end = i == shardCount - 1
                    ? HASH_SPACE.subtract(BigInteger.ONE)
                    : start.add(width).subtract(BigInteger.ONE);
            String id = String.format("shardId-%012d", i);
            stream.shards.put(id, new Shard(id, i, start, end));
        }
        streams.put(name, stream);
        return this;
    }

    /**
     * Splits an open shard in two at the middle of its hash key range, as UpdateShardCount or
     * SplitShard would: the shard is closed (it keeps its records) and two new shards, numbered after
     * the stream's last one, take new records. Returns the children's ids.
     */
    public synchronized List<String> splitShard(String stream, String shardId) {
        Stream s = stream(stream);
        Shard parent = openShard(s, shardId);
        BigInteger middle = parent.startingHashKey.add(parent.endingHashKey).shiftRight(1);
        Shard low = addShard(s, parent.startingHashKey, middle);
        Shard high = addShard(s, middle.add(BigInteger.ONE), parent.endingHashKey);
        for (Shard child : List.of(low, high)) {
            child.parent = parent.id;
            parent.children.add(child);
        }
        return List.of(low.id, high.id);
    }

    /**
     * Merges two open shards with adjacent hash key ranges into a new one, as MergeShards would: both
     * are closed; the child names {@code shardId} its parent and {@code adjacentShardId} its adjacent
     * parent. Returns the child's id.
     */
    public synchronized String mergeShards(String stream, String shardId, String adjacentShardId) {
        Stream s = stream(stream);
        Shard a = openShard(s, shardId);
        Shard b = openShard(s, adjacentShardId);
        Shard lower = a.startingHashKey.compareTo(b.startingHashKey) < 0 ? a : b;
        Shard upper = lower == a ? b : a;
        if (!lower.endingHashKey.add(BigInteger.ONE).equals(upper.startingHashKey)) {
            throw new IllegalArgumentException(
                    shardId + " and " + adjacentShardId + " do not have adjacent hash key ranges");
        }
        Shard child = addShard(s, lower.startingHashKey, upper.endingHashKey);
        child.parent = a.id;
        child.adjacentParent = b.id;
        a.children.add(child);
        b.children.add(child);
        return child.id;
    }

    private static Shard openShard(Stream stream, String shardId) {
        Shard shard = shard(stream, shardId);
        if (shard.closed()) {
            throw new IllegalStateException(shardId + " is closed (resharded into "
                    + shard.children.stream().map(c -> c.id).toList() + ")");
        }
        return shard;
    }

    private static Shard addShard(Stream stream, BigInteger start, BigInteger end) {
        int index = stream.shards.size();
        String id = String.format("shardId-%012d", index);
        Shard shard = new Shard(id, index, start, end);
        stream.shards.put(id, shard);
        return shard;
    }

    /** The ARN of a stream created here. */
    public synchronized String streamArn(String stream) {
        return stream(stream).arn;
    }

    /**
     * Appends a record to a shard, as a producer's PutRecord would, with a partition key derived
     * from its position; returns its sequence number.
     */
    public String put(String stream, String shardId, byte[] data, Instant arrival) {
        return put(stream, shardId, null, data, arrival);
    }

    /**
     * Appends a record to a shard; returns its sequence number. {@code arrival} is its
     * ApproximateArrivalTimestamp (used for AT_TIMESTAMP and MillisBehindLatest).
     *
     * @param partitionKey 1-256 characters, or null for one derived from the record's position
     * @throws IllegalArgumentException if data plus partition key exceed {@link #MAX_RECORD_BYTES}
     */
    public synchronized String put(String stream, String shardId, String partitionKey, byte[] data, Instant arrival) {
        Stream s = stream(stream);
        Shard shard = shard(s, shardId);
        if (shard.closed()) {
            throw new IllegalStateException(
                    shardId + " of " + stream + " is closed (resharded): put records on its children");
        }
        long counter = shard.latest() + 1;
        String key = partitionKey != null
                ? partitionKey
                : UUID.nameUUIDFromBytes((stream + "/" + shardId + "/" + counter).getBytes(StandardCharsets.UTF_8))
                        .toString();
        if (key.isEmpty() || key.length() > 256) {
            throw new IllegalArgumentException("a partition key has 1 to 256 characters");
        }
        long size = (long) data.length + key.getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException(
                    "the record is " + size + " bytes; the stream's maximum is " + MAX_RECORD_BYTES);
        }
        String sequenceNumber = s.sequenceNumber(shard, counter);
        shard.records.add(new Rec(sequenceNumber, key, data.clone(), Objects.requireNonNull(arrival)));
        return sequenceNumber;
    }

    /**
     * Drops the shard's records older than {@code sequenceNumber} (that record itself is kept), as
     * retention expiry does. TRIM_HORIZON then starts at it; see the class comment for readers
     * positioned before it.
     */
    public synchronized FakeKinesis trimBefore(String stream, String shardId, String sequenceNumber) {
        Stream s = stream(stream);
        Shard shard = shard(s, shardId);
        long counter = counterOf(s, shard, sequenceNumber);
        if (counter < 0) {
            throw new IllegalArgumentException(
                    sequenceNumber + " is not a sequence number of " + stream + "/" + shardId);
        }
        for (long k = shard.trimHorizon; k < Math.min(counter, shard.latest() + 1); k++) {
            shard.records.get((int) (k - 1)).data = null;
        }
        shard.trimHorizon = Math.max(shard.trimHorizon, counter);
        return this;
    }

    /** The clock for iterator expiry and MillisBehindLatest (default: the system UTC clock). */
    public synchronized FakeKinesis clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
        return this;
    }

    /**
     * The next {@code count} calls of {@code operation} (e.g. "GetRecords") with a valid signature
     * are answered with this error, without doing anything. The SDK retries 5xx and
     * ProvisionedThroughputExceededException (a throttling code); it does not retry
     * ExpiredIteratorException or InvalidArgumentException.
     */
    public synchronized void failNextCalls(
            String operation, int count, int httpStatus, String errorType, String message) {
        Deque<Fault> queue = faults.computeIfAbsent(operation, k -> new ArrayDeque<>());
        for (int i = 0; i < count; i++) {
            queue.add(new Fault(httpStatus, errorType, message));
        }
    }

    // ---- observation -----------------------------------------------------------------------------

    /** HTTP calls of {@code operation} received, including rejected ones. */
    public int calls(String operation) {
        return server.calls(operation);
    }

    public List<String> signatureProblems() {
        return server.signatureProblems();
    }

    /** Requests the fake could not read (a CBOR body from a client built without {@link #useJsonWireProtocol}, or bad JSON). */
    public List<String> protocolProblems() {
        synchronized (protocolProblems) {
            return List.copyOf(protocolProblems);
        }
    }

    /** Failures of the fake itself (answered 500 InternalFailure). */
    public List<String> internalErrors() {
        return server.internalErrors();
    }

    // ---- HTTP ------------------------------------------------------------------------------------

    private Reply process(HttpExchange exchange, String operation, byte[] body) {
        if (!exchange.getRequestMethod().equals("POST")
                || !exchange.getRequestURI().getRawPath().equals("/")) {
            return error(404, "UnknownOperationException", "Kinesis answers POST / only");
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.startsWith(CONTENT_TYPE)) {
            String problem = operation + ": Content-Type " + contentType
                    + " (this fake speaks JSON only: build the KinesisClient after "
                    + "FakeKinesis.useJsonWireProtocol(), i.e. with -Daws.cborEnabled=false)";
            protocolProblems.add(problem);
            return error(400, "SerializationException", problem);
        }
        JsonNode request;
        try {
            request = body.length == 0 ? json.createObjectNode() : json.readTree(body);
        } catch (IOException e) {
            protocolProblems.add(operation + ": the body is not JSON: " + e.getMessage());
            return error(400, "SerializationException", "the body is not JSON: " + e.getMessage());
        }
        if (request == null || !request.isObject()) {
            protocolProblems.add(operation + ": the body is not a JSON object");
            return error(400, "SerializationException", "the body is not a JSON object");
        }
        synchronized (this) {
            Deque<Fault> queue = faults.get(operation);
            Fault fault = queue == null ? null : queue.poll();
            if (fault != null) {
                return error(fault.status(), fault.type(), fault.message());
            }
            Instant now = clock.instant();
            return switch (operation) {
                case "GetShardIterator" -> getShardIterator(request, now);
                case "GetRecords" -> getRecords(request, now);
                case "ListShards" -> listShards(request);
                default -> error(400, "UnknownOperationException", "the fake does not implement " + operation);
            };
        }
    }

    // ---- operations (called with the lock held) ----------------------------------------------------

    private Reply getShardIterator(JsonNode request, Instant now) {
        Object target = streamOf(request);
        if (target instanceof Reply problem) {
            return problem;
        }
        Stream stream = (Stream) target;
        String shardId = text(request, "ShardId");
        if (shardId.isEmpty()) {
            return invalid("ShardId is required");
        }
        Shard shard = stream.shards.get(shardId);
        if (shard == null) {
            return notFound(
                    "Shard " + shardId + " in stream " + stream.name + " under account " + ACCOUNT + " does not exist");
        }
        String type = text(request, "ShardIteratorType");
        String sequenceNumber = text(request, "StartingSequenceNumber");
        long position;
        switch (type) {
            case "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER" -> {
                if (sequenceNumber.isEmpty()) {
                    return invalid("StartingSequenceNumber is required for ShardIteratorType " + type);
                }
                if (!DECIMAL.matcher(sequenceNumber).matches()) {
                    return invalid(
                            "1 validation error detected: Value '" + sequenceNumber
                                    + "' at 'startingSequenceNumber' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128})");
                }
                Matcher m = OUR_SEQUENCE.matcher(sequenceNumber);
                if (!m.matches() || Long.parseLong(m.group(1)) != stream.serial) {
                    return invalid("StartingSequenceNumber " + sequenceNumber + " used in GetShardIterator on shard "
                            + shardId + " in stream " + stream.name + " under account " + ACCOUNT
                            + " is invalid because it did not come from this stream.");
                }
                int encodedShard = Integer.parseInt(m.group(2));
                if (encodedShard != shard.index) {
                    return invalid(
                            "Invalid StartingSequenceNumber. It encodes " + String.format("shardId-%012d", encodedShard)
                                    + ", while it was used in a call to " + shardId + ".");
                }
                long counter = new BigInteger(m.group(3))
                        .min(BigInteger.valueOf(Long.MAX_VALUE - 1))
                        .longValue();
                if (counter > shard.latest()) {
                    return invalid("StartingSequenceNumber " + sequenceNumber + " used in GetShardIterator on shard "
                            + shardId + " in stream " + stream.name + " under account " + ACCOUNT
                            + " is invalid because it did not come from this stream.");
                }
                position = type.equals("AT_SEQUENCE_NUMBER") ? Math.max(counter, 1) : counter + 1;
            }
            case "TRIM_HORIZON" -> position = shard.trimHorizon;
            case "LATEST" -> position = shard.latest() + 1;
            case "AT_TIMESTAMP" -> {
                JsonNode ts = request.get("Timestamp");
                if (ts == null || !ts.isNumber()) {
                    return invalid("Timestamp (epoch seconds) is required for ShardIteratorType AT_TIMESTAMP");
                }
                Instant at =
                        Instant.ofEpochMilli(ts.decimalValue().movePointRight(3).longValue());
                position = shard.latest() + 1;
                for (long k = shard.trimHorizon; k <= shard.latest(); k++) {
                    if (!shard.records.get((int) (k - 1)).arrival.isBefore(at)) {
                        position = k;
                        break;
                    }
                }
            }
            default -> {
                return invalid("1 validation error detected: Value '" + type
                        + "' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: "
                        + "[AFTER_SEQUENCE_NUMBER, AT_SEQUENCE_NUMBER, AT_TIMESTAMP, TRIM_HORIZON, LATEST]");
            }
        }
        return ok(json.createObjectNode()
                .put("ShardIterator", iterator(new Position(stream.name, shardId, position, now))));
    }

    private Reply getRecords(JsonNode request, Instant now) {
        String token = text(request, "ShardIterator");
        if (token.isEmpty()) {
            return invalid("ShardIterator is required");
        }
        Position at = decode(token);
        if (at == null) {
            return invalid("Invalid ShardIterator.");
        }
        int limit = MAX_GET_RECORDS_LIMIT;
        JsonNode limitNode = request.get("Limit");
        if (limitNode != null && !limitNode.isNull()) {
            if (!limitNode.canConvertToInt()
                    || limitNode.intValue() < 1
                    || limitNode.intValue() > MAX_GET_RECORDS_LIMIT) {
                return invalid("1 validation error detected: Value '" + limitNode.asText()
                        + "' at 'limit' failed to satisfy constraint: Member must have value between 1 and "
                        + MAX_GET_RECORDS_LIMIT);
            }
            limit = limitNode.intValue();
        }
        Stream stream = streams.get(at.stream());
        if (stream == null) {
            return notFound("Stream " + at.stream() + " under account " + ACCOUNT + " not found.");
        }
        Shard shard = stream.shards.get(at.shard());
        if (shard == null) {
            return notFound("Shard " + at.shard() + " in stream " + at.stream() + " under account " + ACCOUNT
                    + " does not exist");
        }
        if (Duration.between(at.issuedAt(), now).compareTo(ITERATOR_LIFETIME) > 0) {
            return error(
                    400,
                    "ExpiredIteratorException",
                    "Iterator expired. The iterator was created at time " + EXPIRY_TIME.format(at.issuedAt())
                            + " while right now it is "
                            + EXPIRY_TIME.format(now) + " which is further in the future than the tolerated delay of "
                            + ITERATOR_LIFETIME.toMillis() + " milliseconds.");
        }
        ObjectNode out = json.createObjectNode();
        ArrayNode records = out.putArray("Records");
        long next = at.position();
        if (next < shard.trimHorizon) {
            // Positioned in data that has expired: an empty page that moves the reader to the trim horizon.
            next = shard.trimHorizon;
        } else {
            long bytes = 0;
            while (next <= shard.latest() && records.size() < limit) {
                Rec rec = shard.records.get((int) (next - 1));
                if (records.size() > 0 && bytes + rec.data.length > MAX_GET_RECORDS_BYTES) {
                    break;
                }
                bytes += rec.data.length;
                ObjectNode r = records.addObject();
                r.put("SequenceNumber", rec.sequenceNumber);
                r.put("ApproximateArrivalTimestamp", BigDecimal.valueOf(rec.arrival.toEpochMilli(), 3));
                r.put("Data", rec.data);
                r.put("PartitionKey", rec.partitionKey);
                next++;
            }
        }
        if (shard.closed() && next > shard.latest()) {
            // The end of a closed shard: no NextShardIterator; the children to read next instead.
            ArrayNode children = out.putArray("ChildShards");
            for (Shard child : shard.children) {
                ObjectNode c = children.addObject();
                c.put("ShardId", child.id);
                ArrayNode parents = c.putArray("ParentShards");
                parents.add(child.parent);
                if (child.adjacentParent != null) {
                    parents.add(child.adjacentParent);
                }
                c.putObject("HashKeyRange")
                        .put("StartingHashKey", child.startingHashKey.toString())
                        .put("EndingHashKey", child.endingHashKey.toString());
            }
        } else {
            out.put("NextShardIterator", iterator(new Position(stream.name, shard.id, next, now)));
        }
        long behind = next > shard.latest()
                ? 0
                : Math.max(
                        0,
                        Duration.between(shard.records.get((int) (next - 1)).arrival, now)
                                .toMillis());
        out.put("MillisBehindLatest", behind);
        return ok(out);
    }

    private Reply listShards(JsonNode request) {
        String nextToken = text(request, "NextToken");
        String exclusiveStart = text(request, "ExclusiveStartShardId");
        Stream stream;
        if (!nextToken.isEmpty()) {
            if (request.hasNonNull("StreamName") || request.hasNonNull("StreamARN")) {
                return invalid("NextToken and StreamName/StreamARN cannot be provided together.");
            }
            String[] decoded = decodeListToken(nextToken);
            if (decoded == null) {
                return invalid("Invalid NextToken.");
            }
            stream = streams.get(decoded[0]);
            if (stream == null) {
                return notFound("Stream " + decoded[0] + " under account " + ACCOUNT + " not found.");
            }
            exclusiveStart = decoded[1];
        } else {
            Object target = streamOf(request);
            if (target instanceof Reply problem) {
                return problem;
            }
            stream = (Stream) target;
        }
        int max = 1000;
        JsonNode maxNode = request.get("MaxResults");
        if (maxNode != null && !maxNode.isNull()) {
            if (!maxNode.canConvertToInt() || maxNode.intValue() < 1 || maxNode.intValue() > 10_000) {
                return invalid("MaxResults must be between 1 and 10000");
            }
            max = maxNode.intValue();
        }
        ObjectNode out = json.createObjectNode();
        ArrayNode shards = out.putArray("Shards");
        String last = null;
        boolean more = false;
        for (Shard shard : stream.shards.values()) {
            if (!exclusiveStart.isEmpty() && shard.id.compareTo(exclusiveStart) <= 0) {
                continue;
            }
            if (shards.size() == max) {
                more = true;
                break;
            }
            ObjectNode s = shards.addObject();
            s.put("ShardId", shard.id);
            if (shard.parent != null) {
                s.put("ParentShardId", shard.parent);
            }
            if (shard.adjacentParent != null) {
                s.put("AdjacentParentShardId", shard.adjacentParent);
            }
            s.putObject("HashKeyRange")
                    .put("StartingHashKey", shard.startingHashKey.toString())
                    .put("EndingHashKey", shard.endingHashKey.toString());
            ObjectNode range =
                    s.putObject("SequenceNumberRange").put("StartingSequenceNumber", stream.sequenceNumber(shard, 0));
            if (shard.closed()) {
                range.put("EndingSequenceNumber", stream.sequenceNumber(shard, shard.latest()));
            }
            last = shard.id;
        }
        if (more) {
            out.put(
                    "NextToken",
                    Base64.getUrlEncoder()
                            .withoutPadding()
                            .encodeToString((stream.name + "|" + last).getBytes(StandardCharsets.UTF_8)));
        }
        return ok(out);
    }

    // ---- helpers -------------------------------------------------------------------------------------

    /** The stream named by StreamName and/or StreamARN, or the error Reply. */
    private Object streamOf(JsonNode request) {
        String name = text(request, "StreamName");
        String arn = text(request, "StreamARN");
        if (name.isEmpty() && arn.isEmpty()) {
            return invalid("Either StreamName or StreamARN should be provided.");
        }
        String fromArn = null;
        if (!arn.isEmpty()) {
            String prefix = "arn:aws:kinesis:" + SigV4Verifier.DEFAULT_REGION + ":" + ACCOUNT + ":stream/";
            if (!arn.startsWith(prefix) || arn.length() == prefix.length()) {
                return invalid("Invalid StreamARN " + arn + " (this fake holds streams of " + prefix + "*)");
            }
            fromArn = arn.substring(prefix.length());
        }
        if (fromArn != null && !name.isEmpty() && !fromArn.equals(name)) {
            return invalid("StreamARN " + arn + " and StreamName " + name + " name different streams.");
        }
        String streamName = fromArn != null ? fromArn : name;
        Stream stream = streams.get(streamName);
        return stream != null ? stream : notFound("Stream " + streamName + " under account " + ACCOUNT + " not found.");
    }

    private Stream stream(String name) {
        Stream s = streams.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no stream " + name + " (streams: " + streams.keySet() + ")");
        }
        return s;
    }

    private static Shard shard(Stream stream, String shardId) {
        Shard shard = stream.shards.get(shardId);
        if (shard == null) {
            throw new IllegalArgumentException(
                    "no shard " + shardId + " in stream " + stream.name + " (shards: " + stream.shards.keySet() + ")");
        }
        return shard;
    }

    /** The record counter a sequence number of this shard encodes, or -1 if it is not one. */
    private static long counterOf(Stream stream, Shard shard, String sequenceNumber) {
        Matcher m = OUR_SEQUENCE.matcher(sequenceNumber);
        if (!m.matches()
                || Long.parseLong(m.group(1)) != stream.serial
                || Integer.parseInt(m.group(2)) != shard.index) {
            return -1;
        }
        long counter = new BigInteger(m.group(3))
                .min(BigInteger.valueOf(Long.MAX_VALUE))
                .longValue();
        return counter > shard.latest() ? -1 : counter;
    }

    private static String iterator(Position p) {
        String payload = p.stream() + "|" + p.shard() + "|" + p.position() + "|"
                + p.issuedAt().toEpochMilli();
        return ITERATOR_PREFIX + Base64.getEncoder().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    }

    private static Position decode(String token) {
        if (!token.startsWith(ITERATOR_PREFIX)) {
            return null;
        }
        try {
            String[] parts = new String(
                            Base64.getDecoder().decode(token.substring(ITERATOR_PREFIX.length())),
                            StandardCharsets.UTF_8)
                    .split("\\|");
            if (parts.length != 4 || !SHARD_ID.matcher(parts[1]).matches()) {
                return null;
            }
            return new Position(
                    parts[0], parts[1], Long.parseLong(parts[2]), Instant.ofEpochMilli(Long.parseLong(parts[3])));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String[] decodeListToken(String token) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\\|");
            return parts.length == 2 ? parts : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String text(JsonNode request, String member) {
        JsonNode n = request.get(member);
        return n == null || !n.isTextual() ? "" : n.asText();
    }

    private Reply invalid(String message) {
        return error(400, "InvalidArgumentException", message);
    }

    private Reply notFound(String message) {
        return error(400, "ResourceNotFoundException", message);
    }
}
