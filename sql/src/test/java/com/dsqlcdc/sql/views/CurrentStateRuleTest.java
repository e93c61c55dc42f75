package com.dsqlcdc.sql.views;

import static org.assertj.core.api.Assertions.assertThat;

import com.dsqlcdc.sql.EventRow;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CurrentStateRuleTest {

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static EventRow upsert(String table, String key, long ts, String image) {
        return new EventRow("public", table, key, ts, sha256(table + key + ts + image), false, image);
    }

    private static EventRow delete(String table, String key, long ts) {
        return new EventRow("public", table, key, ts, sha256(table + key + ts + "d"), true, "{\"id\":" + key + "}");
    }

    private static TableKey key(String table, String recordKey) {
        return new TableKey("public", table, recordKey);
    }

    /** Every permutation of a small list. */
    private static <T> List<List<T>> permutations(List<T> items) {
        if (items.isEmpty()) {
            return List.of(List.of());
        }
        List<List<T>> all = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<T> rest = new ArrayList<>(items);
            T first = rest.remove(i);
            for (List<T> tail : permutations(rest)) {
                List<T> p = new ArrayList<>();
                p.add(first);
                p.addAll(tail);
                all.add(p);
            }
        }
        return all;
    }

    @Test
    void theLaterCommitWinsWhateverTheInputOrder() {
        EventRow first = upsert("orders", "[1]", 100, "{\"id\":1,\"v\":\"first\"}");
        EventRow second = upsert("orders", "[1]", 200, "{\"id\":1,\"v\":\"second\"}");
        EventRow third = upsert("orders", "[1]", 300, "{\"id\":1,\"v\":\"third\"}");

        for (List<EventRow> order : permutations(List.of(first, second, third))) {
            assertThat(CurrentStateRule.apply(order))
                    .containsExactly(Map.entry(key("orders", "[1]"), third.rowImageJson()));
        }
    }

    @Test
    void aDeleteHidesTheRow() {
        List<EventRow> rows = List.of(upsert("orders", "[1]", 100, "{\"id\":1}"), delete("orders", "[1]", 200));

        for (List<EventRow> order : permutations(rows)) {
            assertThat(CurrentStateRule.apply(order)).isEmpty();
        }
    }

    @Test
    void anEarlierDeleteDoesNotHideALaterUpsert() {
        List<EventRow> rows = List.of(delete("orders", "[1]", 100), upsert("orders", "[1]", 200, "{\"id\":1}"));

        assertThat(CurrentStateRule.apply(rows)).containsOnlyKeys(key("orders", "[1]"));
    }

    @Test
    void aReInsertAfterADeleteShows() {
        EventRow reinserted = upsert("orders", "[1]", 300, "{\"id\":1,\"v\":\"again\"}");
        List<EventRow> rows = List.of(
                upsert("orders", "[1]", 100, "{\"id\":1,\"v\":\"once\"}"), delete("orders", "[1]", 200), reinserted);

        for (List<EventRow> order : permutations(rows)) {
            assertThat(CurrentStateRule.apply(order))
                    .containsExactly(Map.entry(key("orders", "[1]"), reinserted.rowImageJson()));
        }
    }

    @Test
    void duplicatesAreHarmless() {
        EventRow a = upsert("orders", "[1]", 100, "{\"id\":1,\"v\":\"a\"}");
        EventRow b = upsert("orders", "[1]", 200, "{\"id\":1,\"v\":\"b\"}");
        EventRow gone = delete("orders", "[2]", 300);
        EventRow two = upsert("orders", "[2]", 250, "{\"id\":2}");
        List<EventRow> once = List.of(a, b, two, gone);
        List<EventRow> many = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            many.addAll(once);
        }
        many.add(b);
        many.add(gone);
        Collections.shuffle(many, new Random(7));

        assertThat(CurrentStateRule.apply(many))
                .isEqualTo(CurrentStateRule.apply(once))
                .containsExactly(Map.entry(key("orders", "[1]"), b.rowImageJson()));
    }

    @Test
    void aTieOnTheCommitTimeIsBrokenByTheGreatestEventIdInEveryOrder() {
        List<EventRow> tied = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            tied.add(upsert("orders", "[1]", 500, "{\"id\":1,\"v\":" + i + "}"));
        }
        EventRow expected =
                tied.stream().max((x, y) -> x.eventId().compareTo(y.eventId())).orElseThrow();

        for (List<EventRow> order : permutations(tied)) {
            assertThat(CurrentStateRule.apply(order))
                    .containsExactly(Map.entry(key("orders", "[1]"), expected.rowImageJson()));
        }
    }

    @Test
    void aTieBetweenAnUpsertAndADeleteIsDecidedByTheEventIdToo() {
        EventRow up = upsert("orders", "[1]", 500, "{\"id\":1}");
        EventRow del = delete("orders", "[1]", 500);
        boolean deleteWins = del.eventId().compareTo(up.eventId()) > 0;

        for (List<EventRow> order : permutations(List.of(up, del))) {
            assertThat(CurrentStateRule.apply(order).isEmpty()).isEqualTo(deleteWins);
        }
    }

    @Test
    void compositeKeysAndTablesAreSeparateRows() {
        EventRow line1 = upsert("order_items", "[1000,1]", 100, "{\"order_id\":1000,\"line_no\":1}");
        EventRow line2 = upsert("order_items", "[1000,2]", 100, "{\"order_id\":1000,\"line_no\":2}");
        EventRow line12 = upsert("order_items", "[1000,12]", 100, "{\"order_id\":1000,\"line_no\":12}");
        EventRow other = upsert("order_items", "[10001,2]", 100, "{\"order_id\":10001,\"line_no\":2}");
        EventRow order = upsert("orders", "[1000]", 100, "{\"order_id\":1000}");
        EventRow otherSchema = new EventRow("archive", "orders", "[1000]", 50, sha256("x"), false, "{}");
        List<EventRow> rows =
                List.of(line1, line2, line12, other, order, otherSchema, delete("order_items", "[1000,2]", 200));

        assertThat(CurrentStateRule.apply(rows))
                .containsExactly(
                        Map.entry(new TableKey("archive", "orders", "[1000]"), "{}"),
                        Map.entry(key("order_items", "[1000,12]"), line12.rowImageJson()),
                        Map.entry(key("order_items", "[1000,1]"), line1.rowImageJson()),
                        Map.entry(key("order_items", "[10001,2]"), other.rowImageJson()),
                        Map.entry(key("orders", "[1000]"), order.rowImageJson()));
    }

    @Test
    void negativeCommitTimesOrderNumerically() {
        EventRow before = upsert("orders", "[1]", -200, "{\"v\":\"before\"}");
        EventRow after = upsert("orders", "[1]", -100, "{\"v\":\"after\"}");

        assertThat(CurrentStateRule.apply(List.of(after, before))).containsValue(after.rowImageJson());
    }

    @Test
    void aRandomHistoryGivesTheSameStateInAnyOrderWithAnyDuplicates() {
        Random random = new Random(42);
        List<EventRow> history = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String k = "[" + random.nextInt(20) + "]";
            long ts = random.nextInt(50); // many ties
            history.add(random.nextInt(4) == 0 ? delete("t", k, ts) : upsert("t", k, ts, "{\"i\":" + i + "}"));
        }
        Map<TableKey, String> expected = CurrentStateRule.apply(history);
        for (int round = 0; round < 20; round++) {
            List<EventRow> delivered = new ArrayList<>(history);
            for (int d = 0; d < 50; d++) {
                delivered.add(history.get(random.nextInt(history.size())));
            }
            Collections.shuffle(delivered, random);
            assertThat(CurrentStateRule.apply(delivered)).isEqualTo(expected);
        }
    }
}
