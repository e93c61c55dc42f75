package com.dsqlcdc.clients.dataapi;

import java.util.Objects;
import java.util.Optional;

/**
 * Where and as whom the Data API runs statements: a Redshift Serverless workgroup, a database in its
 * namespace, and either the caller's own IAM identity (database user {@code IAMR:<role>}) or a
 * Secrets Manager secret (e.g. the namespace's admin user).
 *
 * @param workgroupName the workgroup
 * @param database      the database
 * @param secretArn     the secret, or empty for the caller's IAM identity
 */
public record DataApiTarget(String workgroupName, String database, Optional<String> secretArn) {

    public DataApiTarget {
        Objects.requireNonNull(workgroupName, "workgroupName");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(secretArn, "secretArn");
    }

    /** @return the target, as the caller's IAM identity */
    public static DataApiTarget asCaller(String workgroupName, String database) {
        return new DataApiTarget(workgroupName, database, Optional.empty());
    }

    /** @return the target, as the secret's user */
    public static DataApiTarget withSecret(String workgroupName, String database, String secretArn) {
        return new DataApiTarget(workgroupName, database, Optional.of(secretArn));
    }

    @Override
    public String toString() {
        return "workgroup " + workgroupName + ", database " + database;
    }
}
