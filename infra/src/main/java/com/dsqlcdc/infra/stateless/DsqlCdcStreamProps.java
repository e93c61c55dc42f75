package com.dsqlcdc.infra.stateless;

import com.dsqlcdc.infra.stateful.IDsqlCluster;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.logs.RetentionDays;

/** Properties of {@link DsqlCdcStream}; build with {@link #builder()}. */
public final class DsqlCdcStreamProps {

    private final IDsqlCluster cluster;
    private final IStream kinesisStream;
    private final IKey kinesisKey;
    private final Path handlerJar;
    private final RetentionDays logRetention;
    private final SortedMap<String, String> tags;
    private final int generation;

    private DsqlCdcStreamProps(Builder builder) {
        if (builder.generation < 1) {
            throw new IllegalArgumentException("DsqlCdcStreamProps.generation must be at least 1");
        }
        this.generation = builder.generation;
        this.cluster = Objects.requireNonNull(builder.cluster, "DsqlCdcStreamProps.cluster is required");
        this.kinesisStream = Objects.requireNonNull(builder.kinesisStream, "DsqlCdcStreamProps.kinesisStream is required");
        this.kinesisKey = Objects.requireNonNull(builder.kinesisKey, "DsqlCdcStreamProps.kinesisKey is required");
        this.handlerJar = Objects.requireNonNull(builder.handlerJar, "DsqlCdcStreamProps.handlerJar is required");
        this.logRetention = Objects.requireNonNull(builder.logRetention, "DsqlCdcStreamProps.logRetention is required");
        this.tags = Collections.unmodifiableSortedMap(new TreeMap<>(builder.tags));
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the cluster whose changes are streamed */
    public IDsqlCluster getCluster() {
        return cluster;
    }

    /** @return the Kinesis stream the changes go to */
    public IStream getKinesisStream() {
        return kinesisStream;
    }

    /** @return the Kinesis stream's customer managed key */
    public IKey getKinesisKey() {
        return kinesisKey;
    }

    /** @return the shaded custom-resource handler jar */
    public Path getHandlerJar() {
        return handlerJar;
    }

    /** @return retention of the handler and provider log groups */
    public RetentionDays getLogRetention() {
        return logRetention;
    }

    /** @return the stream's generation: a new value replaces the stream at the next deploy */
    public int getGeneration() {
        return generation;
    }

    /** @return tags of the CDC stream (sorted; may be empty) */
    public SortedMap<String, String> getTags() {
        return tags;
    }

    /** Builder of {@link DsqlCdcStreamProps}. */
    public static final class Builder {
        private IDsqlCluster cluster;
        private IStream kinesisStream;
        private IKey kinesisKey;
        private Path handlerJar;
        private RetentionDays logRetention;
        private SortedMap<String, String> tags = new TreeMap<>();

        private int generation = 1;

        private Builder() {
        }

        /**
         * @param cluster the DSQL cluster whose changes are captured. Required.
         * @return this builder
         */
        public Builder cluster(IDsqlCluster cluster) {
            this.cluster = cluster;
            return this;
        }

        /**
         * @param kinesisStream the target Kinesis stream, same account and Region as the cluster. Required.
         * @return this builder
         */
        public Builder kinesisStream(IStream kinesisStream) {
            this.kinesisStream = kinesisStream;
            return this;
        }

        /**
         * @param kinesisKey the customer managed key that encrypts the Kinesis stream. Required.
         * @return this builder
         */
        public Builder kinesisKey(IKey kinesisKey) {
            this.kinesisKey = kinesisKey;
            return this;
        }

        /**
         * @param handlerJar the shaded custom-resource jar with both handlers. Required.
         * @return this builder
         */
        public Builder handlerJar(Path handlerJar) {
            this.handlerJar = handlerJar;
            return this;
        }

        /**
         * @param logRetention retention of every log group of the resource. Required.
         * @return this builder
         */
        public Builder logRetention(RetentionDays logRetention) {
            this.logRetention = logRetention;
            return this;
        }

        /**
         * @param generation the stream's generation, at least 1; raising it replaces the stream.
         *                   Optional, default 1.
         * @return this builder
         */
        public Builder generation(int generation) {
            this.generation = generation;
            return this;
        }

        /**
         * @param tags tags of the CDC stream. Optional, default none.
         * @return this builder
         */
        public Builder tags(Map<String, String> tags) {
            this.tags = new TreeMap<>(Objects.requireNonNull(tags, "tags"));
            return this;
        }

        /** @return the properties */
        public DsqlCdcStreamProps build() {
            return new DsqlCdcStreamProps(this);
        }
    }
}
