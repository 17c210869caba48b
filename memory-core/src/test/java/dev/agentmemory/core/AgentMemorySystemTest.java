package dev.agentmemory.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.EpisodeFilter;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.api.NotFoundException;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.WorkingMemory;
import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.api.spi.StoreConfig;
import dev.agentmemory.embedding.ollama.EmbeddingClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentMemorySystemTest {

    private static final LocalModel MODEL = new LocalModel();

    private AgentMemorySystem memory;

    @AfterEach
    void close() {
        if (memory != null) {
            memory.close();
        }
    }

    private AgentMemorySystem open(Embedder embedder, MemorySettings settings) {
        memory = AgentMemory.builder().embedder(embedder).settings(settings).build();
        return memory;
    }

    private AgentMemorySystem open() {
        return open(MODEL, MemorySettings.ofDefaults());
    }

    private static Map<String, Object> situation(int backlog, int team, String availability) {
        return Map.of("backlog_tasks", backlog, "team_size", team, "team_availability", availability,
                "velocity", 2.5);
    }

    private static Episode decision(String project, Map<String, Object> perception, Map<String, Object> action) {
        return Episode.builder(project)
                .perception(perception)
                .reasoning(Map.of("summary", "rule of thumb"))
                .action(action)
                .sprintId(project + "-sprint-1")
                .build();
    }

    @Test
    void aContextEqualToAStoredPerceptionRecallsThatEpisodeFirstAboveTheDefaultThreshold() {
        open();
        UUID target = memory.rememberDecision(decision("alpha", situation(14, 4, "available"), Map.of("sprint_created", true)));
        memory.rememberDecision(decision("alpha", situation(55, 9, "unavailable"), Map.of("sprint_created", false)));
        memory.rememberDecision(decision("alpha", situation(3, 2, "partial"), Map.of("sprint_created", false)));

        List<Episode> recalled = memory.recallSimilarSituations(situation(14, 4, "available"), "alpha", 3);

        assertThat(recalled).isNotEmpty();
        assertThat(recalled.get(0).episodeId()).isEqualTo(target);
        assertThat(recalled.get(0).similarity()).isGreaterThanOrEqualTo(0.7);
        assertThat(recalled).allSatisfy(e -> assertThat(e.similarity()).isGreaterThanOrEqualTo(0.7));
    }

    @Test
    void inAnAgentsLoopRememberingTheSituationJustRecalledCostsNoModelCall() {
        LocalModel model = new LocalModel();
        open(model, MemorySettings.ofDefaults());
        memory.rememberDecision(decision("alpha", situation(30, 5, "partial"), Map.of("sprint_created", false)));
        Map<String, Object> now = situation(14, 4, "available");
        int before = model.texts.get();

        // The agent's loop: recall and strategies for the present situation, decide, remember.
        memory.recallSimilarSituations(now, "alpha", 5);
        memory.getLearnedStrategies(now, 0.5);
        UUID decided = memory.rememberDecision(decision("alpha", now, Map.of("sprint_created", true)));

        assertThat(model.texts.get()).isEqualTo(before + 1);
        List<Episode> recalled = memory.recallSimilarSituations(now, "alpha", 1);
        assertThat(recalled).extracting(Episode::episodeId).containsExactly(decided);
        assertThat(recalled.get(0).similarity()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(model.texts.get()).isEqualTo(before + 1);
    }

    @Test
    void nullProjectRecallsAcrossProjectsAndAProjectFilterNeverLeaksAnother() {
        open();
        memory.rememberDecision(decision("alpha", situation(14, 4, "available"), Map.of("sprint_created", true)));
        memory.rememberDecision(decision("beta", situation(14, 4, "available"), Map.of("sprint_created", true)));

        assertThat(memory.recallSimilarSituations(situation(14, 4, "available"), null, 10))
                .extracting(Episode::projectId).containsExactlyInAnyOrder("alpha", "beta");
        assertThat(memory.recallSimilarSituations(situation(14, 4, "available"), "alpha", 10))
                .extracting(Episode::projectId).containsOnly("alpha");
        assertThat(memory.recallSimilarSituationsMatching(situation(14, 4, "available"),
                EpisodeFilter.builder().excludeProjectId("alpha").build(), 10))
                .extracting(Episode::projectId).containsOnly("beta");
    }

    @Test
    void rememberDecisionsStoresABatchWithIdsInOrder() {
        open();
        List<Episode> batch = List.of(
                decision("alpha", situation(10, 3, "available"), Map.of("sprint_created", true)),
                decision("alpha", situation(20, 5, "partial"), Map.of("sprint_created", true)));
        List<UUID> ids = memory.rememberDecisions(batch);
        assertThat(ids).hasSize(2).doesNotContainNull();
        assertThat(memory.episodes().getEpisodeById(ids.get(1)).orElseThrow().perception().get("backlog_tasks"))
                .isEqualTo(20);
        assertThat(memory.episodes().countEpisodesPendingEmbedding()).isZero();
    }

    @Test
    void rememberDecisionsIfAbsentAnswersTheNewOnesAndLeavesAStoredIdAsItIs() {
        open();
        Episode stored = decision("alpha", situation(10, 3, "available"), Map.of("sprint_created", true))
                .withEpisodeId(UUID.randomUUID());
        memory.rememberDecision(stored);
        Episode again = stored.toBuilder().projectId("beta").build();
        Episode fresh = decision("beta", situation(20, 5, "partial"), Map.of("sprint_created", false));

        List<UUID> written = memory.rememberDecisionsIfAbsent(List.of(again, fresh));

        assertThat(written).hasSize(1).doesNotContain(stored.episodeId());
        assertThat(memory.episodes().getEpisodeById(stored.episodeId()).orElseThrow().projectId()).isEqualTo("alpha");
        assertThat(memory.episodes().getEpisodeById(written.get(0)).orElseThrow().projectId()).isEqualTo("beta");
    }

    @Test
    void anOutcomeBecomesEvidenceForTheStrategiesTheEpisodeApplied() {
        open();
        KnowledgeStore knowledge = memory.knowledge();
        UUID strategyId = knowledge.storeStrategy(Strategy.builder("start sprints when the team is available")
                .conditions("team_availability is available and backlog_tasks >= 10").build(), null);
        UUID episodeId = memory.rememberDecision(decision("alpha", situation(14, 4, "available"),
                Map.of("sprint_created", true, "applied_strategies", List.of(strategyId.toString()))));

        memory.recordOutcome(episodeId, Map.of("completed", 8), 0.9);

        Strategy after = knowledge.getStrategy(strategyId).orElseThrow();
        assertThat(after.timesApplied()).isEqualTo(1);
        assertThat(after.successCount()).isEqualTo(1);
        assertThat(after.supportingEpisodes()).containsExactly(episodeId);
        assertThat(after.confidence()).isNotEqualTo(Strategy.DEFAULT_CONFIDENCE);
        assertThat(memory.episodes().getEpisodeById(episodeId).orElseThrow().outcomeQuality()).isEqualTo(0.9);

        // A corrected outcome replaces the first but does not count as a second application.
        memory.recordOutcome(episodeId, Map.of("completed", 2), 0.2);
        assertThat(knowledge.getStrategy(strategyId).orElseThrow().timesApplied()).isEqualTo(1);
        assertThat(memory.episodes().getEpisodeById(episodeId).orElseThrow().outcomeQuality()).isEqualTo(0.2);
    }

    @Test
    void learnedStrategiesAreThoseWhoseConditionsHold() {
        open();
        memory.knowledge().storeStrategy(Strategy.builder("wait while the team is away")
                .conditions("team_availability is unavailable").confidence(0.8).build(), null);
        memory.knowledge().storeStrategy(Strategy.builder("start with a big backlog")
                .conditions("backlog_tasks >= 10").confidence(0.6).build(), null);

        assertThat(memory.getLearnedStrategies(situation(14, 4, "available"), 0.0))
                .extracting(Strategy::description).containsExactly("start with a big backlog");
        assertThat(memory.getLearnedStrategies(situation(14, 4, "unavailable"), 0.0))
                .extracting(Strategy::description)
                .containsExactly("wait while the team is away", "start with a big backlog");
        assertThat(memory.getLearnedStrategies(situation(14, 4, "unavailable"), 0.7))
                .extracting(Strategy::description).containsExactly("wait while the team is away");
    }

    @Test
    void outcomesOfUnknownEpisodesAndBadQualitiesAreRejectedAndNothingIsWritten() {
        open();
        UUID id = memory.rememberDecision(decision("alpha", situation(14, 4, "available"), Map.of("sprint_created", true)));
        assertThatThrownBy(() -> memory.recordOutcome(UUID.randomUUID(), Map.of(), 0.5))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> memory.recordOutcome(id, Map.of(), 1.5))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("outcomeQuality");
        assertThatThrownBy(() -> memory.recordOutcome(id, Map.of(), Double.NaN))
                .isInstanceOf(InvalidInputException.class);
        assertThat(memory.episodes().getEpisodeById(id).orElseThrow().hasOutcome()).isFalse();
    }

    @Test
    void whenTheEmbedderIsDownDecisionsAreStoredAsPendingAndBackfilledWhenItIsBack() {
        // A real client against a loopback port where nothing listens: connection refused.
        try (EmbeddingClient down = new EmbeddingClient("http://127.0.0.1:9", Duration.ofSeconds(1), 0)) {
            SwitchableEmbedder embedder = new SwitchableEmbedder(down, MODEL);
            open(embedder, MemorySettings.builder().embeddingCacheSize(0).backfillBatchSize(2).build());
            embedder.useFirst = true;
            UUID a = memory.rememberDecision(decision("alpha", situation(14, 4, "available"), Map.of("sprint_created", true)));
            List<UUID> more = memory.rememberDecisions(List.of(
                    decision("alpha", situation(20, 4, "partial"), Map.of("sprint_created", true)),
                    decision("alpha", situation(30, 4, "partial"), Map.of("sprint_created", true))));

            assertThat(memory.episodes().getEpisodeById(a)).isPresent();
            assertThat(memory.episodes().countEpisodesPendingEmbedding()).isEqualTo(3);
            assertThat(more).hasSize(2);

            // While it is down, recall within the project ranks the situations by their fields alone.
            assertThat(memory.recallSimilarSituations(situation(14, 4, "available"), "alpha", 1))
                    .extracting(Episode::episodeId).containsExactly(a);
            assertThatThrownBy(() -> memory.recallSimilarSituations(situation(14, 4, "available"), null, 1))
                    .isInstanceOf(dev.agentmemory.api.EmbeddingException.class).hasMessageContaining("across projects");

            embedder.useFirst = false;
            assertThat(memory.recallSimilarSituations(situation(14, 4, "available"), "alpha", 5)).isEmpty();
            assertThat(memory.backfillEmbeddings()).isEqualTo(3);
            assertThat(memory.episodes().countEpisodesPendingEmbedding()).isZero();
            assertThat(memory.recallSimilarSituations(situation(14, 4, "available"), "alpha", 5))
                    .extracting(Episode::episodeId).first().isEqualTo(a);
            assertThat(memory.episodes().countEpisodes("alpha")).isEqualTo(3);
        }
    }

    @Test
    void aMemoryOpensWhileTheEmbeddingServiceIsDownAndStoresDecisionsAsPending() {
        // Nothing listens on port 9 of the loopback address: the service cannot tell its size.
        try (AgentMemorySystem down = AgentMemory.builder().embedder("service")
                .embedderConfig(dev.agentmemory.api.spi.EmbedderConfig.builder().url("http://127.0.0.1:9")
                        .maxRetries(0).build())
                .dimensions(MODEL.dimensions()).build()) {
            UUID id = down.rememberDecision(decision("alpha", situation(14, 4, "available"), Map.of("sprint_created", true)));

            assertThat(down.episodes().getEpisodeById(id)).isPresent();
            assertThat(down.episodes().countEpisodesPendingEmbedding()).isEqualTo(1);
            assertThat(down.describe()).contains("embedder (not reachable: GET http://127.0.0.1:9/health failed");
        }
    }

    @Test
    void withOutcomeWeightWhatWorkedInTheSameSituationRanksAboveWhatFailed() {
        open(MODEL, MemorySettings.builder().ranking(Ranking.ofDefaults().withOutcomeWeight(0.3))
                .minSimilarity(0.5).build());
        UUID failed = memory.rememberDecision(decision("alpha", situation(14, 4, "available"), Map.of("sprint_created", true)));
        UUID worked = memory.rememberDecision(decision("alpha", situation(14, 4, "available"), Map.of("sprint_created", true)));
        memory.recordOutcome(failed, Map.of(), 0.1);
        memory.recordOutcome(worked, Map.of(), 0.95);

        assertThat(memory.recallSimilarSituations(situation(14, 4, "available"), "alpha", 2))
                .extracting(Episode::episodeId).containsExactly(worked, failed);
    }

    @Test
    void aCallThatNeedsAKnowledgeStoreSaysSoWhenThereIsNone() {
        MemoryStores full = Providers.store("inmemory").open(StoreConfig.builder().dimensions(MODEL.dimensions()).build());
        MemoryStores episodesOnly = new MemoryStores() {
            public AgentMemoryStore episodes() { return full.episodes(); }
            public Optional<KnowledgeStore> knowledge() { return Optional.empty(); }
            public Optional<WorkingMemory> workingMemory() { return Optional.empty(); }
            public String describe() { return "episodes only"; }
            public void close() { full.close(); }
        };
        memory = new AgentMemorySystem(episodesOnly, MODEL, MemorySettings.ofDefaults(), List.of());
        assertThat(memory.hasKnowledge()).isFalse();
        assertThatThrownBy(() -> memory.getLearnedStrategies(situation(1, 1, "available"), 0.5))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("no knowledge store");
        assertThatThrownBy(memory::workingMemory)
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("no working memory");
        // Remembering and outcomes still work without one.
        UUID id = memory.rememberDecision(decision("alpha", situation(14, 4, "available"),
                Map.of("applied_strategies", List.of(UUID.randomUUID().toString()))));
        memory.recordOutcome(id, Map.of(), 0.9);
        assertThat(memory.episodes().getEpisodeById(id).orElseThrow().outcomeQuality()).isEqualTo(0.9);
    }

    /** Real embedders, one of which is down; the test decides which answers. */
    static final class SwitchableEmbedder implements Embedder {
        private final Embedder first;
        private final Embedder second;
        volatile boolean useFirst;

        SwitchableEmbedder(Embedder first, Embedder second) {
            this.first = first;
            this.second = second;
        }

        private Embedder current() {
            return useFirst ? first : second;
        }

        public float[] embed(String text) { return current().embed(text); }
        public List<float[]> embedAll(List<String> texts) { return current().embedAll(texts); }
        public int dimensions() { return second.dimensions(); }
        public String modelName() { return second.modelName(); }
        public boolean healthCheck() { return current().healthCheck(); }
    }
}
