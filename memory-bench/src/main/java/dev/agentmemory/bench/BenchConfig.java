package dev.agentmemory.bench;

import java.util.List;

/**
 * How big and how long each scenario runs. {@link #quick()} fits in five minutes on two cores,
 * {@link #full()} in thirty to thirty-five (peers side by side at 5k, 20k and 100k, no 1M load: the
 * 1M tables are on demand, {@code -Dbench.tenants.sizes} and {@code -Dbench.replica.size});
 * {@link #tiny()} is the smoke test's, seconds long and without PostgreSQL or forked JVMs.
 *
 * @param profile the name: tiny, quick or full
 * @param rememberWarmup remembers not measured, before the measured ones
 * @param rememberCount measured remembers per path
 * @param ingestEmbedCount episodes ingested with batch embedding
 * @param embedBatch episodes per {@code rememberDecisions} call in that ingest
 * @param batchSize episodes per batch call in every store-only ingest
 * @param searchSizes store sizes searched
 * @param searchQueries measured queries per search
 * @param searchWarmup queries not measured, first
 * @param projects projects the episodes spread over; one of them is the selective filter
 * @param baseVectors distinct model embeddings the synthetic vectors are drawn around
 * @param peerSizes the sizes at which each peer (and we beside it) ingests, HNSW index
 *     maintained, and searches; empty skips the peers. The first is issue 16's store-only row
 * @param storeRounds interleaved rounds of the store-only load at the first peer size (ours,
 *     each peer, again): the row reports each store's median, so that one noisy moment of a
 *     shared machine does not decide the ratio
 * @param uniformSize a store size searched once more with uniform random vectors (the hard case
 *     for an approximate index); 0 skips it
 * @param agents concurrent agent counts
 * @param levelSeconds measured seconds per agent count
 * @param heapEpisodes episodes held to weigh the in-memory store
 * @param qualityProjects projects of the retrieval-quality benchmark
 * @param qualitySituations situations per project there
 * @param qualityQueries its queries
 * @param jmh whether to run the JMH micro benchmarks (forked JVMs)
 * @param jmhSearchSizes store sizes of the JMH in-memory search
 * @param jmhWarmupIterations JMH warm-up iterations
 * @param jmhIterations JMH measured iterations
 * @param jmhIterationSeconds seconds per JMH iteration
 * @param rssProbe whether to measure the local model's resident memory in a child JVM
 */
record BenchConfig(String profile, int rememberWarmup, int rememberCount, int ingestEmbedCount, int embedBatch,
                   int batchSize, List<Integer> searchSizes, int searchQueries, int searchWarmup, int projects,
                   int baseVectors, List<Integer> peerSizes, int storeRounds, int uniformSize, List<Integer> agents, int levelSeconds,
                   int heapEpisodes, int qualityProjects, int qualitySituations, int qualityQueries, boolean jmh,
                   List<Integer> jmhSearchSizes, int jmhWarmupIterations, int jmhIterations, int jmhIterationSeconds,
                   boolean rssProbe) {

    /** About five minutes on two cores. */
    static BenchConfig quick() {
        return new BenchConfig("quick", 20, 100, 300, 100, 500, List.of(10_000, 100_000), 300, 50, 100, 300, List.of(5_000), 3, 0,
                List.of(1, 8, 32, 64), 2, 100_000, 5, 50, 100, true, List.of(10_000), 1, 3, 1, true);
    }

    /** Thirty to thirty-five minutes on two cores; no 1M load (those are on demand, see the class). */
    static BenchConfig full() {
        return new BenchConfig("full", 100, 1_000, 2_000, 100, 500, List.of(10_000, 100_000), 1_000, 200,
                100, 2_000, List.of(5_000, 20_000, 100_000), 3, 100_000, List.of(1, 8, 32, 64), 10, 100_000, 10, 100, 200, true,
                List.of(10_000, 100_000), 2, 5, 2, true);
    }

    /** Seconds long, in memory only: the smoke test's. */
    static BenchConfig tiny() {
        return new BenchConfig("tiny", 3, 10, 64, 32, 32, List.of(2_000), 20, 5, 10, 50, List.of(), 1, 0, List.of(1, 4), 1, 2_000,
                3, 20, 10, false, List.of(), 0, 1, 1, false);
    }

    static BenchConfig named(String name) {
        return switch (name) {
            case "quick" -> quick();
            case "full" -> full();
            case "tiny" -> tiny();
            default -> throw new IllegalArgumentException("unknown profile '" + name + "': quick, full or tiny");
        };
    }
}
