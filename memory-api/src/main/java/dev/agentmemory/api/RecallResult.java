package dev.agentmemory.api;

import org.jspecify.annotations.Nullable;

/**
 * One recalled situation and the parts of the score it was ranked by. The episode is returned as
 * stored, with {@link Episode#similarity()} the vector similarity (1 - cosine distance), the one
 * meaning that word has everywhere in the library; the ranking's blend is {@link #score}.
 *
 * @param episode the recalled episode
 * @param score what the results are ordered by, highest first: the ranking's blend of the parts
 *     below, in [0,1]
 * @param vectorSimilarity 1 - cosine distance of the situation's vector to the query's; the
 *     recall threshold applies to it. Null when recalled while the embedder was down
 * @param structuredSimilarity the field-by-field similarity of the situations over the fields
 *     both have, in [0,1]
 * @param outcome the outcome quality the ranking used (0.5 while none is recorded)
 * @param recency 1 for an episode of now, halving every half-life of the ranking
 */
public record RecallResult(
        Episode episode,
        double score,
        @Nullable Double vectorSimilarity,
        double structuredSimilarity,
        double outcome,
        double recency) {

    /** Checks that the episode is there. */
    public RecallResult {
        Checks.required("episode", episode);
    }
}
