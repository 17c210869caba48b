package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.EpisodeFilter;
import dev.agentmemory.api.Vectors;
import dev.agentmemory.postgres.PostgresAgentMemoryStore;
import dev.agentmemory.postgres.PostgresSchema;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Similarity search over 50,000 episodes, through both of the store's plans: the exact scan of the
 * episodes that pass the filter, and the HNSW index with pgvector's iterative scan. A project with
 * 20 of the 50,000 gets all 20 back whichever plan starts the search; the index plan agrees with
 * the exact answer where it is used. Times are logged, not asserted.
 *
 * <p>The corpus is loaded with COPY while the HNSW index is away and the index is built again
 * afterwards: building it once is several times faster than growing it row by row.
 */
class SelectiveSearchIT {

    private static final Logger LOG = LoggerFactory.getLogger(SelectiveSearchIT.class);
    private static final int DIMENSIONS = 32;
    private static final int CORPUS = 50_000;
    private static final int RARE = 20;
    private static final int BIG = 10_000;
    private static final int OTHER_PROJECTS = 40;
    private static final int CLUSTERS = 100;
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    private static HikariDataSource dataSource;
    private static final List<Row> rows = new ArrayList<>(CORPUS);
    private static final Random random = new Random(7);
    private static float[][] centres;

    private record Row(UUID id, String project, float[] vector) {
    }

    @BeforeAll
    static void loadCorpus() throws Exception {
        dataSource = TestDatabase.freshSchema(TestDatabase.schemaName(SelectiveSearchIT.class), 4);
        PostgresSchema.migrate(dataSource, DIMENSIONS);
        centres = new float[CLUSTERS][];
        for (int i = 0; i < CLUSTERS; i++) {
            centres[i] = gaussian(1.0);
        }
        for (int i = 0; i < CORPUS; i++) {
            String project = i < RARE ? "rare" : i < RARE + BIG ? "big" : "other-" + (i % OTHER_PROJECTS);
            rows.add(new Row(UUID.randomUUID(), project, nearCentre(random.nextInt(CLUSTERS))));
        }
        long start = System.nanoTime();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            String index;
            try (ResultSet rs = s.executeQuery("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                    + " AND indexname = 'agent_episodes_embedding_hnsw_idx'")) {
                rs.next();
                index = rs.getString(1);
            }
            s.execute("DROP INDEX agent_episodes_embedding_hnsw_idx");
            StringBuilder copy = new StringBuilder(CORPUS * 400);
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                copy.append(r.id).append('\t').append(r.project).append('\t').append(T0.plusSeconds(i)).append('\t')
                        .append("{\"i\": ").append(i).append("}\t{}\t{\"tasks_assigned\": 1}\t")
                        .append(Arrays.toString(r.vector).replace(" ", "")).append('\n');
            }
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY agent_episodes (episode_id, project_id, \"timestamp\","
                    + " perception, reasoning, action, embedding) FROM STDIN", new StringReader(copy.toString()));
            s.execute("SET maintenance_work_mem = '256MB'");
            s.execute(index);
            s.execute("ANALYZE agent_episodes");
        }
        LOG.info("Loaded {} episodes of {} dimensions and built the HNSW index in {} ms", CORPUS, DIMENSIONS,
                (System.nanoTime() - start) / 1_000_000);
    }

    @AfterAll
    static void closePool() {
        dataSource.close();
    }

    @Test
    void rareProjectGetsAllItsEpisodesBackWhicheverPlanStartsTheSearch() throws SQLException {
        PostgresAgentMemoryStore exactFirst = store(PostgresAgentMemoryStore.DEFAULT_EXACT_SCAN_MAX);
        PostgresAgentMemoryStore indexFirst = store(0);
        float[] query = nearCentre(random.nextInt(CLUSTERS));

        for (PostgresAgentMemoryStore store : List.of(exactFirst, indexFirst)) {
            assertThat(ids(store.findSimilarEpisodes(query, "rare", RARE, -1))).isEqualTo(idsOf("rare"));
            assertThat(ids(store.findSimilarEpisodes(query, "rare", 100, -1))).isEqualTo(idsOf("rare"));
            assertExactAnswer(store.findSimilarEpisodes(query, "rare", 5, -1), query, "rare", 5);
        }
        LOG.info("rare project (20 of 50,000), limit 20: exact scan median {} ms; HNSW first (the planner may still"
                        + " pick the project index, else the exact fallback) median {} ms; the HNSW iterative scan alone"
                        + " found {} of {} in a median {} ms",
                medianMillis(() -> exactFirst.findSimilarEpisodes(query, "rare", RARE, -1)),
                medianMillis(() -> indexFirst.findSimilarEpisodes(query, "rare", RARE, -1)),
                iterativeScanAlone(query, "rare", RARE), RARE, medianMillis(() -> {
                    try {
                        return iterativeScanAlone(query, "rare", RARE);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }));
    }

    @Test
    void largeProjectSearchedThroughTheIndexAgreesWithTheExactAnswer() {
        // No cap reads 10,000 candidates exactly any more: past sqrt(16 x limit x rows) candidates
        // (2,828 here) the store walks the index whatever the cap, so the exact answer to compare
        // with is the test's own (exactTop).
        PostgresAgentMemoryStore indexed = store(PostgresAgentMemoryStore.DEFAULT_EXACT_SCAN_MAX);
        double recall = 0;
        int queries = 20;
        for (int q = 0; q < queries; q++) {
            float[] query = nearCentre(random.nextInt(CLUSTERS));
            List<Episode> found = indexed.findSimilarEpisodes(query, "big", 10, -1);
            assertInProjectSortedAndTrue(found, query, "big", 10);
            recall += overlap(found, exactTop(query, "big", 10)) / 10.0;
        }

        assertThat(recall / queries).isGreaterThanOrEqualTo(0.8);
        float[] query = nearCentre(0);
        LOG.info("big project (10,000 of 50,000), limit 10: HNSW iterative scan median {} ms, mean recall@10 of the"
                + " index {}", medianMillis(() -> indexed.findSimilarEpisodes(query, "big", 10, -1)), recall / queries);
    }

    @Test
    void unfilteredSearchThroughTheIndexAgreesWithTheExactAnswer() {
        PostgresAgentMemoryStore indexed = store(PostgresAgentMemoryStore.DEFAULT_EXACT_SCAN_MAX);
        double recall = 0;
        int queries = 20;
        for (int q = 0; q < queries; q++) {
            float[] query = nearCentre(random.nextInt(CLUSTERS));
            List<Episode> found = indexed.findSimilarEpisodes(query, null, 10, -1);
            assertInProjectSortedAndTrue(found, query, null, 10);
            recall += overlap(found, exactTop(query, null, 10)) / 10.0;
        }

        assertThat(recall / queries).isGreaterThanOrEqualTo(0.8);
        float[] query = nearCentre(1);
        LOG.info("all 50,000, limit 10: HNSW iterative scan median {} ms, mean recall@10 of the index {}",
                medianMillis(() -> indexed.findSimilarEpisodes(query, null, 10, -1)), recall / queries);
    }

    @Test
    void thresholdAndFiltersHoldOnTheIndexPath() {
        PostgresAgentMemoryStore indexed = store(0);
        float[] query = nearCentre(3);
        EpisodeFilter others = EpisodeFilter.builder().excludeProjectId("big").from(T0.plusSeconds(RARE + BIG)).build();

        List<Episode> found = indexed.findSimilarEpisodesMatching(query, others, 50, 0.5);

        assertThat(found).isNotEmpty().allSatisfy(e -> {
            assertThat(e.projectId()).startsWith("other-");
            assertThat(e.similarity()).isGreaterThanOrEqualTo(0.5);
        });
        assertThat(found).extracting(Episode::similarity).isSortedAccordingTo(Comparator.reverseOrder());
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static PostgresAgentMemoryStore store(int exactScanMax) {
        return new PostgresAgentMemoryStore(dataSource, DIMENSIONS, Clock.systemUTC(), exactScanMax);
    }

    /** What the HNSW index with iterative scan returns on its own, without the store's fallback. */
    private static int iterativeScanAlone(float[] query, String project, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL hnsw.iterative_scan = relaxed_order");
                s.execute("SET LOCAL hnsw.ef_search = " + Math.max(40, limit));
                // Keep the planner on the HNSW index, as it is for a large project: no sequential
                // scan, and a project condition the (project_id, timestamp) index cannot serve.
                s.execute("SET LOCAL enable_seqscan = off");
                String vector = Arrays.toString(query).replace(" ", "");
                try (var ps = c.prepareStatement("SELECT count(*) FROM (SELECT 1 FROM agent_episodes WHERE project_id || '' = ?"
                        + " AND embedding IS NOT NULL ORDER BY embedding <=> ?::vector LIMIT ?) t")) {
                    ps.setString(1, project);
                    ps.setString(2, vector);
                    ps.setInt(3, limit);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getInt(1);
                    }
                }
            } finally {
                c.rollback();
            }
        }
    }

    private static void assertExactAnswer(List<Episode> found, float[] query, @Nullable String project, int limit) {
        assertThat(ids(found)).isEqualTo(new HashSet<>(exactTop(query, project, limit)));
        assertInProjectSortedAndTrue(found, query, project, limit);
    }

    private static void assertInProjectSortedAndTrue(List<Episode> found, float[] query, @Nullable String project, int limit) {
        assertThat(found).hasSize(limit);
        assertThat(found).extracting(Episode::similarity).isSortedAccordingTo(Comparator.reverseOrder());
        for (Episode e : found) {
            if (project != null) {
                assertThat(e.projectId()).isEqualTo(project);
            }
            Row row = rows.stream().filter(r -> r.id.equals(e.episodeId())).findFirst().orElseThrow();
            assertThat(e.similarity()).isCloseTo(Vectors.cosineSimilarity(query, row.vector), within(1e-5));
        }
    }

    private static List<UUID> exactTop(float[] query, @Nullable String project, int limit) {
        return rows.stream()
                .filter(r -> project == null || r.project.equals(project))
                .sorted(Comparator.comparingDouble((Row r) -> Vectors.cosineSimilarity(query, r.vector)).reversed())
                .limit(limit)
                .map(Row::id)
                .collect(Collectors.toList());
    }

    private static int overlap(List<Episode> found, List<UUID> expected) {
        Set<UUID> e = new HashSet<>(expected);
        return (int) found.stream().filter(x -> e.contains(x.episodeId())).count();
    }

    private static Set<UUID> ids(List<Episode> episodes) {
        return episodes.stream().map(Episode::episodeId).collect(Collectors.toSet());
    }

    private static Set<UUID> idsOf(String project) {
        return rows.stream().filter(r -> r.project.equals(project)).map(Row::id).collect(Collectors.toSet());
    }

    private static double medianMillis(Supplier<?> search) {
        for (int i = 0; i < 10; i++) {
            search.get();
        }
        double[] times = new double[25];
        for (int i = 0; i < times.length; i++) {
            long start = System.nanoTime();
            search.get();
            times[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(times);
        return Math.round(times[times.length / 2] * 100) / 100.0;
    }

    private static float[] gaussian(double sigma) {
        float[] v = new float[DIMENSIONS];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextGaussian() * sigma);
        }
        return v;
    }

    private static float[] nearCentre(int cluster) {
        float[] noise = gaussian(0.35);
        float[] v = new float[DIMENSIONS];
        for (int i = 0; i < v.length; i++) {
            v[i] = centres[cluster][i] + noise[i];
        }
        return v;
    }
}
