package dev.agentmemory.embedding.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.embedding.onnx.OnnxEmbedder.Model;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * OnnxEmbedder runs the models through ONNX Runtime itself; langchain4j's model classes, which it
 * used to call, are the reference: the same model must give the same vectors.
 */
class SameVectorsAsLangChain4jTest {

    /** Rounding may differ in the last bits; a different input or pooling would not come close. */
    private static final double SAME = 0.9999;

    private static EmbeddingModel langchain4j(Model model) {
        return switch (model) {
            case BGE_SMALL_EN_V15_Q -> new BgeSmallEnV15QuantizedEmbeddingModel();
            case ALL_MINILM_L6_V2_Q -> new AllMiniLmL6V2QuantizedEmbeddingModel();
        };
    }

    /** Sentences, memory-bench's situations and episodes, odd characters: all within both models' reach. */
    private static List<String> texts() throws Exception {
        List<String> texts = new ArrayList<>(ParaphraseSet.allSentences().subList(0, 24));
        texts.addAll(SpeedComparison.texts("bench-situations.txt").subList(0, 24));
        texts.addAll(SpeedComparison.texts("bench-episodes.txt").subList(0, 4).stream()
                .map(t -> t.substring(0, 300)).collect(Collectors.toList()));
        texts.add("Café 😀 naïve résumé 日本語");
        texts.add("!!!");
        texts.add("12345");
        texts.add("sprint");
        return texts;
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void singleTextsGiveLangChain4jsVectors(Model model) throws Exception {
        EmbeddingModel reference = langchain4j(model);
        OnnxEmbedder embedder = new OnnxEmbedder(model);

        for (String text : texts()) {
            float[] expected = reference.embed(text).content().vector();

            assertThat(ParaphraseSet.cosine(embedder.embed(text), expected)).as("%s: %s", model, text)
                    .isGreaterThanOrEqualTo(SAME);
        }
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void batchGivesLangChain4jsVectors(Model model) throws Exception {
        List<String> texts = texts();
        List<float[]> expected = langchain4j(model).embedAll(texts.stream().map(TextSegment::from).toList())
                .content().stream().map(e -> e.vector()).toList();

        List<float[]> got = new OnnxEmbedder(model).embedAll(texts);

        assertThat(got).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            assertThat(ParaphraseSet.cosine(got.get(i), expected.get(i))).as("%s: %s", model, texts.get(i))
                    .isGreaterThanOrEqualTo(SAME);
        }
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void textCutAtTheModelsLimitGivesLangChain4jsVectorOfItsReadablePart(Model model) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; b.length() < 4000; i++) {
            b.append("Sprint ").append(i).append(" was planned with the usual number of tasks. ");
        }
        String text = b.toString();
        String readable = LoadedModel.get(model).readablePart(text);

        float[] expected = langchain4j(model).embed(readable).content().vector();

        assertThat(readable.length()).isLessThan(text.length());
        assertThat(ParaphraseSet.cosine(new OnnxEmbedder(model).embed(text), expected)).isGreaterThanOrEqualTo(SAME);
    }
}
