package dev.agentmemory.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The compact copy {@link JsonValues} makes behaves as the ordered unmodifiable map it replaces:
 * same entries in the same order, equal to and hashed like any map of them, unmodifiable; a
 * checked copy is not checked again, yet still counts towards the nesting limit.
 */
class JsonMapTest {

    private static Map<String, Object> ordered(int size) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = size; i > 0; i--) {
            m.put("k" + i, i % 3 == 0 ? null : i % 3 == 1 ? "v" + i : List.of(i, Map.of("x", i)));
        }
        return m;
    }

    @Test
    void aCopyKeepsOrderAndEqualsTheOriginalAtEverySize() {
        for (int size : new int[] {0, 1, 5, 11, 12, 40}) {
            Map<String, Object> original = ordered(size);

            Map<String, Object> copy = JsonValues.copyMap("m", original);

            assertThat(copy).isEqualTo(original).hasSameHashCodeAs(original);
            assertThat(copy.keySet()).containsExactlyElementsOf(original.keySet());
            for (String key : original.keySet()) {
                assertThat(copy.containsKey(key)).isTrue();
                assertThat(copy.get(key)).isEqualTo(original.get(key));
            }
            assertThat(copy.get("absent")).isNull();
            assertThat(copy.containsKey("absent")).isFalse();
            assertThat(new HashMap<>(original)).isEqualTo(copy);
        }
    }

    @Test
    void aCopyCannotBeChanged() {
        Map<String, Object> copy = JsonValues.copyMap("m", ordered(4));

        assertThatThrownBy(() -> copy.put("new", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> copy.remove("k1")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> copy.entrySet().iterator().remove()).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(copy::clear).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aCheckedCopyIsReturnedAsItIsWhereverItFits() {
        Map<String, Object> copy = JsonValues.copyMap("m", ordered(6));

        assertThat(JsonValues.copyMap("again", copy)).isSameAs(copy);
        Episode e = Episode.builder("p").perception(copy).reasoning(Map.of()).action(Map.of()).build();
        assertThat(e.perception()).isSameAs(copy);
        assertThat(e.withSimilarity(0.5).perception()).isSameAs(copy);
    }

    @Test
    void aCheckedCopyNestedTooDeepIsStillRefused() {
        // 31 levels: fine alone, too deep below two more maps.
        Map<String, Object> deep = Map.of("leaf", 1);
        for (int i = 0; i < JsonValues.MAX_DEPTH - 2; i++) {
            deep = Map.of("d", deep);
        }
        Map<String, Object> checked = JsonValues.copyMap("m", deep);
        assertThat(JsonValues.copyMap("m", Map.of("one", checked))).containsKey("one");

        Map<String, Object> tooDeep = Map.of("one", Map.of("two", checked));
        assertThatThrownBy(() -> JsonValues.copyMap("m", tooDeep)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("deeper than " + JsonValues.MAX_DEPTH);
    }
}
