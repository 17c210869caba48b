package dev.agentmemory.inmemory;

import dev.agentmemory.api.Checks;
import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.api.WorkingMemory;
import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.api.spi.StoreMaintenance;
import dev.agentmemory.api.spi.StoreConfig;
import dev.agentmemory.api.spi.StoreProvider;
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
 * <p>Properties read from {@link StoreConfig#properties()}:
 * <ul>
 *   <li>{@value #CONFIDENCE_FLOOR}: the confidence in [0,1] below which a strategy applied often
 *       enough is deactivated; default {@value InMemoryKnowledgeStore#DEFAULT_CONFIDENCE_FLOOR}.</li>
 *   <li>{@value #MIN_APPLICATIONS}: how often a strategy must have been applied before the floor
 *       applies, 1 or more; default {@value InMemoryKnowledgeStore#DEFAULT_MIN_APPLICATIONS}.</li>
 * </ul>
 */
public final class InMemoryStoreProvider implements StoreProvider {

    /** The name users configure. */
    public static final String NAME = "inmemory";
    /** The property holding the knowledge store's confidence floor. */
    public static final String CONFIDENCE_FLOOR = "knowledge.confidence-floor";
    /** The property holding the knowledge store's minimum applications. */
    public static final String MIN_APPLICATIONS = "knowledge.min-applications";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public MemoryStores open(StoreConfig config) {
        int dimensions = config.dimensions();
        double floor = config.doubleProperty(CONFIDENCE_FLOOR, InMemoryKnowledgeStore.DEFAULT_CONFIDENCE_FLOOR);
        int minApplications = config.intProperty(MIN_APPLICATIONS, InMemoryKnowledgeStore.DEFAULT_MIN_APPLICATIONS);
        return new Stores(new InMemoryAgentMemoryStore(dimensions),
                new InMemoryKnowledgeStore(dimensions, floor, minApplications), new InMemoryWorkingMemory(),
                new AtomicReference<>());
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
