package com.dsqlcdc.testing;

import com.dsqlcdc.contract.StagingLayout;
import com.dsqlcdc.sql.CdcEventsTable;
import com.dsqlcdc.sql.EventRow;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * What the consumer staged for the loader, as the change-log rows the loader appends: every line
 * of every gzip JSON-lines object under {@code staged/} of the fake staging bucket.
 */
public final class EventRows {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventRows() {}

    /**
     * @param s3     the fake S3
     * @param bucket the staging bucket
     * @return every row of every object staged under {@code staged/}, duplicates included, objects
     *         in key order and rows in file order
     */
    public static List<EventRow> staged(FakeS3 s3, String bucket) {
        List<EventRow> rows = new ArrayList<>();
        for (String line : stagedLines(s3, bucket)) {
            rows.add(fromStagedLine(line));
        }
        return rows;
    }

    /**
     * @param s3     the fake S3
     * @param bucket the staging bucket
     * @return every line of every object staged under {@code staged/}, objects in key order
     */
    public static List<String> stagedLines(FakeS3 s3, String bucket) {
        List<String> lines = new ArrayList<>();
        new TreeMap<>(s3.objects(bucket)).forEach((key, object) -> {
            if (key.startsWith(StagingLayout.STAGED)) {
                gunzip(object.body()).lines().filter(l -> !l.isBlank()).forEach(lines::add);
            }
        });
        return lines;
    }

    /**
     * @param line one line of a staged object (a JSON object keyed by column, with the batch id)
     * @return the change-log row it loads
     */
    public static EventRow fromStagedLine(String line) {
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

    private static String gunzip(byte[] gzip) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("a staged object is not gzip", e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
