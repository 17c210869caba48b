package dev.agentmemory.spring.boot;

import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.spi.EmbedderConfig;
import dev.agentmemory.api.spi.EmbedderProvider;
import dev.agentmemory.api.spi.ForwardingEmbedder;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;

/** The real local model, loaded once for the tests that give the application an embedder of its own. */
final class LocalModel {

    private static final Embedder MODEL = ServiceLoader.load(EmbedderProvider.class).stream()
            .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("onnx")).findFirst()
            .orElseThrow().create(EmbedderConfig.ofDefaults());

    private LocalModel() {
    }

    static Embedder get() {
        return MODEL;
    }

    /** The model, counting the texts it embeds. */
    static final class Counting extends ForwardingEmbedder {
        private final AtomicInteger texts;

        Counting(Embedder model, AtomicInteger texts) {
            super(model);
            this.texts = texts;
        }

        @Override
        public float[] embed(String text) {
            texts.incrementAndGet();
            return super.embed(text);
        }

        @Override
        public List<float[]> embedAll(List<String> batch) {
            texts.addAndGet(batch.size());
            return super.embedAll(batch);
        }
    }
}
