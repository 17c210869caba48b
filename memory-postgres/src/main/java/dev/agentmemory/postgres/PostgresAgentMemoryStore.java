package dev.agentmemory.postgres;

import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.Checks;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.EpisodeFilter;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.JsonValues;
import dev.agentmemory.api.Limits;
import dev.agentmemory.api.NotFoundException;
import dev.agentmemory.api.Vectors;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.ibatis.executor.BatchResult;
import org.apache.ibatis.session.SqlSession;
import org.jspecify.annotations.Nullable;

/**
 * Episodic memory in PostgreSQL with pgvector: table {@code agent_episodes}.
 *
 * <p>Works on any {@link DataSource} (a pool the caller owns, never closed here), on a schema that
 * {@link PostgresSchema#migrate} created for the same vector size. Safe for concurrent use.
 *
 * <p>Operations that are safe to repeat are retried when the database fails transiently, within one
 * deadline ({@link PostgresStoreOptions}): every read, storing episodes (the id is fixed before the
 * first attempt and the insert does nothing for a stored id, so a write whose commit was lost on the
 * way back neither fails nor duplicates), recording an outcome and setting a vector.
 * {@link #deleteEpisode} runs once: a retry could not tell whether the first attempt deleted.
 *
 * <p>Opened by {@link PostgresStoreProvider} with {@code read.jdbc-url}, reading an episode, a
 * project's or a filter's episodes, similarity searches and counts may run on a hot standby that
 * has replayed this store's writes ({@link ReadReplicaOptions}); the queues of work (episodes
 * awaiting an outcome or a vector) are read on the primary, since their readers write next.
 *
 * <p>Why a search reads candidates exactly up to {@code √(16 × limit × rows)} and walks the HNSW
 * index beyond that, and why vectors stay in the row (storage MAIN): an HNSW walk filters after it
 * finds, so a selective filter makes it come back short or walk far, while an exact scan costs in
 * proportion to its candidates. The cost model, the measurements behind it and the settings of the
 * index walk are in {@code docs/postgres-search.md}; a walk that comes back short falls back to the
 * exact scan, so a wrong estimate only costs time, never an answer.
 */
public final class PostgresAgentMemoryStore implements AgentMemoryStore {

    /**
     * The most candidates a similarity search reads exactly; fewer where the HNSW index finds the
     * nearest sooner (see the class comment).
     */
    public static final int DEFAULT_EXACT_SCAN_MAX = 5_000;

    /**
     * Rows a batch sends before it waits for the server's answers: bounds what the driver holds
     * (a vector and three JSON documents a row) when a caller stores a very large list at once.
     */
    private static final int FLUSH_ROWS = 1_000;
    /** pgvector refuses hnsw.ef_search above 1000; the iterative scan goes beyond it. */
    private static final int MAX_EF_SEARCH = 1_000;
    /** pgvector's default hnsw.ef_search; a search asks for at least this many candidates. */
    private static final int MIN_EF_SEARCH = 40;
    /** How long the estimate of the table's rows is trusted before it is read again. */
    private static final int ESTIMATE_SECONDS = 30;
    /** Up to this many candidates the exact scan is as fast as an index search: read them all. */
    static final int SMALL_SCAN_ROWS = 1_000;
    /**
     * How many times more the HNSW walk costs for each row it passes over (reading the graph and
     * the row, then testing the filter: about 35 µs) than the exact scan for each candidate (2 µs).
     */
    static final int INDEX_STEP_COST = 16;

    private final Database db;
    private final int dimensions;
    private final Clock clock;
    private final int exactScanMax;
    private volatile long estimatedRows;
    private volatile long estimatedAtNanos;

    /**
     * Opens the store on a schema already created for {@code dimensions}.
     *
     * @param dataSource where connections come from; never closed by the store
     * @param dimensions the vector size
     * @throws dev.agentmemory.api.ConfigurationException when the schema is missing or was
     *     created for another size
     */
    public PostgresAgentMemoryStore(DataSource dataSource, int dimensions) {
        this(dataSource, dimensions, Clock.systemUTC(), DEFAULT_EXACT_SCAN_MAX);
    }

    /**
     * @param dataSource where connections come from; never closed by the store
     * @param dimensions the vector size
     * @param clock the time of recorded outcomes
     * @param exactScanMax the most candidates a search reads exactly (fewer where the HNSW index
     *     finds the nearest sooner); 0 always uses the HNSW index (and the exact scan only when the
     *     index comes back short)
     */
    public PostgresAgentMemoryStore(DataSource dataSource, int dimensions, Clock clock, int exactScanMax) {
        this(Database.on(Checks.required("dataSource", dataSource)), dimensions, clock, exactScanMax, true);
    }

    PostgresAgentMemoryStore(Database db, int dimensions, Clock clock, int exactScanMax, boolean verify) {
        if (exactScanMax < 0) {
            throw new InvalidInputException("exactScanMax", exactScanMax + " is negative");
        }
        if (verify) {
            PostgresSchema.verify(db, dimensions);
        }
        this.db = db;
        this.dimensions = dimensions;
        this.clock = Checks.required("clock", clock);
        this.exactScanMax = exactScanMax;
    }

    @Override
    public UUID storeEpisode(Episode episode, float @Nullable [] embedding) {
        Checks.required("episode", episode);
        UUID id = episode.episodeId() == null ? UUID.randomUUID() : episode.episodeId();
        EpisodeRow row = EpisodeRow.of(episode, id, checkedOrNull("embedding", embedding));
        db.retrying("storing an episode", s -> s.getMapper(EpisodeMapper.class).insert(row));
        return id;
    }

    @Override
    public List<UUID> storeEpisodes(List<Episode> episodes, List<? extends float @Nullable []> embeddings) {
        return store(episodes, embeddings, false);
    }

    @Override
    public List<UUID> storeEpisodesIfAbsent(List<Episode> episodes, List<? extends float @Nullable []> embeddings) {
        return store(episodes, embeddings, true);
    }

    /** @param writtenOnly answer the ids the inserts wrote (row count 1), instead of every id */
    private List<UUID> store(List<Episode> episodes, List<? extends float @Nullable []> embeddings, boolean writtenOnly) {
        Checks.required("episodes", episodes);
        Checks.required("embeddings", embeddings);
        if (episodes.size() != embeddings.size()) {
            throw new InvalidInputException("embeddings", "has " + embeddings.size() + " vectors for "
                    + episodes.size() + " episodes; give one vector (or null) per episode");
        }
        // Validate the whole batch before writing any of it.
        List<EpisodeRow> rows = new ArrayList<>(episodes.size());
        List<UUID> ids = new ArrayList<>(episodes.size());
        for (int i = 0; i < episodes.size(); i++) {
            Episode e = Checks.required("episodes[" + i + "]", episodes.get(i));
            UUID id = e.episodeId() == null ? UUID.randomUUID() : e.episodeId();
            rows.add(EpisodeRow.of(e, id, checkedOrNull("embeddings[" + i + "]", embeddings.get(i))));
            ids.add(id);
        }
        if (rows.isEmpty()) {
            return List.of();
        }
        List<Integer> counts = db.retryingBatchTransaction("storing " + rows.size() + " episodes", s -> {
            EpisodeMapper m = s.getMapper(EpisodeMapper.class);
            List<Integer> written = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                m.insert(rows.get(i));
                if ((i + 1) % FLUSH_ROWS == 0) {
                    rowCounts(s.flushStatements(), written);
                }
            }
            rowCounts(s.flushStatements(), written);
            return written;
        });
        if (!writtenOnly) {
            return List.copyOf(ids);
        }
        List<UUID> written = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            // ON CONFLICT DO NOTHING counts 0 for an id already stored; a driver that cannot tell
            // (a negative count) is taken at its word that the row is there.
            if (i >= counts.size() || counts.get(i) != 0) {
                written.add(ids.get(i));
            }
        }
        return List.copyOf(written);
    }

    /** Appends the row count of each statement of a flushed batch, in the order they were queued. */
    private static void rowCounts(List<BatchResult> flushed, List<Integer> into) {
        for (BatchResult r : flushed) {
            for (int c : r.getUpdateCounts()) {
                into.add(c);
            }
        }
    }

    @Override
    public Optional<Episode> getEpisodeById(UUID episodeId) {
        Checks.required("episodeId", episodeId);
        EpisodeRow row = db.read("reading an episode", s -> s.getMapper(EpisodeMapper.class).findById(episodeId));
        return Optional.ofNullable(row).map(EpisodeRow::toEpisode);
    }

    @Override
    public List<Episode> getEpisodesByProject(String projectId, int limit, @Nullable Double minQuality) {
        Checks.projectId(projectId);
        Limits.check("limit", limit);
        if (minQuality != null) {
            Checks.unitInterval("minQuality", minQuality);
        }
        return episodes(db.read("reading a project's episodes",
                s -> s.getMapper(EpisodeMapper.class).findByProject(projectId, limit, minQuality)));
    }

    @Override
    public List<Episode> getEpisodesMatching(EpisodeFilter filter, int limit) {
        Checks.required("filter", filter);
        Limits.check("limit", limit);
        return episodes(db.read("reading the episodes that pass a filter",
                s -> s.getMapper(EpisodeMapper.class).findMatching(filter, limit)));
    }

    @Override
    public List<Episode> findSimilarEpisodes(float[] query, @Nullable String projectId, int limit, double minSimilarity) {
        if (projectId != null) {
            Checks.projectId(projectId);
        }
        return findSimilarEpisodesMatching(query, EpisodeFilter.project(projectId), limit, minSimilarity);
    }

    @Override
    public List<Episode> findSimilarEpisodesMatching(float[] query, EpisodeFilter filter, int limit, double minSimilarity) {
        float[] q = Vectors.checkedCopy("query", query, dimensions);
        Checks.required("filter", filter);
        Limits.check("limit", limit);
        Checks.similarity("minSimilarity", minSimilarity);
        // Most searches need no transaction (saving its COMMIT's round trip); only an index walk
        // with settings of its own does, in a session of its own once the first is closed.
        List<EpisodeRow> rows = db.read("searching similar episodes", s -> search(s, q, filter, limit, minSimilarity));
        if (rows == null) {
            rows = db.readTransaction("searching similar episodes", s -> {
                EpisodeMapper m = s.getMapper(EpisodeMapper.class);
                m.useIterativeIndexScan(Integer.toString(Math.max(MIN_EF_SEARCH, Math.min(MAX_EF_SEARCH, limit))));
                return indexAnswer(m, m.searchIndexed(q, filter, limit), q, filter, limit, minSimilarity);
            });
        }
        return episodes(rows);
    }

    // The answer, or null when the HNSW index is to be walked with settings of the search's own.
    private @Nullable List<EpisodeRow> search(SqlSession s, float[] q, EpisodeFilter filter, int limit,
                                              double minSimilarity) {
        EpisodeMapper m = s.getMapper(EpisodeMapper.class);
        if (exact(m, filter, limit)) {
            return m.searchExact(q, filter, limit, minSimilarity);
        }
        if (EpisodeFilter.ALL.equals(filter) && limit <= MIN_EF_SEARCH) {
            // Without a filter the first pass over the graph finds ef_search rows, pgvector's
            // default 40 unless the server says otherwise: no iterative scan, no setting, so no
            // transaction to hold it. (A server set below the limit only makes the answer short,
            // and the exact scan answers instead.)
            return indexAnswer(m, m.searchIndexedAll(q, limit), q, filter, limit, minSimilarity);
        }
        return null;
    }

    private static List<EpisodeRow> indexAnswer(EpisodeMapper m, List<EpisodeRow> found, float[] q, EpisodeFilter filter,
                                                int limit, double minSimilarity) {
        if (found.size() < limit) {
            // The scan gave up before finding limit rows (hnsw.max_scan_tuples, or a filter too
            // selective for the graph walk): only the exact scan can say these are all.
            return m.searchExact(q, filter, limit, minSimilarity);
        }
        // Relaxed order: nearly sorted, not quite. The threshold applies after the limit, as in
        // the exact scan, where the nearest rows come first.
        List<EpisodeRow> kept = new ArrayList<>(found.size());
        for (EpisodeRow r : found) {
            if (r.similarity != null && r.similarity >= minSimilarity) {
                kept.add(r);
            }
        }
        kept.sort(Comparator.comparing((EpisodeRow r) -> r.similarity, Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(r -> r.episodeId, Comparator.nullsLast(Comparator.naturalOrder())));
        return kept;
    }

    // Whether to compute exact distances: when the candidates are few enough that reading them
    // all is cheaper than walking the index to limit of them (see the class comment). An
    // unfiltered search on a table known to be larger skips the count: all rows are candidates.
    private boolean exact(EpisodeMapper m, EpisodeFilter filter, int limit) {
        if (exactScanMax == 0) {
            return false;
        }
        long rows = estimatedRows(m);
        int most = exactScanLimit(exactScanMax, rows, limit);
        if (EpisodeFilter.ALL.equals(filter) && rows > most) {
            return false;
        }
        long candidates = m.countCandidates(filter, most + 1L);
        if (candidates > rows) {
            // The estimate is behind the table (new rows not yet in the statistics): read it
            // again at the next search rather than in ESTIMATE_SECONDS.
            estimatedAtNanos = 0;
        }
        return candidates <= most;
    }

    /**
     * Up to how many candidates a search reads exactly, in a table of about {@code rows} rows. The
     * exact scan costs about {@value #INDEX_STEP_COST} times less a candidate than the HNSW walk
     * does a row it passes over, and the walk passes over about {@code limit × rows / candidates}
     * rows to find {@code limit} that pass the filter: the two cost the same where
     * {@code candidates² = INDEX_STEP_COST × limit × rows}. Never below {@link #SMALL_SCAN_ROWS},
     * where the exact scan is as fast as one index search anyway, nor above {@code exactScanMax}.
     *
     * @param exactScanMax the configured most
     * @param rows the table's rows, as estimated
     * @param limit the search's limit
     * @return the most candidates to read exactly
     */
    static int exactScanLimit(int exactScanMax, long rows, int limit) {
        double crossover = Math.sqrt((double) INDEX_STEP_COST * limit * Math.max(0, rows));
        return (int) Math.min(exactScanMax, Math.max(SMALL_SCAN_ROWS, crossover));
    }

    // The table's rows as the database estimates them, read again every ESTIMATE_SECONDS.
    private long estimatedRows(EpisodeMapper m) {
        long now = System.nanoTime();
        if (estimatedAtNanos == 0 || now - estimatedAtNanos > ESTIMATE_SECONDS * 1_000_000_000L) {
            estimatedRows = m.estimateRows();
            estimatedAtNanos = now;
        }
        return estimatedRows;
    }

    @Override
    public void updateEpisodeOutcome(UUID episodeId, Map<String, Object> outcome, double outcomeQuality) {
        Checks.required("episodeId", episodeId);
        Map<String, Object> checked = JsonValues.copyMap("outcome", outcome);
        Checks.unitInterval("outcomeQuality", outcomeQuality);
        int updated = db.retrying("recording an episode's outcome", s -> s.getMapper(EpisodeMapper.class)
                .updateOutcome(episodeId, checked, outcomeQuality, Checks.now(clock)));
        if (updated == 0) {
            throw new NotFoundException("episode", episodeId);
        }
    }

    @Override
    public List<Episode> getEpisodesWithoutOutcomes(int limit) {
        Limits.check("limit", limit);
        return episodes(db.retrying("reading episodes awaiting an outcome",
                s -> s.getMapper(EpisodeMapper.class).findWithoutOutcomes(limit)));
    }

    @Override
    public void updateEpisodeEmbedding(UUID episodeId, float[] embedding) {
        Checks.required("episodeId", episodeId);
        float[] v = Vectors.checkedCopy("embedding", embedding, dimensions);
        int updated = db.retrying("storing an episode's vector",
                s -> s.getMapper(EpisodeMapper.class).updateEmbedding(episodeId, v));
        if (updated == 0) {
            throw new NotFoundException("episode", episodeId);
        }
    }

    @Override
    public int updateEpisodeEmbeddings(List<UUID> episodeIds, List<float[]> embeddings) {
        Checks.required("episodeIds", episodeIds);
        Checks.required("embeddings", embeddings);
        if (episodeIds.size() != embeddings.size()) {
            throw new InvalidInputException("embeddings", "has " + embeddings.size() + " vectors for "
                    + episodeIds.size() + " episodes; give one vector per episode");
        }
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (int i = 0; i < episodeIds.size(); i++) {
            Checks.required("episodeIds[" + i + "]", episodeIds.get(i));
            vectors.add(Vectors.checkedCopy("embeddings[" + i + "]", embeddings.get(i), dimensions));
        }
        if (vectors.isEmpty()) {
            return 0;
        }
        // One pipelined round trip for the batch; setting a vector twice changes nothing, so the
        // whole batch is safe to retry.
        return db.retryingBatchTransaction("storing " + vectors.size() + " vectors", s -> {
            EpisodeMapper m = s.getMapper(EpisodeMapper.class);
            int updated = 0;
            for (int i = 0; i < vectors.size(); i++) {
                m.updateEmbedding(episodeIds.get(i), vectors.get(i));
                if ((i + 1) % FLUSH_ROWS == 0 || i == vectors.size() - 1) {
                    updated += updatedRows(s.flushStatements());
                }
            }
            return updated;
        });
    }

    private static int updatedRows(List<org.apache.ibatis.executor.BatchResult> results) {
        int n = 0;
        for (BatchResult r : results) {
            for (int c : r.getUpdateCounts()) {
                n += Math.max(0, c);
            }
        }
        return n;
    }

    @Override
    public List<Episode> getEpisodesPendingEmbedding(int limit) {
        Limits.check("limit", limit);
        return episodes(db.retrying("reading episodes pending a vector",
                s -> s.getMapper(EpisodeMapper.class).findPendingEmbedding(limit)));
    }

    @Override
    public long countEpisodesPendingEmbedding() {
        return db.retrying("counting episodes pending a vector", s -> s.getMapper(EpisodeMapper.class).countPendingEmbedding());
    }

    @Override
    public boolean deleteEpisode(UUID episodeId) {
        Checks.required("episodeId", episodeId);
        return db.autoCommit("deleting an episode", s -> s.getMapper(EpisodeMapper.class).delete(episodeId)) > 0;
    }

    @Override
    public long countEpisodes(@Nullable String projectId) {
        if (projectId != null) {
            Checks.projectId(projectId);
        }
        return db.read("counting episodes", s -> s.getMapper(EpisodeMapper.class).count(projectId));
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    /** @return the most candidates a search reads exactly */
    public int exactScanMax() {
        return exactScanMax;
    }

    private float @Nullable [] checkedOrNull(String field, float @Nullable [] vector) {
        return vector == null ? null : Vectors.checkedCopy(field, vector, dimensions);
    }

    private static List<Episode> episodes(List<EpisodeRow> rows) {
        List<Episode> out = new ArrayList<>(rows.size());
        for (EpisodeRow r : rows) {
            out.add(r.toEpisode());
        }
        return out;
    }

    @Override
    public String toString() {
        return "PostgresAgentMemoryStore{dimensions=" + dimensions + ", exactScanMax=" + exactScanMax + "}";
    }
}
