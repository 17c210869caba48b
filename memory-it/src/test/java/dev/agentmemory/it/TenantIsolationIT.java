package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.EpisodeFilter;
import dev.agentmemory.api.WorkingMemory;
import dev.agentmemory.api.WorkingMemorySession;
import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.core.MemorySettings;
import dev.agentmemory.embedding.onnx.OnnxEmbedder;
import dev.agentmemory.inmemory.InMemoryAgentMemoryStore;
import dev.agentmemory.inmemory.InMemoryWorkingMemory;
import dev.agentmemory.postgres.PostgresAgentMemoryStore;
import dev.agentmemory.postgres.PostgresSchema;
import dev.agentmemory.postgres.PostgresWorkingMemory;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A query for one project never returns another project's episodes or sessions, unless it asks for
 * every project. The projects are chosen to tempt a careless implementation: differing only in
 * case, in a trailing space or a combining accent, prefixes of each other, SQL LIKE wildcards,
 * quotes, backslashes and comment markers. Every episode points almost the same way, so a search
 * that ignored the filter would return them all.
 */
class TenantIsolationIT {

    private static final int DIMENSIONS = 16;
    private static final List<String> PROJECTS = List.of("acme", "ACME", "Acme", "acme ", " acme", "acm", "acme2",
            "acme%", "acm_", "%", "_", "*", "acme' OR '1'='1", "acme\\", "acme;--", "acm\u00e9", "acme\u0301",
            "acme\u200b", "x'); DELETE FROM agent_episodes; --");

    private static HikariDataSource dataSource;

    @BeforeAll
    static void createSchema() {
        dataSource = TestDatabase.freshSchema(TenantIsolationIT.class);
        PostgresSchema.migrate(dataSource, DIMENSIONS);
    }

    @AfterAll
    static void closePool() {
        dataSource.close();
    }

    static Stream<Arguments> backends() {
        return Stream.of(
                Arguments.of("inmemory", new InMemoryAgentMemoryStore(DIMENSIONS), new InMemoryWorkingMemory()),
                Arguments.of("postgres, exact scan", new PostgresAgentMemoryStore(dataSource, DIMENSIONS),
                        new PostgresWorkingMemory(dataSource)),
                // exactScanMax 0: every search goes through the HNSW index with its iterative scan.
                Arguments.of("postgres, HNSW index", new PostgresAgentMemoryStore(dataSource, DIMENSIONS, Clock.systemUTC(), 0),
                        new PostgresWorkingMemory(dataSource)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void queriesForOneProjectNeverReturnAnotherProjectsEpisodesOrSessions(String backend, AgentMemoryStore store,
                                                                         WorkingMemory memory) {
        TestDatabase.truncateAll(dataSource);
        Random random = new Random(7);
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (int p = 0; p < PROJECTS.size(); p++) {
            String project = PROJECTS.get(p);
            int n = 2 + p % 4;
            sizes.put(project, n);
            for (int i = 0; i < n; i++) {
                store.storeEpisode(Episode.builder(project).perception(Map.of("i", i)).reasoning(Map.of())
                        .action(Map.of("sprint_created", true)).build(), nearlyAxisZero(random));
            }
            memory.createSession(project, Map.of("p", p), Duration.ofMinutes(10));
        }
        int total = sizes.values().stream().mapToInt(Integer::intValue).sum();
        float[] query = nearlyAxisZero(random);

        for (String project : PROJECTS) {
            int n = sizes.get(project);
            String as = backend + ", project [" + project + "]";
            assertThat(store.getEpisodesByProject(project, AgentMemoryStore.MAX_LIMIT, null)).as(as)
                    .hasSize(n).allSatisfy(e -> assertThat(e.projectId()).isEqualTo(project));
            assertThat(store.findSimilarEpisodes(query, project, AgentMemoryStore.MAX_LIMIT, -1)).as(as)
                    .hasSize(n).allSatisfy(e -> assertThat(e.projectId()).isEqualTo(project));
            assertThat(store.findSimilarEpisodesMatching(query, EpisodeFilter.builder().projectId(project)
                    .decisionSource(Episode.DEFAULT_DECISION_SOURCE).build(), 50, -1)).as(as)
                    .hasSize(n).allSatisfy(e -> assertThat(e.projectId()).isEqualTo(project));
            assertThat(store.findSimilarEpisodesMatching(query, EpisodeFilter.builder().excludeProjectId(project).build(),
                    AgentMemoryStore.MAX_LIMIT, -1)).as(as)
                    .hasSize(total - n).noneSatisfy(e -> assertThat(e.projectId()).isEqualTo(project));
            assertThat(store.countEpisodes(project)).as(as).isEqualTo(n);
            assertThat(memory.listActiveSessions(project)).as(as)
                    .singleElement().extracting(WorkingMemorySession::projectId).isEqualTo(project);
        }
        // Asking for every project is the only way to see them all.
        assertThat(store.findSimilarEpisodes(query, null, AgentMemoryStore.MAX_LIMIT, -1)).hasSize(total)
                .extracting(Episode::projectId).containsAll(PROJECTS);
        assertThat(store.countEpisodes(null)).isEqualTo(total);
    }

    @ParameterizedTest
    @ValueSource(strings = {"inmemory", "postgres"})
    void recallForOneProjectNeverReturnsAnotherProjectsDecisionsEvenWhenTheyMatchBetter(String storeName) {
        AgentMemory.Builder builder = AgentMemory.builder().store(storeName).embedder(new OnnxEmbedder())
                .settings(MemorySettings.builder().minSimilarity(-1).build());
        // The local model's 384 dimensions need a schema of their own.
        HikariDataSource recallSchema = storeName.equals("postgres")
                ? TestDatabase.freshSchema(TestDatabase.schemaName(TenantIsolationIT.class) + "_recall", 2) : null;
        if (recallSchema != null) {
            builder.dataSource(recallSchema).migrate(true);
        }
        try (AgentMemorySystem memory = builder.build()) {
            Map<String, Object> situation = Map.of("backlog_tasks", 14, "team_size", 4, "team_availability", "available");
            for (String project : List.of("acme", "ACME", "acme ", "acme%", "acm_")) {
                // The other projects hold the exact situation; "acme" only a different one.
                Map<String, Object> perception = project.equals("acme")
                        ? Map.of("backlog_tasks", 1, "team_size", 9, "team_availability", "on leave") : situation;
                memory.rememberDecision(Episode.builder(project).perception(perception)
                        .reasoning(Map.of("summary", "plan")).action(Map.of("sprint_created", true)).build());
            }

            assertThat(memory.recallSimilarSituations(situation, "acme", 10)).singleElement()
                    .extracting(Episode::projectId).isEqualTo("acme");
            assertThat(memory.recallSimilarSituationsMatching(situation, EpisodeFilter.builder().excludeProjectId("acme").build(), 10))
                    .hasSize(4).noneSatisfy(e -> assertThat(e.projectId()).isEqualTo("acme"));
            assertThat(memory.recallSimilarSituations(situation, null, 10)).hasSize(5);
        } finally {
            if (recallSchema != null) {
                recallSchema.close();
            }
        }
    }

    private static float[] nearlyAxisZero(Random random) {
        float[] v = new float[DIMENSIONS];
        v[0] = 1;
        for (int i = 1; i < DIMENSIONS; i++) {
            v[i] = (random.nextFloat() - 0.5f) * 0.01f;
        }
        return v;
    }
}
