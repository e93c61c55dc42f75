package com.dsqlcdc.loader;

import com.dsqlcdc.testing.pg.RedshiftOnPostgres;
import com.dsqlcdc.testing.pg.RedshiftOnPostgres.Result;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@link Warehouse} on embedded PostgreSQL: one connection per session, through {@link RedshiftOnPostgres}.
 * Public for the backfill's tests, which load their staged rows with the real loader too.
 */
public final class PostgresWarehouse implements Warehouse {

    private final RedshiftOnPostgres redshift;

    public PostgresWarehouse(RedshiftOnPostgres redshift) {
        this.redshift = redshift;
    }

    @Override
    public Session open(Instant deadline) {
        RedshiftOnPostgres.Session session = redshift.openSession();
        return new Session() {
            @Override
            public List<Long> batch(List<String> statements) {
                try {
                    return session.batch(statements).stream()
                            .map(Result::updateCount)
                            .toList();
                } catch (RedshiftOnPostgres.SqlFailure e) {
                    throw new WarehouseException(
                            "statement " + (e.index() + 1) + " of the batch failed: " + e.getMessage(), e);
                }
            }

            @Override
            public List<Map<String, String>> query(String sql) {
                try {
                    return session.execute(sql).records();
                } catch (RedshiftOnPostgres.SqlFailure e) {
                    throw new WarehouseException(e.getMessage(), e);
                }
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }
}
