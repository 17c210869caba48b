package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.api.Episode;
import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemorySystem;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The README's Java quick start, word for word, so that it compiles and works or the build fails. */
class QuickStartTest {

    @Test
    void theReadmeQuickStartRemembersRecallsAndRecordsAnOutcome() {
        UUID remembered;
        List<Episode> recalled;
        try (AgentMemorySystem memory = AgentMemory.builder().build()) {   // in memory, local model
            UUID id = memory.rememberDecision(Episode.builder("project-alpha")
                    .perception(Map.of("backlog_tasks", 14, "team_size", 4, "team_availability", "available"))
                    .reasoning(Map.of("summary", "backlog large enough and team available"))
                    .action(Map.of("sprint_created", true, "tasks_assigned", 8))
                    .sprintId("sprint-1")
                    .build());

            List<Episode> similar = memory.recallSimilarSituations(
                    Map.of("backlog_tasks", 15, "team_size", 4, "team_availability", "available"),
                    "project-alpha", 5);

            memory.recordOutcome(id, Map.of("completed_tasks", 8), 0.9);

            remembered = id;
            recalled = similar;
            assertThat(memory.episodes().getEpisodeById(id).orElseThrow().outcomeQuality()).isEqualTo(0.9);
        }
        assertThat(recalled).extracting(Episode::episodeId).containsExactly(remembered);
    }
}
