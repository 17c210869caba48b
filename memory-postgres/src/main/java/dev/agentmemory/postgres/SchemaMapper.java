package dev.agentmemory.postgres;

import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.jspecify.annotations.Nullable;

/** One-line questions about the schema in the connection's current schema. */
interface SchemaMapper {

    @Select("SELECT current_schema()")
    @Nullable String currentSchema();

    @Select("SELECT current_database()")
    String currentDatabase();

    @Select("SELECT to_regclass(quote_ident(current_schema()) || '.' || quote_ident(#{table})) IS NOT NULL")
    boolean tableExists(@Param("table") String table);

    @Select("SELECT value FROM agent_memory_meta WHERE key = #{key}")
    @Nullable String meta(@Param("key") String key);

    /** The declared size of agent_episodes.embedding: pgvector keeps it as the column's typmod. */
    @Select("SELECT a.atttypmod FROM pg_attribute a"
            + " WHERE a.attrelid = to_regclass(quote_ident(current_schema()) || '.agent_episodes')"
            + " AND a.attname = 'embedding' AND NOT a.attisdropped")
    @Nullable Integer episodeEmbeddingTypmod();

    @Select("SELECT EXISTS (SELECT 1 FROM agent_episodes)")
    boolean hasEpisodes();

    @Select("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
    @Nullable String vectorVersion();

    @Select("SELECT version FROM agent_memory_schema_history WHERE success AND version IS NOT NULL"
            + " ORDER BY installed_rank DESC LIMIT 1")
    @Nullable String schemaVersion();
}
