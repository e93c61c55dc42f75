package com.dsqlcdc.testing;

import com.dsqlcdc.sql.CdcEventsTable;
import com.dsqlcdc.sql.EventRow;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What landed in the fake warehouse's {@code cdc.cdc_events}, as the rows the current-state views
 * read: each INSERT envelope parameter and each COPY line of every landed statement.
 */
public final class EventRows {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventRows() {}

    /**
     * @param dataApi     the fake
     * @param envelopeKey the key under which an INSERT envelope holds a column (the consumer's
     *                    {@code InsertStatementBuilder::envelopeKey})
     * @return every row that landed, duplicates included, in landing order
     */
    public static List<EventRow> landed(FakeRedshiftDataApi dataApi, UnaryOperator<String> envelopeKey) {
        List<EventRow> rows = new ArrayList<>();
        for (ExecutedStatement statement : dataApi.landed()) {
            for (String envelope : statement.parameters().values()) {
                rows.add(fromEnvelope(envelope, envelopeKey));
            }
            for (String line : dataApi.copiedLines(statement.id())) {
                rows.add(fromCopyLine(line));
            }
        }
        return rows;
    }

    /**
     * @param line one line of a COPY file (a JSON object keyed by column)
     * @return the row it loads
     */
    public static EventRow fromCopyLine(String line) {
        JsonNode e = read(line);
        return new EventRow(
                e.get(CdcEventsTable.SOURCE_SCHEMA).asText(),
                e.get(CdcEventsTable.SOURCE_TABLE).asText(),
                e.get(CdcEventsTable.RECORD_KEY).asText(),
                e.get(CdcEventsTable.COMMIT_TS_NS).longValue(),
                e.get(CdcEventsTable.EVENT_ID).asText(),
                e.get(CdcEventsTable.IS_DELETE).booleanValue(),
                e.get(CdcEventsTable.ROW_IMAGE).toString());
    }

    /**
     * @param envelope    one INSERT parameter: a JSON envelope holding a row
     * @param envelopeKey the key under which it holds a column
     * @return the row it inserts
     */
    public static EventRow fromEnvelope(String envelope, UnaryOperator<String> envelopeKey) {
        JsonNode e = read(envelope);
        return new EventRow(
                e.get(envelopeKey.apply(CdcEventsTable.SOURCE_SCHEMA)).asText(),
                e.get(envelopeKey.apply(CdcEventsTable.SOURCE_TABLE)).asText(),
                e.get(envelopeKey.apply(CdcEventsTable.RECORD_KEY)).asText(),
                Long.parseLong(
                        e.get(envelopeKey.apply(CdcEventsTable.COMMIT_TS_NS)).asText()),
                e.get(envelopeKey.apply(CdcEventsTable.EVENT_ID)).asText(),
                e.get(envelopeKey.apply(CdcEventsTable.IS_DELETE)).asBoolean(),
                e.get(envelopeKey.apply(CdcEventsTable.ROW_IMAGE)).toString());
    }

    private static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
