package dev.agentmemory.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConditionTest {

    private static final Map<String, Object> CONTEXT = context();

    private static Map<String, Object> context() {
        Map<String, Object> c = new HashMap<>();
        c.put("backlog_tasks", 14);
        c.put("velocity", 3.5);
        c.put("numeric_text", "12");
        c.put("status", "available");
        c.put("phase", "in progress");
        c.put("blocked", false);
        c.put("urgent", true);
        c.put("owner", null);
        c.put("team availability", "available");
        c.put("team_load", "high");
        c.put("team", Map.of("size", 5, "lead", Map.of("name", "ana")));
        c.put("team_info", Map.of("size", 3));
        c.put("temperature", -3);
        return c;
    }

    private static boolean holds(String condition) {
        return Condition.parse(condition).test(CONTEXT);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "backlog_tasks = 14            | true",
            "backlog_tasks == 14           | true",
            "backlog_tasks = 13            | false",
            "backlog_tasks != 13           | true",
            "backlog_tasks != 14           | false",
            "backlog_tasks is 14           | true",
            "backlog_tasks is not 14       | false",
            "backlog_tasks < 15            | true",
            "backlog_tasks < 14            | false",
            "backlog_tasks <= 14           | true",
            "backlog_tasks > 13.5          | true",
            "backlog_tasks > 14            | false",
            "backlog_tasks >= 14           | true",
            "velocity >= 3.5               | true",
            "velocity < 3.49               | false",
            "backlog_tasks in (1, 14, 20)  | true",
            "backlog_tasks in (1, 2)       | false",
            "backlog_tasks not in (1, 2)   | true",
            "status in ('busy', available) | true",
            "status not in (available)     | false",
            "status exists                 | true",
            "owner exists                  | true",
            "missing exists                | false",
            "status is available           | true",
            "status is 'available'         | true",
            "status is \"available\"       | true",
            "status is Available           | true",
            "status is busy                | false",
            "phase is 'in progress'        | true",
            "blocked is false              | true",
            "urgent = true                 | true",
            "urgent is not true            | false",
            "owner is null                 | true",
            "status is null                | false",
            "temperature > -5              | true",
            "temperature in (-3, 0)        | true",
            "temperature = -3              | true",
            "temperature is -3             | true",
            "temperature is not -3         | false",
            "temperature > +2              | false",
            "temperature < -3.5            | false",
    })
    void everyOperatorComparesAsDocumented(String condition, boolean expected) {
        assertThat(holds(condition)).as(condition).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "status is available and backlog_tasks >= 10        | true",
            "status is available and backlog_tasks >= 20        | false",
            "status is busy or backlog_tasks >= 10              | true",
            "status is busy or backlog_tasks >= 20              | false",
            "not status is busy                                 | true",
            "not not status is busy                             | false",
            "urgent = true or blocked = true and status is busy | true",
            "(urgent = true or blocked = true) and status is busy | false",
            "not (status is busy or blocked = true)             | true",
            "((backlog_tasks > 1))                              | true",
            "status IS available AND backlog_tasks EXISTS        | true",
            "STATUS is available                                | false",
    })
    void andBindsTighterThanOrAndParenthesesGroup(String condition, boolean expected) {
        assertThat(holds(condition)).as(condition).isEqualTo(expected);
    }

    @Test
    void multiWordKeyIsFoundAsWrittenOrJoinedByUnderscores() {
        assertThat(holds("team availability is available")).isTrue();
        assertThat(holds("team load is high")).isTrue();
        assertThat(holds("team load is low")).isFalse();
    }

    @Test
    void dottedKeyWalksIntoNestedMaps() {
        assertThat(holds("team.size >= 5")).isTrue();
        assertThat(holds("team.lead.name is ana")).isTrue();
        assertThat(holds("team info.size = 3")).isTrue();
        assertThat(holds("team.missing exists")).isFalse();
        assertThat(holds("status.inner exists")).isFalse();
    }

    @Test
    void comparisonOnAMissingKeyIsFalseWhateverTheOperator() {
        for (String c : List.of("missing = 1", "missing != 1", "missing is not x", "missing < 1", "missing >= 1",
                "missing in (1)", "missing not in (1)", "missing is null")) {
            assertThat(holds(c)).as(c).isFalse();
        }
        assertThat(holds("not missing exists")).isTrue();
    }

    @Test
    void numbersCompareByValueWhateverTheirTypeAndNumericStringsAsNumbers() {
        assertThat(Condition.parse("n = 14").test(Map.of("n", 14.0))).isTrue();
        assertThat(Condition.parse("n = 14.0").test(Map.of("n", 14L))).isTrue();
        assertThat(Condition.parse("n >= 10").test(Map.of("n", "14"))).isTrue();
        assertThat(Condition.parse("n = 14").test(Map.of("n", " 14 "))).isTrue();
        assertThat(holds("numeric_text > 11")).isTrue();
        assertThat(holds("numeric_text < 11")).isFalse();
        assertThat(Condition.parse("n > 1").test(Map.of("n", "many"))).isFalse();
        assertThat(Condition.parse("n > 1").test(Map.of("n", true))).isFalse();
        assertThat(Condition.parse("n > 1e2").test(Map.of("n", 101))).isTrue();
    }

    @Test
    void conditionKeepsItsSourceText() {
        Condition c = Condition.parse("a exists");

        assertThat(c.source()).isEqualTo("a exists");
        assertThat(c).hasToString("a exists");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "backlog >=             | expected a value, found the end at position 11",
            "backlog >= lots        | '>=' needs a number, found 'lots' at position 12",
            "(a = 1                 | expected ')', found the end at position 7",
            "a = 1)                 | unexpected ')' at position 6",
            "a ~ 1                  | unexpected character '~' at position 3",
            "status is 'open        | unterminated string starting at position 11",
            "and a = 1              | expected a key, found 'and' at position 1",
            "backlog                | expected an operator after 'backlog', found the end at position 8",
            "a not 5                | expected 'in' after 'not' at position 7",
            "a in 1                 | expected '(', found '1' at position 6",
            "a in (1,               | expected a value, found the end at position 9",
            "a = 1 and              | expected a key, found the end at position 10",
            "a = 1 b = 2            | unexpected 'b' at position 7",
    })
    void badConditionIsRejectedWithItsPositionAndReason(String condition, String message) {
        assertThatThrownBy(() -> Condition.parse(condition))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("conditions: ")
                .hasMessageContaining(message)
                .hasMessageContaining("\"" + condition + "\"");
    }

    @Test
    void emptyConditionIsRejected() {
        assertThatThrownBy(() -> Condition.parse("  ")).isInstanceOf(InvalidInputException.class)
                .hasMessage("conditions: is empty");
    }

    @Test
    void strategyAppliesOnlyWhenEveryConditionOfItsListHolds() {
        Strategy s = Strategy.builder("s")
                .content(Map.of("conditions", List.of("status is available", "backlog_tasks >= 10"))).build();

        assertThat(s.appliesTo(CONTEXT)).isTrue();
        assertThat(s.appliesTo(Map.of("status", "available", "backlog_tasks", 3))).isFalse();
        assertThat(s.conditions()).extracting(Condition::source)
                .containsExactly("status is available", "backlog_tasks >= 10");
    }
}
