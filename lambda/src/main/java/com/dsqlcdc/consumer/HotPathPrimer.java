package com.dsqlcdc.consumer;

import com.dsqlcdc.consumer.decode.ChangeDecoder;
import com.dsqlcdc.consumer.decode.Decoded;
import com.dsqlcdc.consumer.stage.StagedFileWriter;
import com.dsqlcdc.consumer.stage.StagedRow;
import com.dsqlcdc.sql.catalog.CatalogColumn;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.TableCatalog;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * SnapStart priming: decodes a synthetic change of every catalog table and builds its staged,
 * compressed line, so
 * the classes and JIT profile of the real path are in the snapshot. Makes no network call and
 * keeps nothing: a snapshot must not carry connections or anything unique to one environment.
 */
final class HotPathPrimer implements ConsumerHandler.Primer {

    private static final int ROUNDS = 200;

    private final ChangeDecoder decoder;
    private final StagedFileWriter files;
    private final TableCatalog catalog;

    HotPathPrimer(ChangeDecoder decoder, StagedFileWriter files, TableCatalog catalog) {
        this.decoder = decoder;
        this.files = files;
        this.catalog = catalog;
    }

    @Override
    public void prime() {
        for (int round = 0; round < ROUNDS; round++) {
            for (CatalogTable table : catalog.tables()) {
                Decoded decoded = decoder.decode(sample(table, round).getBytes(StandardCharsets.UTF_8));
                if (!(decoded instanceof Decoded.Ok ok)) {
                    throw new IllegalStateException(
                            "priming record of " + table.qualifiedName() + " did not decode: " + decoded);
                }
                StagedRow row = new StagedRow(0, ok.change(), "shardId-prime", "0");
                files.file(List.of(files.line(row)));
            }
        }
    }

    /** A change with every key column set (1) and every other column null. */
    static String sample(CatalogTable table, int round) {
        StringBuilder after = new StringBuilder("{");
        for (CatalogColumn column : table.columns()) {
            if (after.length() > 1) {
                after.append(',');
            }
            after.append('"')
                    .append(column.name())
                    .append("\":")
                    .append(table.primaryKey().contains(column.name()) ? Integer.toString(round + 1) : "null");
        }
        after.append('}');
        long tsNs = 1_700_000_000_000_000_000L + round;
        return "{\"type\":\"full\",\"op\":\"c\",\"before\":null,\"after\":" + after
                + ",\"source\":{\"version\":\"1.0\","
                + "\"ts_ms\":" + tsNs / 1_000_000 + ",\"ts_ns\":" + tsNs + ",\"txId\":\"prime\",\"schema\":\""
                + table.schema() + "\",\"table\":\"" + table.name() + "\",\"db\":\"postgres\",\"cluster\":\"prime\"},"
                + "\"ts_ms\":" + tsNs / 1_000_000 + ",\"ts_ns\":" + tsNs + "}";
    }
}
