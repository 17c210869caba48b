package dev.agentmemory.bench;

import java.util.List;

/**
 * How big and how long each scenario runs. {@link #quick()} fits in five minutes on two cores,
 * {@link #full()} in thirty; {@link #tiny()} is the smoke test's, seconds long and without
 * PostgreSQL or forked JVMs.
 *
 * @param profile the name: tiny, quick or full
 * @param rememberWarmup remembers not measured, before the measured ones
 * @param rememberCount measured remembers per path
 * @param ingestEmbedCount episodes ingested with batch embedding
 * @param batchSize episodes per batch call in every ingest
 * @param maintainedCount episodes stored one batch after another into PostgreSQL with the HNSW
 *     index maintained (also the smallest search size there)
 * @param searchSizes store sizes searched
 * @param searchQueries measured queries per search
 * @param searchWarmup queries not measured, first
 * @param projects projects the episodes spread over; one of them is the selective filter
 * @param baseVectors distinct model embeddings the synthetic vectors are drawn around
 * @param peerCount episodes each peer (and we beside it) ingests and searches; 0 skips the peers
 * @param agents concurrent agent counts
 * @param levelSeconds measured seconds per agent count
 * @param heapEpisodes episodes held to weigh the in-memory store
 * @param jmh whether to run the JMH micro benchmarks (forked JVMs)
 * @param jmhSearchSizes store sizes of the JMH in-memory search
 * @param jmhWarmupIterations JMH warm-up iterations
 * @param jmhIterations JMH measured iterations
 * @param jmhIterationSeconds seconds per JMH iteration
 * @param rssProbe whether to measure the local model's resident memory in a child JVM
 */
record BenchConfig(String profile, int rememberWarmup, int rememberCount, int ingestEmbedCount, int batchSize,
                   int maintainedCount, List<Integer> searchSizes, int searchQueries, int searchWarmup,
                   int projects, int baseVectors, int peerCount, List<Integer> agents, int levelSeconds,
                   int heapEpisodes, boolean jmh, List<Integer> jmhSearchSizes, int jmhWarmupIterations,
                   int jmhIterations, int jmhIterationSeconds, boolean rssProbe) {

    static BenchConfig quick() {
        return new BenchConfig("quick", 100, 300, 1_000, 500, 10_000, List.of(10_000, 100_000), 300, 50,
                100, 300, 10_000, List.of(1, 8, 32, 64), 3, 100_000, true, List.of(10_000), 1, 3, 1, true);
    }

    static BenchConfig full() {
        return new BenchConfig("full", 300, 2_000, 5_000, 500, 20_000, List.of(10_000, 100_000, 1_000_000), 1_000,
                200, 100, 2_000, 20_000, List.of(1, 8, 32, 64), 10, 100_000, true, List.of(10_000, 100_000), 3, 5, 2,
                true);
    }

    /** Seconds long, in memory only: the smoke test's. */
    static BenchConfig tiny() {
        return new BenchConfig("tiny", 3, 10, 64, 32, 500, List.of(2_000), 20, 5, 10, 50, 0, List.of(1, 4), 1,
                2_000, false, List.of(), 0, 1, 1, false);
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
