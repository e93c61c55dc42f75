package com.dsqlcdc.infra.stateful;

import com.dsqlcdc.infra.config.EnvironmentConfig;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.kms.IKey;
import software.constructs.Construct;

/**
 * What holds data and lives long: the DSQL cluster, the Kinesis stream and their keys. Their
 * removal policy follows {@code retainData}. Deployed, and rarely changed, before the stateless
 * stack that wires them together.
 */
public final class StatefulStack extends Stack {

    private final CdcKinesisStream kinesis;
    private final DsqlCluster cluster;

    /**
     * @param scope the stage
     * @param id    stack id
     * @param props the environment's settings
     */
    public StatefulStack(Construct scope, String id, StatefulStackProps props) {
        super(scope, id, StackProps.builder()
                .description("dsql-cdc-pipeline " + props.getConfig().name()
                        + ": stateful resources (Aurora DSQL cluster, CDC Kinesis stream, KMS keys)")
                .build());
        EnvironmentConfig config = props.getConfig();

        this.cluster = new DsqlCluster(this, "Cluster", DsqlClusterProps.builder()
                .config(config.cluster())
                .removalPolicy(config.dataRemovalPolicy())
                .build());
        this.kinesis = new CdcKinesisStream(this, "Kinesis", CdcKinesisStreamProps.builder()
                .config(config.kinesis())
                .removalPolicy(config.dataRemovalPolicy())
                .build());
    }

    /** @return the DSQL cluster (created or existing) */
    public IDsqlCluster getCluster() {
        return cluster;
    }

    /** @return the Kinesis stream that receives CDC records */
    public IStream getKinesisStream() {
        return kinesis.getStream();
    }

    /** @return the customer managed key of the Kinesis stream */
    public IKey getKinesisKey() {
        return kinesis.getEncryptionKey();
    }
}
