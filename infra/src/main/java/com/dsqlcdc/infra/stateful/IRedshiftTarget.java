package com.dsqlcdc.infra.stateful;

import software.amazon.awscdk.services.iam.IRole;

/**
 * Where a CDC loader loads: a Redshift Serverless workgroup and database reached through the Data
 * API, and the role its {@code COPY} names. {@link IWarehouse} is one; another app implements it for
 * its own workgroup.
 */
public interface IRedshiftTarget {

    /** @return the workgroup name, what the Data API's {@code WorkgroupName} takes */
    String getWorkgroupName();

    /** @return the workgroup ARN ({@code ...:workgroup/<workgroup id>}), what GetCredentials is granted on */
    String getWorkgroupArn();

    /** @return the database the loader writes to */
    String getDatabaseName();

    /**
     * @return the longest single string, in bytes, that COPY and JSON_PARSE accept inside a SUPER
     *         value on this workgroup: 16,000,000 with {@code enable_large_strings_opt_in}, else 65,535.
     *         A longer one fails the statement; it is never truncated.
     */
    int getMaxSuperStringBytes();

    /**
     * @return the role associated with the namespace for {@code COPY ... IAM_ROLE '<arn>'}: it must
     *         read the staging bucket's {@code staged/} and {@code manifests/} prefixes
     */
    IRole getCopyRole();
}
