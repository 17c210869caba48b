package dev.agentmemory.inmemory;

import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.api.WorkingMemory;
import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.api.spi.StoreConfig;
import dev.agentmemory.api.spi.StoreProvider;
import java.util.Optional;

/**
 * The {@code "inmemory"} backend: an {@link InMemoryAgentMemoryStore}, an
 * {@link InMemoryKnowledgeStore} and an {@link InMemoryWorkingMemory}, for
 * {@link StoreConfig#dimensions()}. Nothing outlives the JVM; the JDBC settings are ignored.
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
        double floor = doubleProperty(config, CONFIDENCE_FLOOR, InMemoryKnowledgeStore.DEFAULT_CONFIDENCE_FLOOR);
        int minApplications = config.intProperty(MIN_APPLICATIONS, InMemoryKnowledgeStore.DEFAULT_MIN_APPLICATIONS);
        return new Stores(new InMemoryAgentMemoryStore(dimensions),
                new InMemoryKnowledgeStore(dimensions, floor, minApplications), new InMemoryWorkingMemory());
    }

    private static double doubleProperty(StoreConfig config, String key, double fallback) {
        String value = config.properties().get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(key, "'" + value + "' is not a number");
        }
    }

    private record Stores(InMemoryAgentMemoryStore episodes, InMemoryKnowledgeStore knowledgeStore,
                          InMemoryWorkingMemory memory) implements MemoryStores {

        @Override
        public Optional<KnowledgeStore> knowledge() {
            return Optional.of(knowledgeStore);
        }

        @Override
        public Optional<WorkingMemory> workingMemory() {
            return Optional.of(memory);
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
