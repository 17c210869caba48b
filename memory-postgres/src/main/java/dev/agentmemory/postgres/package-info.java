/**
 * The PostgreSQL + pgvector backend: {@link dev.agentmemory.postgres.PostgresAgentMemoryStore},
 * {@link dev.agentmemory.postgres.PostgresKnowledgeStore},
 * {@link dev.agentmemory.postgres.PostgresWorkingMemory}, the schema
 * ({@link dev.agentmemory.postgres.PostgresSchema}, Flyway migrations) and the
 * {@link dev.agentmemory.postgres.PostgresStoreProvider} named {@code "postgres"}.
 *
 * <p>SQL lives in the MyBatis mapper files next to the mapper interfaces
 * ({@code dev/agentmemory/postgres/*Mapper.xml}); the schema in
 * {@code db/migration/agentmemory/V*.sql}.
 */
@NullMarked
package dev.agentmemory.postgres;

import org.jspecify.annotations.NullMarked;
