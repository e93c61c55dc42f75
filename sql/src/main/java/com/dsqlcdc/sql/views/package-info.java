/**
 * Typing the change log's JSON row images: {@link com.dsqlcdc.sql.views.ColumnCasts} types every
 * column from its DSQL JSON encoding (used by the loader's merges and by the audit views);
 * {@link com.dsqlcdc.sql.views.LogLatestViewGenerator} writes each catalog table's audit view
 * {@code "<schema>"."<table>_log_latest"} (latest change per key, recomputed from the log);
 * {@link com.dsqlcdc.sql.views.CurrentStateRule} is the same rule in Java, and
 * {@link com.dsqlcdc.sql.views.GenerateCurrentViews} writes the reviewable
 * {@code sql/generated/warehouse.sql}. See {@code sql/README.md}.
 */
package com.dsqlcdc.sql.views;
