package com.dsqlcdc.infra.stateless;

import java.util.Objects;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.logs.RetentionDays;

/**
 * Properties of {@link StreamHealthCheck}.
 *
 * @param handlerCode     the shaded Lambda functions jar (the check's handler ships in it)
 * @param stream          the CDC stream to check (the check may read it, and only it)
 * @param intervalMinutes minutes between checks, at least 1
 * @param alarmNamePrefix prefix of the alarms' names, e.g. {@code dev-dsql-cdc-}
 * @param logRetention    retention of the function's log group
 */
public record StreamHealthCheckProps(
        Code handlerCode,
        DsqlCdcStream stream,
        int intervalMinutes,
        String alarmNamePrefix,
        RetentionDays logRetention) {

    public StreamHealthCheckProps {
        Objects.requireNonNull(handlerCode, "StreamHealthCheckProps.handlerCode is required");
        Objects.requireNonNull(stream, "StreamHealthCheckProps.stream is required");
        if (intervalMinutes < 1) {
            throw new IllegalArgumentException(
                    "StreamHealthCheckProps.intervalMinutes must be at least 1, got " + intervalMinutes);
        }
        Objects.requireNonNull(alarmNamePrefix, "StreamHealthCheckProps.alarmNamePrefix is required");
        Objects.requireNonNull(logRetention, "StreamHealthCheckProps.logRetention is required");
    }
}
