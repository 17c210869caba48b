package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.Vectors;
import dev.agentmemory.postgres.PostgresAgentMemoryStore;
import dev.agentmemory.postgres.PostgresSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Which plan a search takes, seen in PostgreSQL's own count of each index's scans
 * ({@code pg_stat_user_indexes}): over a few thousand episodes, a search without a filter walks
 * the HNSW index (reading them all exactly would take several times longer), while a small project
 * among them is read exactly, through an index led by project_id. Both answers agree with the exact one.
 *
 * <p>Each test loads its own table, so that no other search's counts reach it; the statistics
 * arrive a moment after the search's transaction ends, so the counts are awaited.
 */
class PostgresSearchPlanIT {

    private static final String PREFIX = TestDatabase.schemaName(PostgresSearchPlanIT.class);
    private static final String HNSW = "agent_episodes_embedding_hnsw_idx";
    /**
     * The indexes led by project_id: (project_id, "timestamp") and, since V7, the primary key
     * (project_id, episode_id); the planner reads a project's rows through either.
     */
    private static final String PROJECT = "agent_episodes_project_time_idx,agent_episodes_pkey";
    private static final int DIMENSIONS = 32;
    private static final int EPISODES = 3_000;
    private static final int FEW = 30;

    private record Corpus(List<UUID> ids, List<String> projects, List<float[]> vectors, float[][] centres) {

        /** A query like the stored episodes: near one of their centres. */
        float[] query(Random random) {
            return near(centres[random.nextInt(centres.length)], random);
        }
    }

    @Test
    void unfilteredSearchOfAFewThousandEpisodesWalksTheHnswIndex() throws Exception {
        try (HikariDataSource ds = TestDatabase.freshSchema(PREFIX + "_all", 2)) {
            Random random = new Random(11);
            Corpus corpus = load(ds, random);
            PostgresAgentMemoryStore store = new PostgresAgentMemoryStore(ds, DIMENSIONS);
            long before = indexScans(ds, HNSW);

            double recall = 0;
            int queries = 10;
            for (int q = 0; q < queries; q++) {
                float[] query = corpus.query(random);
                List<Episode> found = store.findSimilarEpisodes(query, null, 10, -1);
                assertThat(found).hasSize(10);
                assertThat(found).extracting(Episode::similarity).isSortedAccordingTo(Comparator.reverseOrder());
                recall += overlap(found, exactTop(corpus, query, null, 10)) / 10.0;
            }

            assertThat(awaitIndexScans(ds, HNSW, before + queries)).isGreaterThanOrEqualTo(before + queries);
            assertThat(recall / queries).isGreaterThanOrEqualTo(0.9);
        }
    }

    @Test
    void smallProjectAmongAFewThousandIsReadExactlyThroughTheProjectIndex() throws Exception {
        try (HikariDataSource ds = TestDatabase.freshSchema(PREFIX + "_few", 2)) {
            Random random = new Random(12);
            Corpus corpus = load(ds, random);
            PostgresAgentMemoryStore store = new PostgresAgentMemoryStore(ds, DIMENSIONS);
            long hnswBefore = indexScans(ds, HNSW);
            long projectBefore = indexScans(ds, PROJECT);

            float[] query = corpus.query(random);
            List<Episode> found = store.findSimilarEpisodes(query, "few", 10, -1);

            assertThat(found).extracting(Episode::episodeId).containsExactlyElementsOf(exactTop(corpus, query, "few", 10));
            // The search's counts arrive together: once the project index's shows, the HNSW
            // index's would have too.
            assertThat(awaitIndexScans(ds, PROJECT, projectBefore + 1)).isGreaterThan(projectBefore);
            assertThat(indexScans(ds, HNSW)).isEqualTo(hnswBefore);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** EPISODES episodes around 20 centres, FEW of them in project "few", stored in batches. */
    private static Corpus load(HikariDataSource ds, Random random) {
        PostgresSchema.migrate(ds, DIMENSIONS);
        PostgresAgentMemoryStore store = new PostgresAgentMemoryStore(ds, DIMENSIONS);
        float[][] centres = new float[20][];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = vector(random);
        }
        List<String> projects = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        List<Episode> batch = new ArrayList<>();
        List<float[]> batchVectors = new ArrayList<>();
        for (int i = 0; i < EPISODES; i++) {
            String project = i % (EPISODES / FEW) == 0 ? "few" : "many-" + (i % 7);
            float[] v = near(centres[random.nextInt(centres.length)], random);
            projects.add(project);
            vectors.add(v);
            batch.add(Episode.builder(project).perception(Map.of("i", i)).reasoning(Map.of()).action(Map.of()).build());
            batchVectors.add(v);
            if (batch.size() == 500) {
                ids.addAll(store.storeEpisodes(batch, batchVectors));
                batch.clear();
                batchVectors.clear();
            }
        }
        assertThat(ids).hasSize(EPISODES);
        assertThat(projects.stream().filter("few"::equals).count()).isEqualTo(FEW);
        return new Corpus(ids, projects, vectors, centres);
    }

    private static long indexScans(DataSource ds, String index) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), sum(idx_scan) FROM pg_stat_user_indexes"
                     + " WHERE schemaname = current_schema() AND indexrelname = ANY (string_to_array('" + index
                     + "', ','))")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).as("statistics of index %s", index).isEqualTo(index.split(",").length);
            return rs.getLong(2);
        }
    }

    /**
     * The index's scans once they reach {@code expected}, or as they are after a minute. Each pooled
     * connection reports its counts when it goes idle, on its own schedule: waiting only for the
     * first report saw 7 of 10 scans once.
     */
    private static long awaitIndexScans(DataSource ds, String index, long expected) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        long scans = indexScans(ds, index);
        while (scans < expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
            scans = indexScans(ds, index);
        }
        return scans;
    }

    private static List<UUID> exactTop(Corpus corpus, float[] query, @Nullable String project, int limit) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < corpus.ids.size(); i++) {
            if (project == null || corpus.projects.get(i).equals(project)) {
                order.add(i);
            }
        }
        order.sort(Comparator.comparingDouble((Integer i) -> Vectors.cosineSimilarity(query, corpus.vectors.get(i))).reversed());
        return order.stream().limit(limit).map(corpus.ids::get).collect(Collectors.toList());
    }

    private static int overlap(List<Episode> found, List<UUID> expected) {
        Set<UUID> e = new HashSet<>(expected);
        return (int) found.stream().filter(x -> e.contains(x.episodeId())).count();
    }

    private static float[] near(float[] centre, Random random) {
        float[] v = new float[DIMENSIONS];
        for (int d = 0; d < DIMENSIONS; d++) {
            v[d] = centre[d] + (float) (random.nextGaussian() * 0.4);
        }
        return v;
    }

    private static float[] vector(Random random) {
        float[] v = new float[DIMENSIONS];
        for (int i = 0; i < DIMENSIONS; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
