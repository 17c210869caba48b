package dev.agentmemory.postgres;

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
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.ibatis.session.SqlSession;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learned strategies in PostgreSQL: table {@code agent_knowledge}, and their applications, table
 * {@code agent_strategy_applications} (one row per strategy and episode).
 *
 * <p>An application locks the strategy's row, reads the result recorded for that episode, stores
 * the new one {@code ON CONFLICT}, and writes the counters {@link Evidence#applied} derives, all in
 * one transaction (with the outcome's, when {@link #recordOutcome} records both): concurrent and
 * repeated recordings count once. A strategy deactivated by its evidence is logged at INFO. Order
 * is {@link StrategyOrder}'s.
 *
 * <p>Works on any {@link DataSource} (never closed here), on a schema that
 * {@link PostgresSchema#migrate} created for the same vector size. Safe for concurrent use.
 * Opened by {@link PostgresStoreProvider} with {@code read.jdbc-url}, reading, listing and finding
 * strategies may run on a hot standby that has replayed this store's writes
 * ({@link ReadReplicaOptions}); recording applications reads and writes on the primary.
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
        db.retrying("storing a strategy", s -> s.getMapper(KnowledgeMapper.class).upsert(row));
        return id;
    }

    @Override
    public Optional<Strategy> getStrategy(UUID knowledgeId) {
        Checks.required("knowledgeId", knowledgeId);
        StrategyRow row = db.read("reading a strategy", s -> s.getMapper(KnowledgeMapper.class).findById(knowledgeId));
        return Optional.ofNullable(row).map(StrategyRow::toStrategy);
    }

    @Override
    public List<Strategy> listStrategies(StrategyQuery query) {
        Checks.required("query", query);
        return strategies(db.read("listing strategies", s -> s.getMapper(KnowledgeMapper.class)
                .list(query.activeOnly(), query.knowledgeType(), query.minConfidence(), query.limit())));
    }

    @Override
    public List<Strategy> getApplicableStrategies(Map<String, Object> context, float @Nullable [] contextEmbedding,
                                                  double minConfidence, int limit) {
        Map<String, Object> ctx = JsonValues.copyMap("context", context);
        float[] q = contextEmbedding == null ? null : Vectors.checkedCopy("contextEmbedding", contextEmbedding, dimensions);
        Checks.unitInterval("minConfidence", minConfidence);
        Limits.check("limit", limit);
        List<StrategyRow> candidates = db.read("finding applicable strategies",
                s -> s.getMapper(KnowledgeMapper.class).findCandidates(minConfidence, q));
        List<StrategyOrder.Candidate> applicable = new ArrayList<>();
        for (StrategyRow row : candidates) {
            Strategy strategy = row.toStrategy();
            if (strategy.appliesTo(ctx)) {
                applicable.add(new StrategyOrder.Candidate(strategy, row.similarity));
            }
        }
        return StrategyOrder.applicable(applicable, limit);
    }

    @Override
    public Strategy recordApplication(UUID knowledgeId, UUID episodeId, boolean success) {
        Checks.required("knowledgeId", knowledgeId);
        Checks.required("episodeId", episodeId);
        Strategy after = db.retryingTransaction("recording a strategy's application",
                s -> apply(s, knowledgeId, episodeId, success, Checks.now(clock)));
        if (after == null) {
            throw new NotFoundException("strategy", knowledgeId);
        }
        return after;
    }

    /**
     * Records an outcome and the application of each strategy in one transaction; safe to retry,
     * since a second run finds every application recorded.
     *
     * @param episodeId the episode
     * @param outcome what happened
     * @param outcomeQuality its quality in [0,1]
     * @param applied the strategies the episode applied
     * @param success whether the quality is a success
     * @return the strategies after the update, in the order given, without those not stored
     */
    List<Strategy> recordOutcome(UUID episodeId, Map<String, Object> outcome, double outcomeQuality,
                                 List<UUID> applied, boolean success) {
        Checks.required("episodeId", episodeId);
        Map<String, Object> checked = JsonValues.copyMap("outcome", outcome);
        Checks.unitInterval("outcomeQuality", outcomeQuality);
        Checks.required("appliedStrategies", applied);
        // Rows are locked in one order (the episode, then strategies by id), so two outcomes that
        // share strategies wait for each other instead of deadlocking.
        TreeSet<UUID> sorted = new TreeSet<>(applied);
        Map<UUID, Strategy> updated = db.retryingTransaction("recording an episode's outcome", s -> {
            Instant now = Checks.now(clock);
            if (s.getMapper(EpisodeMapper.class).updateOutcome(episodeId, checked, outcomeQuality, now) == 0) {
                throw new NotFoundException("episode", episodeId);
            }
            Map<UUID, Strategy> out = new HashMap<>();
            for (UUID id : sorted) {
                Strategy after = apply(s, id, episodeId, success, now);
                if (after != null) {
                    out.put(id, after);
                }
            }
            return out;
        });
        List<Strategy> inOrder = new ArrayList<>();
        for (UUID id : new LinkedHashSet<>(applied)) {
            Strategy st = updated.get(id);
            if (st != null) {
                inOrder.add(st);
            }
        }
        return inOrder;
    }

    // One application inside the caller's transaction; null when the strategy does not exist.
    private @Nullable Strategy apply(SqlSession s, UUID knowledgeId, UUID episodeId, boolean success, Instant now) {
        KnowledgeMapper m = s.getMapper(KnowledgeMapper.class);
        StrategyRow row = m.lockById(knowledgeId);
        if (row == null) {
            return null;
        }
        Strategy before = row.toStrategy();
        Strategy after = Evidence.applied(before, episodeId, m.findApplication(knowledgeId, episodeId), success, now,
                confidenceFloor, minApplications);
        if (after == before) {
            return before;
        }
        m.upsertApplication(knowledgeId, episodeId, success, now);
        m.writeEvidence(StrategyRow.of(after, knowledgeId, null));
        if (before.active() && !after.active()) {
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

    @Override
    public String toString() {
        return "PostgresKnowledgeStore{dimensions=" + dimensions + ", confidenceFloor=" + confidenceFloor
                + ", minApplications=" + minApplications + "}";
    }
}
