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

    @Nullable StrategyRow recordApplication(@Param("id") UUID id, @Param("episodeId") UUID episodeId,
                                            @Param("success") boolean success, @Param("now") Instant now,
                                            @Param("z") double z, @Param("floor") double floor,
                                            @Param("minApplications") int minApplications);

    int deactivate(@Param("id") UUID id);

    int delete(@Param("id") UUID id);
}
