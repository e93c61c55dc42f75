package com.dsqlcdc.infra.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** README.md's and docs/delivery-pipeline.md's configuration tables are the ones the schemas generate. */
class ConfigTableTest {

    @Test
    void theDocumentsHoldTheTablesTheSchemasGenerate() throws IOException {
        // Surefire runs in infra/: the repository root is its parent.
        for (Map.Entry<Path, String> file : ConfigTable.files(Path.of("..")).entrySet()) {
            String document = Files.readString(file.getKey());
            assertThat(document)
                    .as(
                            "%s: its table between <!-- %s:begin --> and <!-- %s:end --> is stale; regenerate it from the"
                                    + " repository root with%n  %s%n",
                            file.getKey(), file.getValue(), file.getValue(), ConfigTable.COMMAND)
                    .isEqualTo(ConfigTable.regenerate(document, file.getValue()));
        }
    }

    @Test
    void aRowStatesTheKeyItsDefaultWhatItTakesAndItsMeaning() {
        assertThat(ConfigTable.table(ConfigTable.ENVIRONMENTS))
                .startsWith("| key (under `dsql-cdc:environments.<env>`) | default | allowed | meaning |\n")
                .contains("\n| `kinesis.retentionHours` | `168` | a whole number of hours from 24 to 8760 | how long"
                        + " the stream keeps records;")
                .contains("\n| `cluster.mode` | required | \"create\" or \"existing\" | ")
                .contains("\n| `warehouse.baseCapacityRpu` | `8` | 4 (Redshift Serverless's smallest) or a whole"
                        + " number of RPUs from 8 to 1024, in steps of 8 | ")
                .contains("\n| `warehouse.loadIntervalSeconds` | `300` | a whole number of seconds from 10 to 86400 | ")
                .contains("\n| `alarms.stagedObjectAgeSeconds` | derived: 2 × `warehouse.loadIntervalSeconds` + 300 | ")
                // a removed setting has no row
                .doesNotContain("maxConcurrentStatements")
                .doesNotContain("consumer.bulk")
                .contains("\n| `consumer.maxRecordAgeSeconds` | derived: `kinesis.retentionHours` × 3600 − 3600,"
                        + " at most 604800 | -1 (no limit) or a whole number of seconds from 60 to 604800 | ")
                .contains("\n| `consumer.retryAttempts` | `10` | a whole number of retries from 0 to 10000 | retries"
                        + " of a failing batch (bisected) before it goes to the failed-batch bucket; -1 (retry until"
                        + " the records expire) is not allowed")
                // angle brackets would vanish into HTML tags
                .contains("a KMS key ARN (arn:aws:kms:&lt;region&gt;:&lt;account&gt;:key/&lt;key id&gt;)");
        assertThat(ConfigTable.table(ConfigTable.DELIVERY))
                .startsWith("| key (under `dsql-cdc:delivery`) | default | allowed | meaning |\n")
                .contains("\n| `source.branch` | `main` | a branch name, e.g. \"main\" | ")
                .contains("\n| `stages[i].manualApproval` | `false` | true or false (without quotes) | ");
    }

    @Test
    void regeneratingNeedsBothMarkersAndKeepsTheRestOfTheDocument() {
        String document = "intro\n<!-- config-table:begin -->\nold\n<!-- config-table:end -->\noutro\n";

        assertThat(ConfigTable.regenerate(document, ConfigTable.ENVIRONMENTS))
                .isEqualTo("intro\n"
                        + "<!-- config-table:begin -->\n" + ConfigTable.table(ConfigTable.ENVIRONMENTS)
                        + "<!-- config-table:end -->\noutro\n");
        assertThat(catchThrowable(() -> ConfigTable.regenerate("no markers", ConfigTable.ENVIRONMENTS)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("<!-- config-table:begin -->");
    }
}
