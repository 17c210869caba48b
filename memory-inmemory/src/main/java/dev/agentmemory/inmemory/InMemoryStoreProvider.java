package dev.agentmemory.inmemory;

import dev.agentmemory.api.Checks;
import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.api.NotFoundException;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.WorkingMemory;
import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.api.spi.StoreMaintenance;
import dev.agentmemory.api.spi.StoreConfig;
import dev.agentmemory.api.spi.StoreProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The {@code "inmemory"} backend: an {@link InMemoryAgentMemoryStore}, an
 * {@link InMemoryKnowledgeStore} and an {@link InMemoryWorkingMemory}, for
 * {@link StoreConfig#dimensions()}. Nothing outlives the JVM; the JDBC settings are ignored. The
 * stores offer {@link StoreMaintenance}; their vectors are kept, and read back, scaled to length 1.
 *
 * <p>{@link StoreConfig#properties()} are parsed into {@link InMemoryStoreOptions}, which says
 * what each means and refuses keys it does not know.
 */
public final class InMemoryStoreProvider implements StoreProvider {

    /** The name users configure. */
    public static final String NAME = "inmemory";
    /** The property holding the knowledge store's confidence floor. */
    public static final String CONFIDENCE_FLOOR = InMemoryStoreOptions.CONFIDENCE_FLOOR;
    /** The property holding the knowledge store's minimum applications. */
    public static final String MIN_APPLICATIONS = InMemoryStoreOptions.MIN_APPLICATIONS;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public MemoryStores open(StoreConfig config) {
        return open(config.dimensions(), InMemoryStoreOptions.fromProperties(config.properties()));
    }

    /**
     * @param dimensions the vector size
     * @param options the typed settings
     * @return the stores
     */
    public MemoryStores open(int dimensions, InMemoryStoreOptions options) {
        Checks.required("options", options);
        return new Stores(new InMemoryAgentMemoryStore(dimensions, java.time.Clock.systemUTC(), options),
                new InMemoryKnowledgeStore(dimensions, options.confidenceFloor(), options.minApplications()),
                new InMemoryWorkingMemory(), new AtomicReference<>());
    }


    private record Stores(InMemoryAgentMemoryStore episodes, InMemoryKnowledgeStore knowledgeStore,
                          InMemoryWorkingMemory memory, AtomicReference<@Nullable String> model)
            implements MemoryStores, StoreMaintenance {

        @Override
        public Optional<KnowledgeStore> knowledge() {
            return Optional.of(knowledgeStore);
        }

        @Override
        public Optional<WorkingMemory> workingMemory() {
            return Optional.of(memory);
        }

        // One lock for the outcome and its evidence, so that a reader never sees one without the
        // other; each application is keyed by (strategy, episode) in the knowledge store.
        @Override
        public List<Strategy> recordOutcome(UUID episodeId, Map<String, Object> outcome, double outcomeQuality,
                                            List<UUID> appliedStrategies, boolean success) {
            Checks.required("appliedStrategies", appliedStrategies);
            synchronized (episodes) {
                episodes.updateEpisodeOutcome(episodeId, outcome, outcomeQuality);
                List<Strategy> out = new ArrayList<>();
                for (UUID id : appliedStrategies) {
                    if (knowledgeStore.getStrategy(id).isPresent()) {
                        try {
                            out.add(knowledgeStore.recordApplication(id, episodeId, success));
                        } catch (NotFoundException deletedMeanwhile) {
                            // skipped, as the contract says
                        }
                    }
                }
                return out;
            }
        }

        @Override
        public List<StoredEpisode> readEpisodes(@Nullable UUID after, int limit) {
            return episodes.readEpisodes(after, limit);
        }

        @Override
        public List<StoredStrategy> readStrategies(@Nullable UUID after, int limit) {
            return knowledgeStore.readStrategies(after, limit);
        }

        @Override
        public Map<String, Long> countEpisodesByProject() {
            return episodes.countEpisodesByProject();
        }

        @Override
        public Optional<String> schemaVersion() {
            return Optional.empty();
        }

        @Override
        public Optional<String> embeddingModel() {
            return Optional.ofNullable(model.get());
        }

        @Override
        public long clearEmbeddings(String newModel) {
            Checks.required("model", newModel);
            long dropped = episodes.clearEmbeddings() + knowledgeStore.clearEmbeddings();
            model.set(newModel);
            return dropped;
        }

        @Override
        public void updateStrategyEmbedding(UUID knowledgeId, float[] embedding) {
            knowledgeStore.updateStrategyEmbedding(knowledgeId, embedding);
        }

        @Override
        public String describe() {
            return "inmemory (dimensions " + episodes.dimensions() + ", confidence floor "
                    + knowledgeStore.confidenceFloor() + " after " + knowledgeStore.minApplications()
                    + " applications)";
        }

        @Override
        public void close() {
            // Nothing is held but memory, which the garbage collector takes back.
        }
    }
}
