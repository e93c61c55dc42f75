/**
 * The typed current-state views of the change log: {@link com.dsqlcdc.sql.views.CurrentViewGenerator}
 * writes each catalog table's {@code "<schema>"."<table>_current"} view, with
 * {@link com.dsqlcdc.sql.views.ColumnCasts} typing every column from its JSON encoding;
 * {@link com.dsqlcdc.sql.views.CurrentStateRule} is the same rule in Java, and
 * {@link com.dsqlcdc.sql.views.GenerateCurrentViews} writes the reviewable
 * {@code sql/generated/current_views.sql}. See {@code sql/README.md}.
 */
package com.dsqlcdc.sql.views;
