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
 * @param namePrefix      prefix of the alarm's name and of the plan and worker roles' names (the
 *                        environment's, e.g. {@code dev-dsql-cdc-}): the roles have fixed names, so the
 *                        source's {@code AWS IAM GRANT} can map them before the first deploy
 * @param logRetention    retention of the functions' and the state machine's log groups
 */
public record BackfillJobProps(
        Code handlerCode,
        IDsqlCluster cluster,
        DsqlCdcStream stream,
        IRedshiftTarget warehouse,
        IBucket stagingBucket,
        BackfillConfig settings,
        String namePrefix,
        RetentionDays logRetention) {

    /** The plan step's role name, after the prefix. */
    public static final String PLAN_ROLE = "backfill-plan";
    /** The range worker's role name, after the prefix. */
    public static final String WORKER_ROLE = "backfill-worker";
    /** IAM's longest role name. */
    static final int MAX_ROLE_NAME = 64;

    public BackfillJobProps {
        Objects.requireNonNull(handlerCode, "BackfillJobProps.handlerCode is required");
        Objects.requireNonNull(cluster, "BackfillJobProps.cluster is required");
        Objects.requireNonNull(stream, "BackfillJobProps.stream is required");
        Objects.requireNonNull(warehouse, "BackfillJobProps.warehouse is required");
        Objects.requireNonNull(stagingBucket, "BackfillJobProps.stagingBucket is required");
        Objects.requireNonNull(settings, "BackfillJobProps.settings is required");
        Objects.requireNonNull(namePrefix, "BackfillJobProps.namePrefix is required");
        if ((namePrefix + WORKER_ROLE).length() > MAX_ROLE_NAME) {
            throw new IllegalArgumentException("BackfillJobProps.namePrefix " + namePrefix + " makes the role name "
                    + namePrefix + WORKER_ROLE + " longer than IAM's " + MAX_ROLE_NAME + " characters: use a"
                    + " shorter environment name");
        }
        Objects.requireNonNull(logRetention, "BackfillJobProps.logRetention is required");
    }
}
