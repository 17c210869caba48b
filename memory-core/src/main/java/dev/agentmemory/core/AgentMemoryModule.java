package dev.agentmemory.core;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.api.WorkingMemory;
import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.api.spi.StoreConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
        int dimensions = config.dimensions() != null ? config.dimensions() : embedder.dimensions();
        StoreConfig.Builder b = StoreConfig.builder()
                .dimensions(dimensions)
                .migrate(config.migrate())
                .dataSource(config.dataSource())
                .jdbcUrl(config.jdbcUrl())
                .username(config.username())
                .password(config.password())
                .properties(config.storeProperties());
        return Providers.store(config.storeName()).open(b.build());
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
