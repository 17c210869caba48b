package dev.agentmemory.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.agentmemory.api.Episode;
import dev.agentmemory.api.EpisodeFilter;
import dev.agentmemory.api.Vectors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The in-memory search is exact: on a store large enough to be scanned in parallel and to span
 * many blocks, after deletions have moved vectors between slots, it returns what a brute-force
 * scan in double precision returns.
 */
class ExactSearchTest {

    private static final int DIMENSIONS = 24;
    private static final int SIZE = VectorIndex.PARALLEL_THRESHOLD * 2 + 123;

    private final Random random = new Random(7);

    private float[] randomVector() {
        float[] v = new float[DIMENSIONS];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static Episode episode(String project, int i) {
        return Episode.builder(project).timestamp(Instant.EPOCH.plusSeconds(i))
                .perception(Map.of("i", i)).reasoning(Map.of()).action(Map.of()).build();
    }

    @Test
    void searchMatchesABruteForceScanAfterDeletesAcrossBlocks() {
        InMemoryAgentMemoryStore store = new InMemoryAgentMemoryStore(DIMENSIONS);
        Map<UUID, float[]> vectors = new LinkedHashMap<>();
        Map<UUID, String> projects = new LinkedHashMap<>();
        List<Episode> batch = new ArrayList<>();
        List<float[]> batchVectors = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            String project = "p" + (i % 7);
            Episode e = episode(project, i).withEpisodeId(UUID.randomUUID());
            float[] v = randomVector();
            batch.add(e);
            batchVectors.add(v);
            vectors.put(e.episodeId(), v);
            projects.put(e.episodeId(), project);
        }
        store.storeEpisodes(batch, batchVectors);
        List<UUID> ids = new ArrayList<>(vectors.keySet());
        for (int i = 0; i < ids.size(); i += 3) {
            assertThat(store.deleteEpisode(ids.get(i))).isTrue();
            vectors.remove(ids.get(i));
        }

        for (int q = 0; q < 5; q++) {
            float[] query = randomVector();
            String project = q % 2 == 0 ? null : "p" + q;

            List<Episode> found = store.findSimilarEpisodesMatching(query, EpisodeFilter.project(project), 25, -1);

            List<Map.Entry<UUID, Double>> expected = vectors.entrySet().stream()
                    .filter(e -> project == null || projects.get(e.getKey()).equals(project))
                    .map(e -> Map.entry(e.getKey(), Vectors.cosineSimilarity(query, e.getValue())))
                    .sorted(Map.Entry.<UUID, Double>comparingByValue(Comparator.reverseOrder()))
                    .limit(25)
                    .collect(Collectors.toList());
            assertThat(found).extracting(Episode::episodeId)
                    .containsExactlyElementsOf(expected.stream().map(Map.Entry::getKey).collect(Collectors.toList()));
            for (int i = 0; i < found.size(); i++) {
                assertThat(found.get(i).similarity()).isCloseTo(expected.get(i).getValue(), within(1e-6));
            }
        }
        assertThat(store.countEpisodes(null)).isEqualTo(vectors.size());
    }

    @Test
    void vectorsOfHugeAndTinyMagnitudeScoreLikeAnyOther() {
        InMemoryAgentMemoryStore store = new InMemoryAgentMemoryStore(DIMENSIONS);
        float[] huge = new float[DIMENSIONS];
        float[] tiny = new float[DIMENSIONS];
        java.util.Arrays.fill(huge, 3e38f);
        java.util.Arrays.fill(tiny, 1e-40f);
        UUID hugeId = store.storeEpisode(episode("p", 1), huge);
        UUID tinyId = store.storeEpisode(episode("p", 2), tiny);
        float[] query = new float[DIMENSIONS];
        java.util.Arrays.fill(query, 1);

        List<Episode> found = store.findSimilarEpisodes(query, "p", 10, 0.99);

        assertThat(found).extracting(Episode::episodeId).containsExactlyInAnyOrder(hugeId, tinyId);
        assertThat(found).allSatisfy(e -> assertThat(e.similarity()).isCloseTo(1.0, within(1e-6)));
    }

    /**
     * The contract promises exact search: past the size from which the approximate path could be
     * chosen, a store built with the defaults still returns the brute-force top 10, while a store
     * that opts in (one probe, on vectors with no cluster structure) misses some of them, so the
     * same data would show the approximate path had the default used it.
     */
    @Test
    void theDefaultStoreSearchesExactlyPastTheSuggestedSize() {
        int dims = 8;
        int size = InMemoryStoreOptions.SUGGESTED_APPROXIMATE_FROM + 1_000;
        InMemoryAgentMemoryStore byDefault = new InMemoryAgentMemoryStore(dims);
        InMemoryAgentMemoryStore optedIn = new InMemoryAgentMemoryStore(dims, java.time.Clock.systemUTC(),
                InMemoryStoreOptions.builder().approximateSearchFrom(InMemoryStoreOptions.SUGGESTED_APPROXIMATE_FROM)
                        .searchProbes(1).build());
        Random r = new Random(3);
        Map<UUID, float[]> vectors = new LinkedHashMap<>();
        List<Episode> batch = new ArrayList<>();
        List<float[]> batchVectors = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Episode e = episode("p" + (i % 5), i).withEpisodeId(UUID.randomUUID());
            float[] v = new float[dims];
            for (int d = 0; d < dims; d++) {
                v[d] = (float) r.nextGaussian();
            }
            vectors.put(e.episodeId(), v);
            batch.add(e);
            batchVectors.add(v);
            if (batch.size() == 1_000) {
                byDefault.storeEpisodes(batch, batchVectors);
                optedIn.storeEpisodes(batch, batchVectors);
                batch.clear();
                batchVectors.clear();
            }
        }
        assertThat(InMemoryStoreOptions.ofDefaults().approximateSearchFrom()).isZero();

        int approximateMisses = 0;
        for (int q = 0; q < 20; q++) {
            float[] query = new float[dims];
            for (int d = 0; d < dims; d++) {
                query[d] = (float) r.nextGaussian();
            }
            List<UUID> truth = vectors.entrySet().stream()
                    .sorted(Comparator.comparingDouble((Map.Entry<UUID, float[]> e)
                            -> Vectors.cosineSimilarity(query, e.getValue())).reversed())
                    .limit(10).map(Map.Entry::getKey).collect(Collectors.toList());
            assertThat(byDefault.findSimilarEpisodes(query, null, 10, -1)).extracting(Episode::episodeId)
                    .containsExactlyElementsOf(truth);
            if (!optedIn.findSimilarEpisodes(query, null, 10, -1).stream().map(Episode::episodeId)
                    .collect(Collectors.toList()).equals(truth)) {
                approximateMisses++;
            }
        }
        assertThat(approximateMisses).as("queries where the opted-in store's cluster path missed the exact top 10")
                .isPositive();
    }
}
