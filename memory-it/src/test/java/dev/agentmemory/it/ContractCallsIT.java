package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.Advice;
import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.WorkingMemory;
import dev.agentmemory.api.WorkingMemorySession;
import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemoryModule;
import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.core.EpisodeEmbedder;
import dev.agentmemory.embedding.ollama.EmbeddingClient;
import dev.agentmemory.embedding.ollama.OllamaEmbedder;
import dev.agentmemory.embedding.onnx.OnnxEmbedder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every call of {@code shared/API_CONTRACT.md}, written in the contract's own words, literal
 * {@code null}s included, on PostgreSQL with the deployed embedding service's client in front of a
 * real served model. Callers code against exactly these lines: if an overload makes one ambiguous,
 * or a name moves, this class stops compiling, which is the point.
 */
class ContractCallsIT {

    @Test
    void everyCallOfTheContractCompilesAndWorksAsWritten() throws Exception {
        Map<String, Object> context = Map.of("backlog_tasks", 15, "team_size", 4, "team_availability", "available");
        try (ServeEmbeddingsProcess service = ServeEmbeddingsProcess.onFreePort("contract-calls");
             HikariDataSource dataSource = TestDatabase.freshSchema(ContractCallsIT.class)) {
            service.start();

            // Embedding clients: dev.agentmemory.embedding.ollama
            EmbeddingClient client = new EmbeddingClient(service.baseUrl());
            try (EmbeddingClient tuned = new EmbeddingClient(service.baseUrl(), Duration.ofSeconds(10), 3)) {
                float[] one = tuned.generateEmbedding("sprint planning with a long backlog");
                List<float[]> many = tuned.generateBatchEmbeddings(List.of("a", "b"));
                assertThat(one).hasSize(tuned.dimensions());
                assertThat(many).hasSize(2);
                assertThat(tuned.healthCheck()).isTrue();
            }
            Embedder ollama = new OllamaEmbedder(service.baseUrl(), client.modelName());
            assertThat(ollama.embed("x")).hasSize(client.dimensions());

            // Embedder
            Embedder embedder = client;
            float[] vector = embedder.embed("a text");
            List<float[]> vectors = embedder.embedAll(List.of("one", "two"));
            int dimensions = embedder.dimensions();
            String modelName = embedder.modelName();
            boolean healthy = embedder.healthCheck();
            assertThat(vector).hasSize(dimensions);
            assertThat(vectors).hasSize(2);
            assertThat(modelName).isNotBlank();
            assertThat(healthy).isTrue();

            // AgentMemory: the bootstrap
            AgentMemorySystem memory = AgentMemory.builder()
                    .store("postgres")
                    .dataSource(dataSource)
                    .embedder(embedder)
                    .dimensions(embedder.dimensions())
                    .migrate(true)
                    .build();
            try (memory) {
                // Episode
                Episode episode = Episode.builder("project-alpha")
                        .perception(Map.of("backlog_tasks", 14, "team_size", 4, "team_availability", "available"))
                        .reasoning(Map.of("summary", "backlog large enough and team available"))
                        .action(Map.of("sprint_created", true, "tasks_assigned", 8))
                        .sprintId("sprint-1")
                        .build();
                assertThat(episode.episodeId()).isNull();
                assertThat(episode.agentVersion()).isEqualTo("1.0.0");
                assertThat(episode.controlMode()).isEqualTo("rule_based_only");
                assertThat(episode.decisionSource()).isEqualTo("rule_based_only");
                assertThat(episode.similarity()).isNull();
                assertThat(episode.summary()).startsWith("Episode project-alpha: sprint_created at ");

                // AgentMemorySystem
                UUID id = memory.rememberDecision(episode);
                List<Episode> similar = memory.recallSimilarSituations(context, "project-alpha", 5);
                List<Episode> everywhere = memory.recallSimilarSituations(context, null, 5);
                memory.recordOutcome(id, Map.of("completed_tasks", 8), 0.9);
                List<Strategy> strategies = memory.getLearnedStrategies(context, 0.5);
                int backfilled = memory.backfillEmbeddings();
                AgentMemoryStore store = memory.episodes();
                KnowledgeStore knowledge = memory.knowledge();
                WorkingMemory workingMemory = memory.workingMemory();
                Embedder itsEmbedder = memory.embedder();
                assertThat(similar).extracting(Episode::episodeId).containsExactly(id);
                assertThat(everywhere).extracting(Episode::episodeId).containsExactly(id);
                assertThat(strategies).isEmpty();
                assertThat(backfilled).isZero();
                assertThat(itsEmbedder.modelName()).isEqualTo(embedder.modelName());

                // AgentMemoryStore
                float[] query = memory.episodeEmbedder().embedContext(context);
                UUID pending = store.storeEpisode(Episode.builder("project-beta").perception(Map.of("backlog_tasks", 2))
                        .reasoning(Map.of()).action(Map.of("sprint_created", false)).sprintId("sprint-9").build(), null);
                UUID stored = store.storeEpisode(Episode.builder("project-beta").perception(context)
                        .reasoning(Map.of()).action(Map.of("sprint_created", true)).build(), query);
                Optional<Episode> byId = store.getEpisodeById(id);
                List<Episode> byProject = store.getEpisodesByProject("project-alpha", 100, null);
                List<Episode> good = store.getEpisodesByProject("project-alpha", 100, 0.5);
                List<Episode> found = store.findSimilarEpisodes(query, null, 10, 0.7);
                List<Episode> inProject = store.findSimilarEpisodes(query, "project-beta", 10, 0.7);
                List<Episode> waiting = store.getEpisodesWithoutOutcomes(10);
                store.updateEpisodeEmbedding(pending, embedder.embed("backlog tasks 2"));
                store.updateEpisodeOutcome(stored, Map.of("completed_tasks", 1), 0.4);
                assertThat(byId).get().extracting(Episode::outcomeQuality).isEqualTo(0.9);
                assertThat(byId.get().outcomeRecordedAt()).isNotNull();
                assertThat(byProject).extracting(Episode::episodeId).containsExactly(id);
                assertThat(good).extracting(Episode::episodeId).containsExactly(id);
                assertThat(found).extracting(Episode::episodeId).contains(id, stored);
                assertThat(found).allSatisfy(e -> assertThat(e.similarity()).isBetween(0.7, 1.0001));
                assertThat(inProject).extracting(Episode::episodeId).containsExactly(stored);
                assertThat(waiting).extracting(Episode::episodeId).containsExactly(pending);
                assertThat(store.getEpisodeById(stored).orElseThrow().outcomeQuality()).isEqualTo(0.4);

                // Strategy and WorkingMemorySession
                Strategy strategy = Strategy.builder("start a sprint when the team is available")
                        .conditions("team_availability is available and backlog_tasks >= 10").build();
                assertThat(strategy.knowledgeType()).isEqualTo("strategy");
                assertThat(strategy.confidence()).isEqualTo(0.5);
                assertThat(strategy.createdBy()).isEqualTo("system");
                assertThat(strategy.active()).isTrue();
                assertThat(strategy.appliesTo(context)).isTrue();
                assertThat(strategy.appliesTo(Map.of("backlog_tasks", 3, "team_availability", "available"))).isFalse();
                UUID knowledgeId = knowledge.storeStrategy(strategy, null);
                assertThat(memory.getLearnedStrategies(context, 0.5)).extracting(Strategy::knowledgeId)
                        .containsExactly(knowledgeId);
                WorkingMemorySession session = workingMemory.createSession("project-alpha", Map.of("step", "plan"),
                        Duration.ofMinutes(5));
                UUID sessionId = session.sessionId();
                String projectId = session.projectId();
                Map<String, Object> sessionContext = session.context();
                Instant createdAt = session.createdAt();
                Instant updatedAt = session.updatedAt();
                Instant expiresAt = session.expiresAt();
                long version = session.version();
                assertThat(sessionId).isNotNull();
                assertThat(projectId).isEqualTo("project-alpha");
                assertThat(sessionContext).isEqualTo(Map.of("step", "plan"));
                assertThat(expiresAt).isAfter(createdAt);
                assertThat(updatedAt).isEqualTo(createdAt);
                assertThat(version).isEqualTo(1);

                // Learning from outcomes
                List<Strategy> learnedHere = memory.consolidate("project-alpha");
                List<Strategy> learnedEverywhere = memory.consolidate(null);
                List<Advice> advice = memory.advise(context, "project-alpha", 3);
                List<Advice> adviceEverywhere = memory.advise(context, null, 3);
                assertThat(learnedHere).allSatisfy(l -> assertThat(l.createdBy()).isEqualTo("consolidation"));
                assertThat(learnedEverywhere).allSatisfy(l -> assertThat(l.active()).isTrue());
                assertThat(advice).isNotEmpty();
                Advice best = advice.get(0);
                Map<String, Object> action = best.action();
                double expectedQuality = best.expectedQuality();
                double confidence = best.confidence();
                int evidence = best.evidence();
                List<UUID> episodeIds = best.episodeIds();
                assertThat(action).containsEntry("sprint_created", true);
                assertThat(expectedQuality).isBetween(0.0, 1.0);
                assertThat(confidence).isBetween(0.0, expectedQuality);
                assertThat(evidence).isEqualTo(episodeIds.size());
                assertThat(episodeIds).contains(id);
                assertThat(adviceEverywhere).isNotEmpty();

                // EpisodeEmbedder
                EpisodeEmbedder episodeEmbedder = new EpisodeEmbedder(embedder);
                float[] ofEpisode = episodeEmbedder.embedEpisode(episode);
                List<float[]> ofEpisodes = episodeEmbedder.embedEpisodes(List.of(episode, episode));
                String episodeText = episodeEmbedder.episodeToText(episode);
                String contextText = episodeEmbedder.contextToText(episode.perception());
                assertThat(ofEpisode).hasSize(dimensions);
                assertThat(ofEpisodes).hasSize(2);
                assertThat(episodeText).isEqualTo(contextText);
            }

            // AgentMemoryModule: Guice users get the same objects
            try (AgentMemorySystem viaGuice = Guice.createInjector(new AgentMemoryModule(AgentMemory.builder()
                    .store("postgres").dataSource(dataSource).embedder(embedder).migrate(true).config()))
                    .getInstance(AgentMemorySystem.class)) {
                assertThat(viaGuice.recallSimilarSituations(context, null, 5)).isNotEmpty();
            }
            client.close();
        }
    }

    @Test
    void theLocalModelIsTheDefaultEmbedder() {
        Embedder embedder = new OnnxEmbedder();
        assertThat(embedder.embed("a text")).hasSize(embedder.dimensions());
    }
}
