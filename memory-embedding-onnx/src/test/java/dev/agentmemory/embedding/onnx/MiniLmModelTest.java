package dev.agentmemory.embedding.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.embedding.onnx.OnnxEmbedder.Model;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The second model on offer: all-MiniLM-L6-v2, quantised. */
class MiniLmModelTest {

    private final OnnxEmbedder embedder = new OnnxEmbedder(Model.ALL_MINILM_L6_V2_Q);

    @Test
    void reportsTheModelItRuns() {
        assertThat(embedder.modelName()).isEqualTo("all-MiniLM-L6-v2-q").isNotEqualTo(OnnxEmbedder.MODEL_NAME);
        assertThat(embedder.model()).isEqualTo(Model.ALL_MINILM_L6_V2_Q);
        assertThat(embedder.dimensions()).isEqualTo(384);
        assertThat(embedder.toString()).contains("all-MiniLM-L6-v2-q");
        assertThat(new OnnxEmbedder().model()).isEqualTo(Model.BGE_SMALL_EN_V15_Q);
    }

    @Test
    void givesUnitVectorsOtherThanTheDefaultModels() {
        String text = "The team committed to more tasks than it could finish in the sprint.";

        float[] v = embedder.embed(text);

        assertThat(v).hasSize(384);
        assertThat(Math.sqrt(dot(v, v))).isCloseTo(1.0, Offset.offset(1e-5));
        for (float x : v) {
            assertThat(Float.isFinite(x)).isTrue();
        }
        assertThat(ParaphraseSet.cosine(v, new OnnxEmbedder().embed(text))).isLessThan(0.9);
    }

    @Test
    void paraphrasesAreCloserThanUnrelatedSentences() {
        ParaphraseSet.Quality q = ParaphraseSet.score(embedder.embedAll(ParaphraseSet.allSentences()));

        // its figures in docs/embedding-models.md: 68% nearest, cosines 0.514 / 0.216 / 0.047
        assertThat(q.nearestIsParaphrase()).isGreaterThanOrEqualTo(0.6);
        assertThat(q.meanParaphrase()).isGreaterThan(q.meanSameTopic() + 0.2);
        assertThat(q.meanSameTopic()).isGreaterThan(q.meanOffTopic());
    }

    @Test
    void readsOnly128WordPiecesAndCutsTheRestBetweenWords() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; b.length() < 1200; i++) {
            b.append("Sprint ").append(i).append(" was planned with the usual number of tasks. ");
        }
        String text = b.toString();
        LoadedModel model = LoadedModel.get(Model.ALL_MINILM_L6_V2_Q);

        String part = model.readablePart(text);

        assertThat(part.length()).isLessThan(text.length()).isGreaterThan(300);
        assertThat(model.encode(part).ids()).hasSizeLessThanOrEqualTo(128);
        assertThat(embedder.embed(text)).containsExactly(embedder.embed(part));
        // bge reads on
        assertThat(LoadedModel.get(Model.BGE_SMALL_EN_V15_Q).readablePart(text)).isEqualTo(text);
    }

    @Test
    void blankTextIsRejectedAsByTheDefaultModel() {
        assertThatThrownBy(() -> embedder.embed(" "))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("text"));
        assertThatThrownBy(() -> embedder.embedAll(List.of("fine", "")))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("texts[1]"));
        assertThatThrownBy(() -> new OnnxEmbedder(nothing()))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("model"));
    }

    @Test
    void modelsAreFoundByNameInAnyCase() {
        assertThat(Model.fromName(" ALL-minilm-L6-V2-Q ")).contains(Model.ALL_MINILM_L6_V2_Q);
        assertThat(Model.fromName("bge-small-en-v1.5-q")).contains(Model.BGE_SMALL_EN_V15_Q);
        assertThat(Model.fromName("all-MiniLM-L6-v2")).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static <T> T nothing() {
        return (T) null;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
