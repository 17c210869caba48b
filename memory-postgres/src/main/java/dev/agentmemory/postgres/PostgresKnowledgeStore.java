package dev.agentmemory.postgres;

import dev.agentmemory.api.Evidence;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.JsonValues;
import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.api.Limits;
import dev.agentmemory.api.NotFoundException;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.StrategyQuery;
import dev.agentmemory.api.Vectors;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learned strategies in PostgreSQL: table {@code agent_knowledge}.
 *
 * <p>{@link #recordApplication} is one {@code UPDATE ... RETURNING} statement that locks the row,
 * so concurrent applications never lose a count; it computes the confidence in SQL by the formula
 * of {@link Evidence}. A strategy applied at least {@code minApplications} times whose confidence
 * then falls below {@code confidenceFloor} is deactivated, and that is logged at INFO.
 *
 * <p>Works on any {@link DataSource} (never closed here), on a schema that
 * {@link PostgresSchema#migrate} created for the same vector size. Safe for concurrent use.
 */
public final class PostgresKnowledgeStore implements KnowledgeStore {

    /** The confidence below which an often-applied strategy is deactivated, by default. */
    public static final double DEFAULT_CONFIDENCE_FLOOR = 0.2;
    /** How often a strategy must have been applied before the floor applies, by default. */
    public static final int DEFAULT_MIN_APPLICATIONS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(PostgresKnowledgeStore.class);

    private final Database db;
    private final int dimensions;
    private final double confidenceFloor;
    private final int minApplications;
    private final Clock clock;

    /**
     * Opens the store with the default floor and minimum applications.
     *
     * @param dataSource where connections come from; never closed by the store
     * @param dimensions the size of description vectors
     */
    public PostgresKnowledgeStore(DataSource dataSource, int dimensions) {
        this(dataSource, dimensions, DEFAULT_CONFIDENCE_FLOOR, DEFAULT_MIN_APPLICATIONS, Clock.systemUTC());
    }

    /**
     * @param dataSource where connections come from; never closed by the store
     * @param dimensions the size of description vectors
     * @param confidenceFloor in [0,1]: below it a strategy applied often enough is deactivated
     * @param minApplications 1 or more: applications before the floor applies
     * @param clock the time of applications
     * @throws dev.agentmemory.api.ConfigurationException when the schema is missing or was
     *     created for another size
     */
    public PostgresKnowledgeStore(DataSource dataSource, int dimensions, double confidenceFloor, int minApplications,
                                  Clock clock) {
        this(Database.on(Checks.required("dataSource", dataSource)), dimensions, confidenceFloor, minApplications,
                clock, true);
    }

    PostgresKnowledgeStore(Database db, int dimensions, double confidenceFloor, int minApplications, Clock clock,
                           boolean verify) {
        Checks.unitInterval("confidenceFloor", confidenceFloor);
        if (minApplications < 1) {
            throw new InvalidInputException("minApplications", minApplications + " must be at least 1");
        }
        if (verify) {
            PostgresSchema.verify(db, dimensions);
        }
        this.db = db;
        this.dimensions = dimensions;
        this.confidenceFloor = confidenceFloor;
        this.minApplications = minApplications;
        this.clock = Checks.required("clock", clock);
    }

    @Override
    public UUID storeStrategy(Strategy strategy, float @Nullable [] embedding) {
        Checks.required("strategy", strategy);
        float[] v = embedding == null ? null : Vectors.checkedCopy("embedding", embedding, dimensions);
        UUID id = strategy.knowledgeId() == null ? UUID.randomUUID() : strategy.knowledgeId();
        StrategyRow row = StrategyRow.of(strategy, id, v);
        db.autoCommit("storing a strategy", s -> s.getMapper(KnowledgeMapper.class).upsert(row));
        return id;
    }

    @Override
    public Optional<Strategy> getStrategy(UUID knowledgeId) {
        Checks.required("knowledgeId", knowledgeId);
        StrategyRow row = db.autoCommit("reading a strategy", s -> s.getMapper(KnowledgeMapper.class).findById(knowledgeId));
        return Optional.ofNullable(row).map(StrategyRow::toStrategy);
    }

    @Override
    public List<Strategy> listStrategies(StrategyQuery query) {
        Checks.required("query", query);
        return strategies(db.autoCommit("listing strategies", s -> s.getMapper(KnowledgeMapper.class)
                .list(query.activeOnly(), query.knowledgeType(), query.minConfidence(), query.limit())));
    }

    @Override
    public List<Strategy> getApplicableStrategies(Map<String, Object> context, float @Nullable [] contextEmbedding,
                                                  double minConfidence, int limit) {
        Map<String, Object> ctx = JsonValues.copyMap("context", context);
        float[] q = contextEmbedding == null ? null : Vectors.checkedCopy("contextEmbedding", contextEmbedding, dimensions);
        Checks.unitInterval("minConfidence", minConfidence);
        Limits.check("limit", limit);
        List<StrategyRow> candidates = db.autoCommit("finding applicable strategies",
                s -> s.getMapper(KnowledgeMapper.class).findCandidates(minConfidence, q));
        List<Ranked> applicable = new ArrayList<>();
        for (StrategyRow row : candidates) {
            Strategy strategy = row.toStrategy();
            if (strategy.appliesTo(ctx)) {
                applicable.add(new Ranked(strategy, row.similarity));
            }
        }
        // Confidence first; among equals, closer descriptions first and those without a vector last.
        applicable.sort(Comparator.comparingDouble((Ranked r) -> r.strategy.confidence()).reversed()
                .thenComparing(r -> r.similarity, Comparator.nullsLast(Comparator.reverseOrder())));
        List<Strategy> out = new ArrayList<>(Math.min(limit, applicable.size()));
        for (int i = 0; i < applicable.size() && i < limit; i++) {
            out.add(applicable.get(i).strategy);
        }
        return out;
    }

    @Override
    public Strategy recordApplication(UUID knowledgeId, UUID episodeId, boolean success) {
        Checks.required("knowledgeId", knowledgeId);
        Checks.required("episodeId", episodeId);
        StrategyRow row = db.autoCommit("recording a strategy's application", s -> s.getMapper(KnowledgeMapper.class)
                .recordApplication(knowledgeId, episodeId, success, Checks.now(clock), Evidence.Z, confidenceFloor,
                        minApplications));
        if (row == null) {
            throw new NotFoundException("strategy", knowledgeId);
        }
        Strategy after = row.toStrategy();
        if (Boolean.TRUE.equals(row.wasActive) && !after.active()) {
            LOG.info("Deactivated strategy {} ({}): confidence {} is below the floor {} after {} applications"
                            + " ({} successes, {} failures)", knowledgeId, after.description(), after.confidence(),
                    confidenceFloor, after.timesApplied(), after.successCount(), after.failureCount());
        }
        return after;
    }

    @Override
    public boolean deactivateStrategy(UUID knowledgeId) {
        Checks.required("knowledgeId", knowledgeId);
        return db.autoCommit("deactivating a strategy", s -> s.getMapper(KnowledgeMapper.class).deactivate(knowledgeId)) > 0;
    }

    @Override
    public boolean deleteStrategy(UUID knowledgeId) {
        Checks.required("knowledgeId", knowledgeId);
        return db.autoCommit("deleting a strategy", s -> s.getMapper(KnowledgeMapper.class).delete(knowledgeId)) > 0;
    }

    /** @return the confidence below which an often-applied strategy is deactivated */
    public double confidenceFloor() {
        return confidenceFloor;
    }

    /** @return how often a strategy must have been applied before the floor applies */
    public int minApplications() {
        return minApplications;
    }

    private static List<Strategy> strategies(List<StrategyRow> rows) {
        List<Strategy> out = new ArrayList<>(rows.size());
        for (StrategyRow r : rows) {
            out.add(r.toStrategy());
        }
        return out;
    }

    private record Ranked(Strategy strategy, @Nullable Double similarity) {
    }

    @Override
    public String toString() {
        return "PostgresKnowledgeStore{dimensions=" + dimensions + ", confidenceFloor=" + confidenceFloor
                + ", minApplications=" + minApplications + "}";
    }
}
