package com.dsqlcdc.health;

import com.dsqlcdc.clients.dsql.StatusReason;
import java.util.Set;

/**
 * What one health check found.
 *
 * @param clusterId    the cluster identifier checked
 * @param streamId     the stream identifier checked
 * @param arn          the stream's ARN as GetStream reported it; null when the stream is not found
 * @param status       the stream's status as GetStream reported it, or {@link #NOT_FOUND} when
 *                     GetStream answered 404
 * @param statusReason DSQL's reason (IMPAIRED and FAILED only); null when it gave none
 * @param explanation  cause and fix, for the operator
 */
public record StreamHealth(
        String clusterId, String streamId, String arn, String status, StatusReason statusReason, String explanation) {

    /** The status reported when GetStream answers 404 (ResourceNotFoundException). */
    public static final String NOT_FOUND = "NOT_FOUND";

    private static final Set<String> GONE = Set.of(NOT_FOUND, "DELETING", "DELETED");

    /** How loudly the check's log line speaks. */
    public enum Severity {
        INFO,
        WARN,
        ERROR
    }

    /** The stream no longer exists or is going away: the pipeline receives nothing, as bad as FAILED. */
    public boolean isGone() {
        return GONE.contains(status);
    }

    /** FAILED (permanent), or gone: {@code StreamFailed} = 1. */
    public boolean isFailed() {
        return "FAILED".equals(status) || isGone();
    }

    /** IMPAIRED (DSQL retries delivery by itself): {@code StreamImpaired} = 1. */
    public boolean isImpaired() {
        return "IMPAIRED".equals(status);
    }

    /** ACTIVE: {@code StreamActive} = 1. */
    public boolean isActive() {
        return "ACTIVE".equals(status);
    }

    /** {@code statusReason.error}, or null. */
    public String reasonError() {
        return statusReason == null ? null : statusReason.error();
    }

    public Severity severity() {
        if (isFailed()) {
            return Severity.ERROR;
        }
        return isImpaired() ? Severity.WARN : Severity.INFO;
    }
}
