package dev.agentmemory.core;

import dev.agentmemory.api.Advice;
import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.EmbeddingException;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.EpisodeFilter;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.JsonValues;
import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.api.Limits;
import dev.agentmemory.api.MemoryException;
import dev.agentmemory.api.NotFoundException;
import dev.agentmemory.api.RecallResult;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.WorkingMemory;
import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.api.spi.StoreMaintenance;
import dev.agentmemory.core.learning.Adviser;
import dev.agentmemory.core.learning.Consolidation;
import dev.agentmemory.core.learning.LearningSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory an agent calls: remember decisions, recall similar situations, learn from outcomes.
 *
 * <p>Built by {@link AgentMemory#builder()} or injected through {@link AgentMemoryModule}. Safe
 * for concurrent use.
 *
 * <h2>Nothing is lost when the embedder fails</h2>
 * {@link #rememberDecision} assigns the episode's id before anything else, then embeds, then
 * stores. When the embedder fails (after its own retries, or at once while its circuit breaker is
 * open) the episode is stored without a vector, as pending, and its id returned;
 * {@link #backfillEmbeddings()} embeds the pending ones later, by hand or on the schedule of
 * {@link MemorySettings#backfillInterval()}. Meanwhile recall within a project still answers,
 * ranking the project's recent episodes by the structured similarity of their situations alone.
 *
 * <h2>Failures within a deadline</h2>
 * This class does not retry: the store is the one layer that does, within one deadline per call
 * (PostgreSQL: {@code retry.deadline}), because only the store knows which of its operations are
 * safe to repeat. Retries stacked in two layers multiply their waits. Because the id is fixed
 * first, a retried write never duplicates.
 *
 * <h2>Learning from outcomes</h2>
 * An episode names the strategies it applied under {@code applied_strategies} in its action or
 * reasoning (a strategy id, or a list of them). {@link #recordOutcome} stores the outcome and one
 * application of each named strategy, keyed by (strategy, episode), in one transaction of the
 * backend ({@link MemoryStores#recordOutcome}): a success when the quality reaches
 * {@link MemorySettings#successThreshold()}. Recording it again counts nothing twice; another
 * quality moves the evidence.
 */
public final class AgentMemorySystem implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AgentMemorySystem.class);

    private final MemoryListeners listeners = new MemoryListeners();
    private final MemoryStores stores;
    private final AgentMemoryStore episodes;
    private final Embedder embedder;
    private final EpisodeEmbedder episodeEmbedder;
    private final MemorySettings settings;
    private final List<AutoCloseable> owned;
    private final @Nullable ScheduledExecutorService backfillScheduler;

    /**
     * Assembles a memory system from parts. Most callers use {@link AgentMemory#builder()}.
     *
     * @param stores the stores; closed with this system
     * @param embedder the embedder; its dimension must be the store's
     * @param settings the behaviour
     * @param owned further resources to close with this system (an embedder the bootstrap made)
     */
    public AgentMemorySystem(MemoryStores stores, Embedder embedder, MemorySettings settings,
                             List<? extends AutoCloseable> owned) {
        this.stores = Objects.requireNonNull(stores, "stores");
        this.episodes = stores.episodes();
        this.settings = Objects.requireNonNull(settings, "settings");
        int made;
        try {
            made = embedder.dimensions();
        } catch (EmbeddingException e) {
            // A client may ask its service for its size. While the service is down the memory still
            // opens, storing decisions as pending; a vector of another size is refused by the store.
            log.warn("the embedder cannot tell its vector size now, taking the store's {}: {}",
                    episodes.dimensions(), e.getMessage());
            made = episodes.dimensions();
        }
        if (made != episodes.dimensions()) {
            throw new ConfigurationException("the embedder " + embedder.modelName() + " makes vectors of "
                    + made + " dimensions, the store was created for " + episodes.dimensions());
        }
        // Combining sits below the listener, so that an embedding's reported time is what its caller waited.
        Embedder combined = settings.embeddingBatchLimit() > 0
                ? new BatchingEmbedder(embedder, settings.embeddingBatchLimit()) : embedder;
        Embedder told = new ListeningEmbedder(combined, listeners);
        this.embedder = settings.embeddingCacheSize() > 0
                ? new CachingEmbedder(told, settings.embeddingCacheSize()) : told;
        this.episodeEmbedder = new EpisodeEmbedder(this.embedder);
        this.owned = List.copyOf(owned);
        Duration every = settings.backfillInterval();
        if (every != null) {
            backfillScheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "agent-memory-backfill");
                t.setDaemon(true);
                return t;
            });
            backfillScheduler.scheduleWithFixedDelay(this::backfillQuietly, every.toMillis(), every.toMillis(),
                    TimeUnit.MILLISECONDS);
        } else {
            backfillScheduler = null;
        }
    }

    /**
     * Remembers a decision: embeds it and stores it. When the embedder fails the episode is stored
     * as pending embedding, so the decision is never lost.
     *
     * @param episode the decision; its id is assigned here when it has none
     * @return the episode's id
     */
    public UUID rememberDecision(Episode episode) {
        long started = System.nanoTime();
        Episode withId = withId(required("episode", episode));
        float[] vector = null;
        try {
            vector = episodeEmbedder.embedEpisode(withId);
        } catch (EmbeddingException e) {
            log.warn("embedding failed, storing episode {} as pending: {}", withId.episodeId(), e.getMessage());
        }
        UUID id = episodes.storeEpisode(withId, vector);
        listeners.remembered(started, 1, vector != null);
        return id;
    }

    /**
     * Remembers many decisions, embedding them through the embedder's batch path and storing them
     * in one batch. When the embedder fails they are all stored as pending.
     *
     * @param batch the decisions
     * @return their ids, in order
     */
    public List<UUID> rememberDecisions(List<Episode> batch) {
        return remember(batch, false);
    }

    /**
     * Like {@link #rememberDecisions}, telling which decisions were new: an episode whose id is
     * already stored is left as it is, and its id is not in the answer.
     *
     * @param batch the decisions; those without an id get one here, and are then new
     * @return the ids of the episodes this call stored, in order
     */
    public List<UUID> rememberDecisionsIfAbsent(List<Episode> batch) {
        return remember(batch, true);
    }

    private List<UUID> remember(List<Episode> batch, boolean writtenOnly) {
        long started = System.nanoTime();
        required("batch", batch);
        List<Episode> withIds = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            withIds.add(withId(required("batch[" + i + "]", batch.get(i))));
        }
        List<float[]> vectors;
        try {
            vectors = episodeEmbedder.embedEpisodes(withIds);
        } catch (EmbeddingException e) {
            log.warn("batch embedding failed, storing {} episodes as pending: {}", withIds.size(), e.getMessage());
            vectors = Arrays.asList(new float[withIds.size()][]);
        }
        List<UUID> ids = writtenOnly ? episodes.storeEpisodesIfAbsent(withIds, vectors)
                : episodes.storeEpisodes(withIds, vectors);
        listeners.remembered(started, ids.size(), vectors.isEmpty() || vectors.get(0) != null);
        return ids;
    }

    /**
     * Recalls past situations similar to {@code context}: the episodes whose vector similarity (1 -
     * cosine distance of the situations' vectors) is at least {@link MemorySettings#minSimilarity()},
     * ordered by the blended score of {@link Ranking}. Each episode's {@link Episode#similarity()}
     * is its vector similarity; {@link #recallScored} gives the score and its parts.
     *
     * @param context the present situation, as the agent perceives it
     * @param projectId only this project; null recalls across every project
     * @param limit at most this many
     * @return the similar episodes, best first, each with its similarity set
     */
    public List<Episode> recallSimilarSituations(Map<String, Object> context, @Nullable String projectId, int limit) {
        return recallSimilarSituationsMatching(context, EpisodeFilter.project(projectId), limit);
    }

    /**
     * Like {@link #recallSimilarSituations(Map, String, int)} with every filter of
     * {@link EpisodeFilter}; {@code excludeProjectId} recalls what other projects lived through.
     *
     * @param context the present situation
     * @param filter which episodes may be recalled
     * @param limit at most this many
     * @return the similar episodes, best first, each with its similarity set
     */
    public List<Episode> recallSimilarSituationsMatching(Map<String, Object> context, EpisodeFilter filter, int limit) {
        List<RecallResult> results = recallScoredMatching(context, filter, limit);
        List<Episode> out = new ArrayList<>(results.size());
        for (RecallResult r : results) {
            out.add(r.episode());
        }
        return out;
    }

    /**
     * Like {@link #recallSimilarSituations(Map, String, int)}, with the score each result was
     * ranked by and its parts.
     *
     * @param context the present situation
     * @param projectId only this project; null recalls across every project
     * @param limit at most this many
     * @return the results, highest score first
     */
    public List<RecallResult> recallScored(Map<String, Object> context, @Nullable String projectId, int limit) {
        return recallScoredMatching(context, EpisodeFilter.project(projectId), limit);
    }

    /**
     * Like {@link #recallSimilarSituationsMatching}, with the score each result was ranked by and
     * its parts.
     *
     * @param context the present situation
     * @param filter which episodes may be recalled
     * @param limit at most this many
     * @return the results, highest score first
     */
    public List<RecallResult> recallScoredMatching(Map<String, Object> context, EpisodeFilter filter, int limit) {
        long started = System.nanoTime();
        Map<String, Object> ctx = JsonValues.copyMap("context", context);
        required("filter", filter);
        Limits.check("limit", limit);
        float[] query;
        try {
            query = episodeEmbedder.embedContext(ctx);
        } catch (EmbeddingException e) {
            return recalled(started, recallWithoutEmbedder(ctx, filter, limit, e));
        }
        Ranking ranking = settings.ranking();
        int candidates = Math.min(AgentMemoryStore.MAX_LIMIT,
                Math.max(Ranking.MIN_CANDIDATES, limit * ranking.candidateFactor()));
        // The threshold holds the vector similarity, as the store defines similarity; the blend
        // only orders what passed it.
        List<Episode> found = episodes.findSimilarEpisodesMatching(query, filter,
                ranking.equals(Ranking.vectorOnly()) ? limit : candidates, settings.minSimilarity());
        return recalled(started, ranking.rank(ctx, found, limit, Instant.now(), null));
    }

    private List<RecallResult> recalled(long started, List<RecallResult> results) {
        listeners.recalled(started, results.size());
        return results;
    }

    // While the embedder is down, a project's recall still answers: its newest episodes that pass
    // the filter (embedded or pending) are ranked by the structured similarity of their situations
    // alone, which then also meets the threshold, being the only similarity known. Across projects
    // the newest episodes of all are no candidate set worth ranking, so the embedder's failure stands.
    private List<RecallResult> recallWithoutEmbedder(Map<String, Object> context, EpisodeFilter filter, int limit,
                                                     EmbeddingException cause) {
        String project = filter.projectId();
        if (project == null) {
            throw new EmbeddingException("recall across projects needs the embedder, which failed: "
                    + cause.getMessage(), cause.url(), cause.status(), cause.isTransient(), cause);
        }
        log.warn("embedder failed, recalling in project {} by structured similarity alone: {}", project, cause.getMessage());
        List<Episode> recent = episodes.getEpisodesMatching(filter, Ranking.MIN_CANDIDATES);
        return settings.ranking().withVectorWeight(0).rank(context, recent, limit, Instant.now(), settings.minSimilarity());
    }

    /**
     * Strategies that apply in {@code context}, most confident first.
     *
     * @param context the present situation
     * @param minConfidence only strategies at least this confident
     * @return at most {@link MemorySettings#strategyLimit()} strategies
     * @throws ConfigurationException when no knowledge store is configured
     */
    public List<Strategy> getLearnedStrategies(Map<String, Object> context, double minConfidence) {
        long started = System.nanoTime();
        Map<String, Object> ctx = JsonValues.copyMap("context", context);
        if (!(minConfidence >= 0 && minConfidence <= 1)) {
            throw new InvalidInputException("minConfidence", minConfidence + " is outside [0,1]");
        }
        KnowledgeStore knowledge = knowledge();
        float[] query = null;
        try {
            query = episodeEmbedder.embedContext(ctx);
        } catch (EmbeddingException e) {
            // Strategies are ranked by confidence first; without a vector the order among equally
            // confident ones is all that is lost.
            log.warn("embedding failed, ranking strategies by confidence alone: {}", e.getMessage());
        }
        List<Strategy> found = knowledge.getApplicableStrategies(ctx, query, minConfidence, settings.strategyLimit());
        listeners.strategies(started, found.size());
        return found;
    }

    /**
     * Records how a decision turned out, and makes it evidence for the strategies it applied.
     *
     * @param episodeId the episode
     * @param outcome what happened
     * @param outcomeQuality how good it was, in [0,1]
     * @throws NotFoundException when no such episode is stored
     */
    public void recordOutcome(UUID episodeId, Map<String, Object> outcome, double outcomeQuality) {
        long started = System.nanoTime();
        required("episodeId", episodeId);
        Map<String, Object> checked = JsonValues.copyMap("outcome", outcome);
        if (!(outcomeQuality >= 0 && outcomeQuality <= 1)) {
            throw new InvalidInputException("outcomeQuality", outcomeQuality + " is outside [0,1]");
        }
        Episode episode = episodes.getEpisodeById(episodeId)
                .orElseThrow(() -> new NotFoundException("episode", episodeId));
        List<UUID> applied = StrategyReferences.of(episode);
        if (!applied.isEmpty() && stores.knowledge().isEmpty()) {
            log.warn("episode {} names strategies {} but no knowledge store is configured; evidence not recorded",
                    episodeId, applied);
        }
        boolean success = outcomeQuality >= settings.successThreshold();
        // The outcome and each application, keyed by (strategy, episode), in one transaction of
        // the backend: recording again is idempotent, another quality moves the evidence.
        List<Strategy> updated = stores.recordOutcome(episodeId, checked, outcomeQuality, applied, success);
        if (updated.size() < applied.size()) {
            log.warn("episode {} names {} strategies, {} of them exist; the others were skipped", episodeId,
                    applied.size(), updated.size());
        }
        listeners.outcome(started);
    }

    /**
     * Learns strategies from the episodes that have an outcome, without a model call: under which
     * conditions on the situation's fields a decision (the value of an action field) did clearly
     * better than the others taken under the same conditions. See
     * {@link dev.agentmemory.core.learning.Consolidator} for what is tried and how luck is kept out.
     * The strategies are stored with {@code createdBy = "consolidation"}, {@code content.conditions}
     * and {@code content.recommendation}; a second run refreshes them (same rule, same id) and
     * deactivates those the evidence no longer supports.
     *
     * @param projectId one project, or null for every project
     * @return the active strategies learned in that scope, most confident first
     * @throws ConfigurationException when no knowledge store is configured, or, for every project,
     *     when the backend cannot list its projects
     */
    public List<Strategy> consolidate(@Nullable String projectId) {
        return consolidation(projectId).strategies();
    }

    /**
     * Like {@link #consolidate(String)}, with what the run tried and changed.
     *
     * @param projectId one project, or null for every project
     * @return the run
     */
    public synchronized Consolidation.Run consolidation(@Nullable String projectId) {
        if (projectId != null) {
            dev.agentmemory.api.Checks.projectId(projectId);
        }
        Consolidation c = new Consolidation(episodes, knowledge(), maintenance().orElse(null), embedder,
                LearningSettings.ofDefaults());
        return c.run(projectId);
    }

    /**
     * The decisions taken in situations like {@code context}, grouped by their action values (a
     * number that varies is binned), each with its expected quality, a lower bound of it and the
     * episodes it rests on. Costs one recall of a few dozen situations.
     *
     * @param context the present situation
     * @param projectId only this project; null across every project
     * @param limit at most this many pieces of advice
     * @return the advice, most confident first
     */
    public List<Advice> advise(Map<String, Object> context, @Nullable String projectId, int limit) {
        Limits.check("limit", limit);
        int candidates = Math.min(AgentMemoryStore.MAX_LIMIT, Math.max(ADVICE_CANDIDATES, limit * 10));
        return Adviser.advise(recallSimilarSituations(context, projectId, candidates), limit);
    }

    /** How many similar situations advice is drawn from, at least. */
    static final int ADVICE_CANDIDATES = 40;

    /**
     * Embeds every episode stored without a vector, in batches of
     * {@link MemorySettings#backfillBatchSize()}, each batch's vectors written in one round trip.
     * It asks the embedder's health first: a healthy embedder is used at once, even while a circuit
     * breaker that opened during an outage would still refuse calls (a healthy check closes it).
     *
     * @return how many episodes it embedded
     * @throws EmbeddingException when the embedder is unhealthy or fails; its message says how many
     *     were embedded before
     */
    public synchronized int backfillEmbeddings() {
        long started = System.nanoTime();
        if (episodes.countEpisodesPendingEmbedding() == 0) {
            listeners.backfilled(started, 0);
            return 0;
        }
        if (!embedder.healthCheck()) {
            // No modelName() here: a client may ask the service for it, which is down.
            throw new EmbeddingException("backfill not started: the embedder failed its health check; the "
                    + "pending episodes stay pending", null, 0, true, null);
        }
        int done = backfill();
        listeners.backfilled(started, done);
        return done;
    }

    private int backfill() {
        int done = 0;
        while (true) {
            List<Episode> pending = episodes.getEpisodesPendingEmbedding(settings.backfillBatchSize());
            if (pending.isEmpty()) {
                return done;
            }
            List<float[]> vectors;
            try {
                vectors = episodeEmbedder.embedEpisodes(pending);
            } catch (EmbeddingException e) {
                throw new EmbeddingException("backfill stopped after " + done + " episodes: " + e.getMessage(),
                        e.url(), e.status(), e.isTransient(), e);
            }
            List<UUID> ids = new ArrayList<>(pending.size());
            for (Episode e : pending) {
                ids.add(Objects.requireNonNull(e.episodeId()));
            }
            // Episodes deleted meanwhile are skipped, and counted out.
            int progress = episodes.updateEpisodeEmbeddings(ids, vectors);
            done += progress;
            if (progress == 0) {
                return done;
            }
        }
    }

    /** @return the episodic store */
    public AgentMemoryStore episodes() {
        return episodes;
    }

    /**
     * @return the knowledge store
     * @throws ConfigurationException when the backend was opened without one
     */
    public KnowledgeStore knowledge() {
        return stores.knowledge().orElseThrow(() -> new ConfigurationException(
                "no knowledge store is configured for " + stores.describe()
                        + ": strategies need a backend that provides one"));
    }

    /** @return whether a knowledge store is configured */
    public boolean hasKnowledge() {
        return stores.knowledge().isPresent();
    }

    /**
     * @return the working memory
     * @throws ConfigurationException when the backend was opened without one
     */
    public WorkingMemory workingMemory() {
        return stores.workingMemory().orElseThrow(() -> new ConfigurationException(
                "no working memory is configured for " + stores.describe()));
    }

    /** @return whether a working memory is configured */
    public boolean hasWorkingMemory() {
        return stores.workingMemory().isPresent();
    }

    /**
     * @return the backend's whole-store operations (export, counts per project, schema version,
     *     dropping vectors for a new model), when it offers them
     */
    public Optional<StoreMaintenance> maintenance() {
        return stores instanceof StoreMaintenance m ? Optional.of(m) : Optional.empty();
    }

    /** @return the embedder, behind the embedding cache when the cache is on */
    public Embedder embedder() {
        return embedder;
    }

    /** @return the renderer and embedder of episodes and situations */
    public EpisodeEmbedder episodeEmbedder() {
        return episodeEmbedder;
    }

    /** @return the settings */
    public MemorySettings settings() {
        return settings;
    }

    /** @return a description of the stores for logs, with no secret in it */
    public String describe() {
        String what;
        try {
            what = embedder.modelName() + " (" + embedder.dimensions() + " dims)";
        } catch (EmbeddingException e) {
            // A client may ask its service for these; a description must not fail while it is down.
            what = "(not reachable: " + e.getMessage() + ")";
        }
        return stores.describe() + ", embedder " + what;
    }

    /**
     * Adds a listener that is told what this system does from now on; see {@link MemoryListener}.
     *
     * @param listener the listener; a listener added twice is told twice
     */
    public void addListener(MemoryListener listener) {
        listeners.add(listener);
    }

    /**
     * @param listener a listener added before
     * @return whether it was registered (and is now removed)
     */
    public boolean removeListener(MemoryListener listener) {
        return listeners.remove(listener);
    }

    @Override
    public void close() {
        if (backfillScheduler != null) {
            backfillScheduler.shutdownNow();
        }
        MemoryException failure = null;
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                failure = failure != null ? failure : new MemoryException("closing " + c + " failed", e);
            }
        }
        stores.close();
        if (failure != null) {
            throw failure;
        }
    }

    // The schedule does not ask the embedder's health each round: a failure is logged and the next
    // round tries again, after the breaker's own open time.
    private synchronized int backfillScheduled() {
        return backfill();
    }

    private void backfillQuietly() {
        try {
            int n = backfillScheduled();
            if (n > 0) {
                log.info("background backfill embedded {} episodes", n);
            }
        } catch (MemoryException e) {
            log.warn("background backfill failed, will try again: {}", e.getMessage());
        }
    }

    private static <T> T required(String field, @Nullable T value) {
        if (value == null) {
            throw new InvalidInputException(field, "is required");
        }
        return value;
    }

    private static Episode withId(Episode episode) {
        return episode.episodeId() != null ? episode : episode.withEpisodeId(UUID.randomUUID());
    }
}
