package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.WorkingMemory.UpdateMode;
import dev.agentmemory.api.WorkingMemorySession;
import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.postgres.PostgresSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The orchestrator's earlier deployment keeps writing to the tables while this library replaces
 * it. Its writers are Python (psycopg2), which sends each statement as plain SQL text with the
 * values quoted in: they insert without ids or timestamps and read {@code RETURNING episode_id},
 * JSON as {@code json.dumps} text, vectors as the text {@code '[0.1, 0.2, ...]'}. Here they write
 * exactly so and the library reads and changes what they wrote, and the other way round, on a
 * schema our migrations made and on one taken over from the earlier deployment's own tables.
 */
class EarlierDeploymentWritersIT {

    private static final String PREFIX = TestDatabase.schemaName(EarlierDeploymentWritersIT.class);

    static Stream<Arguments> schemas() {
        return Stream.of(Arguments.of("made by our migrations", false, 0), Arguments.of("taken over", true, 0),
                Arguments.of("made by our migrations, partitioned", false, 4),
                Arguments.of("taken over, partitioned", true, 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemas")
    void whatTheEarlierWritersInsertWithoutIdsTheLibraryReadsAndChanges(String name, boolean takenOver, int partitions)
            throws SQLException {
        try (HikariDataSource ds = TestDatabase.freshSchema(PREFIX + (takenOver ? "_taken" : "_ours") + partitions, 4)) {
            try (AgentMemorySystem memory = open(ds, takenOver, partitions)) {
                String situation = "{\"backlog_tasks\": 14, \"team_size\": 4, \"team_availability\": \"available\"}";
                float[] vector = memory.episodeEmbedder().embedContext(Map.of(
                        "backlog_tasks", 14, "team_size", 4, "team_availability", "available"));
                UUID embedded = UUID.fromString(single(ds, """
                        INSERT INTO agent_episodes (project_id, perception, reasoning, action, sprint_id, embedding)
                        VALUES ('orchestrator', '%s', '{"summary": "backlog is long"}',
                                '{"sprint_created": true, "tasks_assigned": 8}', 'sprint-41', '%s')
                        RETURNING episode_id""".formatted(situation, pythonVector(vector))));
                UUID pending = UUID.fromString(single(ds, """
                        INSERT INTO agent_episodes (project_id, perception, reasoning, action)
                        VALUES ('orchestrator', '{"backlog_tasks": 2, "team_availability": "on leave"}', '{}',
                                '{"sprint_created": false}')
                        RETURNING episode_id"""));
                UUID strategy = UUID.fromString(single(ds, """
                        INSERT INTO agent_knowledge (knowledge_type, content, description, confidence)
                        VALUES ('strategy', '{"conditions": "team_availability is available and backlog_tasks >= 10",
                                             "advice": "start a sprint"}', 'sprint when the backlog is long', 0.8)
                        RETURNING knowledge_id"""));
                UUID session = UUID.fromString(single(ds, """
                        INSERT INTO agent_working_memory (project_id, context)
                        VALUES ('orchestrator', '{"step": "planning"}')
                        RETURNING session_id"""));

                Episode read = memory.episodes().getEpisodeById(embedded).orElseThrow();
                assertThat(read.projectId()).isEqualTo("orchestrator");
                assertThat(read.perception()).containsEntry("backlog_tasks", 14).containsEntry("team_availability", "available");
                assertThat(read.action()).containsEntry("tasks_assigned", 8);
                assertThat(read.timestamp()).isBetween(Instant.now().minusSeconds(120), Instant.now().plusSeconds(5));
                assertThat(read.agentVersion()).isEqualTo(Episode.DEFAULT_AGENT_VERSION);
                assertThat(memory.recallSimilarSituations(
                        Map.of("backlog_tasks", 15, "team_size", 4, "team_availability", "available"), "orchestrator", 5))
                        .extracting(Episode::episodeId).contains(embedded);
                assertThat(memory.backfillEmbeddings()).isEqualTo(1);
                assertThat(memory.episodes().countEpisodesPendingEmbedding()).isZero();
                memory.recordOutcome(pending, Map.of("completed_tasks", 0), 0.7);
                assertThat(memory.episodes().getEpisodeById(pending).orElseThrow().outcomeQuality()).isEqualTo(0.7);

                assertThat(memory.getLearnedStrategies(
                        Map.of("backlog_tasks", 12, "team_availability", "available"), 0.5))
                        .extracting(Strategy::knowledgeId).containsExactly(strategy);
                Strategy learned = memory.knowledge().getStrategy(strategy).orElseThrow();
                assertThat(learned.createdBy()).isEqualTo(Strategy.DEFAULT_CREATED_BY);
                assertThat(learned.createdAt()).isBetween(Instant.now().minusSeconds(120), Instant.now().plusSeconds(5));

                WorkingMemorySession s = memory.workingMemory().getSession(session).orElseThrow();
                assertThat(s.context()).isEqualTo(Map.of("step", "planning"));
                assertThat(s.expiresAt()).isAfter(Instant.now().plus(Duration.ofHours(23)));
                assertThat(memory.workingMemory().listActiveSessions("orchestrator"))
                        .extracting(WorkingMemorySession::sessionId).containsExactly(session);
                assertThat(memory.workingMemory().updateSession(session, s.version(), Map.of("step", "review"),
                        UpdateMode.MERGE).context()).isEqualTo(Map.of("step", "review"));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemas")
    void whatTheLibraryWritesTheEarlierReadersReadInPlainSql(String name, boolean takenOver, int partitions)
            throws SQLException {
        try (HikariDataSource ds = TestDatabase.freshSchema(PREFIX + (takenOver ? "_taken_read" : "_ours_read") + partitions,
                4)) {
            try (AgentMemorySystem memory = open(ds, takenOver, partitions)) {
                UUID episode = memory.rememberDecision(Episode.builder("orchestrator")
                        .perception(Map.of("backlog_tasks", 9, "team_availability", "partial"))
                        .reasoning(Map.of("summary", "half the team is away"))
                        .action(Map.of("sprint_created", true, "tasks_assigned", 3))
                        .sprintId("sprint-42")
                        .build());
                memory.recordOutcome(episode, Map.of("completed_tasks", 3), 0.9);
                UUID strategy = memory.knowledge().storeStrategy(Strategy.builder("small sprints while the team is partial")
                        .conditions("team_availability is partial").build(), null);
                UUID session = memory.workingMemory().createSession("orchestrator", Map.of("step", "planning"),
                        Duration.ofHours(1)).sessionId();

                // What the old code's SELECTs read: JSON fields by ->>, the vector as text.
                assertThat(rows(ds, """
                        SELECT project_id, perception->>'backlog_tasks', action->>'tasks_assigned', sprint_id,
                               outcome_quality::text, agent_version, vector_dims(embedding)::text
                        FROM agent_episodes WHERE episode_id = '%s'""".formatted(episode)))
                        .containsExactly(List.of("orchestrator", "9", "3", "sprint-42", "0.9", "1.0.0",
                                String.valueOf(memory.embedder().dimensions())));
                assertThat(single(ds, "SELECT embedding::text FROM agent_episodes WHERE episode_id = '%s'".formatted(episode)))
                        .startsWith("[").endsWith("]");
                assertThat(rows(ds, """
                        SELECT content->>'conditions', confidence::text, active::text FROM agent_knowledge
                        WHERE knowledge_id = '%s'""".formatted(strategy)))
                        .containsExactly(List.of("team_availability is partial", "0.5", "true"));
                assertThat(rows(ds, """
                        SELECT project_id, context->>'step', (expires_at > now())::text FROM agent_working_memory
                        WHERE session_id = '%s'""".formatted(session)))
                        .containsExactly(List.of("orchestrator", "planning", "true"));
            }
        }
    }

    private static AgentMemorySystem open(HikariDataSource ds, boolean takenOver, int partitions) throws SQLException {
        if (takenOver) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                EarlierDeployment.createTables(s, 384);
            }
        }
        AgentMemorySystem memory = AgentMemory.builder().store("postgres").dataSource(ds).migrate(true)
                .storeProperty("schema.partitions", Integer.toString(partitions)).build();
        assertThat(PostgresSchema.recordedDimensions(ds)).hasValue(memory.embedder().dimensions());
        assertThat(PostgresPartitionedStoreIT.partitions(ds)).isEqualTo(partitions);
        return memory;
    }

    /** A vector as Python's {@code str(list_of_floats)} prints it, which pgvector parses. */
    private static String pythonVector(float[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ", ").append((double) v[i]);
        }
        return b.append(']').toString();
    }

    private static String single(HikariDataSource ds, String sql) throws SQLException {
        List<List<String>> rows = rows(ds, sql);
        assertThat(rows).as(sql).hasSize(1);
        return rows.get(0).get(0);
    }

    private static List<List<String>> rows(HikariDataSource ds, String sql) throws SQLException {
        List<List<String>> out = new ArrayList<>();
        // A plain Statement: the text goes to the server as written, as psycopg2 sends it.
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            boolean isQuery = s.execute(sql);
            if (isQuery) {
                try (ResultSet rs = s.getResultSet()) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        List<String> row = new ArrayList<>();
                        for (int i = 1; i <= n; i++) {
                            row.add(rs.getString(i));
                        }
                        out.add(row);
                    }
                }
            }
        }
        return out;
    }
}
