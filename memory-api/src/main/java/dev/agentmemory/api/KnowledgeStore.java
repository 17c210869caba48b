package dev.agentmemory.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Learned strategies and the evidence for them. Table {@code agent_knowledge} in PostgreSQL.
 * Safe for concurrent use; evidence updates are atomic.
 */
public interface KnowledgeStore {

    /**
     * Stores a strategy, or replaces the one with the same id.
     *
     * @param strategy the strategy; its conditions were checked when it was built
     * @param embedding the vector of its description, or null
     * @return its id
     */
    UUID storeStrategy(Strategy strategy, float @Nullable [] embedding);

    /**
     * @param knowledgeId an id
     * @return the strategy, or empty
     */
    Optional<Strategy> getStrategy(UUID knowledgeId);

    /**
     * @param query which strategies
     * @return them in {@link StrategyOrder#MOST_CONFIDENT_FIRST} order
     */
    List<Strategy> listStrategies(StrategyQuery query);

    /**
     * Active strategies whose conditions hold in {@code context}, in {@link StrategyOrder#APPLICABLE}
     * order: most confident first; among equally confident ones, those whose description is
     * closer to {@code contextEmbedding} first.
     *
     * @param context the situation
     * @param contextEmbedding the situation's vector, or null to rank by confidence alone
     * @param minConfidence only strategies at least this confident
     * @param limit at most this many
     * @return the applicable strategies
     */
    List<Strategy> getApplicableStrategies(Map<String, Object> context, float @Nullable [] contextEmbedding,
                                           double minConfidence, int limit);

    /**
     * Records that a strategy was applied in an episode and whether it worked, atomically: counts,
     * success rate, confidence, last applied time and the supporting or contradicting list move
     * together, by {@link Evidence#applied}. The application is keyed by (strategy, episode):
     * recording the same result again changes nothing, a different one moves the evidence. A
     * strategy whose confidence falls below the configured floor after the configured number of
     * applications is deactivated.
     *
     * @param knowledgeId the strategy
     * @param episodeId the episode it was applied in
     * @param success whether it worked
     * @return the strategy after the update
     * @throws NotFoundException when no such strategy is stored
     */
    Strategy recordApplication(UUID knowledgeId, UUID episodeId, boolean success);

    /**
     * @param knowledgeId the strategy
     * @return true when it was active and is now inactive
     */
    boolean deactivateStrategy(UUID knowledgeId);

    /**
     * @param knowledgeId the strategy
     * @return true when it was stored and is now deleted
     */
    boolean deleteStrategy(UUID knowledgeId);
}
