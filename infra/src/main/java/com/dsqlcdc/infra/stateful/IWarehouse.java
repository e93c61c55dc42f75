package com.dsqlcdc.infra.stateful;

import software.amazon.awscdk.services.kms.IKey;
import software.constructs.IConstruct;

/** The Redshift Serverless warehouse, as the rest of the app sees it. */
public interface IWarehouse extends IConstruct {

    /** @return the workgroup name, what the Data API's {@code WorkgroupName} takes */
    String getWorkgroupName();

    /** @return the workgroup ARN ({@code ...:workgroup/<workgroup id>}), what GetCredentials is granted on */
    String getWorkgroupArn();

    /** @return the database the pipeline writes to */
    String getDatabaseName();

    /** @return ARN of the Secrets Manager secret that holds the admin user's credentials (managed by Redshift) */
    String getAdminSecretArn();

    /** @return the customer managed key of the namespace's data and of the admin secret */
    IKey getEncryptionKey();
}
