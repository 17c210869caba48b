package dev.agentmemory.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.api.Embedder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardingEmbedderTest {

    /** An embedder that answers from what it is given and records what it was asked. */
    private static final class Recording implements Embedder {
        final List<String> calls = new ArrayList<>();

        @Override
        public float[] embed(String text) {
            calls.add("embed " + text);
            return new float[] {text.length(), 1};
        }

        @Override
        public List<float[]> embedAll(List<String> texts) {
            calls.add("embedAll " + texts);
            return texts.stream().map(t -> new float[] {t.length(), 2}).toList();
        }

        @Override
        public int dimensions() {
            return 2;
        }

        @Override
        public String modelName() {
            return "recording";
        }

        @Override
        public boolean healthCheck() {
            return false;
        }

        @Override
        public String toString() {
            return "Recording";
        }
    }

    @Test
    void aWrapperThatOverridesNothingAnswersAsTheEmbedderBehindIt() {
        Recording behind = new Recording();
        Embedder wrapper = new ForwardingEmbedder(behind) { };

        assertThat(wrapper.embed("abc")).containsExactly(3, 1);
        assertThat(wrapper.embedAll(List.of("a", "bb"))).containsExactly(new float[] {1, 2}, new float[] {2, 2});
        assertThat(wrapper.dimensions()).isEqualTo(2);
        assertThat(wrapper.modelName()).isEqualTo("recording");
        assertThat(wrapper.healthCheck()).isFalse();
        assertThat(wrapper).hasToString("Recording");
        assertThat(behind.calls).containsExactly("embed abc", "embedAll [a, bb]");
    }

    @Test
    void theEmbedderBehindAnyNumberOfWrappersCanBeReached() {
        Recording behind = new Recording();
        ForwardingEmbedder inner = new ForwardingEmbedder(behind) { };
        ForwardingEmbedder outer = new ForwardingEmbedder(inner) {
            @Override
            public int dimensions() {
                return 3;
            }
        };

        assertThat(outer.delegate()).isSameAs(inner);
        assertThat(inner.delegate()).isSameAs(behind);
        assertThat(outer.dimensions()).as("what a wrapper overrides is its own").isEqualTo(3);
        assertThat(outer.modelName()).isEqualTo("recording");
    }

    @Test
    void aWrapperNeedsAnEmbedderBehindIt() {
        assertThatThrownBy(() -> new ForwardingEmbedder(null) { }).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("delegate");
    }
}
