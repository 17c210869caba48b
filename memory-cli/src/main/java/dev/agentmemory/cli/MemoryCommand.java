package dev.agentmemory.cli;

import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.spi.DimensionChange;
import dev.agentmemory.api.spi.ForwardingEmbedder;
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
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
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

    /** @return the id as a table shows it: its first 8 characters, whole with {@code --wide}; "" for none */
    String id(java.util.@Nullable UUID id) {
        return id == null ? "" : wide ? id.toString() : id.toString().substring(0, 8);
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
     * Whether this command computes vectors, or at least asks the embedder when it answers. One that
     * does not never asks the embedder anything (an embedding service that is down does not stop
     * it); one that does checks that the store's vectors were made by its embedder, when the
     * embedder answers its health check (when it does not, what cannot be embedded is stored pending).
     *
     * @return true unless a command says otherwise
     */
    boolean embeds() {
        return true;
    }

    /** @return whether this command writes to the store; on one that ends with the process it says so */
    boolean writes() {
        return false;
    }

    /** What to say on standard error once the command has done its work, or null. */
    private @Nullable String note;

    /**
     * Says once what the command's store does not keep. Called by {@link AgentMemoryCli} after the
     * command succeeded, so that a failure keeps its one line; a server calls it once it serves.
     */
    void noteWhatIsLost() {
        if (note != null) {
            err().println(spec.qualifiedName() + ": " + note);
            err().flush();
            note = null;
        }
    }

    /**
     * @param migrate whether to create or upgrade the schema
     * @param tune changes to the configuration (settings) before opening
     * @return the memory system; closing it closes the embedder and the stores it opened
     */
    AgentMemorySystem open(boolean migrate, Consumer<AgentMemory.Builder> tune) {
        AgentMemoryConfig config = config(tune);
        MemoryStores shared = context.unclosedSharedStores();
        StoreProvider provider = shared != null ? null : provider(config);
        Embedder embedder = createEmbedder(config);
        MemoryStores stores = null;
        try {
            // Asked once, without retries: an embedder that is down only matters to what embeds.
            boolean reachable = (embeds() || migrate) && embedder.healthCheck();
            OptionalInt size;
            if (shared != null) {
                stores = shared;
                size = OptionalInt.of(shared.episodes().dimensions());
            } else {
                size = stored(Objects.requireNonNull(provider), config, !migrate);
                if (size.isEmpty() && config.dimensions() != null) {
                    size = OptionalInt.of(config.dimensions());
                }
            }
            Embedder used = embedder;
            if (reachable || size.isEmpty()) {
                // The embedder tells its size (and fails when it cannot: a new store needs it).
                if (size.isPresent() && size.getAsInt() != embedder.dimensions() && provider != null) {
                    throw new ConfigurationException("the " + provider.name() + " store holds " + size.getAsInt()
                            + "-dimensional vectors, the embedder " + embedder.modelName() + " makes "
                            + embedder.dimensions() + ": run 'agent-memory reembed' to re-embed everything with it,"
                            + " or configure the embedder that made the stored vectors");
                }
                size = OptionalInt.of(embedder.dimensions());
            } else {
                // Not asked for its size: what cannot be embedded now is stored pending, as the library does.
                used = new SizedEmbedder(embedder, size.getAsInt());
            }
            if (stores == null) {
                stores = Objects.requireNonNull(provider).open(storeConfig(config, size.getAsInt(), migrate));
                if (writes() && !(provider instanceof DimensionChange)) {
                    // DimensionChange is what a store whose data outlives the process offers.
                    note = "note: the " + provider.name() + " store lives in this process only; what this command"
                            + " wrote is gone when it ends (keep it with --store postgres --jdbc-url URL, after"
                            + " 'agent-memory init')";
                }
            }
            if (embeds() && reachable && !migrate && stores instanceof StoreMaintenance m) {
                checkRecordedModel(m, embedder.modelName());
            }
            List<AutoCloseable> owned = new ArrayList<>();
            if (embedder instanceof AutoCloseable c) {
                owned.add(c);
            }
            return new AgentMemorySystem(stores, used, config.settings(), owned);
        } catch (RuntimeException e) {
            if (stores != null) {
                stores.close();
            }
            closeQuietly(embedder, e);
            throw e;
        }
    }

    /** Whether the recorded model may differ from this command's: reembed is how it changes. */
    boolean checksRecordedModel() {
        return true;
    }

    private void checkRecordedModel(StoreMaintenance maintenance, String model) {
        if (!checksRecordedModel()) {
            return;
        }
        String recorded = maintenance.embeddingModel().orElse(null);
        if (recorded != null && !recorded.equals(model)) {
            throw new InvalidInputException("--embedding-model", "the stored vectors were made by " + recorded
                    + " and this command would embed with " + model + ", whose vectors cannot be compared with them:"
                    + " pass --embedding-model " + recorded + " (or the --embedder and --embedding-url that serve it),"
                    + " or run 'agent-memory reembed' to move every vector to " + model);
        }
    }

    /**
     * @return the store provider the configuration names
     * @throws InvalidInputException for an unknown name, and for PostgreSQL without a JDBC URL
     */
    static StoreProvider provider(AgentMemoryConfig config) {
        StoreProvider provider;
        try {
            provider = Providers.store(config.storeName());
        } catch (ConfigurationException e) {
            throw new InvalidInputException("--store", e.getMessage() + " (flag --store or env AGENT_MEMORY_STORE)");
        }
        if (POSTGRES.equals(provider.name()) && config.jdbcUrl() == null && config.dataSource() == null) {
            throw new InvalidInputException("--jdbc-url", "the postgres store needs the database's JDBC URL: pass"
                    + " --jdbc-url jdbc:postgresql://HOST:5432/DB or set AGENT_MEMORY_JDBC_URL");
        }
        return provider;
    }

    private static final String POSTGRES = "postgres";

    /** @return the vector size of the existing store, empty for a store that keeps nothing or has no schema */
    private static OptionalInt stored(StoreProvider provider, AgentMemoryConfig config, boolean mustExist) {
        if (!(provider instanceof DimensionChange change)) {
            return OptionalInt.empty();
        }
        // The size in this configuration is not read.
        OptionalInt stored = change.storedDimensions(storeConfig(config, 1, false));
        if (stored.isEmpty() && mustExist) {
            throw new ConfigurationException("no agent-memory schema in the " + provider.name()
                    + " store: run 'agent-memory init' to create it");
        }
        return stored;
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

    /** @return the backend's whole-store operations, or a failure naming what needs them */
    static StoreMaintenance maintenance(AgentMemorySystem memory, String what) {
        return memory.maintenance().orElseThrow(() -> new ConfigurationException(
                "the store " + memory.episodes().getClass().getSimpleName() + " cannot " + what
                        + ": its backend does not offer whole-store operations (StoreMaintenance)"));
    }

    /**
     * An embedder whose size is the store's, so that opening asks the embedder nothing; a vector of
     * another size is still refused by the store when it comes.
     */
    private static final class SizedEmbedder extends ForwardingEmbedder {
        private final int dimensions;

        SizedEmbedder(Embedder delegate, int dimensions) {
            super(delegate);
            this.dimensions = dimensions;
        }

        @Override
        public int dimensions() {
            return dimensions;
        }
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
