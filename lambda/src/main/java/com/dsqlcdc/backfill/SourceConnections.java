package com.dsqlcdc.backfill;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where source connections come from: {@code SqlConnector::connect} (aws-clients; IAM tokens against
 * DSQL, a password against a local PostgreSQL).
 */
@FunctionalInterface
public interface SourceConnections {
    /** @return a new connection */
    Connection open() throws SQLException;
}
