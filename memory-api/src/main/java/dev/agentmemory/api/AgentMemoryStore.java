package dev.agentmemory.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Episodic memory: every decision an agent took, searchable by the similarity of its situation.
 * Table {@code agent_episodes} in PostgreSQL.
 *
 * <p>Every implementation is safe for concurrent use. Limits must be in 1 to {@link #MAX_LIMIT};
 * vectors must have {@link #dimensions()} finite components and must not be the zero vector.
 * Bad input throws an {@link InvalidInputException} and writes nothing.
 */
public interface AgentMemoryStore {

    /** The largest {@code limit} any query accepts. */
    int MAX_LIMIT = 10_000;

    /**
     * Stores an episode. An episode without an id gets a random one. Storing an episode whose id
     * is already stored changes nothing and returns the id: a write retried after a lost
     * connection neither fails nor duplicates.
     *
     * @param episode the episode
     * @param embedding its vector, or null to store it as pending embedding
     * @return the episode's id
     */
    UUID storeEpisode(Episode episode, float @Nullable [] embedding);

    /**
     * Stores many episodes at once, in one round trip where the backend allows. Same rules as
     * {@link #storeEpisode} for each; the whole batch is validated before anything is written.
     *
     * @param episodes the episodes
     * @param embeddings one vector (or null) per episode, in the same order
     * @return the ids, in the same order
     */
    List<UUID> storeEpisodes(List<Episode> episodes, List<? extends float @Nullable []> embeddings);

    /**
     * Stores many episodes as {@link #storeEpisodes} does, and says which of them this call wrote:
     * an episode whose id is already stored is left as it is (the stored one may differ from the
     * one given), and its id is not in the answer, so that a caller can tell "stored" from
     * "already stored, left unchanged".
     *
     * @param episodes the episodes; one without an id gets a random one, which is then in the answer
     * @param embeddings one vector (or null) per episode, in the same order
     * @return the ids of the episodes written by this call, in input order
     */
    List<UUID> storeEpisodesIfAbsent(List<Episode> episodes, List<? extends @Nullable float[]> embeddings);

    /**
     * @param episodeId an id
     * @return the episode, or empty when no such episode is stored
     */
    Optional<Episode> getEpisodeById(UUID episodeId);

    /**
     * @param projectId the project
     * @param limit at most this many; the usual value is 100
     * @param minQuality when set, only episodes with an outcome at least this good
     * @return the project's episodes, newest first
     */
    List<Episode> getEpisodesByProject(String projectId, int limit, @Nullable Double minQuality);

    /**
     * The newest episodes that pass a filter, embedded or not: what recall ranks while the
     * embedder is down.
     *
     * @param filter which episodes; its meaning is {@link EpisodeFilter#test(Episode)}
     * @param limit at most this many
     * @return the matching episodes, newest first
     */
    List<Episode> getEpisodesMatching(EpisodeFilter filter, int limit);

    /**
     * @param query the query vector
     * @param projectId only this project; null searches every project
     * @param limit at most this many; the usual value is 10
     * @param minSimilarity only results at least this similar; the usual value is 0.7
     * @return the most similar embedded episodes, highest similarity first, each with
     *     {@link Episode#similarity()} set to 1 - cosine distance
     */
    List<Episode> findSimilarEpisodes(float[] query, @Nullable String projectId, int limit, double minSimilarity);

    /**
     * Like {@link #findSimilarEpisodes(float[], String, int, double)} with every filter of
     * {@link EpisodeFilter}. Results stay exact under a selective filter: a project with 20
     * episodes among 50,000 gets all 20 back when the threshold allows.
     *
     * @param query the query vector
     * @param filter which episodes may be returned
     * @param limit at most this many
     * @param minSimilarity only results at least this similar
     * @return the most similar embedded episodes that pass the filter, highest first
     */
    List<Episode> findSimilarEpisodesMatching(float[] query, EpisodeFilter filter, int limit, double minSimilarity);

    /**
     * Records how a decision turned out.
     *
     * @param episodeId the episode
     * @param outcome what happened
     * @param outcomeQuality its quality in [0,1]
     * @throws NotFoundException when no such episode is stored
     */
    void updateEpisodeOutcome(UUID episodeId, Map<String, Object> outcome, double outcomeQuality);

    /**
     * @param limit at most this many
     * @return episodes that have a sprintId and no outcome, oldest first
     */
    List<Episode> getEpisodesWithoutOutcomes(int limit);

    /**
     * Sets or replaces an episode's vector.
     *
     * @param episodeId the episode
     * @param embedding the vector
     * @throws NotFoundException when no such episode is stored
     */
    void updateEpisodeEmbedding(UUID episodeId, float[] embedding);

    /**
     * Sets or replaces the vectors of many episodes in one batch (one round trip where the backend
     * allows); the whole batch is validated before anything is written. Episodes deleted meanwhile
     * are skipped.
     *
     * @param episodeIds the episodes
     * @param embeddings one vector per episode, in the same order
     * @return how many episodes were updated
     */
    int updateEpisodeEmbeddings(List<UUID> episodeIds, List<float[]> embeddings);

    /**
     * @param limit at most this many
     * @return episodes stored without a vector, oldest first
     */
    List<Episode> getEpisodesPendingEmbedding(int limit);

    /** @return how many episodes wait for a vector */
    long countEpisodesPendingEmbedding();

    /**
     * @param episodeId the episode
     * @return true when it was stored and is now deleted
     */
    boolean deleteEpisode(UUID episodeId);

    /**
     * @param projectId a project, or null for every project
     * @return how many episodes are stored
     */
    long countEpisodes(@Nullable String projectId);

    /** @return the size of the vectors this store holds */
    int dimensions();
}
