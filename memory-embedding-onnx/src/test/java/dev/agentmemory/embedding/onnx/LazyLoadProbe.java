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
        System.out.println("loadedBeforeEmbed=" + LoadedModel.isLoaded(OnnxEmbedder.Model.BGE_SMALL_EN_V15_Q));
        embedder.embed("sprint planning");
        System.out.println("loadedAfterEmbed=" + LoadedModel.isLoaded(OnnxEmbedder.Model.BGE_SMALL_EN_V15_Q));
        System.out.println("otherModelLoaded=" + LoadedModel.isLoaded(OnnxEmbedder.Model.ALL_MINILM_L6_V2_Q));
        OnnxEmbedder miniLm = new OnnxEmbedder(OnnxEmbedder.Model.ALL_MINILM_L6_V2_Q);
        System.out.println("miniLmName=" + miniLm.modelName());
        miniLm.embed("sprint planning");
        System.out.println("otherModelLoadedAfterItsEmbed=" + LoadedModel.isLoaded(OnnxEmbedder.Model.ALL_MINILM_L6_V2_Q));
        System.exit(0);
    }
}
