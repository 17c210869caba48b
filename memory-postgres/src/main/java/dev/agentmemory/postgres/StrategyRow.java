package dev.agentmemory.postgres;

import dev.agentmemory.api.Strategy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One row of {@code agent_knowledge} as MyBatis reads and writes it. */
final class StrategyRow {
    @Nullable UUID knowledgeId;
    @Nullable String knowledgeType;
    @Nullable Map<String, Object> content;
    @Nullable String description;
    @Nullable Double confidence;
    @Nullable List<UUID> supportingEpisodes;
    @Nullable List<UUID> contradictingEpisodes;
    @Nullable Integer timesApplied;
    @Nullable Integer successCount;
    @Nullable Integer failureCount;
    @Nullable Double successRate;
    @Nullable Instant createdAt;
    @Nullable Instant lastValidated;
    @Nullable Instant lastApplied;
    @Nullable String createdBy;
    @Nullable Boolean active;
    float @Nullable [] embedding;
    /** Only in ranking queries: 1 - cosine distance of the description to the context. */
    @Nullable Double similarity;
    /** Only after recording an application: whether it was active before. */
    @Nullable Boolean wasActive;

    static StrategyRow of(Strategy s, UUID id, float @Nullable [] embedding) {
        StrategyRow r = new StrategyRow();
        r.knowledgeId = id;
        r.knowledgeType = s.knowledgeType();
        r.content = s.content();
        r.description = s.description();
        r.confidence = s.confidence();
        r.supportingEpisodes = s.supportingEpisodes();
        r.contradictingEpisodes = s.contradictingEpisodes();
        r.timesApplied = s.timesApplied();
        r.successCount = s.successCount();
        r.failureCount = s.failureCount();
        r.successRate = s.successRate();
        r.createdAt = s.createdAt();
        r.lastValidated = s.lastValidated();
        r.lastApplied = s.lastApplied();
        r.createdBy = s.createdBy();
        r.active = s.active();
        r.embedding = embedding;
        return r;
    }

    /** @return the strategy; NULLs a hand-made table may hold read as the models' defaults */
    Strategy toStrategy() {
        return Strategy.builder(description == null ? "" : description)
                .knowledgeId(knowledgeId)
                .knowledgeType(knowledgeType == null ? Strategy.DEFAULT_KNOWLEDGE_TYPE : knowledgeType)
                .content(content == null ? Map.of() : content)
                .confidence(confidence == null ? Strategy.DEFAULT_CONFIDENCE : confidence)
                .supportingEpisodes(supportingEpisodes == null ? List.of() : supportingEpisodes)
                .contradictingEpisodes(contradictingEpisodes == null ? List.of() : contradictingEpisodes)
                .timesApplied(timesApplied == null ? 0 : timesApplied)
                .successCount(successCount == null ? 0 : successCount)
                .failureCount(failureCount == null ? 0 : failureCount)
                .successRate(successRate)
                .createdAt(createdAt)
                .lastValidated(lastValidated)
                .lastApplied(lastApplied)
                .createdBy(createdBy == null ? Strategy.DEFAULT_CREATED_BY : createdBy)
                .active(active == null || active)
                .build();
    }
}
