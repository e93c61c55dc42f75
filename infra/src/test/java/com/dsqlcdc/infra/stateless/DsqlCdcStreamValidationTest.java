package com.dsqlcdc.infra.stateless;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.infra.TestSupport;
import com.dsqlcdc.infra.config.ClusterConfig;
import com.dsqlcdc.infra.config.KinesisConfig;
import com.dsqlcdc.infra.config.KmsKeyConfig;
import com.dsqlcdc.infra.stateful.CdcKinesisStream;
import com.dsqlcdc.infra.stateful.DsqlCluster;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.logs.RetentionDays;

/** {@link DsqlCdcStream} refuses wiring that DSQL would reject at deploy time. */
class DsqlCdcStreamValidationTest {

    private static Stack stack(App app, String id, String region) {
        return new Stack(
                app,
                id,
                StackProps.builder()
                        .env(Environment.builder()
                                .account(TestSupport.ACCOUNT)
                                .region(region)
                                .build())
                        .build());
    }

    @Test
    void clusterAndKinesisStreamMustShareAccountAndRegion() {
        App app = TestSupport.newApp();
        DsqlCluster cluster = new DsqlCluster(
                stack(app, "Virginia", "us-east-1"),
                "Cluster",
                ClusterConfig.existing("abcdefghijklmnopqrstuvwxyz", KmsKeyConfig.awsOwned()),
                RemovalPolicy.RETAIN);
        Stack ireland = stack(app, "Ireland", "eu-west-1");
        CdcKinesisStream kinesis = new CdcKinesisStream(
                ireland, "Kinesis", new KinesisConfig(168, KmsKeyConfig.create()), RemovalPolicy.DESTROY);
        new DsqlCdcStream(
                ireland,
                "CdcStream",
                new DsqlCdcStreamProps(
                        cluster,
                        kinesis.getStream(),
                        Code.fromAsset(TestSupport.CUSTOM_RESOURCE_JAR.toString()),
                        RetentionDays.ONE_WEEK));

        assertThatThrownBy(app::synth)
                .hasMessageContaining("Ireland/CdcStream")
                .hasMessageContaining("the DSQL cluster (123456789012/us-east-1) and the Kinesis stream"
                        + " (123456789012/eu-west-1) must be in the same account and Region");
    }

    @Test
    void anImportedKinesisStreamCountsInTheRegionOfItsArn() {
        App app = TestSupport.newApp();
        Stack ireland = stack(app, "Ireland", "eu-west-1");
        new DsqlCdcStream(
                ireland,
                "CdcStream",
                new DsqlCdcStreamProps(
                        DsqlCluster.fromClusterIdentifier(ireland, "Cluster", "abcdefghijklmnopqrstuvwxyz", null),
                        Stream.fromStreamArn(ireland, "Kinesis", "arn:aws:kinesis:us-east-1:123456789012:stream/cdc"),
                        Code.fromAsset(TestSupport.CUSTOM_RESOURCE_JAR.toString()),
                        RetentionDays.ONE_WEEK));

        assertThatThrownBy(app::synth)
                .hasMessageContaining("the DSQL cluster (123456789012/eu-west-1) and the Kinesis stream"
                        + " (123456789012/us-east-1) must be in the same account and Region");
    }
}
