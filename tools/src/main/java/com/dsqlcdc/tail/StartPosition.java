package com.dsqlcdc.tail;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Where the shards open at the start are read from ({@code --from}): their tip, their oldest
 * record, or the first record that arrived at or after an instant. Shards that appear later
 * (children of a split or merge) are always read from their beginning.
 */
sealed interface StartPosition {

    /** Records that arrive from now on. */
    record Latest() implements StartPosition {
        @Override
        public void applyTo(GetShardIteratorRequest.Builder request) {
            request.shardIteratorType(ShardIteratorType.LATEST);
        }

        @Override
        public String describe() {
            return "the tip (records arriving from now on)";
        }
    }

    /** Every record the stream still holds. */
    record TrimHorizon() implements StartPosition {
        @Override
        public void applyTo(GetShardIteratorRequest.Builder request) {
            request.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
        }

        @Override
        public String describe() {
            return "the oldest record the stream holds";
        }
    }

    /** Records whose ApproximateArrivalTimestamp is at or after {@code at}. */
    record AtTimestamp(Instant at) implements StartPosition {
        @Override
        public void applyTo(GetShardIteratorRequest.Builder request) {
            request.shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(at);
        }

        @Override
        public String describe() {
            return "records that arrived at or after " + at;
        }
    }

    /** Sets the iterator type (and timestamp) of a GetShardIterator request. */
    void applyTo(GetShardIteratorRequest.Builder request);

    /** @return the position in words, for stderr */
    String describe();

    /** @return whether the shards closed before the start can be skipped (nothing of theirs is read) */
    default boolean onlyOpenShards() {
        return this instanceof Latest;
    }

    /**
     * @param text  {@code latest}, {@code trim-horizon}, an ISO-8601 instant ({@code 2026-11-21T09:30:00Z},
     *              an offset is allowed) or a duration ago ({@code 15m}, {@code 2h})
     * @param clock what "ago" counts from
     * @throws IllegalArgumentException naming the accepted forms
     */
    static StartPosition parse(String text, Clock clock) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "latest" -> {
                return new Latest();
            }
            case "trim-horizon", "trim_horizon", "oldest" -> {
                return new TrimHorizon();
            }
            default -> {}
        }
        if (!t.isEmpty() && Character.isDigit(t.charAt(0)) && t.contains("t")) {
            try {
                return new AtTimestamp(OffsetDateTime.parse(text.trim()).toInstant());
            } catch (DateTimeParseException e) {
                try {
                    return new AtTimestamp(Instant.parse(text.trim()));
                } catch (DateTimeParseException e2) {
                    throw invalid(text);
                }
            }
        }
        try {
            return new AtTimestamp(clock.instant().minus(Durations.parse(t)));
        } catch (IllegalArgumentException e) {
            throw invalid(text);
        }
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException(
                "--from '" + text + "' is none of latest, trim-horizon, an ISO-8601 instant "
                        + "(2026-11-21T09:30:00Z) or a duration ago (15m, 2h)");
    }
}
