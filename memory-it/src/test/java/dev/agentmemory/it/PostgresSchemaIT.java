package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.WorkingMemory.UpdateMode;
import dev.agentmemory.api.WorkingMemorySession;
import dev.agentmemory.postgres.PostgresAgentMemoryStore;
import dev.agentmemory.postgres.PostgresKnowledgeStore;
import dev.agentmemory.postgres.PostgresSchema;
import dev.agentmemory.postgres.PostgresWorkingMemory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The schema: Flyway migrations that a second run leaves alone, the recorded vector size, and the
 * takeover of tables an earlier deployment made by hand.
 */
class PostgresSchemaIT {

    private static final String PREFIX = TestDatabase.schemaName(PostgresSchemaIT.class);

    @Test
    void migrationCreatesTheSchemaAndASecondRunChangesNothing() throws SQLException {
        try (HikariDataSource ds = TestDatabase.freshSchema(PREFIX + "_twice", 2)) {
            assertThat(PostgresSchema.migrate(ds, 16)).isEqualTo(7);
            List<String> first = snapshot(ds);

            assertThat(PostgresSchema.migrate(ds, 16)).isZero();

            assertThat(snapshot(ds)).isEqualTo(first);
            assertThat(first).anyMatch(l -> l.contains("agent_episodes_embedding_hnsw_idx") && l.contains("vector_cosine_ops"))
                    .anyMatch(l -> l.contains("agent_episodes_awaiting_outcome_idx")
                            && l.contains("sprint_id IS NOT NULL") && l.contains("outcome_quality IS NULL"))
                    .anyMatch(l -> l.contains("agent_episodes_pending_embedding_idx") && l.contains("embedding IS NULL"))
                    .anyMatch(l -> l.contains("agent_episodes_project_time_idx"))
                    .anyMatch(l -> l.startsWith("column agent_episodes.embedding vector(16) storage m"))
                    .anyMatch(l -> l.startsWith("column agent_knowledge.embedding vector(16) storage m"));
        }
    }

    @Test
    void theVectorSizeIsRecordedAndAnotherSizeIsRefusedNamingBoth() throws SQLException {
        try (HikariDataSource ds = TestDatabase.freshSchema(PREFIX + "_size", 2)) {
            PostgresSchema.migrate(ds, 16);
            List<String> before = snapshot(ds);

            assertThat(PostgresSchema.recordedDimensions(ds)).isEqualTo(OptionalInt.of(16));
            assertThatThrownBy(() -> PostgresSchema.migrate(ds, 384))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("16").hasMessageContaining("384");
            assertThatThrownBy(() -> new PostgresAgentMemoryStore(ds, 384))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("16").hasMessageContaining("384");
            assertThatThrownBy(() -> new PostgresKnowledgeStore(ds, 384))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("16").hasMessageContaining("384");
            assertThat(snapshot(ds)).isEqualTo(before);
            assertThat(new PostgresAgentMemoryStore(ds, 16).dimensions()).isEqualTo(16);
        }
    }

    @Test
    void storesRefuseASchemaThatWasNeverCreated() {
        try (HikariDataSource ds = TestDatabase.freshSchema(PREFIX + "_none", 1)) {
            assertThat(PostgresSchema.recordedDimensions(ds)).isEmpty();
            assertThatThrownBy(() -> new PostgresAgentMemoryStore(ds, 16))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("migrate");
        }
    }

    @Test
    void tablesMadeByHandByTheEarlierDeploymentAreTakenOverWithoutLoss() throws SQLException {
        try (HikariDataSource ds = TestDatabase.freshSchema(PREFIX + "_legacy", 2)) {
            Legacy legacy = createLegacyTables(ds, 8);

            assertThat(PostgresSchema.migrate(ds, 8)).isEqualTo(7);

            assertThat(PostgresSchema.recordedDimensions(ds)).isEqualTo(OptionalInt.of(8));
            assertThat(query(ds, "SELECT version FROM agent_memory_schema_history ORDER BY installed_rank"))
                    .containsExactly("0", "1", "2", "3", "4", "5", "6", "7");
            Instant now = Instant.parse("2024-06-01T00:00:00Z");
            PostgresAgentMemoryStore episodes = new PostgresAgentMemoryStore(ds, 8, Clock.fixed(now, ZoneOffset.UTC), 5_000);
            assertThat(episodes.countEpisodes(null)).isEqualTo(2);
            Episode decided = episodes.getEpisodeById(legacy.embeddedEpisode).orElseThrow();
            assertThat(decided.projectId()).isEqualTo("orchestrator");
            assertThat(decided.timestamp()).isEqualTo(Instant.parse("2024-05-01T09:30:00.123456Z"));
            assertThat(decided.perception()).isEqualTo(Map.of("backlog_tasks", 14, "team availability", "available"));
            assertThat(decided.action()).isEqualTo(Map.of("sprint_created", true, "tasks_assigned", 6));
            assertThat(decided.outcomeQuality()).isEqualTo(0.8);
            assertThat(decided.sprintId()).isEqualTo("sprint-7");
            assertThat(episodes.findSimilarEpisodes(unit(8, 0), "orchestrator", 10, 0.9))
                    .extracting(Episode::episodeId).containsExactly(legacy.embeddedEpisode);
            assertThat(episodes.getEpisodesPendingEmbedding(10)).extracting(Episode::episodeId)
                    .containsExactly(legacy.pendingEpisode);
            episodes.updateEpisodeEmbedding(legacy.pendingEpisode, unit(8, 1));
            assertThat(episodes.countEpisodesPendingEmbedding()).isZero();
            UUID added = episodes.storeEpisode(Episode.builder("orchestrator").perception(Map.of())
                    .reasoning(Map.of()).action(Map.of()).build(), unit(8, 2));
            assertThat(episodes.countEpisodes("orchestrator")).isEqualTo(3);
            assertThat(episodes.getEpisodeById(added)).isPresent();

            PostgresKnowledgeStore knowledge = new PostgresKnowledgeStore(ds, 8, 0.2, 5, Clock.fixed(now, ZoneOffset.UTC));
            Strategy learned = knowledge.getStrategy(legacy.strategy).orElseThrow();
            assertThat(learned.timesApplied()).isEqualTo(4);
            assertThat(learned.supportingEpisodes()).containsExactly(legacy.embeddedEpisode);
            Strategy applied = knowledge.recordApplication(legacy.strategy, legacy.pendingEpisode, true);
            assertThat(applied.timesApplied()).isEqualTo(5);
            assertThat(applied.successCount()).isEqualTo(4);
            assertThat(applied.supportingEpisodes()).containsExactly(legacy.embeddedEpisode, legacy.pendingEpisode);

            PostgresWorkingMemory memory = new PostgresWorkingMemory(ds, Clock.fixed(now, ZoneOffset.UTC));
            WorkingMemorySession session = memory.getSession(legacy.session).orElseThrow();
            assertThat(session.version()).isEqualTo(1);
            assertThat(session.context()).isEqualTo(Map.of("step", "planning"));
            assertThat(memory.updateSession(legacy.session, 1, Map.of("step", "done"), UpdateMode.MERGE).version())
                    .isEqualTo(2);
        }
    }

    @Test
    void tablesMadeByHandForAnotherSizeAreRefusedBeforeAnythingChanges() throws SQLException {
        try (HikariDataSource ds = TestDatabase.freshSchema(PREFIX + "_legacy_size", 1)) {
            createLegacyTables(ds, 8);
            List<String> before = snapshot(ds);

            assertThatThrownBy(() -> PostgresSchema.migrate(ds, 16))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("8").hasMessageContaining("16");

            assertThat(snapshot(ds)).isEqualTo(before);
            assertThat(query(ds, "SELECT to_regclass(current_schema() || '.agent_memory_schema_history')::text"))
                    .containsExactly((String) null);
        }
    }

    // ---- fixtures -------------------------------------------------------------------------------

    private record Legacy(UUID embeddedEpisode, UUID pendingEpisode, UUID strategy, UUID session) {
    }

    /** The earlier deployment's tables ({@link EarlierDeployment}), with rows in each. */
    private static Legacy createLegacyTables(DataSource ds, int dimensions) throws SQLException {
        Legacy legacy = new Legacy(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            EarlierDeployment.createTables(s, dimensions);
            String vector = "'[1" + ",0".repeat(dimensions - 1) + "]'";
            s.execute("""
                    INSERT INTO agent_episodes (episode_id, project_id, timestamp, perception, reasoning, action,
                        outcome, outcome_quality, outcome_recorded_at, sprint_id, embedding)
                    VALUES ('%s', 'orchestrator', '2024-05-01T09:30:00.123456Z',
                        '{"backlog_tasks": 14, "team availability": "available"}', '{"rule": "backlog"}',
                        '{"sprint_created": true, "tasks_assigned": 6}', '{"completed": 6}', 0.8,
                        '2024-05-15T00:00:00Z', 'sprint-7', %s)""".formatted(legacy.embeddedEpisode, vector));
            s.execute("""
                    INSERT INTO agent_episodes (episode_id, project_id, timestamp, perception, reasoning, action)
                    VALUES ('%s', 'orchestrator', '2024-05-02T09:30:00Z', '{}', '{}', '{"tasks_assigned": 2}')
                    """.formatted(legacy.pendingEpisode));
            s.execute("""
                    INSERT INTO agent_knowledge (knowledge_id, knowledge_type, content, description, confidence,
                        supporting_episodes, contradicting_episodes, times_applied, success_count, failure_count,
                        success_rate)
                    VALUES ('%s', 'strategy', '{"advice": "create a sprint"}', 'sprint when backlog is long', 0.6,
                        ARRAY['%s']::uuid[], '{}', 4, 3, 1, 0.75)""".formatted(legacy.strategy, legacy.embeddedEpisode));
            s.execute("""
                    INSERT INTO agent_working_memory (session_id, project_id, context, expires_at)
                    VALUES ('%s', 'orchestrator', '{"step": "planning"}', '2100-01-01T00:00:00Z')
                    """.formatted(legacy.session));
        }
        return legacy;
    }

    private static float[] unit(int dimensions, int axis) {
        float[] v = new float[dimensions];
        v[axis] = 1;
        return v;
    }

    /** Columns, indexes, constraints, meta rows and history rows of the pool's schema, one per line. */
    private static List<String> snapshot(DataSource ds) throws SQLException {
        List<String> lines = new ArrayList<>();
        lines.addAll(query(ds, """
                SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                       || ' storage ' || a.attstorage::text
                       || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
                       || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
                FROM pg_attribute a
                JOIN pg_class c ON c.oid = a.attrelid
                LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
                  AND a.attnum > 0 AND NOT a.attisdropped
                ORDER BY 1"""));
        lines.addAll(query(ds, "SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1"));
        lines.addAll(query(ds, """
                SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
                WHERE connamespace = current_schema()::regnamespace ORDER BY 1"""));
        if (!query(ds, "SELECT to_regclass(current_schema() || '.agent_memory_meta')::text").contains(null)) {
            lines.addAll(query(ds, "SELECT 'meta ' || key || '=' || value FROM agent_memory_meta ORDER BY 1"));
        }
        if (!query(ds, "SELECT to_regclass(current_schema() || '.agent_memory_schema_history')::text").contains(null)) {
            lines.addAll(query(ds, "SELECT 'history ' || installed_rank || ' ' || coalesce(version, '-') || ' '"
                    + " || coalesce(checksum::text, '-') FROM agent_memory_schema_history ORDER BY installed_rank"));
        }
        return lines;
    }

    private static List<String> query(DataSource ds, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
