package dev.agentmemory.api.spi;

import dev.agentmemory.api.Episode;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.Vectors;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Whole-store operations for an operator: reading every episode and strategy with its vector
 * (export), counts per project and the schema version (stats), and dropping every vector when the
 * embedding model changes (reembed). A {@link MemoryStores} implements it when its backend offers
 * them; the command line says so when one does not.
 *
 * <p>Reads page by id: pass the last id of one page as {@code after} to get the next. The order is
 * the backend's own order of ids, stable between calls; a page shorter than {@code limit} is the
 * last.
 */
public interface StoreMaintenance {

    /**
     * An episode with the vector stored for it.
     *
     * @param episode the episode
     * @param embedding its vector (a copy), or null when it waits for one. A backend may hold vectors
     *     scaled to length 1; the direction, all that cosine similarity sees, is the stored one.
     */
    record StoredEpisode(Episode episode, float @Nullable [] embedding) {
        /** Copies the vector. */
        // Written out, not compact: javac does not carry a type-use annotation of an array
        // component to a compact constructor's parameter, and NullAway would see it non-null.
        public StoredEpisode(Episode episode, float @Nullable [] embedding) {
            this.episode = Objects.requireNonNull(episode, "episode");
            this.embedding = embedding == null ? null : embedding.clone();
        }

        @Override
        public float @Nullable [] embedding() {
            return embedding == null ? null : embedding.clone();
        }
    }

    /**
     * A strategy with the vector of its description.
     *
     * @param strategy the strategy
     * @param embedding its vector (a copy), or null when it has none
     */
    record StoredStrategy(Strategy strategy, float @Nullable [] embedding) {
        /** Copies the vector. */
        // Written out, not compact: javac does not carry a type-use annotation of an array
        // component to a compact constructor's parameter, and NullAway would see it non-null.
        public StoredStrategy(Strategy strategy, float @Nullable [] embedding) {
            this.strategy = Objects.requireNonNull(strategy, "strategy");
            this.embedding = embedding == null ? null : embedding.clone();
        }

        @Override
        public float @Nullable [] embedding() {
            return embedding == null ? null : embedding.clone();
        }
    }

    /**
     * @param after the last id of the previous page, or null for the first page
     * @param limit at most this many, 1 to {@link dev.agentmemory.api.AgentMemoryStore#MAX_LIMIT}
     * @return the next episodes in id order, with their vectors
     */
    List<StoredEpisode> readEpisodes(@Nullable UUID after, int limit);

    /**
     * @param after the last id of the previous page, or null for the first page
     * @param limit at most this many, 1 to {@link dev.agentmemory.api.AgentMemoryStore#MAX_LIMIT}
     * @return the next strategies (active or not) in id order, with their vectors
     */
    List<StoredStrategy> readStrategies(@Nullable UUID after, int limit);

    /** @return how many episodes each project holds, by project id in ascending order */
    Map<String, Long> countEpisodesByProject();

    /** @return the version of the stored schema, or empty when the backend has none */
    Optional<String> schemaVersion();

    /**
     * @return the embedding model the stored vectors were made with, as last recorded by
     *     {@link #clearEmbeddings}; empty when never recorded
     */
    Optional<String> embeddingModel();

    /**
     * Drops every stored vector, of episodes and strategies alike, and records {@code model} as the
     * model the vectors will come from, in one step: every episode becomes pending embedding
     * ({@link dev.agentmemory.api.AgentMemoryStore#getEpisodesPendingEmbedding}). Used when the
     * embedding model changes, since vectors of two models cannot be compared.
     *
     * @param model the model that makes the vectors from now on
     * @return how many vectors were dropped
     */
    long clearEmbeddings(String model);

    /**
     * Sets or replaces the vector of a strategy's description, leaving its evidence untouched.
     *
     * @param knowledgeId the strategy
     * @param embedding the vector; checked as {@link Vectors#checkedCopy} checks
     * @throws dev.agentmemory.api.NotFoundException when no such strategy is stored
     */
    void updateStrategyEmbedding(UUID knowledgeId, float[] embedding);
}
