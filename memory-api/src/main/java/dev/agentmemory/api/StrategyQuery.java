package dev.agentmemory.api;

import org.jspecify.annotations.Nullable;

/**
 * Which strategies {@link KnowledgeStore#listStrategies} returns.
 *
 * @param activeOnly only active strategies
 * @param knowledgeType only this type; null for every type
 * @param minConfidence only strategies at least this confident
 * @param limit at most this many, 1 to {@link AgentMemoryStore#MAX_LIMIT}
 */
public record StrategyQuery(boolean activeOnly, @Nullable String knowledgeType, double minConfidence, int limit) {

    /** Validates the fields. */
    public StrategyQuery {
        Episode.checkQuality("minConfidence", minConfidence);
        Limits.check("limit", limit);
        if (knowledgeType != null) {
            JsonValues.checkString("knowledgeType", knowledgeType);
        }
    }

    /** @return active strategies of every type, at most 100 */
    public static StrategyQuery active() {
        return new StrategyQuery(true, null, 0, 100);
    }
}
