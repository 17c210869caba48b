package dev.agentmemory.postgres;

import dev.agentmemory.api.EpisodeFilter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;
import org.jspecify.annotations.Nullable;

/** The SQL of {@code agent_episodes}; statements in {@code EpisodeMapper.xml}. */
interface EpisodeMapper {

    /** Inserts one row, or nothing when its id is stored; in a batch session it is queued instead. */
    int insert(EpisodeRow row);

    @Nullable EpisodeRow findById(@Param("id") UUID id);

    List<EpisodeRow> findByProject(@Param("projectId") String projectId, @Param("limit") int limit,
                                   @Param("minQuality") @Nullable Double minQuality);

    long countCandidates(@Param("f") EpisodeFilter filter, @Param("cap") long cap);

    long estimateRows();

    List<EpisodeRow> searchExact(@Param("query") float[] query, @Param("f") EpisodeFilter filter,
                                 @Param("limit") int limit, @Param("minSimilarity") double minSimilarity);

    String useIterativeIndexScan(@Param("efSearch") String efSearch);

    List<EpisodeRow> searchIndexed(@Param("query") float[] query, @Param("f") EpisodeFilter filter,
                                   @Param("limit") int limit);

    List<EpisodeRow> searchIndexedAll(@Param("query") float[] query, @Param("limit") int limit);

    int updateOutcome(@Param("id") UUID id, @Param("outcome") Map<String, Object> outcome,
                      @Param("quality") double quality, @Param("recordedAt") Instant recordedAt);

    List<EpisodeRow> findWithoutOutcomes(@Param("limit") int limit);

    List<EpisodeRow> findMatching(@Param("f") EpisodeFilter filter, @Param("limit") int limit);

    int updateEmbedding(@Param("id") UUID id, @Param("embedding") float[] embedding);

    List<EpisodeRow> findPendingEmbedding(@Param("limit") int limit);

    long countPendingEmbedding();

    int delete(@Param("id") UUID id);

    long count(@Param("projectId") @Nullable String projectId);
}
