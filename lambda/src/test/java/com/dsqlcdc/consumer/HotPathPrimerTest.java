package com.dsqlcdc.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.consumer.decode.ChangeDecoder;
import com.dsqlcdc.consumer.decode.Decoded;
import com.dsqlcdc.consumer.stage.StagedFileWriter;
import com.dsqlcdc.consumer.stage.StagedRow;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.fasterxml.jackson.core.JsonFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** SnapStart priming runs the real decode and staging path for every catalog table. */
class HotPathPrimerTest {

    private final JsonFactory json = new JsonFactory();
    private final TableCatalog catalog = TableCatalog.load();
    private final ChangeDecoder decoder = new ChangeDecoder(json, catalog);

    @Test
    void theSampleOfEveryCatalogTableDecodesToAChangeOfThatTable() {
        for (CatalogTable table : catalog.tables()) {
            Decoded decoded = decoder.decode(HotPathPrimer.sample(table, 4).getBytes(StandardCharsets.UTF_8));
            assertThat(decoded).isInstanceOf(Decoded.Ok.class);
            Decoded.Ok ok = (Decoded.Ok) decoded;
            assertThat(ok.change().sourceTable()).isEqualTo(table.name());
            assertThat(ok.change().recordKey())
                    .isEqualTo("["
                            + String.join(
                                    ",",
                                    table.primaryKey().stream().map(k -> "5").toList()) + "]");
            StagedFileWriter files = new StagedFileWriter(json);
            StagedFileWriter.Line line = files.line(new StagedRow(0, ok.change(), "s", "1"));
            assertThat(line.fits()).isTrue();
            assertThat(files.file(java.util.List.of(line)).batchId()).matches("[0-9a-f]{64}");
        }
    }
}
