package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.api.Episode;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemorySystem;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The Project Orchestrator's flow end to end, with the local model, on each backend: remember two
 * decisions in two projects, recall similar situations, record outcomes, watch a strategy's
 * confidence move, and get it back from {@code getLearnedStrategies}.
 */
abstract class OrchestratorFlowContract {

    /** @return the bootstrap for the backend under test, the local model as the embedder */
    protected abstract AgentMemory.Builder backend();

    private static Map<String, Object> situation(int backlog, String availability) {
        return Map.of("backlog_tasks", backlog, "team_size", 5, "team_availability", availability, "velocity", 2.0);
    }

    @Test
    void theOrchestratorRemembersRecallsLearnsFromOutcomesAndGetsItsStrategyBack() {
        try (AgentMemorySystem memory = backend().build()) {
            UUID strategyId = memory.knowledge().storeStrategy(Strategy.builder(
                            "Start a sprint when the team is available and the backlog holds ten tasks or more")
                    .conditions("team availability is available and backlog_tasks >= 10")
                    .content(Map.of("conditions", "team availability is available and backlog_tasks >= 10",
                            "recommendation", Map.of("sprint_created", true)))
                    .build(), memory.embedder().embed("Start a sprint when the team is available"));

            UUID alpha = memory.rememberDecision(Episode.builder("orchestrator-alpha")
                    .perception(situation(14, "available"))
                    .reasoning(Map.of("summary", "backlog large enough and team available"))
                    .action(Map.of("sprint_created", true, "tasks_assigned", 9,
                            "applied_strategies", List.of(strategyId.toString())))
                    .sprintId("alpha-sprint-1")
                    .build());
            UUID beta = memory.rememberDecision(Episode.builder("orchestrator-beta")
                    .perception(situation(12, "available"))
                    .reasoning(Map.of("summary", "team available, backlog of twelve"))
                    .action(Map.of("sprint_created", true, "tasks_assigned", 8,
                            "applied_strategies", List.of(strategyId.toString())))
                    .sprintId("beta-sprint-1")
                    .build());

            // Within a project only that project's past; across projects both.
            assertThat(memory.recallSimilarSituations(situation(14, "available"), "orchestrator-alpha", 5))
                    .extracting(Episode::episodeId).containsExactly(alpha);
            List<Episode> everywhere = memory.recallSimilarSituations(situation(13, "available"), null, 5);
            assertThat(everywhere).extracting(Episode::episodeId).containsExactlyInAnyOrder(alpha, beta);
            assertThat(everywhere).allSatisfy(e -> assertThat(e.similarity()).isGreaterThanOrEqualTo(0.7));
            assertThat(memory.episodes().getEpisodesWithoutOutcomes(10)).extracting(Episode::episodeId)
                    .containsExactlyInAnyOrder(alpha, beta);

            double before = memory.knowledge().getStrategy(strategyId).orElseThrow().confidence();
            memory.recordOutcome(alpha, Map.of("tasks_completed", 9), 0.95);
            memory.recordOutcome(beta, Map.of("tasks_completed", 3), 0.2);

            Strategy after = memory.knowledge().getStrategy(strategyId).orElseThrow();
            assertThat(after.timesApplied()).isEqualTo(2);
            assertThat(after.successCount()).isEqualTo(1);
            assertThat(after.failureCount()).isEqualTo(1);
            assertThat(after.successRate()).isEqualTo(0.5);
            assertThat(after.supportingEpisodes()).containsExactly(alpha);
            assertThat(after.contradictingEpisodes()).containsExactly(beta);
            assertThat(after.confidence()).isNotEqualTo(before)
                    .isCloseTo(dev.agentmemory.api.Evidence.wilsonLowerBound(1, 2), org.assertj.core.data.Offset.offset(1e-9));
            assertThat(memory.episodes().getEpisodesWithoutOutcomes(10)).isEmpty();

            assertThat(memory.getLearnedStrategies(situation(15, "available"), 0.0))
                    .extracting(Strategy::knowledgeId).containsExactly(strategyId);
            assertThat(memory.getLearnedStrategies(situation(15, "unavailable"), 0.0)).isEmpty();
            assertThat(memory.getLearnedStrategies(situation(15, "available"), 0.5)).isEmpty();
        }
    }
}
