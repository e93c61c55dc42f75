package com.dsqlcdc.infra.stateful;

import software.amazon.awscdk.services.kms.IKey;
import software.constructs.IConstruct;

/** The Redshift Serverless warehouse, as the rest of the app sees it: a load target with an admin. */
public interface IWarehouse extends IConstruct, IRedshiftTarget {

    /** @return ARN of the Secrets Manager secret that holds the admin user's credentials (managed by Redshift) */
    String getAdminSecretArn();

    /** @return the customer managed key of the namespace's data and of the admin secret */
    IKey getEncryptionKey();
}
