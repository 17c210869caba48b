package dev.agentmemory.embedding.onnx;

/**
 * Run in a fresh JVM by {@link OnnxEmbedderTest}: prints what an embedder reports before its first
 * embedding, and whether that loaded the model.
 */
public final class LazyLoadProbe {

    private LazyLoadProbe() {
    }

    public static void main(String[] args) {
        OnnxEmbedder embedder = new OnnxEmbedder();
        System.out.println("dimensions=" + embedder.dimensions());
        System.out.println("modelName=" + embedder.modelName());
        System.out.println("loadedBeforeEmbed=" + LoadedModel.isLoaded());
        embedder.embed("sprint planning");
        System.out.println("loadedAfterEmbed=" + LoadedModel.isLoaded());
        System.exit(0);
    }
}
