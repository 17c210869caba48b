package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.Episode;
import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.postgres.PostgresSchema;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The README's quick start on PostgreSQL through the bootstrap: the store found by its name, the
 * local model, the schema created for the model's size; then a decision stored without a vector is
 * embedded by the backfill.
 */
class PostgresQuickStartIT {

    @Test
    void theQuickStartWorksOnPostgresAndBackfillEmbedsWhatWasStoredWithoutAVector() {
        try (HikariDataSource ds = TestDatabase.freshSchema(PostgresQuickStartIT.class);
             AgentMemorySystem memory = AgentMemory.builder().store("postgres").dataSource(ds).migrate(true).build()) {
            UUID id = memory.rememberDecision(Episode.builder("project-alpha")
                    .perception(Map.of("backlog_tasks", 14, "team_size", 4, "team_availability", "available"))
                    .reasoning(Map.of("summary", "backlog large enough and team available"))
                    .action(Map.of("sprint_created", true, "tasks_assigned", 8))
                    .sprintId("sprint-1")
                    .build());

            List<Episode> similar = memory.recallSimilarSituations(
                    Map.of("backlog_tasks", 15, "team_size", 4, "team_availability", "available"), "project-alpha", 5);
            memory.recordOutcome(id, Map.of("completed_tasks", 8), 0.9);

            assertThat(similar).extracting(Episode::episodeId).containsExactly(id);
            assertThat(memory.episodes().getEpisodeById(id).orElseThrow().outcomeQuality()).isEqualTo(0.9);
            assertThat(PostgresSchema.recordedDimensions(ds)).isEqualTo(OptionalInt.of(memory.embedder().dimensions()));

            UUID pending = memory.episodes().storeEpisode(Episode.builder("project-alpha")
                    .perception(Map.of("backlog_tasks", 2, "team_availability", "on leave"))
                    .reasoning(Map.of("summary", "too little work"))
                    .action(Map.of("sprint_created", false, "tasks_assigned", 0))
                    .build(), null);

            assertThat(memory.backfillEmbeddings()).isEqualTo(1);
            assertThat(memory.episodes().countEpisodesPendingEmbedding()).isZero();
            assertThat(memory.recallSimilarSituations(Map.of("backlog_tasks", 2, "team_availability", "on leave"),
                    "project-alpha", 1)).extracting(Episode::episodeId).containsExactly(pending);
        }
    }
}
