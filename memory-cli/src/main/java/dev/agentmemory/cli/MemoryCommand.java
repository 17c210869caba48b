package dev.agentmemory.cli;

import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.spi.DimensionChange;
import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.api.spi.StoreConfig;
import dev.agentmemory.api.spi.StoreMaintenance;
import dev.agentmemory.api.spi.StoreProvider;
import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemoryConfig;
import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.core.Providers;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that opens the configured memory: the store and embedder options, {@code --json}, and
 * the one way every command opens its memory.
 *
 * <p>Commands open the store without touching its schema; {@code init} is the one that creates or
 * upgrades it. Before opening a store that outlives the process, the command checks that it exists
 * and holds vectors of the embedder's size, and says which command fixes it when not.
 */
abstract class MemoryCommand implements Callable<Integer> {

    @Mixin
    MemoryOptions memoryOptions = new MemoryOptions();

    @Option(names = "--json", description = "Print JSON for scripts instead of a table.")
    boolean json;

    @Option(names = "--wide", description = "Show whole values in tables (full ids to paste, no cell cut to"
            + " the terminal's width).")
    boolean wide;

    @Spec
    CommandSpec spec;

    /** Set by {@link AgentMemoryCli}'s factory. */
    CliContext context = CliContext.ofProcess();

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** @return the width tables fit: the terminal's, or no limit with {@code --wide} */
    int width() {
        return wide ? Integer.MAX_VALUE / 2 : Table.width(context.env());
    }

    /** @return the id as a table shows it: its first 8 characters, whole with {@code --wide} */
    String id(java.util.UUID id) {
        return wide ? id.toString() : id.toString().substring(0, 8);
    }

    /** @return a progress bar on this command's standard error */
    Progress progress(String label, long total) {
        return new Progress(err(), label, total);
    }

    /** @return the configuration the options and the environment give */
    AgentMemoryConfig config(Consumer<AgentMemory.Builder> tune) {
        AgentMemory.Builder b = memoryOptions.builder(context.env());
        tune.accept(b);
        return b.config();
    }

    /** Opens the memory without migrating the schema. */
    AgentMemorySystem open() {
        return open(false, b -> { });
    }

    /**
     * @param migrate whether to create or upgrade the schema
     * @param tune changes to the configuration (settings) before opening
     * @return the memory system; closing it closes the embedder and the stores it opened
     */
    AgentMemorySystem open(boolean migrate, Consumer<AgentMemory.Builder> tune) {
        AgentMemoryConfig config = config(tune);
        Embedder embedder = createEmbedder(config);
        MemoryStores stores = null;
        try {
            MemoryStores shared = context.unclosedSharedStores();
            if (shared != null) {
                stores = shared;
            } else {
                StoreProvider provider = Providers.store(config.storeName());
                StoreConfig storeConfig = storeConfig(config, embedder.dimensions(), migrate);
                checkStored(provider, storeConfig, embedder, !migrate);
                stores = provider.open(storeConfig);
            }
            List<AutoCloseable> owned = new ArrayList<>();
            if (embedder instanceof AutoCloseable c) {
                owned.add(c);
            }
            return new AgentMemorySystem(stores, embedder, config.settings(), owned);
        } catch (RuntimeException e) {
            if (stores != null) {
                stores.close();
            }
            closeQuietly(embedder, e);
            throw e;
        }
    }

    /** @return the embedder the configuration names; the caller closes it */
    static Embedder createEmbedder(AgentMemoryConfig config) {
        return config.embedder() != null ? config.embedder()
                : Providers.embedder(config.embedderName()).create(config.embedderConfig());
    }

    /** The store configuration the bootstrap would pass, for a given vector size. */
    static StoreConfig storeConfig(AgentMemoryConfig config, int dimensions, boolean migrate) {
        return StoreConfig.builder()
                .dimensions(dimensions)
                .migrate(migrate)
                .dataSource(config.dataSource())
                .jdbcUrl(config.jdbcUrl())
                .username(config.username())
                .password(config.password())
                .properties(config.storeProperties())
                .build();
    }

    /** Says what to run when a persistent store is missing or holds vectors of another size. */
    private static void checkStored(StoreProvider provider, StoreConfig storeConfig, Embedder embedder,
                                    boolean mustExist) {
        if (!(provider instanceof DimensionChange change)) {
            return;
        }
        OptionalInt stored = change.storedDimensions(storeConfig);
        if (stored.isEmpty()) {
            if (!mustExist) {
                return;
            }
            throw new ConfigurationException("no agent-memory schema in the " + provider.name()
                    + " store: run 'agent-memory init' to create it");
        }
        if (stored.getAsInt() != embedder.dimensions()) {
            throw new ConfigurationException("the " + provider.name() + " store holds " + stored.getAsInt()
                    + "-dimensional vectors, the embedder " + embedder.modelName() + " makes " + embedder.dimensions()
                    + ": run 'agent-memory reembed' to re-embed everything with it, or configure the embedder"
                    + " that made the stored vectors");
        }
    }

    /** @return the backend's whole-store operations, or a failure naming what needs them */
    static StoreMaintenance maintenance(AgentMemorySystem memory, String what) {
        return memory.maintenance().orElseThrow(() -> new ConfigurationException(
                "the store " + memory.episodes().getClass().getSimpleName() + " cannot " + what
                        + ": its backend does not offer whole-store operations (StoreMaintenance)"));
    }

    private static void closeQuietly(Embedder embedder, RuntimeException failure) {
        if (embedder instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }
}
