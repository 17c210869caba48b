package dev.agentmemory.cli;

import dev.agentmemory.api.spi.EmbedderConfig;
import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemorySystem;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options every command that opens a memory shares. Each comes from its flag, then from the
 * environment, then from the default (the in-memory store and the local model). The database
 * password is read from AGENT_MEMORY_DB_PASSWORD only: a flag would show it in the process list.
 */
public final class MemoryOptions {

    @Option(names = "--store", paramLabel = "NAME",
            description = "Store: inmemory (default) or postgres. Env: AGENT_MEMORY_STORE.")
    String store;

    @Option(names = "--jdbc-url", paramLabel = "URL",
            description = "JDBC URL of the PostgreSQL database. Env: AGENT_MEMORY_JDBC_URL.")
    String jdbcUrl;

    @Option(names = "--db-user", paramLabel = "USER",
            description = "Database user. Env: AGENT_MEMORY_DB_USER. The password: env AGENT_MEMORY_DB_PASSWORD.")
    String dbUser;

    @Option(names = "--embedder", paramLabel = "NAME",
            description = "Embedder: onnx (default, local model), service or ollama. Env: AGENT_MEMORY_EMBEDDER.")
    String embedder;

    @Option(names = "--embedding-url", paramLabel = "URL",
            description = "URL of the embedding service or Ollama. Env: AGENT_MEMORY_EMBEDDING_URL.")
    String embeddingUrl;

    @Option(names = "--embedding-model", paramLabel = "MODEL",
            description = "Model name for Ollama or the service. Env: AGENT_MEMORY_EMBEDDING_MODEL.")
    String embeddingModel;

    /**
     * @param env the environment
     * @return the bootstrap configured by the flags, then the environment, then the defaults
     */
    public AgentMemory.Builder builder(Map<String, String> env) {
        AgentMemory.Builder b = AgentMemory.builder().fromEnvironment(env);
        if (store != null) {
            b.store(store);
        }
        if (jdbcUrl != null) {
            b.jdbcUrl(jdbcUrl);
        }
        if (dbUser != null) {
            b.username(dbUser);
        }
        if (embedder != null) {
            b.embedder(embedder);
        }
        if (embeddingUrl != null || embeddingModel != null) {
            EmbedderConfig base = b.config().embedderConfig();
            b.embedderConfig(EmbedderConfig.builder()
                    .url(embeddingUrl != null ? embeddingUrl : base.url().orElse(null))
                    .model(embeddingModel != null ? embeddingModel : base.model().orElse(null))
                    .timeout(base.timeout()).maxRetries(base.maxRetries()).properties(base.properties())
                    .build());
        }
        return b;
    }

    /** @return the memory system these options describe, with the process environment */
    public AgentMemorySystem open() {
        return builder(System.getenv()).build();
    }
}
