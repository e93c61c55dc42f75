package com.dsqlcdc.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.sql.EventRow;
import com.dsqlcdc.sql.catalog.CatalogColumn;
import com.dsqlcdc.sql.catalog.CatalogTable;
import com.dsqlcdc.sql.catalog.TableCatalog;
import com.dsqlcdc.sql.views.CurrentStateRule;
import com.dsqlcdc.sql.views.TableKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The views' rule (the sql module's {@link CurrentStateRule}) against the sample history shipped
 * here: the records of {@code history-in-commit-order.jsonl} applied one by one, in order, give the
 * state the rule computes from the unordered rows, and so do the shuffled, duplicated records of
 * {@code history-as-delivered.jsonl}. It lives beside the fixtures because this module depends on
 * the sql module (the Data API fake checks COPYs against its DDL), not the other way round.
 */
class FixtureHistoryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TableCatalog CATALOG = TableCatalog.load();

    /** One parsed fixture record with the event row the consumer would write for it. */
    private record Change(JsonNode record, EventRow row) {
        String op() {
            return record.path("op").asText();
        }
    }

    private static List<Change> read(String fixture) {
        try {
            List<Change> changes = new ArrayList<>();
            for (String line : Fixtures.lines(fixture)) {
                if (!line.isBlank()) {
                    JsonNode record = JSON.readTree(line);
                    changes.add(new Change(record, eventRow(record, line.strip())));
                }
            }
            return changes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A simple stand-in for the consumer: key from the catalog's key columns, event id = SHA-256 of the record text. */
    private static EventRow eventRow(JsonNode record, String text) {
        JsonNode source = record.get("source");
        CatalogTable table = CATALOG.find(
                        source.get("schema").asText(), source.get("table").asText())
                .orElseThrow(() -> new AssertionError("fixture table " + source + " is not in the catalog"));
        boolean delete = record.path("op").asText().equals("d");
        JsonNode image = delete ? record.get("before") : record.get("after");
        ArrayNode key = JSON.createArrayNode();
        for (String column : table.primaryKey()) {
            assertThat(image.has(column))
                    .as("key column %s in %s", column, text)
                    .isTrue();
            key.add(image.get(column));
        }
        return new EventRow(
                table.schema(),
                table.name(),
                key.toString(),
                source.get("ts_ns").asLong(),
                sha256(text),
                delete,
                image.toString());
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The state of applying the records one by one, in the given order. */
    private static Map<TableKey, String> applyInOrder(List<Change> changes) {
        Map<TableKey, String> state = new LinkedHashMap<>();
        for (Change change : changes) {
            EventRow row = change.row();
            TableKey key = new TableKey(row.sourceSchema(), row.sourceTable(), row.recordKey());
            if (change.op().equals("d")) {
                state.remove(key);
            } else {
                state.put(key, row.rowImageJson()); // c, u, and any op we do not know: an upsert of after
            }
        }
        return state;
    }

    private static List<EventRow> rows(List<Change> changes) {
        return changes.stream().map(Change::row).toList();
    }

    @Test
    void theHistoryIsInCommitOrder() {
        List<Long> commits = rows(read("history-in-commit-order.jsonl")).stream()
                .map(EventRow::commitTsNs)
                .toList();
        assertThat(commits).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void theRuleGivesTheStateOfApplyingTheHistoryInOrder() {
        List<Change> history = read("history-in-commit-order.jsonl");

        Map<TableKey, String> state = CurrentStateRule.apply(rows(history));

        assertThat(state).isEqualTo(applyInOrder(history));
        // Spot checks from the fixture: deleted rows are gone, the composite key works, big ids stay exact.
        assertThat(state)
                .doesNotContainKeys(
                        new TableKey("public", "orders", "[1002]"),
                        new TableKey("public", "orders", "[1005]"),
                        new TableKey("public", "order_items", "[1001,1]"),
                        new TableKey("public", "order_items", "[1002,2]"),
                        new TableKey("public", "accounts", "[9007199254740995]"));
        assertThat(state)
                .containsKeys(
                        new TableKey("public", "order_items", "[1000,2]"),
                        new TableKey("public", "accounts", "[9007199254740993]"));
        assertThat(state.get(new TableKey("public", "orders", "[1000]"))).contains("\"total\":\"40539.90\"");
        assertThat(state.keySet().stream().map(TableKey::table).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("orders", "order_items", "accounts");
    }

    @Test
    void theDeliveredHistoryShuffledAndDuplicatedGivesTheSameState() {
        List<Change> history = read("history-in-commit-order.jsonl");
        List<Change> delivered = read("history-as-delivered.jsonl");
        assertThat(delivered).hasSizeGreaterThan(history.size());

        Map<TableKey, String> expected = applyInOrder(history);
        assertThat(CurrentStateRule.apply(rows(delivered))).isEqualTo(expected);

        Random random = new Random(2024);
        for (int round = 0; round < 25; round++) {
            List<EventRow> reordered = new ArrayList<>(rows(delivered));
            reordered.addAll(rows(history));
            Collections.shuffle(reordered, random);
            assertThat(CurrentStateRule.apply(reordered)).isEqualTo(expected);
        }
    }

    @Test
    void anUnknownOpIsAnUpsert() {
        List<Change> history = read("history-in-commit-order.jsonl");
        List<Change> unknown = read("unknown-op.jsonl");
        assertThat(unknown).extracting(Change::op).doesNotContain("c", "u", "d");

        List<EventRow> rows = new ArrayList<>(rows(history));
        rows.addAll(rows(unknown));
        List<Change> inOrder = new ArrayList<>(history);
        inOrder.addAll(unknown);

        Map<TableKey, String> state = CurrentStateRule.apply(rows);
        for (Change change : unknown) {
            TableKey key = new TableKey(
                    change.row().sourceSchema(),
                    change.row().sourceTable(),
                    change.row().recordKey());
            assertThat(state).containsKey(key);
        }
        // The sample's unknown-op record repeats the latest image of its row, so the state is unchanged.
        assertThat(state).isEqualTo(applyInOrder(history));
    }

    @Test
    void theCatalogCoversEveryColumnOfTheFixtures() {
        for (String fixture :
                List.of("history-in-commit-order.jsonl", "history-as-delivered.jsonl", "unknown-op.jsonl")) {
            for (Change change : read(fixture)) {
                JsonNode image = change.op().equals("d")
                        ? change.record().get("before")
                        : change.record().get("after");
                CatalogTable table = CATALOG.find(
                                change.row().sourceSchema(), change.row().sourceTable())
                        .orElseThrow();
                Set<String> columns =
                        table.columns().stream().map(CatalogColumn::name).collect(Collectors.toSet());
                for (Iterator<String> it = image.fieldNames(); it.hasNext(); ) {
                    String field = it.next();
                    assertThat(columns)
                            .as("%s: column %s of %s", fixture, field, table.qualifiedName())
                            .contains(field);
                }
                if (change.op().equals("d")) {
                    assertThat(image.size())
                            .as("a delete's before holds only the key")
                            .isEqualTo(table.primaryKey().size());
                }
            }
        }
    }
}
