package com.dsqlcdc.infra.stateful;

import com.dsqlcdc.infra.Nag;
import com.dsqlcdc.infra.config.KinesisConfig;
import com.dsqlcdc.infra.config.KmsKeyConfig;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.kinesis.CfnStream;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.kinesis.StreamEncryption;
import software.amazon.awscdk.services.kinesis.StreamMode;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.kms.Key;
import software.constructs.Construct;

/**
 * The Kinesis data stream that Aurora DSQL writes CDC records to: on-demand capacity, 10 MiB
 * records, encrypted with a customer managed key (created here with rotation, or imported).
 */
public final class CdcKinesisStream extends Construct {

    /** The largest record Kinesis accepts, and the size DSQL's CDC stream requires. */
    static final int MAX_RECORD_SIZE_KIB = 10240;

    private final Stream stream;
    private final IKey encryptionKey;

    /**
     * @param scope         parent construct
     * @param id            construct id
     * @param config        retention hours and the encryption key (created or imported)
     * @param removalPolicy what happens to the stream (and a created key) when it leaves the stack: RETAIN keeps
     *                      the data, DESTROY deletes it
     */
    public CdcKinesisStream(Construct scope, String id, KinesisConfig config, RemovalPolicy removalPolicy) {
        super(scope, id);
        KmsKeyConfig keyConfig = config.kmsKey();
        this.encryptionKey = keyConfig.source() == KmsKeyConfig.Source.CREATE
                ? Key.Builder.create(this, "Key")
                        .description("Encrypts the DSQL CDC Kinesis stream "
                                + getNode().getPath())
                        .enableKeyRotation(true)
                        .removalPolicy(removalPolicy)
                        .build()
                : Key.fromKeyArn(this, "Key", keyConfig.keyArn().orElseThrow());

        this.stream = Stream.Builder.create(this, "Stream")
                .streamMode(StreamMode.ON_DEMAND)
                .encryption(StreamEncryption.KMS)
                .encryptionKey(encryptionKey)
                .retentionPeriod(Duration.hours(config.retentionHours()))
                .removalPolicy(removalPolicy)
                .build();

        // L1 override, the only one here: the L2 Stream does not expose MaxRecordSizeInKiB. DSQL
        // writes records of up to 10 MiB; with a smaller limit (the default is 1 MiB) the DSQL
        // stream turns IMPAIRED with KINESIS_OVERSIZE_RECORD on the first large change.
        ((CfnStream) stream.getNode().getDefaultChild()).setMaxRecordSizeInKiB(MAX_RECORD_SIZE_KIB);
        Nag.suppress(
                stream,
                Nag.rule(
                        "AwsSolutions-KDS3",
                        "A customer managed key is deliberate"
                                + " (kinesis.kmsKey: create, or an existing key): its key policy and the DSQL service role's"
                                + " kms:GenerateDataKey grant are scoped to this stream, which the AWS managed aws/kinesis key's"
                                + " policy cannot be made to do. The per-request KMS cost is accepted."));
    }

    /** @return the Kinesis stream */
    public IStream getStream() {
        return stream;
    }

    /** @return the customer managed key that encrypts the stream (created or imported) */
    public IKey getEncryptionKey() {
        return encryptionKey;
    }
}
