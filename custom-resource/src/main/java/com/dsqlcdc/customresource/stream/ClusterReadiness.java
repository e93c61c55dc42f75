package com.dsqlcdc.customresource.stream;

import com.dsqlcdc.contract.retry.Sleeper;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dsql.DsqlClient;
import software.amazon.awssdk.services.dsql.model.ClusterStatus;
import software.amazon.awssdk.services.dsql.model.GetClusterResponse;
import software.amazon.awssdk.services.dsql.model.ResourceNotFoundException;

/**
 * DSQL accepts CreateStream only on an ACTIVE cluster and answers a bare 400 otherwise. This
 * checks first and says what is wrong and what to do: it waits out short transitions (a cluster
 * still CREATING or UPDATING), and fails with instructions for an IDLE or INACTIVE cluster, which
 * only a database connection wakes.
 */
public final class ClusterReadiness {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterReadiness.class);

    private final DsqlClient dsql;
    private final String region;
    private final Duration pollInterval;
    private final int maxPolls;
    private final Sleeper sleeper;

    /**
     * @param maxWait how long a transitional state (CREATING, UPDATING, PENDING_SETUP) is waited
     *     out before failing; keep it well inside the onEvent function's timeout
     */
    public ClusterReadiness(DsqlClient dsql, String region, Duration pollInterval, Duration maxWait, Sleeper sleeper) {
        this.dsql = dsql;
        this.region = region;
        this.pollInterval = pollInterval;
        this.maxPolls = (int) Math.max(1, maxWait.toMillis() / Math.max(1, pollInterval.toMillis()));
        this.sleeper = sleeper;
    }

    /** Returns once the cluster is ACTIVE; throws {@link StreamResourceException} otherwise. */
    public void awaitActive(String clusterIdentifier) {
        for (int poll = 1; ; poll++) {
            GetClusterResponse cluster;
            try {
                cluster = dsql.getCluster(r -> r.identifier(clusterIdentifier));
            } catch (ResourceNotFoundException e) {
                throw new StreamResourceException(
                        "Aurora DSQL cluster " + clusterIdentifier + " does not exist in " + region + ". Fix: check"
                                + " the cluster identifier in the configuration (the cluster, the Kinesis stream and the"
                                + " stack must be in one account and Region).",
                        e);
            }
            ClusterStatus status = cluster.status();
            switch (status) {
                case ACTIVE:
                    return;
                case CREATING:
                case UPDATING:
                case PENDING_SETUP:
                    if (poll >= maxPolls) {
                        throw new StreamResourceException("Aurora DSQL cluster " + clusterIdentifier + " is still "
                                + status + " after "
                                + pollInterval.multipliedBy(maxPolls).toSeconds() + " s; a CDC stream needs an ACTIVE"
                                + " cluster. Fix: wait until `aws dsql get-cluster --identifier " + clusterIdentifier
                                + " --region " + region + "` shows ACTIVE, then deploy again.");
                    }
                    LOG.info(
                            "Cluster {} is {}; waiting {} ms for ACTIVE",
                            clusterIdentifier,
                            status,
                            pollInterval.toMillis());
                    sleep();
                    break;
                case IDLE:
                case INACTIVE:
                    throw new StreamResourceException(idleMessage(clusterIdentifier, status.toString()));
                default:
                    throw new StreamResourceException(
                            "Aurora DSQL cluster " + clusterIdentifier + " is " + cluster.statusAsString() + "; a CDC"
                                    + " stream can only be created on an ACTIVE cluster. Fix: point the configuration at an"
                                    + " ACTIVE cluster, or restore this one, then deploy again.");
            }
        }
    }

    private String idleMessage(String clusterIdentifier, String status) {
        String host = clusterIdentifier + ".dsql." + region + ".on.aws";
        return "Aurora DSQL cluster " + clusterIdentifier + " is " + status + ": an idle cluster rejects"
                + " CreateStream. Fix: wake it by connecting any PostgreSQL client, for example"
                + " `PGPASSWORD=$(aws dsql generate-db-connect-admin-auth-token --hostname " + host + " --region "
                + region + ") psql \"host=" + host + " user=admin dbname=postgres sslmode=require\" -c 'select 1'`,"
                + " wait until `aws dsql get-cluster --identifier " + clusterIdentifier + " --region " + region
                + "` shows ACTIVE, then deploy again.";
    }

    private void sleep() {
        try {
            sleeper.sleep(pollInterval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamResourceException("Interrupted while waiting for the cluster to become ACTIVE", e);
        }
    }
}
