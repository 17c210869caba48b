package dev.agentmemory.core;

import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.spi.EmbedderConfig;
import dev.agentmemory.api.spi.ForwardingEmbedder;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The real local model, loaded once for all tests of this module, counting the texts it embeds. */
final class LocalModel extends ForwardingEmbedder {

    private static final Embedder MODEL = Providers.embedder("onnx").create(EmbedderConfig.ofDefaults());

    final AtomicInteger texts = new AtomicInteger();

    LocalModel() {
        super(MODEL);
    }

    @Override
    public float[] embed(String text) {
        texts.incrementAndGet();
        return MODEL.embed(text);
    }

    @Override
    public List<float[]> embedAll(List<String> batch) {
        texts.addAndGet(batch.size());
        return MODEL.embedAll(batch);
    }
}
