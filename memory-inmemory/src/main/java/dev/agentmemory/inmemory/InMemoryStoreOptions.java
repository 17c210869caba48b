package dev.agentmemory.inmemory;

import dev.agentmemory.api.Checks;
import dev.agentmemory.api.InvalidInputException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings of the {@code "inmemory"} backend, typed. {@link #fromProperties} parses the
 * string properties of a {@link dev.agentmemory.api.spi.StoreConfig} into it and refuses a key it
 * does not know, by name, so that a misspelt setting fails instead of being ignored.
 *
 * @param confidenceFloor below this confidence a strategy applied often enough is deactivated, in
 *     [0,1]; {@value InMemoryKnowledgeStore#DEFAULT_CONFIDENCE_FLOOR}
 * @param minApplications applications before the floor applies, 1 or more;
 *     {@value InMemoryKnowledgeStore#DEFAULT_MIN_APPLICATIONS}
 */
public record InMemoryStoreOptions(double confidenceFloor, int minApplications) {

    /** The property holding the knowledge store's confidence floor. */
    public static final String CONFIDENCE_FLOOR = "knowledge.confidence-floor";
    /** The property holding the knowledge store's minimum applications. */
    public static final String MIN_APPLICATIONS = "knowledge.min-applications";

    private static final Set<String> KEYS = Set.of(CONFIDENCE_FLOOR, MIN_APPLICATIONS);

    /** Checks every value. */
    public InMemoryStoreOptions {
        Checks.unitInterval("confidenceFloor", confidenceFloor);
        if (minApplications < 1) {
            throw new InvalidInputException("minApplications", minApplications + " must be at least 1");
        }
    }

    /** @return the defaults */
    public static InMemoryStoreOptions ofDefaults() {
        return builder().build();
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param properties string settings, as from the environment or a command line
     * @return the options they say, the defaults for the rest
     * @throws InvalidInputException for a key this backend does not know, or a bad value
     */
    public static InMemoryStoreOptions fromProperties(Map<String, String> properties) {
        Builder b = builder();
        for (Map.Entry<String, String> e : properties.entrySet()) {
            String key = e.getKey();
            String v = e.getValue() == null ? "" : e.getValue().trim();
            switch (key) {
                case CONFIDENCE_FLOOR -> b.confidenceFloor(parseDouble(key, v));
                case MIN_APPLICATIONS -> b.minApplications(parseInt(key, v));
                default -> throw new InvalidInputException(key, "is not a setting of the inmemory store; it knows "
                        + new TreeSet<>(KEYS));
            }
        }
        return b.build();
    }

    private static double parseDouble(String key, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(key, "'" + v + "' is not a number");
        }
    }

    private static int parseInt(String key, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(key, "'" + v + "' is not a whole number");
        }
    }

    /** Builds {@link InMemoryStoreOptions}; each setter checks its value, {@link #build()} the whole. */
    public static final class Builder {
        private double confidenceFloor = InMemoryKnowledgeStore.DEFAULT_CONFIDENCE_FLOOR;
        private int minApplications = InMemoryKnowledgeStore.DEFAULT_MIN_APPLICATIONS;

        private Builder() {
        }

        public Builder confidenceFloor(double v) {
            confidenceFloor = Checks.unitInterval(CONFIDENCE_FLOOR, v);
            return this;
        }

        public Builder minApplications(int v) {
            if (v < 1) {
                throw new InvalidInputException(MIN_APPLICATIONS, v + " must be at least 1");
            }
            minApplications = v;
            return this;
        }

        public InMemoryStoreOptions build() {
            return new InMemoryStoreOptions(confidenceFloor, minApplications);
        }
    }
}
