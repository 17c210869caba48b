package dev.agentmemory.core;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.EmbeddingException;
import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.api.WorkingMemory;
import dev.agentmemory.api.spi.DimensionChange;
import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.api.spi.StoreConfig;
import dev.agentmemory.api.spi.StoreProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Gives Guice users what {@link AgentMemory#builder()} builds: {@link AgentMemorySystem},
 * {@link AgentMemoryStore}, {@link Embedder}, and {@code Optional<KnowledgeStore>} and
 * {@code Optional<WorkingMemory>}, all singletons.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(new AgentMemoryModule(
 *     AgentMemory.builder().store("postgres").dataSource(ds).config()));
 * AgentMemorySystem memory = injector.getInstance(AgentMemorySystem.class);
 * }</pre>
 */
public final class AgentMemoryModule extends AbstractModule {

    private final AgentMemoryConfig config;

    /**
     * @param config what to assemble, from {@link AgentMemory.Builder#config()}
     */
    public AgentMemoryModule(AgentMemoryConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Provides
    @Singleton
    Embedder embedder() {
        if (config.embedder() != null) {
            return config.embedder();
        }
        return Providers.embedder(config.embedderName()).create(config.embedderConfig());
    }

    @Provides
    @Singleton
    MemoryStores stores(Embedder embedder) {
        StoreProvider provider = Providers.store(config.storeName());
        StoreConfig.Builder b = StoreConfig.builder()
                .migrate(config.migrate())
                .dataSource(config.dataSource())
                .jdbcUrl(config.jdbcUrl())
                .username(config.username())
                .password(config.password())
                .properties(config.storeProperties());
        Integer dimensions = config.dimensions();
        if (dimensions == null) {
            try {
                dimensions = embedder.dimensions();
            } catch (EmbeddingException e) {
                // An embedding service that is down must not keep a store that knows its size from
                // opening: decisions are then stored pending, and nothing is lost.
                if (!(provider instanceof DimensionChange change)) {
                    throw e;
                }
                OptionalInt stored = change.storedDimensions(b.dimensions(1).build());
                if (stored.isEmpty()) {
                    throw e;
                }
                dimensions = stored.getAsInt();
            }
        }
        return provider.open(b.dimensions(dimensions).build());
    }

    @Provides
    @Singleton
    AgentMemoryStore episodes(MemoryStores stores) {
        return stores.episodes();
    }

    @Provides
    @Singleton
    Optional<KnowledgeStore> knowledge(MemoryStores stores) {
        return stores.knowledge();
    }

    @Provides
    @Singleton
    Optional<WorkingMemory> workingMemory(MemoryStores stores) {
        return stores.workingMemory();
    }

    @Provides
    @Singleton
    AgentMemorySystem system(MemoryStores stores, Embedder embedder) {
        List<AutoCloseable> owned = new ArrayList<>();
        // An embedder the caller passed is the caller's to close; one we made is ours.
        if (config.embedder() == null && embedder instanceof AutoCloseable c) {
            owned.add(c);
        }
        try {
            return new AgentMemorySystem(stores, embedder, config.settings(), owned);
        } catch (ConfigurationException e) {
            stores.close();
            throw e;
        }
    }
}
