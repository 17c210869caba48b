package dev.agentmemory.inmemory;

import dev.agentmemory.api.Checks;
import dev.agentmemory.api.Evidence;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.JsonValues;
import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.api.Limits;
import dev.agentmemory.api.NotFoundException;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.StrategyQuery;
import dev.agentmemory.api.Vectors;
import dev.agentmemory.api.spi.StoreMaintenance.StoredStrategy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Learned strategies held in the JVM.
 *
 * <p>Each strategy is one entry of a {@link ConcurrentHashMap}, changed with {@code compute}: an
 * application's counts, success rate, confidence, times and episode lists move together, and
 * concurrent applications to one strategy lose nothing. Once a strategy has been applied at least
 * {@code minApplications} times, an application that leaves its confidence below
 * {@code confidenceFloor} deactivates it.
 */
public final class InMemoryKnowledgeStore implements KnowledgeStore {

    /** The confidence below which a strategy is deactivated, unless configured otherwise. */
    public static final double DEFAULT_CONFIDENCE_FLOOR = 0.2;
    /** The applications after which the floor applies, unless configured otherwise. */
    public static final int DEFAULT_MIN_APPLICATIONS = 5;

    private static final Comparator<Strategy> MOST_CONFIDENT_FIRST = Comparator
            .comparingDouble(Strategy::confidence).reversed()
            .thenComparing(Strategy::createdAt, Comparator.reverseOrder())
            .thenComparing(s -> s.knowledgeId().toString());

    private final int dimensions;
    private final double confidenceFloor;
    private final int minApplications;
    private final Clock clock;
    private final ConcurrentHashMap<UUID, Stored> strategies = new ConcurrentHashMap<>();

    /** A strategy and the unit vector of its description, if it has one. */
    private record Stored(Strategy strategy, float @Nullable [] unitEmbedding) {
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
        Strategy toStore = strategy.knowledgeId() == null
                ? strategy.toBuilder().knowledgeId(UUID.randomUUID()).build() : strategy;
        strategies.put(toStore.knowledgeId(), new Stored(toStore, unit));
        return toStore.knowledgeId();
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
                .sorted(MOST_CONFIDENT_FIRST)
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
        List<Ranked> ranked = new ArrayList<>();
        for (Stored s : strategies.values()) {
            Strategy strategy = s.strategy;
            if (strategy.active() && strategy.confidence() >= minConfidence && strategy.appliesTo(checked)) {
                ranked.add(new Ranked(strategy, closeness(unitContext, s.unitEmbedding)));
            }
        }
        ranked.sort(Comparator.comparingDouble((Ranked r) -> r.strategy.confidence()).reversed()
                .thenComparing(Comparator.comparingDouble(Ranked::closeness).reversed())
                .thenComparing(r -> r.strategy, MOST_CONFIDENT_FIRST));
        return ranked.stream().limit(limit).map(Ranked::strategy).toList();
    }

    private record Ranked(Strategy strategy, double closeness) {
    }

    /** Cosine similarity of two unit vectors; a strategy without a vector ranks below any with one. */
    private static double closeness(float @Nullable [] a, float @Nullable [] b) {
        if (a == null || b == null) {
            return Double.NEGATIVE_INFINITY;
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
            Instant now = Checks.now(clock);
            Strategy s = stored.strategy;
            int times = s.timesApplied() + 1;
            int successes = s.successCount() + (success ? 1 : 0);
            int failures = s.failureCount() + (success ? 0 : 1);
            double confidence = Evidence.confidence(successes, times, s.confidence());
            Strategy.Builder b = s.toBuilder()
                    .timesApplied(times)
                    .successCount(successes)
                    .failureCount(failures)
                    .successRate((double) successes / times)
                    .confidence(confidence)
                    .lastApplied(now)
                    .lastValidated(now);
            if (success) {
                b.supportingEpisodes(appended(s.supportingEpisodes(), episodeId));
            } else {
                b.contradictingEpisodes(appended(s.contradictingEpisodes(), episodeId));
            }
            if (times >= minApplications && confidence < confidenceFloor) {
                b.active(false);
            }
            return new Stored(b.build(), stored.unitEmbedding);
        });
        if (updated == null) {
            throw new NotFoundException("strategy", knowledgeId);
        }
        return updated.strategy;
    }

    private static List<UUID> appended(List<UUID> ids, UUID id) {
        List<UUID> out = new ArrayList<>(ids.size() + 1);
        out.addAll(ids);
        out.add(id);
        return out;
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
            return new Stored(stored.strategy.toBuilder().active(false).build(), stored.unitEmbedding);
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
                .filter(s -> after == null || s.strategy.knowledgeId().compareTo(after) > 0)
                .sorted(Comparator.comparing((Stored s) -> s.strategy.knowledgeId()))
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
        if (strategies.computeIfPresent(knowledgeId, (id, stored) -> new Stored(stored.strategy, unit)) == null) {
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
                return new Stored(stored.strategy, null);
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
