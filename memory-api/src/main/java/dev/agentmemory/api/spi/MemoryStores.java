package dev.agentmemory.api.spi;

import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.api.WorkingMemory;
import java.util.Optional;

/**
 * The stores a backend opened, and the resources (a connection pool) it holds for them.
 */
public interface MemoryStores extends AutoCloseable {

    /** @return the episodic store */
    AgentMemoryStore episodes();

    /** @return the knowledge store, when the backend has one */
    Optional<KnowledgeStore> knowledge();

    /** @return the working memory, when the backend has one */
    Optional<WorkingMemory> workingMemory();

    /**
     * @return a short description for logs and {@code stats}, with no secret in it: the backend,
     *     the database, the schema version
     */
    String describe();

    /** Releases what the backend holds (a pool it created; not a DataSource the caller passed). */
    @Override
    void close();
}
