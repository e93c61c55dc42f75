package com.dsqlcdc.backfill;

import java.sql.SQLException;

/**
 * A step of the deployed job could not read the source (pgjdbc's {@link SQLException}: a connection
 * refused, a transaction over DSQL's limits, a token the cluster rejected). Unchecked so that the
 * handlers can throw it to Step Functions, which retries the step: the plan goes on from its cursor
 * and a range from its last checkpoint, so a retry repeats no staged work.
 */
public final class SourceUnavailableException extends RuntimeException {

    /**
     * @param step  what the step was doing, e.g. {@code "planning job <id>"}
     * @param cause the driver's exception
     */
    public SourceUnavailableException(String step, SQLException cause) {
        super(
                "the source refused while " + step + " (SQLState " + cause.getSQLState() + "): " + cause.getMessage()
                        + "; calling the step again resumes from the last checkpoint",
                cause);
    }
}
