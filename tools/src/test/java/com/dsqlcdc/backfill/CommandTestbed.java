package com.dsqlcdc.backfill;

import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.testing.FakeS3;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The backfill's test bed (lambda's {@link Testbed}, from its test-jar) opened to the tools' tests,
 * which live in another package: the embedded PostgreSQL source and warehouse, the fake S3 with the
 * staging bucket, the real loader.
 */
public final class CommandTestbed implements AutoCloseable {

    public static final String STAGING_BUCKET = Testbed.STAGING_BUCKET;
    public static final String CLUSTER = Testbed.CLUSTER;

    private final Testbed testbed;

    public CommandTestbed() throws IOException, SQLException {
        testbed = new Testbed();
    }

    /** @return connections to the source database, as the command's connector opens them */
    public SourceConnections sourceConnections() {
        return testbed.sourceConnections();
    }

    public void sourceSql(String... statements) throws SQLException {
        testbed.sourceSql(statements);
    }

    public void createSourceTables(TableCatalog catalog) throws SQLException {
        testbed.createSourceTables(catalog);
    }

    public void deployWarehouse(TableCatalog catalog) {
        testbed.deployWarehouse(catalog);
    }

    /** Loads everything staged, with the real loader. */
    public void load(TableCatalog catalog) {
        testbed.load(catalog);
    }

    public Map<String, String> sourceImages(CatalogTable table) throws SQLException {
        return testbed.sourceImages(table);
    }

    public Map<String, String> warehouseImages(CatalogTable table) {
        return testbed.warehouseImages(table);
    }

    /** Runs SQL on the warehouse (Redshift SQL, as the loader's). */
    public void warehouseSql(String sql) {
        testbed.warehouseSql(sql);
    }

    public WarehouseReader warehouseReader() {
        return testbed.warehouseReader();
    }

    public FakeS3 s3() {
        return testbed.s3;
    }

    public S3Client s3Client() {
        return testbed.s3Client;
    }

    @Override
    public void close() {
        testbed.close();
    }
}
