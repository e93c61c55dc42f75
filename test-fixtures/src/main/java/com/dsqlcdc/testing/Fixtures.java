package com.dsqlcdc.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The sample DSQL CDC records: {@code src/main/resources/fixtures} of this module (what each file
 * shows: the README there), read from the classpath by the other modules' tests.
 */
public final class Fixtures {

    private Fixtures() {}

    /** @return the non-empty lines of {@code fixtures/<name>} */
    public static List<String> lines(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalStateException(
                        "fixture " + name + " is not on the classpath (test-fixtures/src/main/resources/fixtures)");
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .lines()
                    .filter(line -> !line.isBlank())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One record of {@code malformed.jsonl}.
     *
     * @param why  what is wrong with it
     * @param data the Kinesis data, byte for byte
     */
    public record Malformed(String why, byte[] data) {}

    /**
     * @return the records of {@code malformed.jsonl}, in file order: {@code data} (text, sent as UTF-8)
     *         or {@code data_base64} (bytes that are no UTF-8 text, e.g. UTF-16)
     */
    public static List<Malformed> malformed() {
        List<Malformed> records = new ArrayList<>();
        for (String line : lines("malformed.jsonl")) {
            JsonNode record;
            try {
                record = MAPPER.readTree(line);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            JsonNode text = record.get("data");
            JsonNode base64 = record.get("data_base64");
            if (!record.path("why").isTextual() || (text == null) == (base64 == null)) {
                throw new IllegalStateException(
                        "malformed.jsonl: a line is not {\"why\": ..., \"data\" or \"data_base64\": ...}: " + line);
            }
            records.add(new Malformed(
                    record.get("why").asText(),
                    text != null
                            ? text.asText().getBytes(StandardCharsets.UTF_8)
                            : Base64.getDecoder().decode(base64.asText())));
        }
        return records;
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** @return the classpath resource {@code name} (absolute, e.g. {@code /key-kinds-catalog.json}) as UTF-8 text */
    public static String resource(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the whole of {@code fixtures/<name>} */
    public static String text(String name) {
        return String.join("\n", lines(name));
    }
}
