package dev.agentmemory.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.agentmemory.api.Episode;
import dev.agentmemory.api.EpisodeFilter;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.Vectors;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Past its size the unfiltered search reads only the clusters nearest the query: on clustered
 * vectors (like embeddings, which lie around a few directions) it finds nearly what an exact scan
 * finds, reports exact similarities, and keeps finding the right vectors after deletes and
 * updates moved them between slots and clusters; filtered searches stay exact.
 */
class ApproximateSearchTest {

    private static final int DIMENSIONS = 48;
    private static final int SIZE = 20_000;
    private static final int FROM = 5_000;

    private final Random random = new Random(11);
    private final List<float[]> bases = new ArrayList<>();

    ApproximateSearchTest() {
        for (int b = 0; b < 60; b++) {
            bases.add(gaussian(1));
        }
    }

    private float[] gaussian(double scale) {
        float[] v = new float[DIMENSIONS];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextGaussian() * scale);
        }
        return v;
    }

    /** A vector near a random base: the neighbourhood structure of embeddings, not uniform noise. */
    private float[] clustered() {
        float[] base = bases.get(random.nextInt(bases.size()));
        float[] noise = gaussian(0.35);
        float[] v = new float[DIMENSIONS];
        for (int i = 0; i < v.length; i++) {
            v[i] = base[i] + noise[i];
        }
        return v;
    }

    private static Episode episode(String project, int i) {
        return Episode.builder(project).timestamp(Instant.EPOCH.plusSeconds(i))
                .perception(Map.of("i", i)).reasoning(Map.of()).action(Map.of()).build();
    }

    private InMemoryAgentMemoryStore store(int probes) {
        return new InMemoryAgentMemoryStore(DIMENSIONS, Clock.systemUTC(),
                InMemoryStoreOptions.builder().approximateSearchFrom(FROM).searchProbes(probes).build());
    }

    private Map<UUID, float[]> fill(InMemoryAgentMemoryStore store, Map<UUID, String> projects) {
        Map<UUID, float[]> vectors = new LinkedHashMap<>();
        List<Episode> batch = new ArrayList<>();
        List<float[]> batchVectors = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            String project = "p" + (i % 10);
            Episode e = episode(project, i).withEpisodeId(UUID.randomUUID());
            float[] v = clustered();
            batch.add(e);
            batchVectors.add(v);
            vectors.put(e.episodeId(), v);
            projects.put(e.episodeId(), project);
            if (batch.size() == 500) {
                store.storeEpisodes(batch, batchVectors);
                batch.clear();
                batchVectors.clear();
            }
        }
        return vectors;
    }

    private static List<UUID> exact(Map<UUID, float[]> vectors, float[] query, int k, String project,
                                    Map<UUID, String> projects) {
        return vectors.entrySet().stream()
                .filter(e -> project == null || projects.get(e.getKey()).equals(project))
                .sorted(Comparator.comparingDouble((Map.Entry<UUID, float[]> e)
                        -> Vectors.cosineSimilarity(query, e.getValue())).reversed())
                .limit(k).map(Map.Entry::getKey).collect(Collectors.toList());
    }

    @Test
    void recallAtTenAgainstExactStaysHighAfterDeletesAndUpdates() {
        InMemoryAgentMemoryStore store = store(InMemoryStoreOptions.DEFAULT_SEARCH_PROBES);
        Map<UUID, String> projects = new LinkedHashMap<>();
        Map<UUID, float[]> vectors = fill(store, projects);
        List<UUID> ids = new ArrayList<>(vectors.keySet());
        // Deletes compact slots (the last moves into the hole), updates move vectors between clusters.
        for (int i = 0; i < ids.size(); i += 4) {
            assertThat(store.deleteEpisode(ids.get(i))).isTrue();
            vectors.remove(ids.get(i));
        }
        for (int i = 1; i < ids.size(); i += 8) {
            float[] moved = clustered();
            store.updateEpisodeEmbedding(ids.get(i), moved);
            vectors.put(ids.get(i), moved);
        }

        int queries = 100;
        int found = 0;
        for (int q = 0; q < queries; q++) {
            float[] query = clustered();
            List<Episode> result = store.findSimilarEpisodes(query, null, 10, -1);
            Set<UUID> truth = new HashSet<>(exact(vectors, query, 10, null, projects));
            for (Episode e : result) {
                assertThat(vectors).containsKey(e.episodeId());
                // The similarity reported is the exact one, whichever vectors were read.
                assertThat(e.similarity()).isCloseTo(Vectors.cosineSimilarity(query, vectors.get(e.episodeId())),
                        within(1e-6));
                if (truth.contains(e.episodeId())) {
                    found++;
                }
            }
        }
        double recall = found / (queries * 10.0);
        assertThat(recall).as("recall@10 against exact search").isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void aStoredVectorIsItsOwnNearestAfterItMovedSlotAndCluster() {
        InMemoryAgentMemoryStore store = store(4);
        Map<UUID, String> projects = new LinkedHashMap<>();
        Map<UUID, float[]> vectors = fill(store, projects);
        List<UUID> ids = new ArrayList<>(vectors.keySet());
        for (int i = 0; i < 3_000; i++) {
            store.deleteEpisode(ids.get(i));
        }
        for (int i = ids.size() - 50; i < ids.size(); i++) {
            // Far from every base: it joins some cluster other than its old one.
            float[] moved = gaussian(3);
            store.updateEpisodeEmbedding(ids.get(i), moved);
            vectors.put(ids.get(i), moved);
        }
        for (int i = ids.size() - 200; i < ids.size(); i++) {
            UUID id = ids.get(i);
            List<Episode> result = store.findSimilarEpisodes(vectors.get(id), null, 1, -1);
            assertThat(result).extracting(Episode::episodeId).containsExactly(id);
        }
    }

    @Test
    void aProjectFilteredSearchStaysExact() {
        InMemoryAgentMemoryStore store = store(1);
        Map<UUID, String> projects = new LinkedHashMap<>();
        Map<UUID, float[]> vectors = fill(store, projects);
        for (int q = 0; q < 10; q++) {
            float[] query = clustered();
            List<Episode> result = store.findSimilarEpisodesMatching(query, EpisodeFilter.project("p3"), 10, -1);
            assertThat(result).extracting(Episode::episodeId)
                    .containsExactlyElementsOf(exact(vectors, query, 10, "p3", projects));
        }
    }

    @Test
    void settingsOutOfRangeAreRefusedByName() {
        assertThatThrownBy(() -> InMemoryStoreOptions.builder().approximateSearchFrom(10))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("search.approximate-from");
        assertThatThrownBy(() -> InMemoryStoreOptions.fromProperties(Map.of("search.probes", "0")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("search.probes");
        assertThat(InMemoryStoreOptions.fromProperties(Map.of("search.approximate-from", "0", "search.probes", "32")))
                .extracting(InMemoryStoreOptions::approximateSearchFrom, InMemoryStoreOptions::searchProbes)
                .containsExactly(0, 32);
    }
}
