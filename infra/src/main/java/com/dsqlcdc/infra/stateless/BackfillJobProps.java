package com.dsqlcdc.infra.stateless;

import com.dsqlcdc.infra.config.BackfillConfig;
import com.dsqlcdc.infra.stateful.IDsqlCluster;
import com.dsqlcdc.infra.stateful.IRedshiftTarget;
import java.util.Objects;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.IBucket;

/**
 * Properties of {@link BackfillJob}.
 *
 * @param handlerCode     the lambda module's shaded jar ({@code lambda/target/consumer.jar}), which holds
 *                        the job's three handlers
 * @param cluster         the source cluster ({@code dsql:DbConnect} on its ARN)
 * @param stream          its CDC stream ({@code dsql:GetStream}; the on-create start waits for it)
 * @param warehouse       where resync and validation read the current state (the Data API)
 * @param stagingBucket   the staging bucket: the job keeps its plans, checkpoints and reports under
 *                        {@code backfill/} and stages its rows under {@code staged/} for the loader
 * @param settings        the job's settings ({@code backfill.*})
 * @param alarmNamePrefix prefix of the alarm's name (the environment's, e.g. {@code dev-dsql-cdc-})
 * @param logRetention    retention of the functions' and the state machine's log groups
 */
public record BackfillJobProps(
        Code handlerCode,
        IDsqlCluster cluster,
        DsqlCdcStream stream,
        IRedshiftTarget warehouse,
        IBucket stagingBucket,
        BackfillConfig settings,
        String alarmNamePrefix,
        RetentionDays logRetention) {

    public BackfillJobProps {
        Objects.requireNonNull(handlerCode, "BackfillJobProps.handlerCode is required");
        Objects.requireNonNull(cluster, "BackfillJobProps.cluster is required");
        Objects.requireNonNull(stream, "BackfillJobProps.stream is required");
        Objects.requireNonNull(warehouse, "BackfillJobProps.warehouse is required");
        Objects.requireNonNull(stagingBucket, "BackfillJobProps.stagingBucket is required");
        Objects.requireNonNull(settings, "BackfillJobProps.settings is required");
        Objects.requireNonNull(alarmNamePrefix, "BackfillJobProps.alarmNamePrefix is required");
        Objects.requireNonNull(logRetention, "BackfillJobProps.logRetention is required");
    }
}
