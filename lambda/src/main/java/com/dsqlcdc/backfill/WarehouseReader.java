package com.dsqlcdc.backfill;

import com.dsqlcdc.sql.backfill.WarehouseRangeSql;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The warehouse as validation and resync read it: one query at a time, its bounds as named
 * parameters ({@link WarehouseRangeSql.Query}). The Data API in production
 * ({@link DataApiWarehouseReader}), a PostgreSQL running the same SQL in tests.
 */
@FunctionalInterface
public interface WarehouseReader {

    /**
     * @param query    the query and its parameters
     * @param deadline the query may not run past it
     * @return its rows, column name to value as text (SQL NULL as null)
     * @throws WarehouseReadException when the warehouse refused it or did not finish in time
     */
    List<Map<String, String>> query(WarehouseRangeSql.Query query, Instant deadline);

    /** A query the warehouse did not answer, with its reason. */
    final class WarehouseReadException extends RuntimeException {
        public WarehouseReadException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
