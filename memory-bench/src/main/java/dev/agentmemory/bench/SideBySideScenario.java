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
import org.jspecify.annotations.Nullable;

/**
 * 2 and 4. Store-only ingest with the HNSW index maintained, then search, on the same PostgreSQL,
 * the same vectors and in the same JVM: our store, LangChain4j's {@code PgVectorEmbeddingStore}
 * and Spring AI's {@code PgVectorStore}. Each gets a fresh schema with an empty table and its HNSW
 * index ({@code vector_cosine_ops}, pgvector's default m and ef_construction), the same batches
 * from the same number of threads, then the same queries; at every size of
 * {@link BenchConfig#peerSizes()}. At the first (issue 16's store-only row, 5k) the loads run
 * {@link BenchConfig#storeRounds()} times, interleaved (ours, LangChain4j, Spring AI, again), and
 * each store's median round counts: on a shared machine one store's unlucky moment would
 * otherwise decide the ratio. The last round's tables are the ones searched.
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

    /** A store's load and, for the round searched, its searches; {@code rounds} every load of it. */
    private record Measured(String name, Ingest ingest, SearchMeasure.@Nullable Outcome all,
                            SearchMeasure.@Nullable Outcome filtered, long[] window, List<Ingest> rounds) {
    }

    /** One store under measurement: loads a fresh table and, when asked, searches it. */
    private interface Contender {
        String name();

        /** Makes the store on a fresh schema, loads it (the window is the load's), searches if asked, closes it. */
        Measured measure(boolean search) throws Exception;
    }

    /** The episodes of one size, with what each store is given. */
    private record Data(VectorSet set, List<Episode> episodes, List<float[]> vectors, List<UUID> ids,
                        List<String> texts, List<Map<String, Object>> metadata) {
    }

    static void run(Run run) throws Exception {
        Postgres pg = run.pg;
        BenchConfig c = run.config;
        if (pg == null || c.peerSizes().isEmpty()) {
            return;
        }
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        int largest = 0;
        for (int n : c.peerSizes()) {
            largest = Math.max(largest, n);
        }
        Data all = data(run, largest);
        run.fact("side_by_side", "at " + c.peerSizes().stream().map(SideBySideScenario::size).toList()
                + " episodes, batches of " + c.batchSize() + " from " + threads
                + " threads, HNSW index on the empty table (m 16, ef_construction 64), then " + c.searchQueries()
                + " queries for 10 neighbours; at " + size(c.peerSizes().get(0)) + " the load runs " + c.storeRounds()
                + " interleaved rounds (ours, each peer, again) and each store's median round counts");

        // Each store first ingests and searches a throwaway table, so that none is measured with
        // a cold JIT (the first store would otherwise warm the JDBC driver for the others).
        int warm = Math.min(largest, WARMUP_ROWS);
        warmUp(run, pg, "ours", threads, (pool, schema) -> {
            AgentMemorySystem memory = AgentMemory.builder().store("postgres").dataSource(pool).embedder(run.model())
                    .migrate(true).build();
            AgentMemoryStore store = memory.episodes();
            store.storeEpisodes(all.episodes().subList(0, warm), all.vectors().subList(0, warm));
            for (int q = 0; q < 50; q++) {
                store.findSimilarEpisodes(all.vectors().get(q), q % 2 == 0 ? null : Workload.project(q % c.projects()), 10, -1.0);
            }
            memory.close();
        });
        warmUp(run, pg, "lc4j", threads, (pool, schema) -> warmPeer(new LangChain4jPeer(pool, all.set().dimensions()),
                warm, all, c.projects()));
        warmUp(run, pg, "springai", threads, (pool, schema) -> warmPeer(new SpringAiPeer(pool, schema,
                all.set().dimensions(), c.batchSize()), warm, all, c.projects()));

        for (int i = 0; i < c.peerSizes().size(); i++) {
            int n = c.peerSizes().get(i);
            size(run, pg, n == largest ? all : data(run, n), n, i == 0 ? Math.max(1, c.storeRounds()) : 1, i == 0,
                    threads, warm);
        }
    }

    private static Data data(Run run, int n) {
        VectorSet set = run.vectors(n).prefix(n);
        List<Episode> episodes = new ArrayList<>(n);
        List<float[]> vectors = new ArrayList<>(n);
        List<UUID> ids = new ArrayList<>(n);
        List<String> texts = new ArrayList<>(n);
        List<Map<String, Object>> metadata = new ArrayList<>(n);
        EpisodeEmbedder renderer = new EpisodeEmbedder(run.model());
        for (int i = 0; i < n; i++) {
            Episode e = run.syntheticEpisode(i);
            episodes.add(e);
            vectors.add(set.vector(i));
            ids.add(e.episodeId());
            texts.add(renderer.episodeToText(e));
            metadata.add(metadata(e));
        }
        return new Data(set, episodes, vectors, ids, texts, metadata);
    }

    // One size: every store loaded `rounds` times, interleaved, the last round's tables searched.
    private static void size(Run run, Postgres pg, Data d, int n, int rounds, boolean storeOnlyRow, int threads,
                             int warm) throws Exception {
        BenchConfig c = run.config;
        String size = size(n);
        Data data = d.ids().size() == n ? d : new Data(d.set().prefix(n), d.episodes().subList(0, n),
                d.vectors().subList(0, n), d.ids().subList(0, n), d.texts().subList(0, n), d.metadata().subList(0, n));
        List<Contender> contenders = List.of(ours(run, pg, data, threads, size), peer(run, pg, data, threads, "lc4j",
                (pool, schema) -> new LangChain4jPeer(pool, data.set().dimensions())), peer(run, pg, data, threads,
                "springai", (pool, schema) -> new SpringAiPeer(pool, schema, data.set().dimensions(), c.batchSize())));
        Map<String, List<Measured>> byStore = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            boolean last = round == rounds - 1;
            for (Contender contender : contenders) {
                try {
                    run.log("side by side, %s, round %d of %d: %s ingesting %,d episodes", size, round + 1, rounds,
                            contender.name(), n);
                    byStore.computeIfAbsent(contender.name(), k -> new ArrayList<>()).add(contender.measure(last));
                } catch (RuntimeException | LinkageError e) {
                    if (contender == contenders.get(0)) {
                        throw e;
                    }
                    run.log("%s failed: %s", contender.name(), e);
                }
            }
        }
        List<Measured> measured = new ArrayList<>();
        for (List<Measured> ms : byStore.values()) {
            measured.add(median(ms));
        }
        Measured ours = measured.get(0);
        List<Measured> peers = measured.subList(1, measured.size());

        String id = "ingest.store.postgres.maintained." + size;
        Result.Builder ingest = Result.builder(id, INGEST, "store only (vectors given), PostgreSQL, HNSW maintained, "
                + size + (rounds > 1 ? " (median of " + rounds + " interleaved rounds)" : ""))
                .started(ours.window()[0]).ended(ours.window()[1]);
        describeIngest(ingest, ours.ingest());
        roundRates(ingest, ours.rounds());
        double minRatio = Double.POSITIVE_INFINITY;
        for (Measured p : peers) {
            double ratio = ours.ingest().rate() / p.ingest().rate();
            minRatio = Math.min(minRatio, ratio);
            Map<String, Double> pm = new LinkedHashMap<>();
            pm.put("episodes_per_s", p.ingest().rate());
            pm.put("seconds", p.ingest().seconds());
            pm.put("server_cpu_s", p.ingest().serverCpu());
            pm.put("jvm_cpu_s", p.ingest().jvmCpu());
            pm.put("store_threads_cpu_s", p.ingest().storeCpu());
            pm.put("rows", (double) n);
            // The peer's load window, so that the report can read its threads' CPU from the recording.
            pm.put("window_from_ms", (double) p.window()[0]);
            pm.put("window_to_ms", (double) p.window()[1]);
            for (int r = 0; r < p.rounds().size(); r++) {
                pm.put("episodes_per_s_round" + (r + 1), p.rounds().get(r).rate());
            }
            ingest.peer(new Result.Peer(p.name(), Fmt.rate(p.ingest().rate(), "episodes"), ratio, pm));
        }
        ingest.metric("rows", n);
        if (storeOnlyRow) {
            ingest.atLeast("episodes_per_s", 1_500, "episodes/s", "≥ 1,500 episodes/s");
        }
        if (!peers.isEmpty()) {
            ingest.metric("min_peer_ratio", minRatio);
            if (storeOnlyRow) {
                // Issue 16: "store only, HNSW maintained, 5k: >= 1.2 x every peer".
                ingest.atLeast("min_peer_ratio", ISSUE16_STORE_RATIO, "×", "≥ 1.2 × every peer");
            }
        }
        ingest.notes("storeEpisodes, " + c.batchSize() + " a batch, " + threads + " threads, into an empty table with "
                + "its HNSW index, after a warm-up of " + warm + " rows into a throwaway table (the peers alike)"
                + (rounds > 1 ? "; " + rounds + " rounds, interleaved (ours, LangChain4j, Spring AI, again), each "
                        + "store's median round reported (its CPU figures are that round's), the ratio from the medians"
                        : "")
                + "; server and JVM CPU seconds in the metrics show where the time goes (store_threads_cpu_s: the CPU "
                + "of the threads that called the store alone, the client's own work without the JIT compiler's and "
                + "the collector's)");
        run.add(ingest.build());

        addSearch(run, "search.postgres." + size + ".all", "findSimilarEpisodes, PostgreSQL, " + size
                + ", all projects", ours, peers, false, n);
        addSearch(run, "search.postgres." + size + ".project", "findSimilarEpisodes, PostgreSQL, " + size
                + ", one project of " + c.projects(), ours, peers, true, n);
    }

    /** Issue 16's store-only target: our rate over every peer's. */
    static final double ISSUE16_STORE_RATIO = 1.2;

    // The round with the median rate (the lower middle of an even count), its rounds kept beside it.
    private static Measured median(List<Measured> rounds) {
        List<Measured> sorted = new ArrayList<>(rounds);
        sorted.sort(java.util.Comparator.comparingDouble(m -> m.ingest().rate()));
        Measured mid = sorted.get((sorted.size() - 1) / 2);
        Measured searched = rounds.get(rounds.size() - 1);
        List<Ingest> all = new ArrayList<>();
        for (Measured m : rounds) {
            all.add(m.ingest());
        }
        return new Measured(mid.name(), mid.ingest(), searched.all(), searched.filtered(), mid.window(), all);
    }

    private static void roundRates(Result.Builder r, List<Ingest> rounds) {
        if (rounds.size() < 2) {
            return;
        }
        for (int i = 0; i < rounds.size(); i++) {
            r.metric("episodes_per_s_round" + (i + 1), rounds.get(i).rate());
        }
    }

    private static Contender ours(Run run, Postgres pg, Data data, int threads, String size) {
        BenchConfig c = run.config;
        return new Contender() {
            @Override
            public String name() {
                return "agent-memory";
            }

            @Override
            public Measured measure(boolean search) throws Exception {
                String schema = pg.schema("ours");
                try (HikariDataSource pool = pg.pool(schema, threads + 2);
                     AgentMemorySystem memory = AgentMemory.builder().store("postgres").dataSource(pool)
                             .embedder(run.model()).migrate(true).build()) {
                    AgentMemoryStore store = memory.episodes();
                    long[] window = new long[2];
                    window[0] = System.currentTimeMillis();
                    Ingest ingest = load(pg, data.ids().size(), c.batchSize(), threads, "ours", (from, to) ->
                            store.storeEpisodes(data.episodes().subList(from, to), data.vectors().subList(from, to)));
                    window[1] = System.currentTimeMillis();
                    if (!search) {
                        return new Measured(name(), ingest, null, null, window, List.of());
                    }
                    SearchMeasure.Search find = (q, project, k) -> ids(store.findSimilarEpisodes(q, project, k, -1.0));
                    Measured m = new Measured(name(), ingest, SearchMeasure.measure(run, data.set(), false, find),
                            SearchMeasure.measure(run, data.set(), true, find), window, List.of());
                    SearchScenario.EXPLAINS.put("search.postgres." + size + ".all",
                            Explain.search(pool, run.queries().vector(0), null));
                    SearchScenario.EXPLAINS.put("search.postgres." + size + ".project",
                            Explain.search(pool, run.queries().vector(0), Workload.project(0)));
                    if (data.ids().size() == c.peerSizes().get(0)) {
                        singleStores(run, store);
                    }
                    return m;
                } finally {
                    pg.drop(schema);
                }
            }
        };
    }

    /** Makes a peer's store on its schema and pool. */
    @FunctionalInterface
    private interface PeerFactory {
        PeerStore make(HikariDataSource pool, String schema) throws Exception;
    }

    private static Contender peer(Run run, Postgres pg, Data data, int threads, String key, PeerFactory factory) {
        String name = "lc4j".equals(key) ? "LangChain4j PgVectorEmbeddingStore" : "Spring AI PgVectorStore";
        return new Contender() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Measured measure(boolean search) throws Exception {
                String schema = pg.schema(key);
                try (HikariDataSource pool = pg.pool(schema, threads + 2);
                     PeerStore peer = factory.make(pool, schema)) {
                    long[] window = new long[2];
                    window[0] = System.currentTimeMillis();
                    Ingest ingest = load(pg, data.ids().size(), run.config.batchSize(), threads, key, (from, to) ->
                            peer.addAll(data.ids().subList(from, to), data.vectors().subList(from, to),
                                    data.texts().subList(from, to), data.metadata().subList(from, to)));
                    window[1] = System.currentTimeMillis();
                    if (!search) {
                        return new Measured(peer.name(), ingest, null, null, window, List.of());
                    }
                    SearchMeasure.Search find = peer::search;
                    return new Measured(peer.name(), ingest, SearchMeasure.measure(run, data.set(), false, find),
                            SearchMeasure.measure(run, data.set(), true, find), window, List.of());
                } finally {
                    pg.drop(schema);
                }
            }
        };
    }

    private static void addSearch(Run run, String id, String scenario, Measured ours, List<Measured> peers,
                                  boolean filtered, int n) {
        Result.Builder r = Result.builder(id, SEARCH, scenario);
        SearchMeasure.Outcome o = java.util.Objects.requireNonNull(filtered ? ours.filtered() : ours.all());
        SearchMeasure.describe(r, o);
        int behind = 0;
        for (Measured p : peers) {
            SearchMeasure.Outcome po = java.util.Objects.requireNonNull(filtered ? p.filtered() : p.all());
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
            // Issue 16 asks 0.99 of a project's search at 100k (its exact scan, or a layout's index).
            r.atMost("p95_ms", 5, "ms", "p95 ≤ 5 ms").atLeast("recall_at_10", filtered ? 0.99 : 0.95, "",
                    filtered ? "recall@10 ≥ 0.99" : "recall@10 ≥ 0.95");
        }
        if (!peers.isEmpty()) {
            r.metric("peers_ahead", behind).atMost("peers_ahead", 0, "peers",
                    "ahead of both peers (p95, at recall@10 within " + RECALL_TOLERANCE + " of ours or worse)");
        }
        r.notes("limit 10, no similarity threshold; ratio = peer's p95 / ours; recall against exact search; a peer "
                + "counts as ahead only if it is faster with recall@10 no more than " + RECALL_TOLERANCE + " below ours");
        run.add(r.build());
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

    private static void warmPeer(PeerStore peer, int warm, Data d, int projects) {
        for (int from = 0; from < warm; from += 250) {
            int to = Math.min(warm, from + 250);
            peer.addAll(d.ids().subList(from, to), d.vectors().subList(from, to), d.texts().subList(from, to),
                    d.metadata().subList(from, to));
        }
        for (int q = 0; q < 50; q++) {
            peer.search(d.vectors().get(q), q % 2 == 0 ? null : Workload.project(q % projects), 10);
        }
        peer.close();
    }

    // Batches handed out in order to threads that each store one batch at a time.
    // The threads are named store-<store>-<i>, so that the recording's CPU by thread (JvmThreads)
    // tells the threads that call the store from the JIT compiler, the collector and the pools.
    private static Ingest load(Postgres pg, int n, int batch, int threads, String store, Sink sink) throws Exception {
        AtomicInteger next = new AtomicInteger();
        java.util.concurrent.atomic.AtomicLong storeCpu = new java.util.concurrent.atomic.AtomicLong();
        java.lang.management.ThreadMXBean threadsBean = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<Integer, Long> server0 = pg.backendTicks();
        long cpu0 = IngestScenario.processCpuNanos();
        long t0 = System.nanoTime();
        AtomicInteger made = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads,
                r -> new Thread(r, JvmThreads.STORE_THREAD_PREFIX + store + "-" + made.incrementAndGet()));
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
