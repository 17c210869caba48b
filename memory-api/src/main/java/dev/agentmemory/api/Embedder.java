package dev.agentmemory.api;

import java.util.List;

/**
 * Turns text into vectors. Implementations are safe for concurrent use.
 *
 * <p>Blank text is an {@link InvalidInputException}; a failure of the model or the service is an
 * {@link EmbeddingException}.
 */
public interface Embedder {

    /**
     * @param text the text, not blank
     * @return its vector, {@link #dimensions()} long
     */
    float[] embed(String text);

    /**
     * Embeds many texts, through the batch path of the model or service where it has one.
     *
     * @param texts the texts, none blank
     * @return one vector per text, in the same order
     */
    List<float[]> embedAll(List<String> texts);

    /** @return the size of the vectors */
    int dimensions();

    /** @return the model's name, as recorded with what it embeds */
    String modelName();

    /** @return true when the embedder can answer now; never throws */
    boolean healthCheck();
}
