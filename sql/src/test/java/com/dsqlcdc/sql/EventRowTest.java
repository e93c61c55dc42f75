package com.dsqlcdc.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EventRowTest {

    private static final String ID = "0123456789abcdef".repeat(4);

    @Test
    void aRowHoldsItsFields() {
        EventRow row =
                new EventRow("public", "orders", "[1000]", 1763700005161998890L, ID, false, "{\"order_id\":1000}");

        assertThat(row.recordKey()).isEqualTo("[1000]");
        assertThat(row.commitTsNs()).isEqualTo(1763700005161998890L);
        assertThat(new EventRow("public", "orders", "[1000]", 1, ID, true, null).rowImageJson())
                .isNull();
    }

    @Test
    void theEventIdMustBeLowercaseHexSha256() {
        for (String bad : new String[] {ID.toUpperCase(), ID.substring(1), ID + "0", "g" + ID.substring(1), ""}) {
            assertThatThrownBy(() -> new EventRow("public", "orders", "[1]", 1, bad, false, "{}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("eventId must be a lowercase hex SHA-256");
        }
    }

    @Test
    void namesKeyAndEventIdAreRequired() {
        assertThatThrownBy(() -> new EventRow(null, "orders", "[1]", 1, ID, false, "{}"))
                .hasMessage("sourceSchema");
        assertThatThrownBy(() -> new EventRow("public", null, "[1]", 1, ID, false, "{}"))
                .hasMessage("sourceTable");
        assertThatThrownBy(() -> new EventRow("public", "orders", null, 1, ID, false, "{}"))
                .hasMessage("recordKey");
        assertThatThrownBy(() -> new EventRow("public", "orders", "[1]", 1, null, false, "{}"))
                .hasMessage("eventId");
    }
}
