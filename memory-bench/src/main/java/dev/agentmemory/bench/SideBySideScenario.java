package dev.agentmemory.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.Episode;
import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.core.EpisodeEmbedder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * 2 and 4. Store-only ingest with the HNSW index maintained, then search, on the same PostgreSQL,
 * the same vectors and in the same JVM: our store, LangChain4j's {@code PgVectorEmbeddingStore}
 * and Spring AI's {@code PgVectorStore}. Each gets a fresh schema with an empty table and its HNSW
 * index ({@code vector_cosine_ops}, pgvector's default m and ef_construction), the same batches
 * from the same number of threads, then the same queries.
 */
final class SideBySideScenario {

    static final String INGEST = "2. ingest";
    static final String SEARCH = "3. search";
    /** How much lower a peer's recall@10 may be and its speed still count against ours. */
    static final double RECALL_TOLERANCE = 0.02;
    /** Rows each store ingests into a throwaway table first. */
    static final int WARMUP_ROWS = 1_000;

    private SideBySideScenario() {
    }

    /** Stores one batch, {@code [from, to)}. */
    @FunctionalInterface
    private interface Sink {
        void store(int from, int to) throws Exception;
    }

    /**
     * @param jvmCpu the whole JVM's CPU seconds over the load: the storing threads, and also the JIT
     *     compiler and the garbage collector
     * @param storeCpu the CPU seconds of the threads that called the store only: the client's own
     *     work per row (validation, serialisation, the driver), without the JIT's
     */
    private record Ingest(double rate, double seconds, double jvmCpu, double serverCpu, double storeCpu) {
    }

    private record Measured(String name, Ingest ingest, SearchMeasure.Outcome all, SearchMeasure.Outcome filtered,
                            long[] window) {
    }

    static void run(Run run) throws Exception {
        Postgres pg = run.pg;
        BenchConfig c = run.config;
        int n = c.peerCount();
        if (pg == null || n == 0) {
            return;
        }
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        VectorSet data = run.vectors(n).prefix(n);
        List<Episode> episodes = new ArrayList<>(n);
        List<float[]> vectors = new ArrayList<>(n);
        List<UUID> ids = new ArrayList<>(n);
        List<String> texts = new ArrayList<>(n);
        List<Map<String, Object>> metadata = new ArrayList<>(n);
        EpisodeEmbedder renderer = new EpisodeEmbedder(run.model());
        for (int i = 0; i < n; i++) {
            Episode e = run.syntheticEpisode(i);
            episodes.add(e);
            vectors.add(data.vector(i));
            ids.add(e.episodeId());
            texts.add(renderer.episodeToText(e));
            metadata.add(metadata(e));
        }
        run.fact("side_by_side", n + " episodes, batches of " + c.batchSize() + " from " + threads
                + " threads, HNSW index on the empty table (m 16, ef_construction 64), then "
                + c.searchQueries() + " queries for 10 neighbours");

        List<Measured> measured = new ArrayList<>();
        // Each store first ingests and searches a throwaway table, so that none is measured with
        // a cold JIT (the first store would otherwise warm the JDBC driver for the others).
        int warm = Math.min(n, WARMUP_ROWS);
        warmUp(run, pg, "ours", threads, (pool, schema) -> {
            AgentMemorySystem memory = AgentMemory.builder().store("postgres").dataSource(pool).embedder(run.model())
                    .migrate(true).build();
            AgentMemoryStore store = memory.episodes();
            store.storeEpisodes(episodes.subList(0, warm), vectors.subList(0, warm));
            for (int q = 0; q < 50; q++) {
                store.findSimilarEpisodes(vectors.get(q), q % 2 == 0 ? null : Workload.project(q % c.projects()), 10, -1.0);
            }
            memory.close();
        });
        warmUp(run, pg, "lc4j", threads, (pool, schema) -> warmPeer(new LangChain4jPeer(pool, data.dimensions()),
                warm, ids, vectors, texts, metadata, c.projects()));
        warmUp(run, pg, "springai", threads, (pool, schema) -> warmPeer(new SpringAiPeer(pool, schema, data.dimensions(),
                c.batchSize()), warm, ids, vectors, texts, metadata, c.projects()));

        // Ours.
        String oursSchema = pg.schema("ours");
        Measured ours;
        try (HikariDataSource pool = pg.pool(oursSchema, threads + 2);
             AgentMemorySystem memory = AgentMemory.builder().store("postgres").dataSource(pool).embedder(run.model())
                     .migrate(true).build()) {
            AgentMemoryStore store = memory.episodes();
            run.log("side by side: our store ingesting %,d episodes", n);
            long[] window = new long[2];
            window[0] = System.currentTimeMillis();
            Ingest ingest = load(pg, n, c.batchSize(), threads,
                    (from, to) -> store.storeEpisodes(episodes.subList(from, to), vectors.subList(from, to)));
            window[1] = System.currentTimeMillis();
            SearchMeasure.Search search = (q, project, k) -> ids(store.findSimilarEpisodes(q, project, k, -1.0));
            ours = new Measured("agent-memory", ingest, SearchMeasure.measure(run, data, false, search),
                    SearchMeasure.measure(run, data, true, search), window);
            String label = size(n);
            SearchScenario.EXPLAINS.put("search.postgres." + label + ".all", Explain.search(pool, run.queries().vector(0), null));
            SearchScenario.EXPLAINS.put("search.postgres." + label + ".project",
                    Explain.search(pool, run.queries().vector(0), Workload.project(0)));
            measured.add(ours);
            singleStores(run, store);
        }

        // LangChain4j.
        String lcSchema = pg.schema("lc4j");
        try (HikariDataSource pool = pg.pool(lcSchema, threads + 2);
             LangChain4jPeer peer = new LangChain4jPeer(pool, data.dimensions())) {
            measured.add(measurePeer(run, pg, peer, data, ids, vectors, texts, metadata, threads));
        } catch (RuntimeException e) {
            run.log("LangChain4j peer failed: %s", e);
        }

        // Spring AI.
        String springSchema = pg.schema("springai");
        try (HikariDataSource pool = pg.pool(springSchema, threads + 2);
             SpringAiPeer peer = new SpringAiPeer(pool, springSchema, data.dimensions(), c.batchSize())) {
            measured.add(measurePeer(run, pg, peer, data, ids, vectors, texts, metadata, threads));
        } catch (RuntimeException e) {
            run.log("Spring AI peer failed: %s", e);
        }

        List<Measured> peers = measured.subList(1, measured.size());
        String size = size(n);

        Result.Builder ingest = Result.builder("ingest.store.postgres.maintained", INGEST,
                "store only (vectors given), PostgreSQL, HNSW maintained, " + size)
                .started(ours.window()[0]).ended(ours.window()[1]);
        describeIngest(ingest, ours.ingest());
        double minRatio = Double.POSITIVE_INFINITY;
        for (Measured p : peers) {
            double ratio = ours.ingest().rate() / p.ingest().rate();
            minRatio = Math.min(minRatio, ratio);
            ingest.peer(new Result.Peer(p.name(), Fmt.rate(p.ingest().rate(), "episodes"), ratio,
                    Map.of("episodes_per_s", p.ingest().rate(), "server_cpu_s", p.ingest().serverCpu(),
                            "jvm_cpu_s", p.ingest().jvmCpu(), "store_threads_cpu_s", p.ingest().storeCpu())));
        }
        ingest.atLeast("episodes_per_s", 1_500, "episodes/s", "≥ 1,500 episodes/s");
        if (!peers.isEmpty()) {
            ingest.metric("min_peer_ratio", minRatio).atLeast("min_peer_ratio", 1, "×", "ahead of both peers");
        }
        ingest.notes("storeEpisodes, " + c.batchSize() + " a batch, " + threads + " threads, into an empty table with "
                + "its HNSW index, after a warm-up of " + warm + " rows into a throwaway table (the peers alike); server and "
                + "JVM CPU seconds in the metrics show where the time goes (store_threads_cpu_s: the CPU of the threads that "
                + "called the store alone, the client's own work without the JIT compiler's and the collector's)");
        run.add(ingest.build());

        addSearch(run, "search.postgres." + size + ".all", "findSimilarEpisodes, PostgreSQL, " + size
                + ", all projects", ours, peers, false, n);
        addSearch(run, "search.postgres." + size + ".project", "findSimilarEpisodes, PostgreSQL, " + size
                + ", one project of " + c.projects(), ours, peers, true, n);
        pg.drop(lcSchema);
        pg.drop(springSchema);
        pg.drop(oursSchema);
    }

    private static void addSearch(Run run, String id, String scenario, Measured ours, List<Measured> peers,
                                  boolean filtered, int n) {
        Result.Builder r = Result.builder(id, SEARCH, scenario);
        SearchMeasure.Outcome o = filtered ? ours.filtered() : ours.all();
        SearchMeasure.describe(r, o);
        int behind = 0;
        for (Measured p : peers) {
            SearchMeasure.Outcome po = filtered ? p.filtered() : p.all();
            double ratio = po.latency().p95() / o.latency().p95();
            // Speed counts between answers of about the same quality: a peer that returns the wrong
            // neighbours (or too few) faster is not ahead.
            if (ratio < 1 && po.recall() >= o.recall() - RECALL_TOLERANCE) {
                behind++;
            }
            r.peer(new Result.Peer(p.name(), Fmt.latency(po.latency()) + " · recall@10 " + Fmt.num(po.recall()), ratio,
                    Map.of("p50_ms", po.latency().p50(), "p95_ms", po.latency().p95(), "p99_ms", po.latency().p99(),
                            "recall_at_10", po.recall(), "mean_found", po.meanFound())));
        }
        if (n >= 100_000) {
            r.atMost("p95_ms", 5, "ms", "p95 ≤ 5 ms").atLeast("recall_at_10", 0.95, "", "recall@10 ≥ 0.95");
        }
        if (!peers.isEmpty()) {
            r.metric("peers_ahead", behind).atMost("peers_ahead", 0, "peers",
                    "ahead of both peers (p95, at recall@10 within " + RECALL_TOLERANCE + " of ours or worse)");
        }
        r.notes("limit 10, no similarity threshold; ratio = peer's p95 / ours; recall against exact search; a peer "
                + "counts as ahead only if it is faster with recall@10 no more than " + RECALL_TOLERANCE + " below ours");
        run.add(r.build());
    }

    private static Measured measurePeer(Run run, Postgres pg, PeerStore peer, VectorSet data, List<UUID> ids,
                                        List<float[]> vectors, List<String> texts, List<Map<String, Object>> metadata,
                                        int threads) throws Exception {
        run.log("side by side: %s ingesting %,d episodes", peer.name(), ids.size());
        Ingest ingest = load(pg, ids.size(), run.config.batchSize(), threads, (from, to) -> peer.addAll(
                ids.subList(from, to), vectors.subList(from, to), texts.subList(from, to), metadata.subList(from, to)));
        SearchMeasure.Search search = peer::search;
        return new Measured(peer.name(), ingest, SearchMeasure.measure(run, data, false, search),
                SearchMeasure.measure(run, data, true, search), new long[2]);
    }

    /** Work on a throwaway schema and its pool. */
    @FunctionalInterface
    private interface Warm {
        void run(HikariDataSource pool, String schema) throws Exception;
    }

    private static void warmUp(Run run, Postgres pg, String name, int threads, Warm warm) {
        String schema = null;
        try {
            schema = pg.schema("warm_" + name);
            try (HikariDataSource pool = pg.pool(schema, threads + 2)) {
                warm.run(pool, schema);
            }
        } catch (Exception | LinkageError e) {
            run.log("warm-up of %s failed: %s", name, e);
        } finally {
            if (schema != null) {
                pg.drop(schema);
            }
        }
    }

    private static void warmPeer(PeerStore peer, int warm, List<UUID> ids, List<float[]> vectors, List<String> texts,
                                 List<Map<String, Object>> metadata, int projects) {
        for (int from = 0; from < warm; from += 250) {
            int to = Math.min(warm, from + 250);
            peer.addAll(ids.subList(from, to), vectors.subList(from, to), texts.subList(from, to), metadata.subList(from, to));
        }
        for (int q = 0; q < 50; q++) {
            peer.search(vectors.get(q), q % 2 == 0 ? null : Workload.project(q % projects), 10);
        }
        peer.close();
    }

    // Batches handed out in order to threads that each store one batch at a time.
    private static Ingest load(Postgres pg, int n, int batch, int threads, Sink sink) throws Exception {
        AtomicInteger next = new AtomicInteger();
        java.util.concurrent.atomic.AtomicLong storeCpu = new java.util.concurrent.atomic.AtomicLong();
        java.lang.management.ThreadMXBean threadsBean = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<Integer, Long> server0 = pg.backendTicks();
        long cpu0 = IngestScenario.processCpuNanos();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    long own0 = threadsBean.getCurrentThreadCpuTime();
                    for (int from = next.getAndAdd(batch); from < n; from = next.getAndAdd(batch)) {
                        sink.store(from, Math.min(n, from + batch));
                    }
                    storeCpu.addAndGet(threadsBean.getCurrentThreadCpuTime() - own0);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double jvm = (IngestScenario.processCpuNanos() - cpu0) / 1e9;
        double server = Postgres.cpuSeconds(server0, pg.backendTicks());
        return new Ingest(n / seconds, seconds, jvm, server, storeCpu.get() / 1e9);
    }

    private static void describeIngest(Result.Builder r, Ingest i) {
        r.headline(Fmt.rate(i.rate(), "episodes")).metric("episodes_per_s", i.rate()).metric("seconds", i.seconds())
                .metric("jvm_cpu_s", i.jvmCpu()).metric("server_cpu_s", i.serverCpu())
                .metric("store_threads_cpu_s", i.storeCpu());
    }

    // storeEpisode one at a time into the loaded table: the old deployment's "storing an episode".
    private static void singleStores(Run run, AgentMemoryStore store) {
        Random random = new Random(40);
        VectorSet q = run.queries();
        for (int i = 0; i < run.config.searchWarmup(); i++) {
            store.storeEpisode(Workload.episode("single", random), q.vector(i % q.size()));
        }
        Latency latency = new Latency();
        Result.Builder r = Result.builder("store.single.postgres", INGEST,
                "storeEpisode, one episode, vector given, PostgreSQL");
        for (int i = 0; i < run.config.rememberCount(); i++) {
            Episode e = Workload.episode(Workload.project(i % run.config.projects()), random);
            float[] v = q.vector(i % q.size());
            latency.time(() -> store.storeEpisode(e, v));
        }
        r.latency(latency.summary()).notes("autocommit INSERT into the loaded table, HNSW index maintained");
        run.add(r.build());
    }

    static List<UUID> ids(List<Episode> episodes) {
        List<UUID> out = new ArrayList<>(episodes.size());
        for (Episode e : episodes) {
            out.add(e.episodeId());
        }
        return out;
    }

    static Map<String, Object> metadata(Episode e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("project_id", e.projectId());
        m.put("timestamp", e.timestamp().toString());
        m.put("agent_version", e.agentVersion());
        m.put("control_mode", e.controlMode());
        m.put("decision_source", e.decisionSource());
        if (e.sprintId() != null) {
            m.put("sprint_id", e.sprintId());
        }
        return m;
    }

    static String size(int n) {
        if (n >= 1_000_000 && n % 1_000_000 == 0) {
            return n / 1_000_000 + "M";
        }
        if (n >= 1_000 && n % 1_000 == 0) {
            return n / 1_000 + "k";
        }
        return Integer.toString(n);
    }
}
