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
 * @param approximateSearchFrom from this many episode vectors on, a similarity search without a
 *     filter (or one that only excludes a project) reads the {@code searchProbes} clusters of
 *     vectors nearest the query instead of every vector; 0 keeps every search exact, else at
 *     least {@value #MIN_APPROXIMATE_FROM}; {@value #DEFAULT_APPROXIMATE_FROM} (every search exact,
 *     as the API contract says; {@value #SUGGESTED_APPROXIMATE_FROM} is the suggested opt-in). A
 *     search filtered by project or anything else is always exact.
 * @param searchProbes the clusters (of {@value Clusters#COUNT}) an approximate search reads, 1 to
 *     {@value Clusters#COUNT}; {@value #DEFAULT_SEARCH_PROBES}. More probes: recall nearer exact,
 *     slower.
 */
public record InMemoryStoreOptions(double confidenceFloor, int minApplications, int approximateSearchFrom,
                                   int searchProbes) {

    /** The property holding the knowledge store's confidence floor. */
    public static final String CONFIDENCE_FLOOR = "knowledge.confidence-floor";
    /** The property holding the knowledge store's minimum applications. */
    public static final String MIN_APPLICATIONS = "knowledge.min-applications";

    /** The property holding the size from which an unfiltered search is approximate (0: never). */
    public static final String APPROXIMATE_SEARCH_FROM = "search.approximate-from";
    /** The property holding the clusters an approximate search reads. */
    public static final String SEARCH_PROBES = "search.probes";
    /**
     * The default of {@link #approximateSearchFrom()}: 0, every search exact, as the API contract
     * promises for this backend. The approximate path is opt-in, see
     * {@link #SUGGESTED_APPROXIMATE_FROM}.
     */
    public static final int DEFAULT_APPROXIMATE_FROM = 0;
    /**
     * A size to opt in to the approximate search with: below it an exact scan of all vectors takes
     * a few milliseconds, so the approximate path would give recall away for little. Opt in when an
     * unfiltered search over 50,000 or more vectors is too slow exact and the recall@10 of the default
     * probes (0.987 on memory-bench's embedding-like vectors,
     * lower on vectors with no structure) is acceptable.
     */
    public static final int SUGGESTED_APPROXIMATE_FROM = 50_000;
    /** The least non-zero {@link #approximateSearchFrom()}: the clusters need vectors to train on. */
    public static final int MIN_APPROXIMATE_FROM = 4 * Clusters.COUNT;
    /**
     * The default of {@link #searchProbes()}: at 100,000 vectors a twentieth of them read, recall@10
     * 0.987 on memory-bench's embedding-like vectors (0.999 at 24 probes).
     */
    public static final int DEFAULT_SEARCH_PROBES = 12;

    private static final Set<String> KEYS = Set.of(CONFIDENCE_FLOOR, MIN_APPLICATIONS, APPROXIMATE_SEARCH_FROM,
            SEARCH_PROBES);

    /** Checks every value. */
    public InMemoryStoreOptions {
        Checks.unitInterval("confidenceFloor", confidenceFloor);
        if (minApplications < 1) {
            throw new InvalidInputException("minApplications", minApplications + " must be at least 1");
        }
        checkApproximateFrom("approximateSearchFrom", approximateSearchFrom);
        checkProbes("searchProbes", searchProbes);
    }

    private static int checkApproximateFrom(String field, int v) {
        if (v != 0 && v < MIN_APPROXIMATE_FROM) {
            throw new InvalidInputException(field, v + " must be 0 (always exact) or at least " + MIN_APPROXIMATE_FROM);
        }
        return v;
    }

    private static int checkProbes(String field, int v) {
        if (v < 1 || v > Clusters.COUNT) {
            throw new InvalidInputException(field, v + " is outside 1 to " + Clusters.COUNT);
        }
        return v;
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
                case APPROXIMATE_SEARCH_FROM -> b.approximateSearchFrom(parseInt(key, v));
                case SEARCH_PROBES -> b.searchProbes(parseInt(key, v));
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
        private int approximateSearchFrom = DEFAULT_APPROXIMATE_FROM;
        private int searchProbes = DEFAULT_SEARCH_PROBES;

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

        /** @param v episode vectors from which an unfiltered search is approximate; 0 keeps it exact */
        public Builder approximateSearchFrom(int v) {
            approximateSearchFrom = checkApproximateFrom(APPROXIMATE_SEARCH_FROM, v);
            return this;
        }

        /** @param v clusters an approximate search reads */
        public Builder searchProbes(int v) {
            searchProbes = checkProbes(SEARCH_PROBES, v);
            return this;
        }

        public InMemoryStoreOptions build() {
            return new InMemoryStoreOptions(confidenceFloor, minApplications, approximateSearchFrom, searchProbes);
        }
    }
}
