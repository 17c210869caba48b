package dev.agentmemory.api.spi;

import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.api.NotFoundException;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.WorkingMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The stores a backend opened, and the resources (a connection pool) it holds for them.
 */
public interface MemoryStores extends AutoCloseable {

    /** @return the episodic store */
    AgentMemoryStore episodes();

    /** @return the knowledge store, when the backend has one */
    Optional<KnowledgeStore> knowledge();

    /** @return the working memory, when the backend has one */
    Optional<WorkingMemory> workingMemory();

    /**
     * Records how a decision turned out and, with it, one application of each strategy the
     * episode applied: keyed by (strategy, episode), so that recording the outcome again (a retry,
     * a second caller) counts nothing twice and a different quality moves the evidence from
     * success to failure or back (the arithmetic is {@link dev.agentmemory.api.Evidence#applied}).
     * Strategies that do not exist are skipped.
     *
     * <p>A backend with transactions does all of it in one; the PostgreSQL and in-memory backends
     * do. This default, for stores that wrap others, writes the outcome and then each application,
     * which is idempotent but not atomic.
     *
     * @param episodeId the episode
     * @param outcome what happened
     * @param outcomeQuality its quality in [0,1]
     * @param appliedStrategies the strategies the episode applied
     * @param success whether the quality counts as a success of those strategies
     * @return the strategies after the update, in the order given, without those not stored
     * @throws NotFoundException when no such episode is stored
     */
    default List<Strategy> recordOutcome(UUID episodeId, Map<String, Object> outcome, double outcomeQuality,
                                         List<UUID> appliedStrategies, boolean success) {
        episodes().updateEpisodeOutcome(episodeId, outcome, outcomeQuality);
        List<Strategy> out = new ArrayList<>();
        KnowledgeStore k = knowledge().orElse(null);
        if (k == null) {
            return out;
        }
        for (UUID id : appliedStrategies) {
            try {
                out.add(k.recordApplication(id, episodeId, success));
            } catch (NotFoundException missing) {
                // Skipped, as documented: an episode may name a strategy deleted since.
            }
        }
        return out;
    }

    /**
     * @return a short description for logs and {@code stats}, with no secret in it: the backend,
     *     the database, the schema version
     */
    String describe();

    /** Releases what the backend holds (a pool it created; not a DataSource the caller passed). */
    @Override
    void close();
}
