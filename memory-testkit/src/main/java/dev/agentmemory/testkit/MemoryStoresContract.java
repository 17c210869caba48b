package dev.agentmemory.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.EpisodeFilter;
import dev.agentmemory.api.Evidence;
import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.api.NotFoundException;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.StrategyOrder;
import dev.agentmemory.api.StrategyQuery;
import dev.agentmemory.api.spi.MemoryStores;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every backend's stores do together: evidence counted once per (strategy, episode) however
 * often and however concurrently an outcome is recorded, the one meaning of {@link EpisodeFilter},
 * the one order of strategies. A backend's test extends this class and implements
 * {@link #openStores(int)}.
 */
public abstract class MemoryStoresContract {

    /** The vector size every test uses. */
    protected static final int DIMENSIONS = 8;
    private static final Instant T0 = Instant.parse("2024-05-01T12:00:00.123456Z");

    /** The stores under test, fresh and empty for each test. */
    protected MemoryStores stores;

    /**
     * @param dimensions the vector size
     * @return new, empty stores with a knowledge store (default floor 0.2 after 5 applications)
     */
    protected abstract MemoryStores openStores(int dimensions);

    @BeforeEach
    void open() {
        stores = openStores(DIMENSIONS);
    }

    @AfterEach
    void close() {
        stores.close();
    }

    private KnowledgeStore knowledge() {
        return stores.knowledge().orElseThrow();
    }

    private UUID strategy(String description, double confidence, Instant createdAt) {
        return knowledge().storeStrategy(Strategy.builder(description).content(Map.of("advice", description))
                .confidence(confidence).createdAt(createdAt).build(), null);
    }

    private UUID episodeApplying(UUID... strategies) {
        List<String> ids = new ArrayList<>();
        for (UUID s : strategies) {
            ids.add(s.toString());
        }
        return stores.episodes().storeEpisode(Episode.builder("evidence").timestamp(T0)
                .perception(Map.of("queue", 30)).reasoning(Map.of("why", "test"))
                .action(Map.of("sprint_created", true, "applied_strategies", ids)).sprintId("s").build(), null);
    }

    @Test
    void outcomesRecordedConcurrentlyAndRepeatedlyCountEachApplicationOnce() throws Exception {
        UUID s = strategy("start a sprint", 0.5, T0);
        List<UUID> episodes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            episodes.add(episodeApplying(s));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (UUID e : episodes) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> runs = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    runs.add(pool.submit(() -> {
                        go.await();
                        return stores.recordOutcome(e, Map.of("done", true), 0.9, List.of(s), true);
                    }));
                }
                go.countDown();
                for (Future<?> f : runs) {
                    f.get(60, TimeUnit.SECONDS);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        for (UUID e : episodes) {
            stores.recordOutcome(e, Map.of("done", true), 0.9, List.of(s), true);
        }

        Strategy after = knowledge().getStrategy(s).orElseThrow();
        assertThat(after.timesApplied()).isEqualTo(20);
        assertThat(after.successCount()).isEqualTo(20);
        assertThat(after.failureCount()).isZero();
        assertThat(after.supportingEpisodes()).containsExactlyInAnyOrderElementsOf(episodes);
        assertThat(after.confidence()).isEqualTo(Evidence.confidence(20, 20, 0.5));
        assertThat(stores.episodes().getEpisodeById(episodes.get(0)).orElseThrow().outcomeQuality()).isEqualTo(0.9);
    }

    @Test
    void anotherQualityMovesTheEvidenceInsteadOfAddingToIt() {
        UUID s = strategy("start a sprint", 0.5, T0);
        List<UUID> episodes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            UUID e = episodeApplying(s);
            episodes.add(e);
            stores.recordOutcome(e, Map.of("done", true), 0.9, List.of(s), true);
        }
        stores.recordOutcome(episodes.get(0), Map.of("done", false), 0.1, List.of(s), false);
        stores.recordOutcome(episodes.get(0), Map.of("done", false), 0.1, List.of(s), false);

        Strategy after = knowledge().getStrategy(s).orElseThrow();
        assertThat(after.timesApplied()).isEqualTo(6);
        assertThat(after.successCount()).isEqualTo(5);
        assertThat(after.failureCount()).isEqualTo(1);
        assertThat(after.successRate()).isEqualTo(5 / 6.0);
        assertThat(after.contradictingEpisodes()).containsExactly(episodes.get(0));
        assertThat(after.supportingEpisodes()).doesNotContain(episodes.get(0)).hasSize(5);
        // The same through the knowledge store alone: keyed by (strategy, episode) there too.
        knowledge().recordApplication(s, episodes.get(0), true);
        knowledge().recordApplication(s, episodes.get(0), true);
        assertThat(knowledge().getStrategy(s).orElseThrow().successCount()).isEqualTo(6);
        assertThat(knowledge().getStrategy(s).orElseThrow().timesApplied()).isEqualTo(6);
    }

    @Test
    void evidenceListsKeepTheNewestWhileTheCountsKeepEverything() {
        UUID s = strategy("start a sprint", 0.5, T0);
        List<UUID> episodes = new ArrayList<>();
        for (int i = 0; i < Evidence.MAX_LISTED_EPISODES + 30; i++) {
            UUID e = UUID.randomUUID();
            episodes.add(e);
            knowledge().recordApplication(s, e, true);
        }
        Strategy after = knowledge().getStrategy(s).orElseThrow();
        assertThat(after.timesApplied()).isEqualTo(Evidence.MAX_LISTED_EPISODES + 30);
        assertThat(after.supportingEpisodes())
                .containsExactlyElementsOf(episodes.subList(30, episodes.size()));
    }

    @Test
    void anOutcomeOfAMissingEpisodeWritesNoEvidenceAndMissingStrategiesAreSkipped() {
        UUID s = strategy("start a sprint", 0.5, T0);
        assertThatThrownBy(() -> stores.recordOutcome(UUID.randomUUID(), Map.of(), 0.9, List.of(s), true))
                .isInstanceOf(NotFoundException.class);
        assertThat(knowledge().getStrategy(s).orElseThrow().timesApplied()).isZero();

        UUID e = episodeApplying(s);
        assertThat(stores.recordOutcome(e, Map.of(), 0.9, List.of(UUID.randomUUID(), s), true))
                .extracting(Strategy::knowledgeId).containsExactly(s);
    }

    @Test
    void strategiesComeInTheOneOrderTiesIncluded() {
        Instant older = T0;
        Instant newer = T0.plusSeconds(60);
        List<UUID> ids = new ArrayList<>();
        ids.add(strategy("a", 0.6, older));
        ids.add(strategy("b", 0.6, newer));
        ids.add(strategy("c", 0.6, newer));
        ids.add(strategy("d", 0.9, older));
        ids.add(strategy("e", 0.6, older));
        List<Strategy> all = new ArrayList<>();
        for (UUID id : ids) {
            all.add(knowledge().getStrategy(id).orElseThrow());
        }
        List<Strategy> expected = new ArrayList<>(all);
        Collections.shuffle(expected, new Random(7));
        expected.sort(StrategyOrder.MOST_CONFIDENT_FIRST);

        assertThat(knowledge().listStrategies(new StrategyQuery(false, null, 0, 10)))
                .extracting(Strategy::knowledgeId).containsExactlyElementsOf(ids(expected));
        assertThat(knowledge().getApplicableStrategies(Map.of(), null, 0, 10))
                .extracting(Strategy::knowledgeId).containsExactlyElementsOf(ids(expected));
        assertThat(knowledge().listStrategies(new StrategyQuery(false, null, 0, 2)))
                .extracting(Strategy::knowledgeId).containsExactlyElementsOf(ids(expected).subList(0, 2));
    }

    private static List<UUID> ids(List<Strategy> strategies) {
        List<UUID> out = new ArrayList<>();
        for (Strategy s : strategies) {
            out.add(s.knowledgeId());
        }
        return out;
    }

    @Test
    void theNewestMatchingEpisodesAreThoseEpisodeFilterTestLetsThrough() {
        AgentMemoryStore episodes = stores.episodes();
        List<Episode> stored = new ArrayList<>();
        String[] projects = {"alpha", "beta", "gamma"};
        String[] sources = {"rule_based_only", "llm"};
        Random random = new Random(11);
        for (int i = 0; i < 60; i++) {
            Episode.Builder b = Episode.builder(projects[i % 3]).timestamp(T0.plusSeconds(60L * i))
                    .perception(Map.of("queue", i)).reasoning(Map.of()).action(Map.of("sprint_created", i % 2 == 0))
                    .decisionSource(sources[random.nextInt(2)]).controlMode(i % 4 == 0 ? "hybrid" : "rule_based_only");
            UUID id = episodes.storeEpisode(b.build(), i % 5 == 0 ? null : unit(i));
            if (i % 3 == 0) {
                episodes.updateEpisodeOutcome(id, Map.of(), (i % 10) / 10.0);
            }
            stored.add(episodes.getEpisodeById(id).orElseThrow());
        }
        List<EpisodeFilter> filters = List.of(
                EpisodeFilter.ALL,
                EpisodeFilter.project("alpha"),
                EpisodeFilter.builder().excludeProjectId("alpha").build(),
                EpisodeFilter.builder().projectId("beta").decisionSource("llm").build(),
                EpisodeFilter.builder().excludeProjectId("gamma").controlMode("hybrid").build(),
                EpisodeFilter.builder().minOutcomeQuality(0.5).build(),
                EpisodeFilter.builder().from(T0.plusSeconds(600)).to(T0.plusSeconds(1800)).build(),
                EpisodeFilter.builder().projectId("gamma").excludeProjectId("alpha").from(T0.plusSeconds(1200)).build());
        for (EpisodeFilter f : filters) {
            List<UUID> expected = stored.stream().filter(f::test)
                    .sorted((a, b) -> b.timestamp().compareTo(a.timestamp()))
                    .limit(200).map(Episode::episodeId).toList();
            assertThat(episodes.getEpisodesMatching(f, 200)).as(f.toString())
                    .extracting(Episode::episodeId).containsExactlyElementsOf(expected);
            List<UUID> similar = stored.stream().filter(f::test).filter(e -> e.episodeId() != null)
                    .filter(e -> stored.indexOf(e) % 5 != 0).map(Episode::episodeId).toList();
            assertThat(episodes.findSimilarEpisodesMatching(unit(1), f, 100, -1)).as(f.toString())
                    .extracting(Episode::episodeId).containsExactlyInAnyOrderElementsOf(similar);
        }
        assertThat(episodes.getEpisodesMatching(EpisodeFilter.ALL, 7)).hasSize(7)
                .first().extracting(Episode::timestamp).isEqualTo(T0.plusSeconds(60L * 59));
    }

    @Test
    void vectorsWrittenInOneBatchAreFoundAndDeletedEpisodesAreSkipped() {
        AgentMemoryStore episodes = stores.episodes();
        List<UUID> ids = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(episodes.storeEpisode(Episode.builder("batch").timestamp(T0.plusSeconds(i))
                    .perception(Map.of("i", i)).reasoning(Map.of()).action(Map.of()).build(), null));
            vectors.add(unit(i));
        }
        episodes.deleteEpisode(ids.get(2));
        assertThat(episodes.countEpisodesPendingEmbedding()).isEqualTo(4);

        assertThat(episodes.updateEpisodeEmbeddings(ids, vectors)).isEqualTo(4);

        assertThat(episodes.countEpisodesPendingEmbedding()).isZero();
        assertThat(episodes.findSimilarEpisodes(unit(4), "batch", 1, 0.99)).extracting(Episode::episodeId)
                .containsExactly(ids.get(4));
    }

    private static float[] unit(int i) {
        float[] v = new float[DIMENSIONS];
        v[i % DIMENSIONS] = 1;
        v[(i + 3) % DIMENSIONS] = 0.5f;
        return v;
    }
}
