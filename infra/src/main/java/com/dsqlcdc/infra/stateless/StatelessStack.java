package com.dsqlcdc.infra.stateless;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/**
 * What can be replaced without losing data: roles, the CDC stream custom resource and its
 * handlers. References the stateful stack's resources through the constructs passed in.
 */
public final class StatelessStack extends Stack {

    private final DsqlCdcStream cdcStream;

    /**
     * @param scope the stage
     * @param id    stack id
     * @param props the environment's settings and the stateful resources to wire
     */
    public StatelessStack(Construct scope, String id, StatelessStackProps props) {
        super(scope, id, StackProps.builder()
                .description("dsql-cdc-pipeline " + props.getConfig().name()
                        + ": stateless resources (DSQL CDC stream custom resource, handlers, roles)")
                .build());

        this.cdcStream = new DsqlCdcStream(this, "CdcStream", DsqlCdcStreamProps.builder()
                .cluster(props.getCluster())
                .kinesisStream(props.getKinesisStream())
                .kinesisKey(props.getKinesisKey())
                .handlerJar(props.getCustomResourceJar())
                .logRetention(props.getConfig().logRetention())
                .tags(props.getConfig().tags())
                .build());

        output("StreamIdentifier", cdcStream.getStreamIdentifier(), "Aurora DSQL CDC stream identifier");
        output("StreamArn", cdcStream.getStreamArn(), "Aurora DSQL CDC stream ARN");
        output("KinesisStreamArn", props.getKinesisStream().getStreamArn(), "Kinesis stream receiving the CDC records");
        output("ClusterIdentifier", props.getCluster().getClusterIdentifier(), "Aurora DSQL cluster identifier");
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }

    /** @return the CDC stream custom resource */
    public DsqlCdcStream getCdcStream() {
        return cdcStream;
    }
}
