package dev.agentmemory.core;

import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.Redaction;
import dev.agentmemory.api.spi.EmbedderConfig;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Everything {@link AgentMemory} and {@link AgentMemoryModule} need to assemble a memory system.
 * Built by {@link AgentMemory.Builder#config()}. {@link #toString()} shows no secret.
 *
 * @param storeName the store provider's name
 * @param dataSource the caller's DataSource, or null to let the provider open a pool
 * @param jdbcUrl the JDBC URL when there is no DataSource
 * @param username the database user
 * @param password the database password; never shown
 * @param embedder the caller's embedder, or null to use {@code embedderName}
 * @param embedderName the embedder provider's name, used when {@code embedder} is null
 * @param embedderConfig the configuration for that provider
 * @param dimensions the vector size, or null for the embedder's
 * @param migrate whether to create or upgrade the schema
 * @param storeProperties backend-specific settings
 * @param settings the memory system's behaviour
 */
public record AgentMemoryConfig(
        String storeName,
        @Nullable DataSource dataSource,
        @Nullable String jdbcUrl,
        @Nullable String username,
        @Nullable String password,
        @Nullable Embedder embedder,
        String embedderName,
        EmbedderConfig embedderConfig,
        @Nullable Integer dimensions,
        boolean migrate,
        Map<String, String> storeProperties,
        MemorySettings settings) {

    /** Copies the properties. */
    public AgentMemoryConfig {
        storeProperties = Map.copyOf(storeProperties);
    }

    /** @return the JDBC URL, when one is set */
    public Optional<String> jdbcUrlIfSet() {
        return Optional.ofNullable(jdbcUrl);
    }

    @Override
    public String toString() {
        return "AgentMemoryConfig{store=" + storeName
                + ", dataSource=" + (dataSource == null ? "none" : dataSource.getClass().getSimpleName())
                + ", jdbcUrl=" + (jdbcUrl == null ? null : Redaction.redact(jdbcUrl)) + ", username=" + username
                + ", password=" + Redaction.mask(password)
                + ", embedder=" + (embedder != null ? embedder.modelName() : embedderName)
                + ", embedderConfig=" + embedderConfig + ", dimensions=" + dimensions + ", migrate=" + migrate
                + ", storeProperties=" + Redaction.redact(storeProperties.toString()) + ", settings=" + settings + "}";
    }
}
