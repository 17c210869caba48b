package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.Episode;
import dev.agentmemory.postgres.PostgresAgentMemoryStore;
import dev.agentmemory.postgres.PostgresSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Migration 4 keeps vectors in the table's rows (storage MAIN) rather than in its TOAST relation,
 * where pgvector's own storage (EXTERNAL) would put them once a row passes 2 kB; and rows too long
 * for a page even so, the largest vectors the HNSW index takes with large episodes, still store.
 */
class PostgresInlineVectorsIT {

    private static final String PREFIX = TestDatabase.schemaName(PostgresInlineVectorsIT.class);

    @Test
    void vectorsOfLongEpisodesStayInTheTableRows() throws SQLException {
        int dimensions = 384;
        int count = 200;
        try (HikariDataSource ds = TestDatabase.freshSchema(PREFIX + "_row", 2)) {
            PostgresSchema.migrate(ds, dimensions);
            PostgresAgentMemoryStore store = new PostgresAgentMemoryStore(ds, dimensions);
            Random random = new Random(5);
            List<Episode> episodes = new ArrayList<>();
            List<float[]> vectors = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                // 1.5 kB of vector and about 1 kB of JSON: past the 2 kB at which PostgreSQL moves
                // something out of the row, so one of the two has to go.
                episodes.add(Episode.builder("p").perception(Map.of("notes", text(random, 1_000))).reasoning(Map.of())
                        .action(Map.of()).build());
                vectors.add(vector(random, dimensions));
            }

            List<UUID> ids = store.storeEpisodes(episodes, vectors);

            // Each row holds its vector: the table itself is at least as large as the vectors.
            assertThat(tableBytes(ds)).isGreaterThanOrEqualTo((long) count * dimensions * Float.BYTES);
            assertThat(store.findSimilarEpisodes(vectors.get(7), "p", 1, 0.99))
                    .extracting(Episode::episodeId).containsExactly(ids.get(7));
            assertThat(store.getEpisodeById(ids.get(7)).orElseThrow().perception())
                    .isEqualTo(episodes.get(7).perception());
        }
    }

    @Test
    void theLargestVectorsTheIndexTakesStillStoreWithLargeEpisodes() {
        // pgvector's HNSW index takes up to 2,000 dimensions: 8 kB of vector, as much as a page
        // holds. With 40 kB of JSON besides, the row cannot stay whole; the JSON goes out first,
        // then, as a last resort, the vector (PLAIN storage would refuse the row instead).
        int dimensions = 2_000;
        try (HikariDataSource ds = TestDatabase.freshSchema(PREFIX + "_large", 2)) {
            PostgresSchema.migrate(ds, dimensions);
            PostgresAgentMemoryStore store = new PostgresAgentMemoryStore(ds, dimensions);
            Random random = new Random(6);
            Episode large = Episode.builder("p").perception(Map.of("notes", text(random, 20_000)))
                    .reasoning(Map.of("notes", text(random, 20_000))).action(Map.of()).build();
            Episode small = Episode.builder("p").perception(Map.of()).reasoning(Map.of()).action(Map.of()).build();
            float[] first = vector(random, dimensions);
            float[] second = vector(random, dimensions);
            float[] third = vector(random, dimensions);

            List<UUID> ids = new ArrayList<>();
            ids.add(store.storeEpisode(large, first));
            ids.addAll(store.storeEpisodes(List.of(large, small), List.of(second, third)));

            assertThat(store.countEpisodes("p")).isEqualTo(3);
            assertThat(store.getEpisodeById(ids.get(0)).orElseThrow().perception()).isEqualTo(large.perception());
            List<float[]> vectors = List.of(first, second, third);
            for (int i = 0; i < ids.size(); i++) {
                List<Episode> found = store.findSimilarEpisodes(vectors.get(i), "p", 1, -1);
                assertThat(found).extracting(Episode::episodeId).containsExactly(ids.get(i));
                assertThat(found.get(0).similarity()).isCloseTo(1.0, within(1e-5));
            }
        }
    }

    private static long tableBytes(HikariDataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_relation_size('agent_episodes')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String text(Random random, int length) {
        // Random letters: JSON that compression cannot shrink away.
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append((char) ('a' + random.nextInt(26)));
        }
        return b.toString();
    }

    private static float[] vector(Random random, int dimensions) {
        float[] v = new float[dimensions];
        for (int i = 0; i < dimensions; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
