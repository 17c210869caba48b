package dev.agentmemory.inmemory;

import dev.agentmemory.api.Checks;
import dev.agentmemory.api.Evidence;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.JsonValues;
import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.api.Limits;
import dev.agentmemory.api.NotFoundException;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.StrategyOrder;
import dev.agentmemory.api.StrategyQuery;
import dev.agentmemory.api.Vectors;
import dev.agentmemory.api.spi.StoreMaintenance.StoredStrategy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Learned strategies held in the JVM.
 *
 * <p>Each strategy is one entry of a {@link ConcurrentHashMap}, changed with {@code compute}, and
 * holds its applications keyed by episode: an application is recorded once per (strategy,
 * episode), and {@link Evidence#applied} moves the counters, so that concurrent and repeated
 * recordings count once. Order is {@link StrategyOrder}'s.
 */
public final class InMemoryKnowledgeStore implements KnowledgeStore {

    /** The confidence below which a strategy is deactivated, unless configured otherwise. */
    public static final double DEFAULT_CONFIDENCE_FLOOR = 0.2;
    /** The applications after which the floor applies, unless configured otherwise. */
    public static final int DEFAULT_MIN_APPLICATIONS = 5;


    private final int dimensions;
    private final double confidenceFloor;
    private final int minApplications;
    private final Clock clock;
    private final ConcurrentHashMap<UUID, Stored> strategies = new ConcurrentHashMap<>();

    /**
     * A strategy, the unit vector of its description if it has one, and its applications: episode
     * to success, changed only inside the map's {@code compute} for this strategy.
     */
    private record Stored(Strategy strategy, float @Nullable [] unitEmbedding, Map<UUID, Boolean> applications) {
        Stored(Strategy strategy, float @Nullable [] unitEmbedding) {
            this(strategy, unitEmbedding, new HashMap<>());
        }

        /** A stored strategy always has its id: storing gives one to each that comes without. */
        UUID id() {
            return Objects.requireNonNull(strategy.knowledgeId(), "a stored strategy has an id");
        }

        Stored with(Strategy s) {
            return new Stored(s, unitEmbedding, applications);
        }

        Stored withEmbedding(float @Nullable [] unit) {
            return new Stored(strategy, unit, applications);
        }
    }

    /**
     * A store with the default floor ({@value #DEFAULT_CONFIDENCE_FLOOR}) and minimum applications
     * ({@value #DEFAULT_MIN_APPLICATIONS}).
     *
     * @param dimensions the size of description vectors
     */
    public InMemoryKnowledgeStore(int dimensions) {
        this(dimensions, DEFAULT_CONFIDENCE_FLOOR, DEFAULT_MIN_APPLICATIONS);
    }

    /**
     * @param dimensions the size of description vectors, 1 or more
     * @param confidenceFloor in [0,1]: below it a strategy is deactivated...
     * @param minApplications ...once it has been applied at least this often, 1 or more
     */
    public InMemoryKnowledgeStore(int dimensions, double confidenceFloor, int minApplications) {
        this(dimensions, confidenceFloor, minApplications, Clock.systemUTC());
    }

    /**
     * @param dimensions the size of description vectors, 1 or more
     * @param confidenceFloor in [0,1]: below it a strategy is deactivated...
     * @param minApplications ...once it has been applied at least this often, 1 or more
     * @param clock where the time of an application comes from
     */
    public InMemoryKnowledgeStore(int dimensions, double confidenceFloor, int minApplications, Clock clock) {
        if (dimensions < 1) {
            throw new InvalidInputException("dimensions", dimensions + " must be at least 1");
        }
        if (minApplications < 1) {
            throw new InvalidInputException("minApplications", minApplications + " must be at least 1");
        }
        this.dimensions = dimensions;
        this.confidenceFloor = Checks.unitInterval("confidenceFloor", confidenceFloor);
        this.minApplications = minApplications;
        this.clock = Checks.required("clock", clock);
    }

    /** @return the confidence below which an often-applied strategy is deactivated */
    public double confidenceFloor() {
        return confidenceFloor;
    }

    /** @return the applications after which the floor applies */
    public int minApplications() {
        return minApplications;
    }

    @Override
    public UUID storeStrategy(Strategy strategy, float @Nullable [] embedding) {
        Checks.required("strategy", strategy);
        float[] unit = embedding == null ? null
                : VectorIndex.unit(Vectors.checkedCopy("embedding", embedding, dimensions));
        UUID knowledgeId = strategy.knowledgeId() == null ? UUID.randomUUID() : strategy.knowledgeId();
        Strategy toStore = strategy.knowledgeId() == null
                ? strategy.toBuilder().knowledgeId(knowledgeId).build() : strategy;
        // A replaced strategy keeps its applications, as the table of them does in PostgreSQL.
        strategies.compute(knowledgeId, (id, old) -> old == null ? new Stored(toStore, unit)
                : new Stored(toStore, unit, old.applications));
        return knowledgeId;
    }

    @Override
    public Optional<Strategy> getStrategy(UUID knowledgeId) {
        Checks.required("knowledgeId", knowledgeId);
        Stored s = strategies.get(knowledgeId);
        return s == null ? Optional.empty() : Optional.of(s.strategy);
    }

    @Override
    public List<Strategy> listStrategies(StrategyQuery query) {
        Checks.required("query", query);
        return strategies.values().stream()
                .map(Stored::strategy)
                .filter(s -> !query.activeOnly() || s.active())
                .filter(s -> query.knowledgeType() == null || query.knowledgeType().equals(s.knowledgeType()))
                .filter(s -> s.confidence() >= query.minConfidence())
                .sorted(StrategyOrder.MOST_CONFIDENT_FIRST)
                .limit(query.limit())
                .toList();
    }

    @Override
    public List<Strategy> getApplicableStrategies(Map<String, Object> context, float @Nullable [] contextEmbedding,
                                                  double minConfidence, int limit) {
        Map<String, Object> checked = JsonValues.copyMap("context", context);
        float[] unitContext = contextEmbedding == null ? null
                : VectorIndex.unit(Vectors.checkedCopy("contextEmbedding", contextEmbedding, dimensions));
        Checks.unitInterval("minConfidence", minConfidence);
        Limits.check("limit", limit);
        List<StrategyOrder.Candidate> candidates = new ArrayList<>();
        for (Stored s : strategies.values()) {
            Strategy strategy = s.strategy;
            if (strategy.active() && strategy.confidence() >= minConfidence && strategy.appliesTo(checked)) {
                candidates.add(new StrategyOrder.Candidate(strategy, closeness(unitContext, s.unitEmbedding)));
            }
        }
        return StrategyOrder.applicable(candidates, limit);
    }

    /** Cosine similarity of two unit vectors, or null when either is missing. */
    private static @Nullable Double closeness(float @Nullable [] a, float @Nullable [] b) {
        if (a == null || b == null) {
            return null;
        }
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
        }
        return dot;
    }

    @Override
    public Strategy recordApplication(UUID knowledgeId, UUID episodeId, boolean success) {
        Checks.required("knowledgeId", knowledgeId);
        Checks.required("episodeId", episodeId);
        Stored updated = strategies.computeIfPresent(knowledgeId, (id, stored) -> {
            Boolean before = stored.applications.get(episodeId);
            Strategy after = Evidence.applied(stored.strategy, episodeId, before, success, Checks.now(clock),
                    confidenceFloor, minApplications);
            stored.applications.put(episodeId, success);
            return stored.with(after);
        });
        if (updated == null) {
            throw new NotFoundException("strategy", knowledgeId);
        }
        return updated.strategy;
    }

    /**
     * @param knowledgeId a strategy
     * @return the episodes it was applied in and whether it worked there
     */
    public Map<UUID, Boolean> applications(UUID knowledgeId) {
        Stored s = strategies.get(Checks.required("knowledgeId", knowledgeId));
        if (s == null) {
            return Map.of();
        }
        Map<UUID, Boolean> copy = new HashMap<>();
        // The same compute that writes it reads it, so the copy is never torn.
        strategies.computeIfPresent(knowledgeId, (id, stored) -> {
            copy.putAll(stored.applications);
            return stored;
        });
        return copy;
    }

    @Override
    public boolean deactivateStrategy(UUID knowledgeId) {
        Checks.required("knowledgeId", knowledgeId);
        boolean[] changed = {false};
        strategies.computeIfPresent(knowledgeId, (id, stored) -> {
            if (!stored.strategy.active()) {
                return stored;
            }
            changed[0] = true;
            return stored.with(stored.strategy.toBuilder().active(false).build());
        });
        return changed[0];
    }

    /**
     * @param after the last id of the previous page, or null for the first
     * @param limit at most this many
     * @return the next strategies, active or not, in the order of {@link UUID#compareTo}, each with
     *     the unit vector of its description or null
     */
    public List<StoredStrategy> readStrategies(@Nullable UUID after, int limit) {
        Limits.check("limit", limit);
        return strategies.values().stream()
                .filter(s -> after == null || s.id().compareTo(after) > 0)
                .sorted(Comparator.comparing(Stored::id))
                .limit(limit)
                .map(s -> new StoredStrategy(s.strategy, s.unitEmbedding))
                .toList();
    }

    /**
     * Sets or replaces the vector of a strategy's description; its evidence stays as it is.
     *
     * @param knowledgeId the strategy
     * @param embedding the vector
     * @throws NotFoundException when no such strategy is stored
     */
    public void updateStrategyEmbedding(UUID knowledgeId, float[] embedding) {
        Checks.required("knowledgeId", knowledgeId);
        float[] unit = VectorIndex.unit(Vectors.checkedCopy("embedding", embedding, dimensions));
        if (strategies.computeIfPresent(knowledgeId, (id, stored) -> stored.withEmbedding(unit)) == null) {
            throw new NotFoundException("strategy", knowledgeId);
        }
    }

    /** @return how many vectors were dropped from strategies */
    public long clearEmbeddings() {
        long dropped = 0;
        for (UUID id : strategies.keySet()) {
            // computeIfPresent runs its function once, atomically: a concurrent application is kept.
            boolean[] had = {false};
            strategies.computeIfPresent(id, (key, stored) -> {
                had[0] = stored.unitEmbedding != null;
                return stored.withEmbedding(null);
            });
            dropped += had[0] ? 1 : 0;
        }
        return dropped;
    }

    @Override
    public boolean deleteStrategy(UUID knowledgeId) {
        Checks.required("knowledgeId", knowledgeId);
        return strategies.remove(knowledgeId) != null;
    }
}
