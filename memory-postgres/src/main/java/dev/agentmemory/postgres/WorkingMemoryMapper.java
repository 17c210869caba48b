package dev.agentmemory.postgres;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;
import org.jspecify.annotations.Nullable;

/** The SQL of {@code agent_working_memory}; statements in {@code WorkingMemoryMapper.xml}. */
interface WorkingMemoryMapper {

    int insert(@Param("r") SessionRow row);

    @Nullable SessionRow findLive(@Param("id") UUID id, @Param("now") Instant now);

    @Nullable SessionRow update(@Param("id") UUID id, @Param("expectedVersion") long expectedVersion,
                                @Param("context") Map<String, Object> context, @Param("merge") boolean merge,
                                @Param("now") Instant now);

    @Nullable SessionRow extend(@Param("id") UUID id, @Param("micros") long micros, @Param("now") Instant now);

    int endLive(@Param("id") UUID id, @Param("now") Instant now);

    List<SessionRow> listLive(@Param("projectId") String projectId, @Param("now") Instant now);

    int deleteExpired(@Param("now") Instant now);
}
