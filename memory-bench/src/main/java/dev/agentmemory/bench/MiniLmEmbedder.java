package dev.agentmemory.bench;

import dev.agentmemory.api.Embedder;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;

/**
 * all-MiniLM-L6-v2 quantised (six layers, the former default model) straight through
 * langchain4j, beside the default local model: how much of remember's time is the model's. A
 * comparison only; the library's embedder is {@code OnnxEmbedder}.
 */
final class MiniLmEmbedder implements Embedder {

    static final String NAME = "all-MiniLM-L6-v2-q";

    private final AllMiniLmL6V2QuantizedEmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();

    @Override
    public float[] embed(String text) {
        return model.embed(text).content().vector();
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String t : texts) {
            segments.add(TextSegment.from(t));
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (Embedding e : model.embedAll(segments).content()) {
            out.add(e.vector());
        }
        return out;
    }

    @Override
    public int dimensions() {
        return 384;
    }

    @Override
    public String modelName() {
        return NAME;
    }

    @Override
    public boolean healthCheck() {
        return embed("health check").length == 384;
    }
}
