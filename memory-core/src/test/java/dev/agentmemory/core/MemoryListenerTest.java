package dev.agentmemory.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.api.Episode;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.embedding.ollama.EmbeddingClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemoryListenerTest {

    private static final LocalModel MODEL = new LocalModel();

    private AgentMemorySystem memory;

    @AfterEach
    void close() {
        if (memory != null) {
            memory.close();
        }
    }

    /** Writes down every call, as a metrics binding would count them. */
    static final class Recorder implements MemoryListener {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<Duration> durations = new CopyOnWriteArrayList<>();

        private void note(String call, Duration took) {
            calls.add(call);
            durations.add(took);
        }

        @Override public void onRemember(Duration took, int episodes, boolean embedded) { note("remember " + episodes + " " + embedded, took); }
        @Override public void onRecall(Duration took, int results) { note("recall " + results, took); }
        @Override public void onStrategies(Duration took, int results) { note("strategies " + results, took); }
        @Override public void onOutcome(Duration took) { note("outcome", took); }
        @Override public void onEmbedding(Duration took, int texts) { note("embedding " + texts, took); }
        @Override public void onBackfill(Duration took, int embedded) { note("backfill " + embedded, took); }
    }

    private static Map<String, Object> situation(int backlog, String availability) {
        return Map.of("backlog_tasks", backlog, "team_size", 4, "team_availability", availability);
    }

    private static Episode decision(Map<String, Object> perception) {
        return Episode.builder("alpha").perception(perception).reasoning(Map.of("summary", "rule"))
                .action(Map.of("sprint_created", true)).sprintId("alpha-1").build();
    }

    @Test
    void everyOperationIsReportedWithItsDurationAndCountsAndTheCacheHidesRepeatedEmbeddings() {
        Recorder recorder = new Recorder();
        memory = AgentMemory.builder().embedder(MODEL).listener(recorder).build();

        UUID id = memory.rememberDecision(decision(situation(14, "available")));
        memory.rememberDecisions(List.of(decision(situation(20, "partial")), decision(situation(30, "partial"))));
        List<Episode> recalled = memory.recallSimilarSituations(situation(14, "available"), "alpha", 5);
        memory.recordOutcome(id, Map.of("completed", 8), 0.9);
        memory.getLearnedStrategies(situation(14, "available"), 0.5);
        memory.backfillEmbeddings();

        // The recall's context is the first episode's situation: the cache answers it, no embedding.
        assertThat(recorder.calls).containsExactly(
                "embedding 1", "remember 1 true",
                "embedding 2", "remember 2 true",
                "recall " + recalled.size(),
                "outcome",
                "strategies 0",
                "backfill 0");
        assertThat(recalled).isNotEmpty();
        assertThat(recorder.durations).allSatisfy(d -> assertThat(d).isPositive());
    }

    @Test
    void aListenerThatThrowsBreaksNoCallAndTheOthersAreStillTold() {
        Recorder after = new Recorder();
        MemoryListener broken = new MemoryListener() {
            @Override
            public void onRemember(Duration took, int episodes, boolean embedded) {
                throw new IllegalStateException("metrics backend gone");
            }

            @Override
            public void onRecall(Duration took, int results) {
                throw new NoClassDefFoundError("io/micrometer/core/instrument/Timer");
            }
        };
        memory = AgentMemory.builder().embedder(MODEL).listener(broken).listener(after).build();

        UUID id = memory.rememberDecision(decision(situation(14, "available")));
        assertThat(memory.episodes().getEpisodeById(id)).isPresent();
        assertThat(memory.recallSimilarSituations(situation(14, "available"), "alpha", 5))
                .extracting(Episode::episodeId).containsExactly(id);
        assertThat(after.calls).contains("remember 1 true", "recall 1");
    }

    @Test
    void aDecisionStoredWhileTheEmbedderIsDownIsReportedAsNotEmbedded() {
        Recorder recorder = new Recorder();
        // A real client against a loopback port where nothing listens: connection refused.
        try (EmbeddingClient down = new EmbeddingClient("http://127.0.0.1:9", Duration.ofSeconds(1), 0)) {
            AgentMemorySystemTest.SwitchableEmbedder embedder = new AgentMemorySystemTest.SwitchableEmbedder(down, MODEL);
            memory = AgentMemory.builder().embedder(embedder).listener(recorder)
                    .settings(MemorySettings.builder().embeddingCacheSize(0).build()).build();
            embedder.useFirst = true;
            memory.rememberDecision(decision(situation(14, "available")));
            embedder.useFirst = false;
            assertThat(memory.backfillEmbeddings()).isEqualTo(1);
        }
        // The failed embedding is not reported as one; the backfill's is.
        assertThat(recorder.calls).containsExactly("remember 1 false", "embedding 1", "backfill 1");
    }

    @Test
    void aFailedCallIsNotReportedAndARemovedListenerIsToldNothingMore() {
        Recorder recorder = new Recorder();
        memory = AgentMemory.builder().embedder(MODEL).build();
        memory.addListener(recorder);
        assertThatThrownBy(() -> memory.recordOutcome(UUID.randomUUID(), Map.of(), 2.0))
                .isInstanceOf(InvalidInputException.class);
        assertThat(recorder.calls).isEmpty();

        assertThat(memory.removeListener(recorder)).isTrue();
        memory.rememberDecision(decision(situation(14, "available")));
        assertThat(recorder.calls).isEmpty();
        assertThatThrownBy(() -> AgentMemory.builder().listener(null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("listener");
    }
}
