package com.dsqlcdc.infra.stateless;

import java.nio.file.Path;
import java.util.Objects;
import software.amazon.awscdk.services.logs.RetentionDays;

/** Properties of {@link StreamHealthCheck}; build with {@link #builder()}. */
public final class StreamHealthCheckProps {

    private final Path handlerJar;
    private final String clusterIdentifier;
    private final String streamIdentifier;
    private final String streamArn;
    private final int intervalMinutes;
    private final String alarmNamePrefix;
    private final RetentionDays logRetention;

    private StreamHealthCheckProps(Builder builder) {
        this.handlerJar = Objects.requireNonNull(builder.handlerJar, "StreamHealthCheckProps.handlerJar is required");
        this.clusterIdentifier = Objects.requireNonNull(builder.clusterIdentifier,
                "StreamHealthCheckProps.clusterIdentifier is required");
        this.streamIdentifier = Objects.requireNonNull(builder.streamIdentifier,
                "StreamHealthCheckProps.streamIdentifier is required");
        this.streamArn = Objects.requireNonNull(builder.streamArn, "StreamHealthCheckProps.streamArn is required");
        this.alarmNamePrefix = Objects.requireNonNull(builder.alarmNamePrefix,
                "StreamHealthCheckProps.alarmNamePrefix is required");
        this.logRetention = Objects.requireNonNull(builder.logRetention,
                "StreamHealthCheckProps.logRetention is required");
        if (builder.intervalMinutes < 1) {
            throw new IllegalArgumentException("StreamHealthCheckProps.intervalMinutes must be at least 1");
        }
        this.intervalMinutes = builder.intervalMinutes;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the shaded Lambda functions' jar (the check's handler ships in it) */
    public Path getHandlerJar() {
        return handlerJar;
    }

    /** @return the DSQL cluster identifier */
    public String getClusterIdentifier() {
        return clusterIdentifier;
    }

    /** @return the CDC stream identifier (the stream resource's attribute) */
    public String getStreamIdentifier() {
        return streamIdentifier;
    }

    /** @return the CDC stream ARN, the only resource the check may read */
    public String getStreamArn() {
        return streamArn;
    }

    /** @return minutes between checks */
    public int getIntervalMinutes() {
        return intervalMinutes;
    }

    /** @return prefix of the alarms' names, e.g. {@code dev-dsql-cdc-} */
    public String getAlarmNamePrefix() {
        return alarmNamePrefix;
    }

    /** @return retention of the function's log group */
    public RetentionDays getLogRetention() {
        return logRetention;
    }

    /** Builder of {@link StreamHealthCheckProps}. */
    public static final class Builder {
        private Path handlerJar;
        private String clusterIdentifier;
        private String streamIdentifier;
        private String streamArn;
        private int intervalMinutes;
        private String alarmNamePrefix;
        private RetentionDays logRetention;

        private Builder() {
        }

        /** @param handlerJar the shaded Lambda functions' jar ({@code lambda/target/consumer.jar}). Required. @return this */
        public Builder handlerJar(Path handlerJar) {
            this.handlerJar = handlerJar;
            return this;
        }

        /** @param clusterIdentifier the DSQL cluster identifier. Required. @return this */
        public Builder clusterIdentifier(String clusterIdentifier) {
            this.clusterIdentifier = clusterIdentifier;
            return this;
        }

        /** @param streamIdentifier the CDC stream identifier. Required. @return this */
        public Builder streamIdentifier(String streamIdentifier) {
            this.streamIdentifier = streamIdentifier;
            return this;
        }

        /** @param streamArn the CDC stream ARN. Required. @return this */
        public Builder streamArn(String streamArn) {
            this.streamArn = streamArn;
            return this;
        }

        /** @param intervalMinutes minutes between checks, at least 1. Required. @return this */
        public Builder intervalMinutes(int intervalMinutes) {
            this.intervalMinutes = intervalMinutes;
            return this;
        }

        /** @param alarmNamePrefix prefix of the alarms' names. Required. @return this */
        public Builder alarmNamePrefix(String alarmNamePrefix) {
            this.alarmNamePrefix = alarmNamePrefix;
            return this;
        }

        /** @param logRetention retention of the function's log group. Required. @return this */
        public Builder logRetention(RetentionDays logRetention) {
            this.logRetention = logRetention;
            return this;
        }

        /** @return the validated properties */
        public StreamHealthCheckProps build() {
            return new StreamHealthCheckProps(this);
        }
    }
}
