package dev.agentmemory.cli;

import dev.agentmemory.api.Redaction;
import dev.agentmemory.api.spi.EmbedderConfig;
import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemorySystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The options every command that opens a memory shares. Each comes from its flag, then from the
 * environment, then from the default (the in-memory store and the local model). The database
 * password is read from AGENT_MEMORY_DB_PASSWORD only: a flag would show it in the process list.
 */
public final class MemoryOptions {

    @Option(names = "--store", paramLabel = "NAME",
            description = "Store: inmemory (default) or postgres. Env: AGENT_MEMORY_STORE.")
    @Nullable String store;

    @Option(names = "--jdbc-url", paramLabel = "URL",
            description = "JDBC URL of the PostgreSQL database. Env: AGENT_MEMORY_JDBC_URL.")
    @Nullable String jdbcUrl;

    @Option(names = "--db-user", paramLabel = "USER",
            description = "Database user. Env: AGENT_MEMORY_DB_USER. The password: env AGENT_MEMORY_DB_PASSWORD.")
    @Nullable String dbUser;

    @Option(names = "--embedder", paramLabel = "NAME",
            description = "Embedder: onnx (default, local model), service or ollama. Env: AGENT_MEMORY_EMBEDDER.")
    @Nullable String embedder;

    @Option(names = "--embedding-url", paramLabel = "URL",
            description = "URL of the embedding service or Ollama. Env: AGENT_MEMORY_EMBEDDING_URL.")
    @Nullable String embeddingUrl;

    @Option(names = "--embedding-model", paramLabel = "MODEL",
            description = "Model name: for onnx the local model to run (bge-small-en-v1.5-q by default), for "
                    + "Ollama or the service the model they serve. Env: AGENT_MEMORY_EMBEDDING_MODEL.")
    @Nullable String embeddingModel;

    @Option(names = "--store-property", paramLabel = "KEY=VALUE",
            description = "A store setting, repeatable: pgbouncer=true, pool.size=8, migration.jdbc-url=..., "
                    + "search.exact-scan-max=5000, knowledge.confidence-floor=0.2, knowledge.min-applications=5, "
                    + "read.jdbc-url=... (hot standbys for reads), read.max-lag=5s.")
    Map<String, String> storeProperties = new java.util.LinkedHashMap<>();

    /**
     * One setting as it takes effect, with where it came from.
     *
     * @param name the setting, as its flag is named without the dashes
     * @param value the value as it may be shown: secrets masked, URLs redacted; null when not set
     * @param source "flag --x", "env X" or "default"; null when not set
     */
    public record Setting(String name, @Nullable String value, @Nullable String source) {
    }

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
        storeProperties.forEach(b::storeProperty);
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

    /**
     * The configuration as it takes effect, for {@code agent-memory config}: the same precedence as
     * {@link #builder}, with the password masked and every URL passed through {@link Redaction}.
     *
     * @param env the environment
     * @return the settings in a fixed order
     */
    public List<Setting> effective(Map<String, String> env) {
        List<Setting> out = new ArrayList<>();
        out.add(pick("store", store, "AGENT_MEMORY_STORE", env, AgentMemory.DEFAULT_STORE, false));
        out.add(pick("jdbc-url", jdbcUrl, "AGENT_MEMORY_JDBC_URL", env, null, true));
        out.add(pick("db-user", dbUser, "AGENT_MEMORY_DB_USER", env, null, false));
        String password = env.get("AGENT_MEMORY_DB_PASSWORD");
        out.add(password == null ? new Setting("db-password", null, null)
                : new Setting("db-password", Redaction.MASK, "env AGENT_MEMORY_DB_PASSWORD"));
        out.add(pick("embedder", embedder, "AGENT_MEMORY_EMBEDDER", env, AgentMemory.DEFAULT_EMBEDDER, false));
        out.add(pick("embedding-url", embeddingUrl, "AGENT_MEMORY_EMBEDDING_URL", env, null, true));
        out.add(pick("embedding-model", embeddingModel, "AGENT_MEMORY_EMBEDDING_MODEL", env, null, false));
        storeProperties.forEach((k, v) -> out.add(new Setting("store-property " + k,
                Redaction.redact(k + "=" + v).substring(k.length() + 1), "flag --store-property")));
        return out;
    }

    private static Setting pick(String name, @Nullable String flag, String variable, Map<String, String> env,
                                @Nullable String fallback, boolean redact) {
        String value;
        String source;
        String fromEnv = env.get(variable);
        if (flag != null) {
            value = flag;
            source = "flag --" + name;
        } else if (fromEnv != null && !fromEnv.isBlank()) {
            // Blank is not set, as AgentMemory.Builder.fromEnvironment reads it.
            value = fromEnv;
            source = "env " + variable;
        } else if (fallback != null) {
            value = fallback;
            source = "default";
        } else {
            return new Setting(name, null, null);
        }
        return new Setting(name, redact ? Redaction.redact(value) : value, source);
    }
}
