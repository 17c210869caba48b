package dev.agentmemory.core;

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
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.WorkingMemory;
import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.api.spi.StoreMaintenance;
import java.time.Duration;
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
import java.util.function.Supplier;
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
 * Writes that are safe to repeat are retried on
 * transient store failures; because the id is fixed first, a retried write never duplicates.
 *
 * <h2>Learning from outcomes</h2>
 * An episode names the strategies it applied under {@code applied_strategies} in its action or
 * reasoning (a strategy id, or a list of them). {@link #recordOutcome} stores the outcome and, the
 * first time an outcome is recorded for the episode, records one application of each named
 * strategy: a success when the quality reaches {@link MemorySettings#successThreshold()}.
 */
public final class AgentMemorySystem implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AgentMemorySystem.class);

    private final MemoryStores stores;
    private final AgentMemoryStore episodes;
    private final Embedder embedder;
    private final EpisodeEmbedder episodeEmbedder;
    private final MemorySettings settings;
    private final List<AutoCloseable> owned;
    private final @Nullable ScheduledExecutorService backfillScheduler;
    private final MemoryListeners listeners = new MemoryListeners();

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
        if (embedder.dimensions() != episodes.dimensions()) {
            throw new ConfigurationException("the embedder " + embedder.modelName() + " makes vectors of "
                    + embedder.dimensions() + " dimensions, the store was created for " + episodes.dimensions());
        }
        Embedder told = new ListeningEmbedder(embedder, listeners);
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
        float[] v = vector;
        UUID id = retrying("store episode " + withId.episodeId(), () -> episodes.storeEpisode(withId, v));
        listeners.remembered(started, 1, v != null);
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
        List<float[]> v = vectors;
        List<UUID> ids = retrying("store " + withIds.size() + " episodes", () -> episodes.storeEpisodes(withIds, v));
        listeners.remembered(started, ids.size(), v.isEmpty() || v.get(0) != null);
        return ids;
    }

    /**
     * Recalls past situations similar to {@code context}, at least
     * {@link MemorySettings#minSimilarity()} similar, most similar first. Similarity here is the
     * blend of vector and structured similarity that {@link Ranking} describes (with
     * {@link Ranking#vectorOnly()}, the plain 1 - cosine distance).
     *
     * @param context the present situation, as the agent perceives it
     * @param projectId only this project; null recalls across every project
     * @param limit at most this many
     * @return the similar episodes, each with its similarity set
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
     * @return the similar episodes, each with its similarity set
     */
    public List<Episode> recallSimilarSituationsMatching(Map<String, Object> context, EpisodeFilter filter, int limit) {
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
        if (ranking.equals(Ranking.vectorOnly())) {
            return recalled(started, episodes.findSimilarEpisodesMatching(query, filter, limit, settings.minSimilarity()));
        }
        int candidates = Math.min(AgentMemoryStore.MAX_LIMIT,
                Math.max(Ranking.MIN_CANDIDATES, limit * ranking.candidateFactor()));
        double candidateMin = Math.min(settings.minSimilarity(), ranking.candidateMinSimilarity());
        List<Episode> found = episodes.findSimilarEpisodesMatching(query, filter, candidates, candidateMin);
        return recalled(started, rank(ctx, found, ranking, limit));
    }

    private List<Episode> recalled(long started, List<Episode> results) {
        listeners.recalled(started, results.size());
        return results;
    }

    // While the embedder is down, a project's recall still answers: its most recent episodes
    // (embedded or pending) are ranked by the structured similarity of their situations alone.
    // Across projects there is no such list to rank, so the embedder's failure stands.
    private List<Episode> recallWithoutEmbedder(Map<String, Object> context, EpisodeFilter filter, int limit,
                                                EmbeddingException cause) {
        String project = filter.projectId();
        if (project == null) {
            throw new EmbeddingException("recall across projects needs the embedder, which failed: "
                    + cause.getMessage(), cause.url(), cause.status(), cause.isTransient(), cause);
        }
        log.warn("embedder failed, recalling in project {} by structured similarity alone: {}", project, cause.getMessage());
        List<Episode> recent = new ArrayList<>();
        for (Episode e : episodes.getEpisodesByProject(project, Ranking.MIN_CANDIDATES, filter.minOutcomeQuality())) {
            if (matches(filter, e)) {
                recent.add(e);
            }
        }
        Ranking structuredOnly = settings.ranking().withVectorWeight(0);
        return rank(context, recent, structuredOnly, limit);
    }

    private static boolean matches(EpisodeFilter f, Episode e) {
        return (f.decisionSource() == null || f.decisionSource().equals(e.decisionSource()))
                && (f.controlMode() == null || f.controlMode().equals(e.controlMode()))
                && (f.from() == null || !e.timestamp().isBefore(f.from()))
                && (f.to() == null || e.timestamp().isBefore(f.to()));
    }

    // Scores the candidates by the blend Ranking describes and keeps the best that reach the
    // recall threshold; each result's similarity becomes its blended score.
    private List<Episode> rank(Map<String, Object> context, List<Episode> found, Ranking ranking, int limit) {
        List<Map<String, Object>> perceptions = new ArrayList<>(found.size());
        for (Episode e : found) {
            perceptions.add(e.perception());
        }
        SituationSimilarity structured = new SituationSimilarity(context, perceptions);
        double rest = 1 - ranking.outcomeWeight() - ranking.recencyWeight();
        java.time.Instant now = java.time.Instant.now();
        double halfLifeMillis = ranking.recencyHalfLife().toMillis();
        List<Episode> scored = new ArrayList<>(found.size());
        for (Episode e : found) {
            double vector = e.similarity() == null ? 0 : e.similarity();
            double situation = ranking.vectorWeight() * vector
                    + (1 - ranking.vectorWeight()) * structured.score(e.perception());
            double score = rest * situation;
            if (ranking.outcomeWeight() > 0) {
                score += ranking.outcomeWeight() * (e.outcomeQuality() == null ? 0.5 : e.outcomeQuality());
            }
            if (ranking.recencyWeight() > 0) {
                double age = Math.max(0, java.time.Duration.between(e.timestamp(), now).toMillis());
                score += ranking.recencyWeight() * Math.pow(0.5, age / halfLifeMillis);
            }
            if (score >= settings.minSimilarity()) {
                scored.add(e.withSimilarity(score));
            }
        }
        scored.sort((a, b) -> Double.compare(b.similarity(), a.similarity()));
        return scored.size() > limit ? new ArrayList<>(scored.subList(0, limit)) : scored;
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
        recordOutcomeAndEvidence(episodeId, outcome, outcomeQuality);
        listeners.outcome(started);
    }

    private void recordOutcomeAndEvidence(UUID episodeId, Map<String, Object> outcome, double outcomeQuality) {
        required("episodeId", episodeId);
        Map<String, Object> checked = JsonValues.copyMap("outcome", outcome);
        if (!(outcomeQuality >= 0 && outcomeQuality <= 1)) {
            throw new InvalidInputException("outcomeQuality", outcomeQuality + " is outside [0,1]");
        }
        Episode before = episodes.getEpisodeById(episodeId)
                .orElseThrow(() -> new NotFoundException("episode", episodeId));
        retrying("record outcome of " + episodeId, () -> {
            episodes.updateEpisodeOutcome(episodeId, checked, outcomeQuality);
            return null;
        });
        List<UUID> applied = StrategyReferences.of(before);
        if (applied.isEmpty()) {
            return;
        }
        if (before.hasOutcome()) {
            // Evidence counts each episode once; a corrected outcome must not count twice.
            log.info("outcome of episode {} replaced; its strategies' evidence is left as first recorded", episodeId);
            return;
        }
        KnowledgeStore knowledge = stores.knowledge().orElse(null);
        if (knowledge == null) {
            log.warn("episode {} names strategies {} but no knowledge store is configured; evidence not recorded",
                    episodeId, applied);
            return;
        }
        boolean success = outcomeQuality >= settings.successThreshold();
        for (UUID strategyId : applied) {
            try {
                knowledge.recordApplication(strategyId, episodeId, success);
            } catch (NotFoundException e) {
                log.warn("episode {} names strategy {}, which does not exist; skipped", episodeId, strategyId);
            }
        }
    }

    /**
     * Embeds every episode stored without a vector, in batches of
     * {@link MemorySettings#backfillBatchSize()}.
     *
     * @return how many episodes it embedded
     * @throws EmbeddingException when the embedder fails; its message says how many were embedded
     *     before
     */
    public synchronized int backfillEmbeddings() {
        long started = System.nanoTime();
        int done = 0;
        while (true) {
            List<Episode> pending = episodes.getEpisodesPendingEmbedding(settings.backfillBatchSize());
            if (pending.isEmpty()) {
                listeners.backfilled(started, done);
                return done;
            }
            List<float[]> vectors;
            try {
                vectors = episodeEmbedder.embedEpisodes(pending);
            } catch (EmbeddingException e) {
                throw new EmbeddingException("backfill stopped after " + done + " episodes: " + e.getMessage(),
                        e.url(), e.status(), e.isTransient(), e);
            }
            int progress = 0;
            for (int i = 0; i < pending.size(); i++) {
                UUID id = Objects.requireNonNull(pending.get(i).episodeId());
                float[] v = vectors.get(i);
                try {
                    retrying("store embedding of " + id, () -> {
                        episodes.updateEpisodeEmbedding(id, v);
                        return null;
                    });
                    progress++;
                } catch (NotFoundException deletedMeanwhile) {
                    log.debug("episode {} was deleted during backfill", id);
                }
            }
            done += progress;
            if (progress == 0) {
                listeners.backfilled(started, done);
                return done;
            }
        }
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
        return stores.describe() + ", embedder " + embedder.modelName() + " (" + embedder.dimensions() + " dims)";
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

    private void backfillQuietly() {
        try {
            int n = backfillEmbeddings();
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

    // Retries an operation that is safe to repeat when the store reports a transient failure.
    private <T> T retrying(String what, Supplier<T> op) {
        long backoff = settings.retryBackoff().toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                return op.get();
            } catch (MemoryException e) {
                if (!e.isTransient() || attempt >= settings.storeAttempts()) {
                    throw e;
                }
                log.warn("{} failed (attempt {} of {}), retrying in {} ms: {}", what, attempt,
                        settings.storeAttempts(), backoff, e.getMessage());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff *= 2;
            }
        }
    }
}
