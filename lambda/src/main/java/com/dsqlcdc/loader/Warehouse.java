package com.dsqlcdc.loader;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The warehouse as the loader uses it: sessions in which temporary tables live across calls
 * (Data API sessions in production, a PostgreSQL connection in tests).
 */
public interface Warehouse {

    /**
     * @param deadline no statement of the session may still be running after it
     * @return a new session
     */
    Session open(Instant deadline);

    /** One session. A failure of any call throws {@link WarehouseException} with the warehouse's error. */
    interface Session extends AutoCloseable {

        /**
         * Runs statements as one transaction (BatchExecuteStatement), waiting until it finished.
         *
         * @param statements at most 40
         * @return the rows each statement changed or returned, in order
         */
        List<Long> batch(List<String> statements);

        /**
         * Runs one query and returns its rows.
         *
         * @param sql the query
         * @return the rows, column name to value as text (SQL NULL as {@code null})
         */
        List<Map<String, String>> query(String sql);

        @Override
        void close();
    }

    /** A statement the warehouse refused or did not finish, with its reason. */
    final class WarehouseException extends RuntimeException {
        public WarehouseException(String message, Throwable cause) {
            super(message, cause);
        }

        public WarehouseException(String message) {
            super(message);
        }
    }
}
