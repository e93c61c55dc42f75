package com.dsqlcdc.infra.stateless;

import com.dsqlcdc.infra.config.EnvironmentConfig;
import com.dsqlcdc.infra.stateful.EncryptedBucket;
import com.dsqlcdc.infra.stateful.IDsqlCluster;
import com.dsqlcdc.infra.stateful.IWarehouse;
import com.dsqlcdc.infra.stateful.StagingBucket;
import com.dsqlcdc.sql.catalog.TableCatalog;
import java.nio.file.Path;
import java.util.Objects;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.kms.IKey;

/** Properties of {@link StatelessStack}; build with {@link #builder()}. */
public final class StatelessStackProps {

    private final EnvironmentConfig config;
    private final Path customResourceJar;
    private final Path consumerJar;
    private final TableCatalog catalog;
    private final IDsqlCluster cluster;
    private final IStream kinesisStream;
    private final IKey kinesisKey;
    private final IWarehouse warehouse;
    private final EncryptedBucket quarantineBucket;
    private final EncryptedBucket failedBatchBucket;
    private final StagingBucket stagingBucket;

    private StatelessStackProps(Builder builder) {
        this.config = Objects.requireNonNull(builder.config, "StatelessStackProps.config is required");
        this.customResourceJar = Objects.requireNonNull(builder.customResourceJar,
                "StatelessStackProps.customResourceJar is required");
        this.cluster = Objects.requireNonNull(builder.cluster, "StatelessStackProps.cluster is required");
        this.kinesisStream = Objects.requireNonNull(builder.kinesisStream, "StatelessStackProps.kinesisStream is required");
        this.kinesisKey = Objects.requireNonNull(builder.kinesisKey, "StatelessStackProps.kinesisKey is required");
        this.consumerJar = Objects.requireNonNull(builder.consumerJar, "StatelessStackProps.consumerJar is required");
        this.catalog = Objects.requireNonNull(builder.catalog, "StatelessStackProps.catalog is required");
        this.warehouse = Objects.requireNonNull(builder.warehouse, "StatelessStackProps.warehouse is required");
        this.quarantineBucket = Objects.requireNonNull(builder.quarantineBucket,
                "StatelessStackProps.quarantineBucket is required");
        this.failedBatchBucket = Objects.requireNonNull(builder.failedBatchBucket,
                "StatelessStackProps.failedBatchBucket is required");
        this.stagingBucket = Objects.requireNonNull(builder.stagingBucket,
                "StatelessStackProps.stagingBucket is required");
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the environment's validated settings */
    public EnvironmentConfig getConfig() {
        return config;
    }

    /** @return the shaded custom-resource handler jar */
    public Path getCustomResourceJar() {
        return customResourceJar;
    }

    /** @return the shaded consumer Lambda jar */
    public Path getConsumerJar() {
        return consumerJar;
    }

    /** @return the table catalog (current-state views of the warehouse schema) */
    public TableCatalog getCatalog() {
        return catalog;
    }

    /** @return the Redshift Serverless warehouse (from the stateful stack) */
    public IWarehouse getWarehouse() {
        return warehouse;
    }

    /** @return the quarantine bucket (from the stateful stack) */
    public EncryptedBucket getQuarantineBucket() {
        return quarantineBucket;
    }

    /** @return the failed-batch bucket (from the stateful stack) */
    public EncryptedBucket getFailedBatchBucket() {
        return failedBatchBucket;
    }

    /** @return the consumer's staging bucket (from the stateful stack) */
    public StagingBucket getStagingBucket() {
        return stagingBucket;
    }

    /** @return the DSQL cluster (from the stateful stack) */
    public IDsqlCluster getCluster() {
        return cluster;
    }

    /** @return the Kinesis stream (from the stateful stack) */
    public IStream getKinesisStream() {
        return kinesisStream;
    }

    /** @return the Kinesis stream's key (from the stateful stack) */
    public IKey getKinesisKey() {
        return kinesisKey;
    }

    /** Builder of {@link StatelessStackProps}. */
    public static final class Builder {
        private EnvironmentConfig config;
        private Path customResourceJar;
        private IDsqlCluster cluster;
        private IStream kinesisStream;
        private IKey kinesisKey;
        private Path consumerJar;
        private TableCatalog catalog;
        private IWarehouse warehouse;
        private EncryptedBucket quarantineBucket;
        private EncryptedBucket failedBatchBucket;
        private StagingBucket stagingBucket;

        private Builder() {
        }

        /**
         * @param consumerJar the shaded consumer Lambda jar. Required.
         * @return this builder
         */
        public Builder consumerJar(Path consumerJar) {
            this.consumerJar = consumerJar;
            return this;
        }

        /**
         * @param catalog the validated table catalog. Required.
         * @return this builder
         */
        public Builder catalog(TableCatalog catalog) {
            this.catalog = catalog;
            return this;
        }

        /**
         * @param warehouse the Redshift Serverless warehouse. Required.
         * @return this builder
         */
        public Builder warehouse(IWarehouse warehouse) {
            this.warehouse = warehouse;
            return this;
        }

        /**
         * @param quarantineBucket where the consumer puts poison records. Required.
         * @return this builder
         */
        public Builder quarantineBucket(EncryptedBucket quarantineBucket) {
            this.quarantineBucket = quarantineBucket;
            return this;
        }

        /**
         * @param failedBatchBucket the consumer's on-failure destination. Required.
         * @return this builder
         */
        public Builder failedBatchBucket(EncryptedBucket failedBatchBucket) {
            this.failedBatchBucket = failedBatchBucket;
            return this;
        }

        /**
         * @param stagingBucket the consumer's staging bucket. Required.
         * @return this builder
         */
        public Builder stagingBucket(StagingBucket stagingBucket) {
            this.stagingBucket = stagingBucket;
            return this;
        }

        /**
         * @param config the environment's validated settings. Required.
         * @return this builder
         */
        public Builder config(EnvironmentConfig config) {
            this.config = config;
            return this;
        }

        /**
         * @param customResourceJar the shaded custom-resource handler jar. Required.
         * @return this builder
         */
        public Builder customResourceJar(Path customResourceJar) {
            this.customResourceJar = customResourceJar;
            return this;
        }

        /**
         * @param cluster the DSQL cluster. Required.
         * @return this builder
         */
        public Builder cluster(IDsqlCluster cluster) {
            this.cluster = cluster;
            return this;
        }

        /**
         * @param kinesisStream the Kinesis stream that receives CDC records. Required.
         * @return this builder
         */
        public Builder kinesisStream(IStream kinesisStream) {
            this.kinesisStream = kinesisStream;
            return this;
        }

        /**
         * @param kinesisKey the Kinesis stream's customer managed key. Required.
         * @return this builder
         */
        public Builder kinesisKey(IKey kinesisKey) {
            this.kinesisKey = kinesisKey;
            return this;
        }

        /** @return the properties */
        public StatelessStackProps build() {
            return new StatelessStackProps(this);
        }
    }
}
