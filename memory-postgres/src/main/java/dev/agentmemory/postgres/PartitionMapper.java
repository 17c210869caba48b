package dev.agentmemory.postgres;

import java.util.Map;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;
import org.jspecify.annotations.Nullable;

/** The statements of {@link PostgresPartitioning}, in {@code PartitionMapper.xml}. */
interface PartitionMapper {

    /** @return pg_class.relkind of agent_episodes ("r" plain, "p" partitioned), or null when missing */
    @Nullable String episodesKind();

    /** @return how many partitions agent_episodes has (0 for a plain table) */
    int episodesPartitions();

    /** @return how many partitions the staging table agent_episodes_partitioned has, or null when missing */
    @Nullable Integer stagingPartitions();

    void createStaging(@Param("partitions") int partitions);

    void createMirror();

    /**
     * Copies the next rows after the cursor into the staging table.
     *
     * @return rows (how many were read), lastProject and lastEpisode (the new cursor); null when none was left
     */
    @Nullable Map<String, Object> copyBatch(@Param("afterProject") @Nullable String afterProject,
                                            @Param("afterEpisode") @Nullable UUID afterEpisode,
                                            @Param("limit") int limit);

    long countEpisodes();

    long countStaging();

    void lockEpisodes();

    void swap();

    void dropUnpartitioned();

    void deleteMeta(@Param("key") String key);
}
