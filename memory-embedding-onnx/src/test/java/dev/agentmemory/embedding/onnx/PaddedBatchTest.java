package dev.agentmemory.embedding.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.embedding.onnx.OnnxEmbedder.Model;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The padded batch path (several texts in one run of the model, padded to the longest and masked),
 * which {@link RuntimeSettings#DEFAULT} leaves off: the quantised models scale their activations by
 * the range of the whole run, so padding and neighbours move a vector a little. These tests bound
 * that movement and prove the padding masked out; the figures are in docs/embedding-models.md.
 */
class PaddedBatchTest {

    /** Below the quantisation's own noise (0.985 at worst measured); an unmasked pad falls far below. */
    private static final double NEAR = 0.98;

    private static List<String> mixedLengths() throws Exception {
        List<String> texts = new ArrayList<>();
        List<String> sentences = ParaphraseSet.allSentences();
        List<String> situations = SpeedComparison.texts("bench-situations.txt");
        for (int i = 0; i < 20; i++) {
            texts.add(sentences.get(i * 3));
            if (i % 4 == 0) {
                texts.add(situations.get(i));
            }
        }
        texts.add("sprint");
        return texts;
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void paddingIsMaskedOutOfTheVector(Model model) throws Exception {
        try (LoadedModel loaded = LoadedModel.load(model, RuntimeSettings.DEFAULT)) {
            for (String text : mixedLengths()) {
                LoadedModel.Encoded encoded = loaded.encode(text);
                float[] alone = loaded.embed(encoded);

                float[] padded = loaded.embedPadded(encoded, model.maxWordPieces());

                assertThat(ParaphraseSet.cosine(padded, alone)).as("%s padded to %d: %s", model,
                        model.maxWordPieces(), text).isGreaterThanOrEqualTo(NEAR);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void paddedRunsGiveEveryTextItsOwnVectorInTheGivenOrder(Model model) throws Exception {
        List<String> texts = mixedLengths();
        try (LoadedModel loaded = LoadedModel.load(model, RuntimeSettings.DEFAULT.withBatch(8, 4096))) {
            List<LoadedModel.Encoded> encoded = texts.stream().map(loaded::encode).toList();
            List<float[]> alone = encoded.stream().map(loaded::embed).toList();

            float[][] batch = loaded.embedAll(encoded);

            assertThat(batch.length).isEqualTo(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                assertThat(ParaphraseSet.cosine(batch[i], alone.get(i))).as("%s: %s", model, texts.get(i))
                        .isGreaterThanOrEqualTo(NEAR);
                for (int j = 0; j < texts.size(); j++) {
                    if (j != i && !texts.get(j).equals(texts.get(i))) {
                        assertThat(ParaphraseSet.cosine(batch[i], alone.get(i)))
                                .as("%s: '%s' nearer to its own vector than to '%s'", model, texts.get(i), texts.get(j))
                                .isGreaterThan(ParaphraseSet.cosine(batch[i], alone.get(j)));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Model.class)
    void theDefaultBatchRunsEachTextAloneSoItsVectorIsExactlyTheSingleOne(Model model) throws Exception {
        List<String> texts = mixedLengths();
        OnnxEmbedder embedder = new OnnxEmbedder(model);

        List<float[]> batch = embedder.embedAll(texts);

        for (int i = 0; i < texts.size(); i++) {
            assertThat(batch.get(i)).as("%s: %s", model, texts.get(i)).containsExactly(embedder.embed(texts.get(i)));
        }
    }
}
