package com.dsqlcdc.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The widths the consumer quarantines by ({@link CdcEventsTable}'s MAX_*_BYTES) are the columns'
 * in sql/cdc_events.sql: a value over one is quarantined whole, and one that fits lands whole.
 */
class CdcEventsWidthsTest {

    private static String ddl() throws IOException {
        try (InputStream in = CdcEventsTable.class.getResourceAsStream(CdcEventsTable.DDL_RESOURCE)) {
            assertThat(in).as(CdcEventsTable.DDL_RESOURCE).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** @return n of the column's {@code VARCHAR(n)} in the DDL */
    private static int varcharWidth(String ddl, String column) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(column) + "\"\\s+VARCHAR\\((\\d+)\\)")
                .matcher(ddl);
        assertThat(m.find()).as("%s is a VARCHAR(n) in cdc_events.sql", column).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void theQuarantineWidthsAreTheColumnsWidths() throws IOException {
        String ddl = ddl();
        assertThat(CdcEventsTable.MAX_OP_BYTES).isEqualTo(varcharWidth(ddl, CdcEventsTable.OP));
        assertThat(CdcEventsTable.MAX_TX_ID_BYTES).isEqualTo(varcharWidth(ddl, CdcEventsTable.TX_ID));
        assertThat(CdcEventsTable.MAX_RECORD_KEY_BYTES).isEqualTo(varcharWidth(ddl, CdcEventsTable.RECORD_KEY));
    }
}
