package dev.agentmemory.core;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.ProvisionException;
import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.MemoryException;
import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.spi.EmbedderConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The bootstrap: assembles an {@link AgentMemorySystem} from a store, an embedder and settings.
 *
 * <pre>{@code
 * AgentMemorySystem memory = AgentMemory.builder()
 *     .store("postgres")            // ServiceLoader name; "inmemory" is the default
 *     .dataSource(dataSource)       // or .jdbcUrl(url).username(user).password(password)
 *     .embedder(embedder)           // default: the local ONNX model (provider "onnx")
 *     .dimensions(1024)             // default: embedder.dimensions()
 *     .migrate(true)                // create or upgrade the schema
 *     .build();
 * }</pre>
 *
 * Stores and embedders are found by name with {@link java.util.ServiceLoader} and wired with
 * Guice through {@link AgentMemoryModule}; an unknown name fails with the list of names found.
 */
public final class AgentMemory {

    /** The store used when none is named. */
    public static final String DEFAULT_STORE = "inmemory";
    /** The embedder used when none is given or named: the local model. */
    public static final String DEFAULT_EMBEDDER = "onnx";

    private AgentMemory() {
    }

    /** @return a builder with the defaults: in-memory store, local model */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects the configuration; {@link #build()} assembles the system. */
    public static final class Builder {
        private String storeName = DEFAULT_STORE;
        private @Nullable DataSource dataSource;
        private @Nullable String jdbcUrl;
        private @Nullable String username;
        private @Nullable String password;
        private @Nullable Embedder embedder;
        private String embedderName = DEFAULT_EMBEDDER;
        private EmbedderConfig embedderConfig = EmbedderConfig.ofDefaults();
        private @Nullable Integer dimensions;
        private boolean migrate = true;
        private final Map<String, String> storeProperties = new LinkedHashMap<>();
        private MemorySettings settings = MemorySettings.ofDefaults();
        private final List<MemoryListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /** @param name the store provider's name: "inmemory" (default) or "postgres" */
        public Builder store(String name) {
            if (name == null || name.isBlank()) {
                throw new InvalidInputException("store", "must not be blank");
            }
            this.storeName = name.trim();
            return this;
        }

        /** @param value a DataSource the stores use and never close */
        public Builder dataSource(DataSource value) {
            this.dataSource = value;
            return this;
        }

        /** @param value the JDBC URL, when no DataSource is given */
        public Builder jdbcUrl(String value) {
            if (value != null && !value.startsWith("jdbc:")) {
                throw new InvalidInputException("jdbcUrl", "does not start with jdbc:");
            }
            this.jdbcUrl = value;
            return this;
        }

        public Builder username(String value) {
            this.username = value;
            return this;
        }

        public Builder password(String value) {
            this.password = value;
            return this;
        }

        /** @param value an embedder to use; the caller closes it */
        public Builder embedder(Embedder value) {
            this.embedder = value;
            return this;
        }

        /** @param name the embedder provider's name: "onnx" (default), "service" or "ollama" */
        public Builder embedder(String name) {
            if (name == null || name.isBlank()) {
                throw new InvalidInputException("embedder", "must not be blank");
            }
            this.embedderName = name.trim();
            return this;
        }

        /** @param value the configuration of the named embedder provider (URL, model, timeouts) */
        public Builder embedderConfig(EmbedderConfig value) {
            this.embedderConfig = value;
            return this;
        }

        /** @param value the vector size; default: the embedder's */
        public Builder dimensions(int value) {
            if (value < 1 || value > 16_000) {
                throw new InvalidInputException("dimensions", value + " is outside 1 to 16000");
            }
            this.dimensions = value;
            return this;
        }

        /** @param value whether to create or upgrade the schema; default true */
        public Builder migrate(boolean value) {
            this.migrate = value;
            return this;
        }

        /** @param key a backend setting, such as {@code pool.size} or {@code pgbouncer} */
        public Builder storeProperty(String key, String value) {
            storeProperties.put(key, value);
            return this;
        }

        /** @param value the memory system's behaviour */
        public Builder settings(MemorySettings value) {
            this.settings = value;
            return this;
        }

        /** @param value the least similarity of a recalled situation; default 0.7 */
        public Builder minSimilarity(double value) {
            this.settings = MemorySettings.from(settings).minSimilarity(value).build();
            return this;
        }

        /**
         * Adds a listener the built system tells what it does (metrics, tracing); several may be
         * added. {@link #config()} does not carry them: Guice users call
         * {@link AgentMemorySystem#addListener} on the system they get.
         *
         * @param value the listener
         * @return this builder
         */
        public Builder listener(MemoryListener value) {
            if (value == null) {
                throw new InvalidInputException("listener", "is required");
            }
            listeners.add(value);
            return this;
        }

        /** @param value how often to embed pending episodes in the background; default never */
        public Builder backfillEvery(Duration value) {
            this.settings = MemorySettings.from(settings).backfillInterval(value).build();
            return this;
        }

        /**
         * Reads the environment variables AGENT_MEMORY_STORE, AGENT_MEMORY_JDBC_URL,
         * AGENT_MEMORY_DB_USER, AGENT_MEMORY_DB_PASSWORD, AGENT_MEMORY_EMBEDDER,
         * AGENT_MEMORY_EMBEDDING_URL and AGENT_MEMORY_EMBEDDING_MODEL; those not set leave the
         * builder as it is.
         *
         * @param env the environment, usually {@code System.getenv()}
         * @return this builder
         */
        public Builder fromEnvironment(Map<String, String> env) {
            String v;
            if ((v = env.get("AGENT_MEMORY_STORE")) != null && !v.isBlank()) {
                store(v);
            }
            if ((v = env.get("AGENT_MEMORY_JDBC_URL")) != null && !v.isBlank()) {
                jdbcUrl(v);
            }
            if ((v = env.get("AGENT_MEMORY_DB_USER")) != null && !v.isBlank()) {
                username(v);
            }
            if ((v = env.get("AGENT_MEMORY_DB_PASSWORD")) != null) {
                password(v);
            }
            if ((v = env.get("AGENT_MEMORY_EMBEDDER")) != null && !v.isBlank()) {
                embedder(v);
            }
            String url = env.get("AGENT_MEMORY_EMBEDDING_URL");
            String model = env.get("AGENT_MEMORY_EMBEDDING_MODEL");
            if ((url != null && !url.isBlank()) || (model != null && !model.isBlank())) {
                EmbedderConfig base = embedderConfig;
                EmbedderConfig.Builder b = EmbedderConfig.builder()
                        .url(url != null && !url.isBlank() ? url : base.url().orElse(null))
                        .model(model != null && !model.isBlank() ? model : base.model().orElse(null))
                        .timeout(base.timeout()).maxRetries(base.maxRetries()).properties(base.properties());
                embedderConfig = b.build();
            }
            return this;
        }

        /** @return the collected configuration, for {@link AgentMemoryModule} */
        public AgentMemoryConfig config() {
            return new AgentMemoryConfig(storeName, dataSource, jdbcUrl, username, password, embedder, embedderName,
                    embedderConfig, dimensions, migrate, storeProperties, settings);
        }

        /**
         * @return the assembled memory system; close it when done
         * @throws dev.agentmemory.api.ConfigurationException for an unknown store or embedder, or
         *     a configuration the backend cannot use
         */
        public AgentMemorySystem build() {
            try {
                AgentMemorySystem system = Guice.createInjector(new AgentMemoryModule(config()))
                        .getInstance(AgentMemorySystem.class);
                listeners.forEach(system::addListener);
                return system;
            } catch (ProvisionException | CreationException e) {
                // Guice wraps what the providers throw; callers should see our exception itself.
                for (Throwable t = e; t != null; t = t.getCause()) {
                    if (t instanceof MemoryException m) {
                        throw m;
                    }
                }
                throw new ConfigurationException("assembling the memory system failed: " + e.getMessage(), e);
            }
        }
    }
}
