package dev.agentmemory.postgres;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;
import org.jspecify.annotations.Nullable;

/** The SQL of {@code agent_knowledge}; statements in {@code KnowledgeMapper.xml}. */
interface KnowledgeMapper {

    int upsert(@Param("r") StrategyRow row);

    @Nullable StrategyRow findById(@Param("id") UUID id);

    List<StrategyRow> list(@Param("activeOnly") boolean activeOnly, @Param("knowledgeType") @Nullable String knowledgeType,
                           @Param("minConfidence") double minConfidence, @Param("limit") int limit);

    List<StrategyRow> findCandidates(@Param("minConfidence") double minConfidence,
                                     @Param("query") float @Nullable [] query);

    @Nullable StrategyRow lockById(@Param("id") UUID id);

    @Nullable Boolean findApplication(@Param("knowledgeId") UUID knowledgeId, @Param("episodeId") UUID episodeId);

    int upsertApplication(@Param("knowledgeId") UUID knowledgeId, @Param("episodeId") UUID episodeId,
                          @Param("success") boolean success, @Param("now") Instant now);

    int writeEvidence(@Param("r") StrategyRow row);

    int deactivate(@Param("id") UUID id);

    int delete(@Param("id") UUID id);
}
