package com.dsqlcdc.infra.config.schema;

import static com.dsqlcdc.infra.config.schema.Key.byDefault;
import static com.dsqlcdc.infra.config.schema.Key.derived;
import static com.dsqlcdc.infra.config.schema.Key.key;
import static com.dsqlcdc.infra.config.schema.Key.optional;
import static com.dsqlcdc.infra.config.schema.Key.required;
import static com.dsqlcdc.infra.config.schema.Type.bool;
import static com.dsqlcdc.infra.config.schema.Type.text;
import static com.dsqlcdc.infra.config.schema.Type.wholeNumber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The schema machinery on a small object of its own: reading, defaults, messages, binding, table rows. */
class SchemaTest {

    record Widget(int count, boolean enabled, Optional<String> label, long capacity) {}

    private static final Key<Long> COUNT = key("count", wholeNumber(1, 10, "widgets"), byDefault(5), "how many");
    private static final Group<Widget> WIDGET = Group.of(
            Widget.class,
            COUNT,
            key("enabled", bool(), byDefault(true), "whether it runs"),
            optional("label", text("a lowercase word", Pattern.compile("[a-z]+")), "absent", "a name"),
            key(
                    "capacity",
                    wholeNumber(1, 1000, "litres"),
                    derived("count × 10", scope -> scope.find(COUNT).map(count -> count * 10)),
                    "how much"));

    private static Optional<Widget> read(Object raw, ConfigProblems problems) {
        return WIDGET.parse(ConfigKey.root("w"), raw, problems);
    }

    private static List<String> problems(Group<?> group, Object raw) {
        ConfigProblems problems = new ConfigProblems();
        assertThat(group.parse(ConfigKey.root("w"), raw, problems)).isEmpty();
        return problems.all();
    }

    @Test
    void keysLeftOutTakeTheirDefaultsAndADerivedDefaultFollowsItsKey() {
        ConfigProblems problems = new ConfigProblems();

        assertThat(read(Map.of(), problems)).contains(new Widget(5, true, Optional.empty(), 50));
        assertThat(read(Map.of("count", 7.0, "label", "blue"), problems))
                .contains(new Widget(7, true, Optional.of("blue"), 70));
        assertThat(read(Map.of("count", 7, "capacity", 3), problems))
                .contains(new Widget(7, true, Optional.empty(), 3));
        assertThat(problems.all()).isEmpty();
    }

    @Test
    void everyBadValueIsReportedWithItsKeyTheRangeAndWhereToFixIt() {
        assertThat(problems(WIDGET, Map.of("count", 0, "enabled", "yes", "label", "Blue", "capacity", 2.5)))
                .containsExactly(
                        "w.count: expected a whole number of widgets from 1 to 10, got 0; set it in cdk.json"
                                + " under context > \"w\" > \"count\"",
                        "w.enabled: expected true or false (without quotes), got \"yes\"; set it in cdk.json under context >"
                                + " \"w\" > \"enabled\"",
                        "w.label: expected a lowercase word, got \"Blue\"; set it in cdk.json under context > \"w\" >"
                                + " \"label\"",
                        "w.capacity: expected a whole number of litres from 1 to 1000, got 2.5; set it in cdk.json under"
                                + " context > \"w\" > \"capacity\"");
        assertThat(problems(WIDGET, Map.of("count", 11)))
                .singleElement()
                .asString()
                .contains("got 11;");
        assertThat(problems(WIDGET, Map.of("count", "3")))
                .singleElement()
                .asString()
                .contains("got \"3\";");
        assertThat(problems(WIDGET, List.of()))
                .containsExactly("w: expected an object, got a list; set it in cdk.json under context > \"w\"");
    }

    @Test
    void anUnknownKeyIsReportedWithTheNearestMemberOfTheSchema() {
        assertThat(problems(WIDGET, Map.of("cuont", 3, "colour", "red")))
                .containsExactly(
                        "w.colour: unknown setting (allowed here: capacity, count, enabled, label); remove or rename it in"
                                + " cdk.json under context > \"w\"",
                        "w.cuont: unknown setting (allowed here: capacity, count, enabled, label); did you mean \"count\"?"
                                + " remove or rename it in cdk.json under context > \"w\"");
    }

    @Test
    void aSpecialValueAndStepsAreAcceptedAsDeclared() {
        Key<Long> size =
                key("size", wholeNumber(8, 64, "units").or(-1, "unbounded").inStepsOf(8, "The size"), required(), "");
        Group<Long> group = Group.of(Long.class, scope -> scope.get(size), size);

        assertThat(group.parse(ConfigKey.root("w"), Map.of("size", -1), new ConfigProblems()))
                .contains(-1L);
        assertThat(group.parse(ConfigKey.root("w"), Map.of("size", 24), new ConfigProblems()))
                .contains(24L);
        assertThat(problems(group, Map.of("size", 12)))
                .containsExactly(
                        "w.size: The size moves in steps of 8 units, got 12; set it to a multiple of 8, e.g. 8 or 16");
        assertThat(problems(group, Map.of("size", -2)))
                .containsExactly("w.size: expected -1 (unbounded) or a whole"
                        + " number of units from 8 to 64, got -2; set it in cdk.json under context > \"w\" > \"size\"");
        assertThat(problems(group, Map.of()))
                .containsExactly("w.size: missing; set it to -1 (unbounded) or a whole number of units from 8 to 64");
    }

    @Test
    void aRefusedValueSaysWhyAndTheDefault() {
        Key<Long> retries = key("retries", wholeNumber(0, 9, "retries"), byDefault(3), "how often")
                .refusing(-1, "-1 (forever) is not allowed", "then it gives up");
        Group<Long> group = Group.of(Long.class, scope -> scope.get(retries), retries);

        assertThat(problems(group, Map.of("retries", -1)))
                .containsExactly("w.retries: -1 (forever) is not allowed;"
                        + " set a whole number of retries from 0 to 9 (default 3); then it gives up");
        assertThat(group.rows())
                .containsExactly(new Key.Row(
                        "retries",
                        "`3`",
                        "a whole number of retries from 0 to 9",
                        "how often; -1 (forever) is not allowed"));
    }

    @Test
    void aRemovedKeySaysWhyItWentAndTheFixBindsToNothingAndHasNoRow() {
        Group<Widget> withRemoved = Group.of(
                Widget.class,
                COUNT,
                key("enabled", bool(), byDefault(true), "whether it runs"),
                optional("label", text("a lowercase word", Pattern.compile("[a-z]+")), "absent", "a name"),
                key("capacity", wholeNumber(1, 1000, "litres"), byDefault(7), "how much"),
                Key.removed("colour", "widgets are all grey now", "remove it"));

        assertThat(problems(withRemoved, Map.of("colour", "red")))
                .containsExactly("w.colour: no longer a setting: widgets are all grey now; remove it (in cdk.json"
                        + " under context > \"w\" > \"colour\")");
        // absent, it changes nothing
        assertThat(withRemoved.parse(ConfigKey.root("w"), Map.of(), new ConfigProblems()))
                .contains(new Widget(5, true, Optional.empty(), 7));
        // never a suggestion for a misspelling, never a row of the table
        assertThat(problems(withRemoved, Map.of("colours", 1)))
                .singleElement()
                .asString()
                .startsWith("w.colours: unknown setting (allowed here: capacity, count, enabled, label);")
                .doesNotContain("did you mean");
        assertThat(withRemoved.rows())
                .extracting(Key.Row::key)
                .containsExactly("count", "enabled", "label", "capacity");
    }

    @Test
    void rulesSeeEveryMemberAndReportOnTheOneToChange() {
        Group<Long> group = Group.of(Long.class, scope -> scope.get(COUNT), COUNT)
                .rule(scope -> scope.find(COUNT)
                        .filter(count -> count > 3 && !scope.isSet(COUNT))
                        .ifPresent(count -> scope.error(COUNT, "left at " + count, "set it")));

        assertThat(problems(group, Map.of())).containsExactly("w.count: left at 5; set it");
        assertThat(group.parse(ConfigKey.root("w"), Map.of("count", 4), new ConfigProblems()))
                .isPresent();
    }

    @Test
    void aDerivedDefaultThatReadsALaterKeyFailsLoudlyInsteadOfSilently() {
        Key<Long> later = key("later", wholeNumber(1, 9, "units"), byDefault(1), "");
        Key<Long> early = key("early", wholeNumber(1, 9, "units"), derived("later", scope -> scope.find(later)), "");
        Group<Long> group = Group.of(Long.class, scope -> scope.get(early), early, later);

        assertThatThrownBy(() -> group.parse(ConfigKey.root("w"), Map.of(), new ConfigProblems()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("declared after it");
    }

    @Test
    void aRecordGroupChecksItsMembersAgainstTheComponentsWhenDeclared() {
        Key<Boolean> enabled = key("enabled", bool(), byDefault(true), "");
        Key<Optional<String>> label = optional("label", text("a word", Pattern.compile("\\w+")), "absent", "");
        Key<Long> capacity = key("capacity", wholeNumber(1, 9, "litres"), byDefault(1), "");

        assertThatThrownBy(() -> Group.of(Widget.class, enabled, label, capacity))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageEndingWith("Widget.count has no setting of that name");
        assertThatThrownBy(() ->
                        Group.of(Widget.class, key("count", bool(), byDefault(true), ""), enabled, label, capacity))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageEndingWith("Widget.count is a int but its setting reads a Boolean");
        assertThatThrownBy(() -> Group.of(
                        Widget.class, COUNT, enabled, label, capacity, key("extra", bool(), byDefault(true), "")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has no component for some of");
    }

    @Test
    void theTableHasARowPerKeyWithItsDefaultRangeAndHelp() {
        assertThat(WIDGET.rows())
                .containsExactly(
                        new Key.Row("count", "`5`", "a whole number of widgets from 1 to 10", "how many"),
                        new Key.Row("enabled", "`true`", "true or false (without quotes)", "whether it runs"),
                        new Key.Row("label", "absent", "a lowercase word", "a name"),
                        new Key.Row(
                                "capacity",
                                "derived: count × 10",
                                "a whole number of litres from 1 to 1000",
                                "how much"));
    }
}
