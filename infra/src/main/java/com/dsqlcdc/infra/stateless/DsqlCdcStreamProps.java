package com.dsqlcdc.infra.stateless;

import com.dsqlcdc.infra.stateful.DsqlCluster;
import com.dsqlcdc.infra.stateful.IDsqlCluster;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.logs.RetentionDays;

/**
 * Properties of {@link DsqlCdcStream}: CDK types and {@link IDsqlCluster} only, so another app can stream its own
 * cluster to its own Kinesis stream.
 *
 * @param cluster       the cluster whose changes are captured ({@link DsqlCluster#fromClusterIdentifier} for one
 *                      made elsewhere)
 * @param kinesisStream the target stream, in the cluster's account and Region. With a customer managed key the
 *                      stream must know it ({@code Stream.fromStreamAttributes} with {@code encryptionKey} when
 *                      imported): DSQL's role may use that key only.
 * @param handlerCode   the custom-resource module's shaded jar ({@code custom-resource/target/custom-resource.jar})
 * @param logRetention  retention of every log group of the resource
 * @param tags          tags of the CDC stream (kept sorted); may be empty
 * @param generation    the stream's generation, at least 1; raising it replaces the stream at the next deploy
 */
public record DsqlCdcStreamProps(
        IDsqlCluster cluster,
        IStream kinesisStream,
        Code handlerCode,
        RetentionDays logRetention,
        Map<String, String> tags,
        int generation) {

    public DsqlCdcStreamProps {
        Objects.requireNonNull(cluster, "DsqlCdcStreamProps.cluster is required");
        Objects.requireNonNull(kinesisStream, "DsqlCdcStreamProps.kinesisStream is required");
        Objects.requireNonNull(handlerCode, "DsqlCdcStreamProps.handlerCode is required");
        Objects.requireNonNull(logRetention, "DsqlCdcStreamProps.logRetention is required");
        tags = Collections.unmodifiableSortedMap(
                new TreeMap<>(Objects.requireNonNull(tags, "DsqlCdcStreamProps.tags")));
        if (generation < 1) {
            throw new IllegalArgumentException("DsqlCdcStreamProps.generation must be at least 1, got " + generation);
        }
    }

    /** A first-generation stream without tags. */
    public DsqlCdcStreamProps(
            IDsqlCluster cluster, IStream kinesisStream, Code handlerCode, RetentionDays logRetention) {
        this(cluster, kinesisStream, handlerCode, logRetention, Map.of(), 1);
    }
}
