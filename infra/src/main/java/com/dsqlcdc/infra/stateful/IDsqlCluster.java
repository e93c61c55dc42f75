package com.dsqlcdc.infra.stateful;

import java.util.Optional;
import software.amazon.awscdk.services.kms.IKey;
import software.constructs.IConstruct;

/** An Aurora DSQL cluster, created by this app or existing, as the rest of the app sees it. */
public interface IDsqlCluster extends IConstruct {

    /** @return the 26-character cluster identifier (a token for a created cluster) */
    String getClusterIdentifier();

    /** @return {@code arn:<partition>:dsql:<region>:<account>:cluster/<identifier>} */
    String getClusterArn();

    /** @return the cluster's customer managed key, or empty when it uses an AWS owned key */
    Optional<IKey> getEncryptionKey();
}
