package dev.agentmemory.postgres;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;
import org.jspecify.annotations.Nullable;

/**
 * Whole-store statements for {@link PostgresMaintenance} and
 * {@link PostgresSchema#changeDimensions}; the paged reads in {@code MaintenanceMapper.xml}.
 */
interface MaintenanceMapper {

    List<EpisodeRow> episodesAfter(@Param("after") @Nullable UUID after, @Param("limit") int limit);

    List<StrategyRow> strategiesAfter(@Param("after") @Nullable UUID after, @Param("limit") int limit);

    @Select("SELECT project_id AS project, count(*) AS episodes FROM agent_episodes GROUP BY project_id")
    List<Map<String, Object>> countByProject();

    @Update("UPDATE agent_episodes SET embedding = NULL WHERE embedding IS NOT NULL")
    int clearEpisodeEmbeddings();

    @Update("UPDATE agent_knowledge SET embedding = NULL WHERE embedding IS NOT NULL")
    int clearStrategyEmbeddings();

    @Update("UPDATE agent_knowledge SET embedding = #{embedding,typeHandler=vector} WHERE knowledge_id = #{id}")
    int updateStrategyEmbedding(@Param("id") UUID id, @Param("embedding") float[] embedding);

    @Insert("INSERT INTO agent_memory_meta (key, value) VALUES (#{key}, #{value})"
            + " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value")
    void putMeta(@Param("key") String key, @Param("value") String value);

    /** Reads the recorded size and holds the row until the transaction ends: one change at a time. */
    @Select("SELECT value FROM agent_memory_meta WHERE key = 'dimensions' FOR UPDATE")
    @Nullable String lockDimensions();

    // DDL takes no bind parameters: the size is pasted, an int checked to be within 1 to 16000.
    // A new type resets the column's storage to the type's own (EXTERNAL for vector): set MAIN
    // again in the same statement, as migration V4 does, so that vectors stay in the row.
    @Update("ALTER TABLE agent_episodes ALTER COLUMN embedding TYPE vector(${dimensions}) USING NULL,"
            + " ALTER COLUMN embedding SET STORAGE MAIN")
    void resizeEpisodeEmbeddings(@Param("dimensions") int dimensions);

    @Update("ALTER TABLE agent_knowledge ALTER COLUMN embedding TYPE vector(${dimensions}) USING NULL,"
            + " ALTER COLUMN embedding SET STORAGE MAIN")
    void resizeStrategyEmbeddings(@Param("dimensions") int dimensions);
}
