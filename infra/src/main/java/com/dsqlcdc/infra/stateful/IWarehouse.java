package com.dsqlcdc.infra.stateful;

import software.amazon.awscdk.services.iam.IRole;
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

    /**
     * @return the longest single string, in bytes, that COPY and JSON_PARSE accept inside a SUPER
     *         value on this workgroup: 16,000,000 with {@code warehouse.largeStrings}, else 65,535.
     *         A longer one fails the statement; it is never truncated.
     */
    int getMaxSuperStringBytes();

    /** @return ARN of the Secrets Manager secret that holds the admin user's credentials (managed by Redshift) */
    String getAdminSecretArn();

    /**
     * @return the role associated with the namespace for {@code COPY ... IAM_ROLE '<arn>'}: reads the
     *         staging bucket's {@code staging/} prefix only
     */
    IRole getCopyRole();

    /** @return the customer managed key of the namespace's data and of the admin secret */
    IKey getEncryptionKey();
}
