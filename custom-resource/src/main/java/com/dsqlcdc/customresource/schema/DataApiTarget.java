package com.dsqlcdc.customresource.schema;

import java.util.Objects;

/**
 * Where and as whom the Data API runs a statement: a Redshift Serverless workgroup, a database in
 * its namespace, and the Secrets Manager secret of the namespace's admin user.
 */
public record DataApiTarget(String workgroupName, String database, String secretArn) {
  public DataApiTarget {
    Objects.requireNonNull(workgroupName, "workgroupName");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(secretArn, "secretArn");
  }

  @Override
  public String toString() {
    return "workgroup " + workgroupName + ", database " + database;
  }
}
