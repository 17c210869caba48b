package dev.agentmemory.cli;

import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.api.WorkingMemory;
import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.api.spi.StoreMaintenance;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What a command reads from its surroundings: the environment, standard input and, for tests that
 * run several commands on one in-memory store, stores that outlive each command.
 *
 * @param env the environment the configuration is read from
 * @param stdin standard input
 * @param sharedStores stores every command uses instead of opening its own, never closed by a
 *     command; null to open the configured store
 */
record CliContext(Map<String, String> env, InputStream stdin, @Nullable MemoryStores sharedStores) {

    CliContext {
        env = Map.copyOf(env);
        Objects.requireNonNull(stdin, "stdin");
    }

    /** @return the process's environment and standard input */
    static CliContext ofProcess() {
        return new CliContext(System.getenv(), System.in, null);
    }

    /** @return {@link #sharedStores()} behind a close that does nothing, or null */
    @Nullable MemoryStores unclosedSharedStores() {
        MemoryStores s = sharedStores;
        if (s == null) {
            return null;
        }
        return s instanceof StoreMaintenance m ? new UnclosedMaintained(s, m) : new Unclosed(s);
    }

    /** Stores whose owner closes them, not the command that borrows them. */
    private static class Unclosed implements MemoryStores {
        final MemoryStores delegate;

        Unclosed(MemoryStores delegate) {
            this.delegate = delegate;
        }

        @Override
        public AgentMemoryStore episodes() {
            return delegate.episodes();
        }

        @Override
        public Optional<KnowledgeStore> knowledge() {
            return delegate.knowledge();
        }

        @Override
        public Optional<WorkingMemory> workingMemory() {
            return delegate.workingMemory();
        }

        @Override
        public String describe() {
            return delegate.describe();
        }

        @Override
        public java.util.List<dev.agentmemory.api.Strategy> recordOutcome(java.util.UUID episodeId,
                java.util.Map<String, Object> outcome, double outcomeQuality, java.util.List<java.util.UUID> applied,
                boolean success) {
            // The delegate's own, in one transaction of its backend.
            return delegate.recordOutcome(episodeId, outcome, outcomeQuality, applied, success);
        }

        @Override
        public void close() {
            // the owner closes them
        }
    }

    private static final class UnclosedMaintained extends Unclosed implements StoreMaintenance {
        private final StoreMaintenance maintenance;

        UnclosedMaintained(MemoryStores delegate, StoreMaintenance maintenance) {
            super(delegate);
            this.maintenance = maintenance;
        }

        @Override
        public List<StoredEpisode> readEpisodes(@Nullable UUID after, int limit) {
            return maintenance.readEpisodes(after, limit);
        }

        @Override
        public List<StoredStrategy> readStrategies(@Nullable UUID after, int limit) {
            return maintenance.readStrategies(after, limit);
        }

        @Override
        public Map<String, Long> countEpisodesByProject() {
            return maintenance.countEpisodesByProject();
        }

        @Override
        public Optional<String> schemaVersion() {
            return maintenance.schemaVersion();
        }

        @Override
        public Optional<String> embeddingModel() {
            return maintenance.embeddingModel();
        }

        @Override
        public long clearEmbeddings(String model) {
            return maintenance.clearEmbeddings(model);
        }

        @Override
        public void updateStrategyEmbedding(UUID knowledgeId, float[] embedding) {
            maintenance.updateStrategyEmbedding(knowledgeId, embedding);
        }
    }
}
