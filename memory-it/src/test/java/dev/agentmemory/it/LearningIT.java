package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.Advice;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.core.learning.Consolidation;
import dev.agentmemory.embedding.onnx.OnnxEmbedder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** consolidate and advise on PostgreSQL with pgvector and the local model, read back with plain SQL. */
class LearningIT {

    private static final OnnxEmbedder MODEL = new OnnxEmbedder();
    private static HikariDataSource ds;

    @BeforeAll
    static void schema() {
        ds = TestDatabase.freshSchema(LearningIT.class);
    }

    @AfterAll
    static void close() {
        ds.close();
    }

    private static AgentMemorySystem open() {
        return AgentMemory.builder().store("postgres").dataSource(ds).embedder(MODEL).migrate(true).build();
    }

    // Paging a page is right when an incident is sev1 (a nested field) or the error rate reaches 20.
    private static List<Episode> incidents(String project, long seed, int n, boolean random) {
        Random r = new Random(seed);
        List<Episode> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("error_rate", r.nextInt(50));
            p.put("incident", Map.of("severity", List.of("sev1", "sev2", "sev3").get(r.nextInt(3))));
            p.put("night", r.nextBoolean());
            boolean page = r.nextBoolean();
            boolean right = (Integer) p.get("error_rate") >= 20 || "sev1".equals(((Map<?, ?>) p.get("incident")).get("severity"));
            double q = random ? r.nextDouble() : (page == right ? 0.85 : 0.3) + 0.08 * r.nextGaussian();
            out.add(Episode.builder(project)
                    .episodeId(UUID.nameUUIDFromBytes((project + seed + "/" + i).getBytes(StandardCharsets.UTF_8)))
                    .timestamp(Instant.parse("2026-03-01T00:00:00Z").plusSeconds(60L * i + seed * 10_000_000L))
                    .perception(p)
                    .reasoning(Map.of())
                    .action(Map.of("page", page))
                    .sprintId(project + "-" + i)
                    .outcome(Map.of("resolved", q > 0.5))
                    .outcomeQuality(Math.max(0, Math.min(1, Math.round(q * 1000) / 1000.0)))
                    .build());
        }
        return out;
    }

    private static long consolidationRows(String where) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM agent_knowledge WHERE created_by = 'consolidation'" + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void learnsRefreshesWithoutTwinsDeactivatesAndAdvisesOnPostgres() throws Exception {
        try (AgentMemorySystem memory = open()) {
            List<Episode> world = incidents("pay", 1, 1200, false);
            memory.episodes().storeEpisodes(world, Arrays.asList(new float[world.size()][]));

            List<Strategy> first = memory.consolidate("pay");
            assertThat(first).isNotEmpty();
            assertThat(first).anySatisfy(s -> assertThat(s.content().get("conditions")).isEqualTo(List.of("error_rate >= 20")));
            assertThat(first).anySatisfy(s -> assertThat(s.content().get("conditions"))
                    .isEqualTo(List.of("incident.severity is 'sev1'")));
            Map<String, Object> sev1 = Map.of("error_rate", 3, "incident", Map.of("severity", "sev1"), "night", true);
            assertThat(memory.getLearnedStrategies(sev1, 0.5)).isNotEmpty().allSatisfy(s ->
                    assertThat(s.content().get("recommendation")).isEqualTo(Map.of("page", true)));
            long rows = consolidationRows("");
            assertThat(rows).isEqualTo(first.size());

            // Again, and with more of the same world: the same rows, refreshed.
            assertThat(memory.consolidate("pay")).extracting(Strategy::knowledgeId)
                    .containsExactlyElementsOf(first.stream().map(Strategy::knowledgeId).toList());
            List<Episode> more = incidents("pay", 2, 600, false);
            memory.episodes().storeEpisodes(more, Arrays.asList(new float[more.size()][]));
            Consolidation.Run run = memory.consolidation("pay");
            assertThat(run.created()).isZero();
            assertThat(consolidationRows("")).isEqualTo(rows);
            assertThat(memory.knowledge().getStrategy(first.get(0).knowledgeId()).orElseThrow().supportingEpisodes())
                    .isNotEmpty();

            // Across projects: another scope, its own rows; the project's stay active.
            List<Strategy> all = memory.consolidate(null);
            assertThat(all).isNotEmpty().allSatisfy(s -> assertThat(s.content().get("scope")).isEqualTo("*"));
            assertThat(consolidationRows(" AND active")).isEqualTo(rows + all.size());

            // The world turns to noise: what was learned is deactivated, not deleted.
            for (Episode e : world) {
                memory.episodes().deleteEpisode(e.episodeId());
            }
            for (Episode e : more) {
                memory.episodes().deleteEpisode(e.episodeId());
            }
            List<Episode> noise = incidents("pay", 3, 1200, true);
            memory.episodes().storeEpisodes(noise, Arrays.asList(new float[noise.size()][]));
            assertThat(memory.consolidate("pay")).isEmpty();
            assertThat(consolidationRows(" AND NOT active")).isEqualTo(rows);
        }
    }

    @Test
    void adviceOnPostgresGroupsTheDecisionsOfSimilarSituations() {
        try (AgentMemorySystem memory = open()) {
            memory.rememberDecisions(incidents("search", 4, 200, false));
            Map<String, Object> sev1 = Map.of("error_rate", 35, "incident", Map.of("severity", "sev1"), "night", false);
            List<Advice> advice = memory.advise(sev1, "search", 3);
            assertThat(advice).isNotEmpty().hasSizeLessThanOrEqualTo(2);
            assertThat(advice.get(0).action()).isEqualTo(Map.of("page", true));
            assertThat(advice.get(0).expectedQuality()).isGreaterThan(advice.get(0).confidence());
            assertThat(advice.get(0).evidence()).isEqualTo(advice.get(0).episodeIds().size());
        }
    }
}
